"""Run calendar: the DAG schedules from the settings, the day a report run covers, the
``reprocess_since`` run parameter, and the start-date check of a report day.
"""

from __future__ import annotations

import os

import re
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from mediamon import config as config_mod

__all__ = ["schedules", "report_day", "parse_since", "DateBeforeStartError", "check_report_day"]


def schedules(config_dir: str | None = None) -> dict[str, str]:
    """Ingest, report and store-maintenance schedules from ``settings.yaml`` (defaults ``@hourly`` /
    ``@daily`` / ``@daily``;
    ``report_cron`` is the report schedule as a cron expression, for a data-interval timetable;
    ``start_date``: ``settings.start_date`` as ``YYYY-MM-DD``, midnight in ``timezone`` is the
    DAGs' start date).

    Used at DAG-parse time, so it never raises: an unreadable settings file falls back to
    the defaults (the ``validate_config`` task then fails the run with a clear error)."""
    try:
        s = config_mod.load_config(config_dir).settings
    except Exception:  # noqa: BLE001 - parse time must not fail
        s = config_mod.Settings()
    return {"ingest": s.ingest_schedule, "report": s.report_schedule, "maintenance": s.maintenance_schedule,
            "timezone": s.timezone,
            "report_cron": config_mod.SCHEDULE_PRESETS.get(s.report_schedule, s.report_schedule),
            "start_date": s.start_date.isoformat()}


def report_day(tz: str, *, logical_date: datetime | None = None, data_interval_start: datetime | None = None,
               run_after: datetime | None = None) -> date:
    """The day a report run covers, as a calendar day in the report timezone ``tz``.

    Scheduled (data-interval) runs: their logical date, the start of the completed day
    they run after. Manual runs with a logical date: that date. Runs without a logical
    date or data interval (asset-triggered runs; manual runs triggered without a date):
    ``run_after``, which for an asset-triggered run is when the latest articles-asset
    event queued it, i.e. today in ``tz``. Datetimes must be timezone-aware (naive ones
    are taken as UTC). Raises ValueError when all three are None."""
    when = logical_date or data_interval_start or run_after
    if when is None:
        raise ValueError("report_day: the run has no logical date, data interval or run_after")
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(ZoneInfo(tz)).date()


def parse_since(reprocess_since: str | date) -> str:
    """``reprocess_since`` as ``YYYY-MM-DD``; ValueError naming the run parameter otherwise."""
    if isinstance(reprocess_since, date):
        return reprocess_since.isoformat()
    if not isinstance(reprocess_since, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", reprocess_since):
        raise RunParamError(f"run parameter 'reprocess_since': {reprocess_since!r} is not a date YYYY-MM-DD")
    try:
        return date.fromisoformat(reprocess_since).isoformat()
    except ValueError as e:
        raise RunParamError(f"run parameter 'reprocess_since': {reprocess_since!r} is not a valid date ({e})") from None


class RunParamError(ValueError):
    """A run parameter (Airflow ``Param``, CLI argument) that cannot be used; the message names
    the parameter and the value."""


class DateBeforeStartError(config_mod.ConfigError):
    """A report day before ``settings.start_date`` (the DAGs have no runs before it)."""


def check_report_day(cfg: config_mod.Config, day: date) -> None:
    """Raise :class:`DateBeforeStartError` (a ConfigError naming ``settings.yaml`` and the
    ``start_date`` field) when ``day`` is before ``settings.start_date``."""
    start = cfg.settings.start_date
    if day < start:
        advice = (f"set start_date to {day.isoformat()} or earlier to report on it" if day >= date(1970, 1, 1)
                  else "start_date cannot be earlier than 1970-01-01")
        raise DateBeforeStartError(
            Path(cfg.config_dir or config_mod.config_dir_from_env()) / "settings.yaml", None, "start_date",
            f"report day {day.isoformat()} is before start_date {start.isoformat()}: the DAGs have no runs before "
            f"that day (`airflow dags test` for it creates no task instances); {advice}")


def check_writable_paths(cfg: config_mod.Config) -> None:
    """Raise ConfigError naming ``settings.yaml`` and the field when ``data_dir``, the
    directory of ``db_path`` or ``reports_dir`` cannot be created or written (checked on the
    nearest existing ancestor; nothing is created), so a run fails before it fetches."""
    s = cfg.settings
    for field, target in (("data_dir", s.path(s.data_dir)), ("db_path", s.path(s.db_path).parent),
                          ("reports_dir", s.path(s.reports_dir))):
        p = Path(target)
        while not p.exists() and p != p.parent:
            p = p.parent
        if not p.is_dir() or not os.access(p, os.W_OK | os.X_OK):
            raise config_mod.ConfigError(
                Path(cfg.config_dir or config_mod.config_dir_from_env()) / "settings.yaml", None, field,
                f"{target} cannot be created or written ({p} is not a writable directory)")
