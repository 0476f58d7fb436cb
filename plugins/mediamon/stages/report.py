"""Report stage: the daily coverage table and report files (see :mod:`mediamon.stages`)."""

from __future__ import annotations

from datetime import date, timedelta

from mediamon.runcalendar import (check_report_day)
from mediamon.runtime import Runtime
from mediamon.store import TREND_HISTORY_DAYS

from mediamon.stages.common import _rt


def build_report(day: str | date, config_dir: str | None = None, *, runtime: Runtime | None = None) -> dict:
    """Daily report stage (DuckDB pool): rebuild ``daily_coverage`` and ``daily_source_stats`` for
    ``day`` and the :data:`~mediamon.store.TREND_HISTORY_DAYS` days up to it, load the comparison sets, and render
    ``<reports_dir>/<day>/coverage.html`` plus CSV files. Idempotent.

    Returns (``coverage_rows``: daily_coverage rows written for those days) ``{"day", "coverage_rows", "files": {name: path}, "summary": {...}, "text": summary}``.
    Raises :class:`DateBeforeStartError` for a day before ``settings.start_date`` and
    ValueError for a ``day`` string that is not ``YYYY-MM-DD``."""
    from mediamon import report

    rt = _rt(config_dir, runtime)
    cfg = rt.config
    d = date.fromisoformat(day) if isinstance(day, str) else day
    check_report_day(cfg, d)
    with rt.store.session() as s:
        s.upsert_sources(cfg.sources)
        s.upsert_topics(cfg.topics)
        s.replace_comparison_sets(cfg.settings.comparison_sets)
        # the day and the baseline days before it (late articles, re-enriched topics count too)
        built = s.build_analytics(d - timedelta(days=TREND_HISTORY_DAYS - 1), d, cfg.settings.timezone)
        n = built["daily_coverage"]
        data = s.report_data(d, cfg.settings.timezone)
    files = report.render_report(d, data, cfg.settings.path(cfg.settings.reports_dir))
    return {"day": d.isoformat(), "coverage_rows": n, "files": {k: str(v) for k, v in files.items()},
            "summary": data["summary"], "text": report.summary_text(data)}
