"""Report stage: the daily coverage table and report files (see :mod:`mediamon.stages`)."""

from __future__ import annotations

from datetime import date

from mediamon.runcalendar import (check_report_day)
from mediamon.runtime import CONFIG_LOCK, Runtime

from mediamon.stages.common import _rt


def build_report(day: str | date, config_dir: str | None = None, *, runtime: Runtime | None = None) -> dict:
    """Daily report stage (DuckDB pool): rebuild ``daily_coverage`` for ``day`` and render
    ``<reports_dir>/<day>/coverage.html`` plus CSV files. Idempotent.

    Returns ``{"day", "coverage_rows", "files": {name: path}, "summary": {...}, "text": summary}``.
    Raises :class:`DateBeforeStartError` for a day before ``settings.start_date`` and
    ValueError for a ``day`` string that is not ``YYYY-MM-DD``."""
    from mediamon import report

    rt = _rt(config_dir, runtime)
    cfg = rt.config
    d = date.fromisoformat(day) if isinstance(day, str) else day
    check_report_day(cfg, d)

    def work(s) -> tuple[int, dict]:
        s.upsert_sources(cfg.sources)
        s.upsert_topics(cfg.topics)
        return s.build_daily_coverage(d), s.report_data(d, cfg.settings.timezone)

    n, data = rt.store.transact(work, locks=[CONFIG_LOCK, f"coverage:{d.isoformat()}"])
    files = report.render_report(d, data, cfg.settings.path(cfg.settings.reports_dir))
    return {"day": d.isoformat(), "coverage_rows": n, "files": {k: str(v) for k, v in files.items()},
            "summary": data["summary"], "text": report.summary_text(data)}
