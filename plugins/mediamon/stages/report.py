"""Report stage: the daily coverage table and report files (see :mod:`mediamon.stages`)."""

from __future__ import annotations

from datetime import date

from mediamon.runcalendar import (check_report_day)
from mediamon.runtime import Runtime

from mediamon.stages.common import _rt


def build_report(day: str | date, config_dir: str | None = None, *, runtime: Runtime | None = None) -> dict:
    """Daily report stage (DuckDB pool): load the comparison sets, rebuild ``daily_coverage`` and
    ``daily_source_stats`` for ``day``, the days just before it and any never-built day of its
    trend history (:func:`mediamon.store.refresh_analytics`), and render
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
        # the day and the days just before it (late articles), and any history day never built
        n = s.refresh_analytics(d, cfg.settings.timezone)["daily_coverage"]
        data = s.report_data(d, cfg.settings.timezone)
    files = report.render_report(d, data, cfg.settings.path(cfg.settings.reports_dir))
    return {"day": d.isoformat(), "coverage_rows": n, "files": {k: str(v) for k, v in files.items()},
            "summary": data["summary"], "text": report.summary_text(data)}
