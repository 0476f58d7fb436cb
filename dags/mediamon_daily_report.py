"""mediamon_daily_report: daily coverage tables and the HTML/CSV report for the logical date.

The run for data interval [D, D+1) has logical date D, runs after D ends, and reports on
day D (in the configured report timezone). ``airflow dags test mediamon_daily_report D``
reports on D too. The DAG starts at ``settings.start_date`` (midnight in the report
timezone): for a date D before it, ``airflow dags test`` creates no task instances and no
report (the run still ends "success"); set ``start_date`` earlier, or use
``mediamon report --date D``, which refuses such a date with a clear error.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronDataIntervalTimetable, dag, get_current_context, task

from mediamon import pipeline

_sched = pipeline.schedules()


@dag(
    dag_id="mediamon_daily_report",
    schedule=CronDataIntervalTimetable(_sched["report_cron"], timezone=pendulum.timezone(_sched["timezone"])),
    start_date=pendulum.parse(_sched["start_date"], tz=_sched["timezone"]),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=1)},
    tags=["mediamon"],
    doc_md=__doc__,
)
def mediamon_daily_report():
    @task(pool=pipeline.DUCKDB_POOL)
    def build_report() -> dict:
        ctx = get_current_context()
        # scheduled runs: logical date = start of the day's data interval; manual runs without
        # a logical date (Airflow 3 allows it) report on the day they were triggered for
        when = ctx.get("logical_date") or ctx.get("data_interval_start") or ctx["dag_run"].run_after
        day = pendulum.instance(when).in_timezone(_sched["timezone"]).date()
        out = pipeline.build_report(day.isoformat())
        print(out["text"])
        return {k: out[k] for k in ("day", "coverage_rows", "files", "summary")}

    build_report()


mediamon_daily_report()
