"""mediamon_maintenance: upkeep of the article store, on ``settings.maintenance_schedule`` (daily).

Thin wiring only: the task calls ``mediamon.stages.maintain_store``. With ``store: ducklake`` it
merges the small Parquet files every load and enrich commit leaves (``ducklake_merge_adjacent_files``),
expires snapshots older than ``ducklake.snapshot_retention_s`` and deletes the files nothing needs any
more (docs/ducklake.md); with the DuckDB file it runs CHECKPOINT. It runs in the ``mediamon_duckdb``
pool like every task that opens the store (on the DuckDB file only one process may write).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task

from mediamon import stages

_sched = stages.schedules()


@dag(
    dag_id="mediamon_maintenance",
    schedule=_sched["maintenance"],
    start_date=pendulum.parse(_sched["start_date"], tz=_sched["timezone"]),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["mediamon"],
    doc_md=__doc__,
)
def mediamon_maintenance():
    @task(pool=stages.DUCKDB_POOL)
    def maintain_store() -> dict:
        """DuckLake: merge small files, expire old snapshots, delete unneeded files; DuckDB file:
        CHECKPOINT. Returns the counts."""
        return stages.maintain_store()

    maintain_store()


mediamon_maintenance()
