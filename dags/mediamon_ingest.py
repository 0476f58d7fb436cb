"""mediamon_ingest: discover -> fetch+extract -> load -> enrich, emitting the articles asset.

Thin wiring only: every task calls a function of ``mediamon.pipeline``.
Tasks that open DuckDB run in the 1-slot pool ``mediamon_duckdb`` (one writer per file);
the mapped per-source tasks hand records over as files in the run's staging directory.
Start date: ``settings.start_date`` (midnight in ``settings.timezone``); ``airflow dags test``
for an earlier logical date creates no task instances.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, get_current_context, task

from mediamon import pipeline

ARTICLES = Asset(name=pipeline.ASSET_NAME, uri=pipeline.ASSET_URI)
_sched = pipeline.schedules()


@dag(
    dag_id="mediamon_ingest",
    schedule=_sched["ingest"],
    start_date=pendulum.parse(_sched["start_date"], tz=_sched["timezone"]),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(seconds=30)},
    tags=["mediamon"],
    doc_md=__doc__,
)
def mediamon_ingest():
    @task(retries=0)
    def validate_config() -> list[str]:
        return pipeline.validate_config()["sources"]

    @task
    def discover(source_id: str) -> dict:
        return pipeline.discover(source_id, get_current_context()["run_id"])

    @task(pool=pipeline.DUCKDB_POOL)
    def plan(discovered: list[dict]) -> list[str]:
        return [p["source_id"] for p in pipeline.plan(get_current_context()["run_id"])]

    @task
    def fetch_extract(source_id: str) -> dict:
        return pipeline.fetch_extract(source_id, get_current_context()["run_id"])

    @task(pool=pipeline.DUCKDB_POOL)
    def load(fetched: list[dict]) -> dict:
        return pipeline.load(get_current_context()["run_id"])

    @task(pool=pipeline.DUCKDB_POOL, outlets=[ARTICLES])
    def enrich(loaded: dict) -> dict:
        return pipeline.enrich(get_current_context()["run_id"])

    sources = validate_config()
    discovered = discover.expand(source_id=sources)
    planned = plan(discovered)
    fetched = fetch_extract.expand(source_id=planned)
    enrich(load(fetched))


mediamon_ingest()
