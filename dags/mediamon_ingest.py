"""mediamon_ingest: discover -> plan (by host shard) -> fetch+extract -> load -> enrich -> check_quality, emitting the articles asset.

Thin wiring only: every task calls a function of ``mediamon.stages``.
Tasks that open DuckDB run in the 1-slot pool ``mediamon_duckdb`` (one writer per file);
the mapped tasks (discover per source, fetch_extract per host shard) hand records over as typed batches in the run's staging and
pass on their references (small JSON, by XCom): see the contract in ``mediamon.stages``.
A successful ``enrich`` emits the asset ``mediamon://duckdb/articles``, which also
schedules ``mediamon_daily_report``. ``check_quality`` then records the run's data-quality checks
and metrics; a failed check fails it. Every task reports its failure through the notifier
(``on_failure_callback``); mapped tasks are named by source group / host shard in the UI
(``map_index_template``).

Run parameters (Trigger DAG w/ config; scheduled runs use the defaults):

* ``force_poll`` (bool, default false): poll every feed now, ignoring the adaptive
  polling schedule.
* ``sources`` (list of source ids, default empty = all configured): only these sources;
  an unknown id fails ``validate_config`` naming it.
* ``reprocess_since`` (``YYYY-MM-DD`` or null): fetch nothing; re-extract the archived
  (WARC) responses of days >= that date, then load and enrich them (like
  ``mediamon reprocess --since``).

Start date: ``settings.start_date`` (midnight in ``settings.timezone``); ``airflow dags test``
for an earlier logical date creates no task instances.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task

from mediamon import stages

ARTICLES = Asset(name=stages.ASSET_NAME, uri=stages.ASSET_URI)
_sched = stages.schedules()

PARAMS = {
    "force_poll": Param(False, type="boolean", title="Force poll",
                        description="Poll every feed now, ignoring the adaptive polling schedule."),
    "sources": Param([], type="array", items={"type": "string", "minLength": 1}, uniqueItems=True, title="Sources",
                     description="Source ids to ingest (empty = all configured sources)."),
    "reprocess_since": Param(None, type=["null", "string"], format="date", title="Reprocess since",
                             description="YYYY-MM-DD: fetch nothing, re-extract archived (WARC) responses "
                                         "of days >= this date instead."),
}


def _params() -> dict:
    """The run's validated parameters (defaults for scheduled runs)."""
    return get_current_context()["params"]


@dag(
    dag_id="mediamon_ingest",
    schedule=_sched["ingest"],
    start_date=pendulum.parse(_sched["start_date"], tz=_sched["timezone"]),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(seconds=30), "on_failure_callback": stages.notify_failure},
    tags=["mediamon"],
    doc_md=__doc__,
    params=PARAMS,
)
def mediamon_ingest():
    @task(retries=0)
    def validate_config() -> list[list[str]]:
        """Validate config/*.yaml and the run parameters before anything is fetched.

        Fails the run (no retry) on an invalid configuration, an unknown id in ``sources``
        or a malformed ``reprocess_since``. Passes on the ids of the sources to run, in
        groups that share no host (at most ``fetch.shards``); ``discover`` is mapped over them."""
        p = _params()
        ids = stages.validate_config(sources=p["sources"], reprocess_since=p["reprocess_since"])["sources"]
        return stages.discovery_groups(ids)

    @task(map_index_template="{{ sources_label }}")
    def discover(sources: list[str]) -> list[dict]:
        """One group of sources (mapped; the only task requesting their hosts): read their
        feeds, sitemaps and section pages for candidate article URLs, the sources at once
        (adaptive polling; ``force_poll`` polls every feed now; nothing is fetched when
        ``reprocess_since`` is set).

        Writes a batch ``discover-<source>`` per source to the run's staging and passes on their
        refs and counts, one ``{source_id, batch, candidates, fetches, errors, not_due, ...}`` each."""
        p = _params()
        ctx = get_current_context()
        ctx["sources_label"] = ", ".join(sources[:3]) + (f" +{len(sources) - 3}" if len(sources) > 3 else "")
        return stages.timed(stages.discover_group, sources, ctx["run_id"], force=p["force_poll"],
                            reprocess_since=p["reprocess_since"])

    @task(pool=stages.DUCKDB_POOL)
    def plan(discovered: list[list[dict]]) -> list[dict]:
        """Choose what to fetch from the discover batches: candidates deduplicated across
        sources, stored URLs skipped unless due for refresh, failed ones retried, capped per
        source; then group the URLs to fetch by host into at most ``fetch.shards`` shards.

        Writes a ``plan-<source>`` batch per selected source and a ``shard-NN`` batch per shard;
        passes on the shards (one ``{shard, hosts, sources, plan, to_fetch}`` each;
        ``fetch_extract`` is mapped over them) and, as the XCom ``sources``, one
        ``{source_id, plan, capped, to_fetch, ...}`` per source (for ``load``)."""
        p = _params()
        ctx = get_current_context()
        planned = stages.plan(ctx["run_id"], discovered=[d for group in discovered for d in group], sources=p["sources"],
                              reprocess_since=p["reprocess_since"])
        ctx["ti"].xcom_push(key="sources", value=planned)  # Airflow maps only over a task's return value
        return stages.plan_shards(ctx["run_id"], planned=planned, reprocess_since=p["reprocess_since"])

    @task(map_index_template="{{ shard_label }}")
    def fetch_extract(shard: dict) -> dict:
        """One host shard (mapped, no DB; the only task requesting its hosts, so per-host
        politeness needs no lock shared across workers): fetch its planned pages politely,
        every source of the shard at once, extracting and scoring in a process pool meanwhile;
        or with ``reprocess_since`` re-extract one source's archived WARC responses.

        Writes the batch ``fetched-<shard>`` and passes on its ref and counts
        ``{shard, hosts, sources, batch, fetched, articles, skipped, failed}``."""
        ctx = get_current_context()
        ctx["shard_label"] = stages.shard_label(shard)  # the mapped task's name in the UI
        return stages.timed(stages.fetch_shard, shard, ctx["run_id"], reprocess_since=_params()["reprocess_since"])

    @task(pool=stages.DUCKDB_POOL)
    def load(discovered: list[list[dict]], planned: list[dict], fetched: list[dict]) -> dict:
        """Load exactly the batches named by the discover, plan and fetch_extract results into
        DuckDB (articles upserted by canonical URL, fetch_log replaced for the run, feed
        polling state promoted).

        Passes on the load counts (inserted, updated, unchanged, fetch_log rows, outcomes)."""
        return stages.timed(stages.load, get_current_context()["run_id"], discovered=[d for group in discovered for d in group],
                           planned=list(planned),
                           fetched=list(fetched))

    @task(pool=stages.DUCKDB_POOL, outlets=[ARTICLES])
    def enrich(loaded: dict, fetched: list[dict]) -> dict:
        """Duplicates and stories for the run's articles; sentiment and topic matches as the
        fetch tasks scored them (computed here for any article they did not score).

        On success emits the asset ``mediamon://duckdb/articles`` (which schedules the
        daily report) and passes on the enrichment counts."""
        return stages.timed(stages.enrich, get_current_context()["run_id"], fetched=list(fetched))

    @task(pool=stages.DUCKDB_POOL, retries=0)
    def check_quality(discovered: list[list[dict]], fetched: list[dict], loaded: dict, enriched: dict) -> dict:
        """Data-quality checks of the run (volume per source and language against the baseline,
        extraction failure rate, empty-text ratio, replacement-character ratio) written to
        ``quality_checks``, and the run's stage counts and durations written to ``runs``.

        A failed check fails this task (no retry): the run is marked failed and the failure
        callback reports it; warnings are sent through the notifier. Passes on the summary."""
        ctx = get_current_context()
        out = stages.check_quality(ctx["run_id"], results={"discover": list(discovered), "fetch_extract": list(fetched),
                                                           "load": loaded, "enrich": enriched},
                                   run_started_at=ctx["dag_run"].start_date)
        return {k: out[k] for k in ("status", "counts", "text")}

    groups = validate_config()
    # Airflow takes a task's docstring as its doc only when it is called, not mapped: pass it on
    discovered = discover.override(doc_md=discover.function.__doc__).expand(sources=groups)
    planned = plan(discovered)
    fetched = fetch_extract.override(doc_md=fetch_extract.function.__doc__).expand(shard=planned)
    loaded = load(discovered, planned["sources"], fetched)
    check_quality(discovered, fetched, loaded, enrich(loaded, fetched))


mediamon_ingest()
