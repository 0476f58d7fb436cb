"""Report queries over a period: everything the HTML report, its exports and the alert rules read.

One job: run the ``sql/report_*.sql`` queries for a period (one day, a week, a month) and hand
back plain lists of dicts (shape in :func:`period_report_data`). Opening the database is
:mod:`mediamon.store.duckdb`; the alerts table is :mod:`mediamon.store.alerts`.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from mediamon.store.duckdb import _dicts, _tz_name, sql

__all__ = ["period_report_data", "REPORT_TABLES"]

# the tables of the report data, in the order the exports list them
REPORT_TABLES = ("coverage", "topics", "trends", "share_of_voice", "top_stories", "outlets", "source_health",
                 "stories", "articles")


def period_report_data(con: duckdb.DuckDBPyConnection, start: date, end: date, tz: str = "UTC", *,
                       trend_days: int = 30, top_stories: int = 5) -> dict:
    """Report data for the days ``start``..``end`` (inclusive, calendar days in ``tz``, the report zone).

    Returns ``{"period": {"start", "end", "trend_start": 'YYYY-MM-DD', "days": int}, "summary": {...},``
    and one list of dicts per table of :data:`REPORT_TABLES`:

    - ``coverage``: per source x topic (``topic_id`` '' = all), columns of ``daily_coverage`` (``sql/report_period_coverage.sql``)
    - ``topics``: per tracked topic: articles, unique_stories, mentions, positive/neutral/negative, mean_sentiment, mean_topic_sentiment
    - ``trends``: per topic and day over ``trend_days`` days ending on ``end`` (or the whole period when longer):
      articles, ma7, ma28, change, baseline (median of the 28 days before), baseline_mad, spike_score (robust z)
    - ``share_of_voice``: comparison_set, topic_id, topic_name, articles, share (fraction of the set)
    - ``top_stories``: per topic the ``top_stories`` largest: rank, story_id, title, url, placements, outlets,
      original_source, first_published_at, wire, sources
    - ``outlets``: per known source: articles, unique_stories, originals, copies, topic_placements, sentiment split, mean
    - ``source_health``: per known source: feed_polls, feed_errors, requests, fetch_errors, extraction_failures,
      articles, baseline (median articles/day over the 28 days before ``start``), silent, error_rate
    - ``stories``: story_id, size, sources, title, first_published_at, syndication (largest first)
    - ``articles``: every article, most prominent first (story size, topics, mentions, time), with ``copies``

    Times come back in ``tz``. Raises ValueError for ``end < start``, an unknown zone or ``trend_days < 1``.
    """
    if end < start:
        raise ValueError(f"report period ends ({end}) before it starts ({start})")
    if trend_days < 1:
        raise ValueError(f"trend_days must be at least 1, got {trend_days}")
    con.execute(sql("session_timezone"), {"tz": _tz_name(tz)})
    days = (end - start).days + 1
    trend_start = min(start, end - timedelta(days=trend_days - 1))
    p = {"start": start, "end": end}
    out = {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "trend_start": trend_start.isoformat(), "days": days},
        "summary": _dicts(con.execute(sql("report_period_summary"), p))[0],
        "coverage": _dicts(con.execute(sql("report_period_coverage"), p)),
        "topics": _dicts(con.execute(sql("report_topics"), p)),
        "trends": _dicts(con.execute(sql("report_trends"), {"trend_start": trend_start, "end": end})),
        "share_of_voice": _dicts(con.execute(sql("report_share_of_voice"), p)),
        "top_stories": _dicts(con.execute(sql("report_top_stories"), {**p, "top_n": top_stories})),
        "outlets": _dicts(con.execute(sql("report_outlets"), p)),
        "source_health": _dicts(con.execute(sql("report_source_health"), p)),
        "stories": _dicts(con.execute(sql("report_period_stories"), p)),
        "articles": _dicts(con.execute(sql("report_period_articles"), p)),
    }
    return out
