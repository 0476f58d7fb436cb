"""Report stage: the daily coverage table, the report files (day or range) and the alerts (see :mod:`mediamon.stages`)."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from mediamon.runcalendar import RunParamError, check_report_day
from mediamon.runtime import CONFIG_LOCK, Runtime
from mediamon.store import TREND_HISTORY_DAYS

from mediamon.stages.common import _rt

log = logging.getLogger("mediamon.stages.report")


# a report rebuilds outlet/topic rows and the analytics tables of many days: one report unit at a time
# on a DuckLake (the DuckDB file has one writer anyway; docs/ducklake.md)
REPORT_LOCKS = (CONFIG_LOCK, "analytics:all")

def _day(v: str | date, name: str) -> date:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(v)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is not a date (YYYY-MM-DD): {v!r}") from None


def _thresholds(cfg) -> dict:
    """The first enabled spike / error-rate rule's limits, so the page marks what the alerts fire on."""
    out = {}
    for r in cfg.settings.alerts.rules:
        if r.kind == "spike" and r.enabled and "spike_min_score" not in out:
            out.update(spike_min_score=r.min_score, spike_min_articles=r.min_articles)
        if r.kind == "error_rate" and r.enabled and "error_max_rate" not in out:
            out.update(error_max_rate=r.max_rate, error_min_requests=r.min_requests)
    return out


def _build(s, cfg, start: date, end: date) -> int:
    """Load the configured outlets, topics and comparison sets, then bring the analytics tables
    (``daily_coverage``, ``daily_source_stats``) up to date for what the report reads:
    :func:`mediamon.store.refresh_analytics` for ``end`` (its recent days, and any never-built day of
    the :data:`~mediamon.store.TREND_HISTORY_DAYS` before it), plus every day of a range report's
    period and of a volume chart longer than that history. Returns daily_coverage rows written."""
    s.upsert_sources(cfg.sources)
    s.upsert_topics(cfg.topics)
    s.replace_comparison_sets(cfg.settings.comparison_sets)
    n = 0
    first = min(start, end - timedelta(days=cfg.settings.report.trend_days - 1))
    history_start = end - timedelta(days=TREND_HISTORY_DAYS - 1)
    if first < history_start:  # a long range, or a chart longer than the history refresh covers
        n += s.build_analytics(first, history_start - timedelta(days=1), cfg.settings.timezone)["daily_coverage"]
    if start < end:  # a range report: its whole period, rebuilt
        n += s.build_analytics(max(start, history_start), end, cfg.settings.timezone)["daily_coverage"]
    return n + s.refresh_analytics(end, cfg.settings.timezone)["daily_coverage"]


def _period_data(s, cfg, start: date, end: date) -> dict:
    rs = cfg.settings.report
    data = s.period_report_data(start, end, cfg.settings.timezone, trend_days=rs.trend_days, top_stories=rs.top_stories)
    # the per-source sentiment table of the daily report, from the outlets table
    data["sentiment"] = [{k: o[k] for k in ("source_id", "source_name", "positive", "neutral", "negative", "mean_sentiment")}
                         for o in data["outlets"] if o["articles"]]
    return data


def build_report(day: str | date, config_dir: str | None = None, *, runtime: Runtime | None = None,
                 alerts: bool = True) -> dict:
    """Daily report stage (DuckDB pool): rebuild the analytics tables (``daily_coverage``,
    ``daily_source_stats``) for ``day`` and the days its charts and baselines read, render
    ``<reports_dir>/<day>/index.html`` (charts over ``settings.report.trend_days`` days), the CSV and
    Parquet exports and ``summary.md``, then evaluate the alert rules of ``settings.alerts`` on the
    day and send the new ones through the notifier (each (rule, subject, day) once: recorded in the
    ``alerts`` table). Idempotent: the files of a past day come out byte-for-byte the same.

    Returns (``coverage_rows``: daily_coverage rows written) ``{"day", "coverage_rows", "files": {name: path}, "summary": {...}, "text": summary,
    "alerts": [{"rule", "subject", "title", "channels"}]}`` (alerts sent by this call).
    Raises :class:`DateBeforeStartError` for a day before ``settings.start_date`` and
    ValueError for a ``day`` string that is not ``YYYY-MM-DD``. A failing notifier channel is
    logged, never raised."""
    from mediamon import report

    rt = _rt(config_dir, runtime)
    cfg = rt.config
    d = _day(day, "day")
    check_report_day(cfg, d)
    _not_future(rt, d, "day")
    n, data = rt.store.transact(lambda s: (_build(s, cfg, d, d), _period_data(s, cfg, d, d)), locks=REPORT_LOCKS)
    files = report.render_report(d, data, cfg.settings.path(cfg.settings.reports_dir),
                                 max_articles=cfg.settings.report.max_articles, thresholds=_thresholds(cfg))
    sent = send_alerts(rt, d, data) if alerts else []
    return {"day": d.isoformat(), "coverage_rows": n, "files": {k: str(v) for k, v in files.items()},
            "summary": data["summary"], "text": report.summary_text(data), "alerts": sent}


def _not_future(rt: Runtime, d: date, name: str) -> None:
    """Raise :class:`RunParamError` naming ``name`` when ``d`` is after tomorrow in the report
    timezone (by the runtime's clock): a mistyped year would otherwise build empty analytics rows
    for days that have not happened."""
    today = rt.clock.now().astimezone(ZoneInfo(rt.config.settings.timezone)).date()
    if d > today + timedelta(days=1):
        raise RunParamError(f"{name} {d.isoformat()} is in the future (today is {today.isoformat()} in "
                            f"{rt.config.settings.timezone}); nothing can be reported for it yet")


def build_range_report(start: str | date, end: str | date, config_dir: str | None = None, *,
                       runtime: Runtime | None = None) -> dict:
    """Range report (a week, a month): rebuild the analytics tables for ``start``..``end`` (and the
    days the charts and baselines read) and render ``<reports_dir>/<start>--<end>/index.html`` plus exports over the whole period (the
    volume chart covers the period, or ``settings.report.trend_days`` days when that is longer).
    No alerts are evaluated (they belong to days). Returns like :func:`build_report` with ``"start"``,
    ``"end"`` instead of ``"day"``. Raises ValueError for a bad date or ``end`` before ``start``,
    :class:`DateBeforeStartError` for a ``start`` before ``settings.start_date``."""
    from mediamon import report

    rt = _rt(config_dir, runtime)
    cfg = rt.config
    a, b = _day(start, "--from"), _day(end, "--to")
    if b < a:
        raise ValueError(f"--to {b} is before --from {a}")
    if (b - a).days > 366:
        raise ValueError(f"range {a} to {b} is longer than 366 days")
    check_report_day(cfg, a)
    _not_future(rt, b, "--to")
    n, data = rt.store.transact(lambda s: (_build(s, cfg, a, b), _period_data(s, cfg, a, b)), locks=REPORT_LOCKS)
    files = report.render_report(a, data, cfg.settings.path(cfg.settings.reports_dir), end=b,
                                 max_articles=cfg.settings.report.max_articles, thresholds=_thresholds(cfg))
    return {"start": a.isoformat(), "end": b.isoformat(), "coverage_rows": n,
            "files": {k: str(v) for k, v in files.items()}, "summary": data["summary"],
            "text": report.summary_text(data), "alerts": []}


def send_alerts(rt: Runtime, day: date, data: dict) -> list[dict]:
    """Evaluate ``settings.alerts`` rules on ``day``'s report ``data``, send the alerts not recorded
    yet through :func:`mediamon.alerts.build_notifier` and record them in the ``alerts`` table.
    While ``day`` is not over in the report timezone (``rt.clock``; asset-triggered runs report on
    today so far) ``silent_source`` alerts wait for the completed day's run.
    Returns ``[{"rule", "subject", "title", "channels"}]`` of the alerts sent now."""
    from mediamon.alerts import build_notifier
    from mediamon.alerts.rules import evaluate

    cfg = rt.config
    fired = evaluate(cfg.settings.alerts, data, day)
    today = rt.clock.now().astimezone(ZoneInfo(cfg.settings.timezone)).date()
    if day >= today:  # the day is not over (an asset-triggered run): "published nothing" cannot be told yet
        fired = [a for a in fired if a.kind != "silent_source"]
    if not fired:
        return []
    with rt.store.session() as s:
        done = s.fired_alerts([a.key for a in fired])
    new = [a for a in fired if a.key not in done]
    if not new:
        return []
    notifier = build_notifier(cfg.settings)
    rows, out = [], []
    for a in new:
        channels = notifier.send(a.title, a.text, a.payload)
        rows.append({"rule_id": a.rule_id, "subject": a.subject, "day": a.day, "kind": a.kind, "title": a.title,
                     "message": a.text, "payload": a.payload, "channels": channels, "fired_at": rt.clock.now()})
        out.append({"rule": a.rule_id, "subject": a.subject, "title": a.title, "channels": channels})
    rt.store.transact(lambda s: s.record_alerts(rows), locks=["alerts:all"])
    log.info("alerts: %d sent (%d already recorded)", len(new), len(fired) - len(new))
    return out
