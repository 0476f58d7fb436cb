"""Stage functions: one per Airflow task (``dags/``), plus ``run``, ``reprocess`` and
``import_warc`` for the CLI.

Every stage takes the run id, the configuration directory, its keyword parameters and an
optional :class:`mediamon.runtime.Runtime` (built from the configuration when None: the
DuckDB store, file staging, system clock and one Fetcher per source). Stages hold no SQL, no
file naming and no parsing: the store, staging, HTTP and clock are ports
(:mod:`mediamon.ports`); the decisions live in :mod:`mediamon.planning`,
:mod:`mediamon.articles`, :mod:`mediamon.enrichment` and :mod:`mediamon.replay`.

Contract between tasks (every value is small JSON; Airflow passes it by XCom). Records go
through the run's staging as typed batches (:mod:`mediamon.records`); a task passes on the
*references* of the batches it wrote, and the next task reads exactly those:

* ``validate_config`` -> ``{"sources": [source_id, ...], "topics": [topic_id, ...]}``.
* ``discover(source_id)`` -> ``{"source_id", "batch": ref | None, "candidates", "fetches",
  "errors": [str], "not_due", "inputs", "inputs_failed"}``; the batch holds the source's
  :class:`~mediamon.records.Candidate` and :class:`~mediamon.records.FetchLogRow` records
  (None with ``reprocess_since``: nothing is fetched).
* ``discovery_groups(sources)`` -> the source ids in groups that share no discovery host (at
  most ``fetch.shards``); ``discover_group(sources)`` -> the ``discover`` results of a group
  (its sources at once): the DAG maps discovery over the groups.
* ``plan(discovered=[discover results])`` -> one ``{"source_id", "plan": ref | None,
  "capped": ref | None, "to_fetch", "known", "refresh", "not_retried", "retry_capped",
  "backing_off"}`` per selected source: ``plan`` holds the Candidates to fetch, ``capped`` the
  FetchLogRows of URLs given up (None when there are none).
* ``fetch_extract(source_id, planned=<its plan result>)`` -> ``{"source_id", "batch": ref |
  None, "fetched", "articles", "skipped", "failed"}``; the batch holds FetchLogRows,
  ArticleRecords and TakedownRows.
* ``plan_shards(planned=[plan results])`` -> one ``{"shard", "hosts", "sources", "plan": ref |
  None, "to_fetch"}`` per host shard (never an empty list): the planned Candidates of all
  sources grouped by host, so that one fetch task owns each host (docs/throughput.md).
* ``fetch_shard(shard)`` -> ``{"shard", "hosts", "sources", "batch": ref | None, "fetched",
  "articles", "skipped", "failed"}``; like ``fetch_extract`` for every source of the shard,
  the batch also holds each scored article's SentimentRow, TopicMatchRows and ArticleScored.
* ``load(discovered=[...], planned=[...], fetched=[...])`` reads the discover batches, the
  capped batches and the fetch batches named there (each group in source id order), nothing
  else: a stale batch of another run, or of this run not named, is ignored.
* ``check_quality(results={stage: results})`` (after ``enrich``) -> ``{"run_id", "status", "counts",
  "checks", "text"}``; writes ``quality_checks`` and the run's ``runs`` metrics (see :mod:`.ops`).
* ``enrich(fetched=[fetch results])`` -> counts (scores staged by the fetch tasks are reused); ``build_report(day)`` -> ``{"day", "coverage_rows", "files", "summary", "text", "alerts"}``.
* ``maintain_store`` (DAG ``mediamon_maintenance``) -> counts: DuckLake compaction and snapshot
  expiry, CHECKPOINT of the DuckDB file.

Stages that run in parallel (``discover``, ``fetch_extract``) never open the store; the
others (``plan``, ``load``, ``enrich``, ``build_report``) run in the 1-slot pool
:data:`DUCKDB_POOL`, so one process writes the DuckDB file at a time. A failure on one page,
feed or source is recorded (``fetch_log``) and the run goes on; only an invalid configuration
stops a run, before anything is fetched.
"""


from __future__ import annotations

from mediamon.runcalendar import DateBeforeStartError, RunParamError, check_report_day, report_day, schedules
from mediamon.stages.common import ASSET_NAME, ASSET_URI, DUCKDB_POOL, load_config
from mediamon.stages.enrich import enrich
from mediamon.stages.ingest import discover, discovery_failed, fetch_extract, load, plan, validate_config
from mediamon.stages.maintenance import maintain_store
from mediamon.stages.ops import QualityCheckFailed, check_quality, notify_failure, stage_metrics, timed
from mediamon.stages.report import build_range_report, build_report, send_alerts
from mediamon.stages.fetch import discover_group, discovery_groups, fetch_shard, plan_shards, shard_label
from mediamon.stages.run import import_warc, reprocess, run
from mediamon.stages.topics import topics_rerun, topics_status, topics_test

__all__ = ["DUCKDB_POOL", "ASSET_URI", "ASSET_NAME", "load_config", "schedules", "report_day", "validate_config",
           "discover", "discovery_failed", "plan", "plan_shards", "fetch_shard", "shard_label", "discovery_groups",
           "discover_group", "fetch_extract", "load", "enrich", "DateBeforeStartError", "RunParamError",
           "check_report_day", "check_quality", "notify_failure", "stage_metrics", "timed", "QualityCheckFailed",
           "build_report", "build_range_report", "send_alerts", "run", "reprocess", "import_warc",
           "topics_rerun", "topics_test", "topics_status", "maintain_store"]
