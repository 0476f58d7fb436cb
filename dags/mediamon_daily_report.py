"""mediamon_daily_report: daily coverage tables and the HTML/CSV report for one day.

Scheduled on its report time OR the articles asset (``AssetOrTimeSchedule``):

* Time-scheduled runs (the ``report_schedule`` cron in the report timezone): the run for
  data interval [D, D+1) has logical date D, runs after D ends, and reports on the
  completed day D. ``airflow dags test mediamon_daily_report D`` reports on D too.
* Asset-triggered runs (after each successful ``mediamon_ingest`` run emits
  ``mediamon://duckdb/articles``) have no logical date or data interval: they report on
  the day of their ``run_after`` (when the latest asset event queued the run) in the
  report timezone, i.e. today so far. The next scheduled run rebuilds that day complete.
* Manual runs: their logical date, or the day they were triggered for when they have none.

The DAG starts at ``settings.start_date`` (midnight in the report
timezone): for a date D before it, ``airflow dags test`` creates no task instances and no
report (the run still ends "success"); set ``start_date`` earlier, or use
``mediamon report --date D``, which refuses such a date with a clear error.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, AssetOrTimeSchedule, CronDataIntervalTimetable, dag, get_current_context, task

from mediamon import stages

ARTICLES = Asset(name=stages.ASSET_NAME, uri=stages.ASSET_URI)
_sched = stages.schedules()


@dag(
    dag_id="mediamon_daily_report",
    schedule=AssetOrTimeSchedule(
        timetable=CronDataIntervalTimetable(_sched["report_cron"], timezone=pendulum.timezone(_sched["timezone"])),
        assets=[ARTICLES],
    ),
    start_date=pendulum.parse(_sched["start_date"], tz=_sched["timezone"]),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=1), "on_failure_callback": stages.notify_failure},
    tags=["mediamon"],
    doc_md=__doc__,
)
def mediamon_daily_report():
    @task(pool=stages.DUCKDB_POOL)
    def build_report() -> dict:
        """Rebuild ``daily_coverage`` for the run's day and render
        ``<reports_dir>/<day>/index.html`` plus CSV/Parquet exports and summary.md
        (idempotent), then evaluate the alert rules and send new alerts.

        Day: the logical date for scheduled and dated manual runs (the completed day);
        for asset-triggered runs (no logical date) the day of ``run_after`` in the report
        timezone. Prints the summary and passes on ``{day, coverage_rows, files, summary}``."""
        ctx = get_current_context()
        day = stages.report_day(_sched["timezone"], logical_date=ctx.get("logical_date"),
                                data_interval_start=ctx.get("data_interval_start"),
                                run_after=ctx["dag_run"].run_after)
        out = stages.build_report(day.isoformat())
        print(out["text"])
        return {k: out[k] for k in ("day", "coverage_rows", "files", "summary", "alerts")}

    build_report()


mediamon_daily_report()
