"""Coverage analytics in DuckDB: the daily tables built for a range of days, and the queries of the
analytics views (``sql/views.sql``; docs/analytics.md).

Two tables are materialised per day, idempotently (delete the range, insert it again):
``daily_coverage`` (day x outlet x topic, with all-outlet rows ``source_id = ''``) and
``daily_source_stats`` (day x configured outlet: feed polls, items, articles stored, errors). The
views ``topic_trends``, ``share_of_voice``, ``top_stories``, ``source_health`` and ``story_facts``
read them (and ``articles``) on demand, so a query is SQL any user can run in the DuckDB shell too
(the cookbook, ``sql/README.md``).

Query functions return a ``pyarrow.Table`` (typed columns: ``day`` DATE, counts INTEGER/BIGINT,
means DOUBLE, flags BOOLEAN); :func:`as_rows` turns one into a list of dicts. Dates are calendar
days in the report timezone; ``start`` and ``end`` are inclusive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import duckdb

from mediamon.store.duckdb import _rows_view, _tz_name, sql

__all__ = [
    "TREND_HISTORY_DAYS", "analytics_data", "as_rows", "build_analytics", "build_daily_coverage", "build_source_stats",
    "coverage", "replace_comparison_sets", "share_of_voice", "source_health", "top_stories", "topic_trends",
]

# Days of history a day's trend figures need: 28 baseline days before it (topic_trends, source_health)
# plus the day itself; a report rebuilds this many days so that late articles count.
TREND_HISTORY_DAYS = 35


def _range(start: date, end: date | None) -> dict:
    end = start if end is None else end
    if end < start:
        raise ValueError(f"date range {start.isoformat()}..{end.isoformat()}: end is before start")
    return {"start": start, "end": end}


def _set_tz(con: duckdb.DuckDBPyConnection, tz: str | None) -> None:
    if tz is not None:
        con.execute(sql("session_timezone"), {"tz": _tz_name(tz)})


def build_daily_coverage(con: duckdb.DuckDBPyConnection, start: date, end: date | None = None) -> int:
    """Rebuild ``daily_coverage`` for the days ``start..end`` (inclusive; ``end`` None = one day):
    delete them, then ``sql/daily_coverage.sql`` (all-outlet rows ``source_id = ''`` included; a
    story counts in ``unique_stories`` once per topic, on its first day, earlier days before
    ``start`` included). Idempotent. Returns the number of rows written.
    Raises ValueError when ``end`` is before ``start``."""
    p = _range(start, end)
    con.execute(sql("daily_coverage_delete"), p)
    con.execute(sql("daily_coverage"), p)
    return con.execute(sql("daily_coverage_count"), p).fetchone()[0]


def build_source_stats(con: duckdb.DuckDBPyConnection, start: date, end: date | None = None, tz: str | None = None) -> int:
    """Rebuild ``daily_source_stats`` for the days ``start..end``: one row per configured source
    (table ``sources``) and day, zeros included. ``tz``: IANA zone whose calendar days group the
    ``fetch_log`` times (the report timezone; None = the session's, UTC after ``connect``).
    Idempotent. Returns the number of rows written. Raises ValueError for an unknown zone or an
    ``end`` before ``start``."""
    p = _range(start, end)
    _set_tz(con, tz)
    con.execute(sql("daily_source_stats_delete"), p)
    con.execute(sql("daily_source_stats"), p)
    return con.execute(sql("daily_source_stats_count"), p).fetchone()[0]


def build_analytics(con: duckdb.DuckDBPyConnection, start: date, end: date | None = None, tz: str | None = None) -> dict[str, int]:
    """Rebuild both daily tables for ``start..end`` (see :func:`build_daily_coverage`,
    :func:`build_source_stats`). Returns ``{"daily_coverage": rows, "daily_source_stats": rows}``."""
    return {"daily_coverage": build_daily_coverage(con, start, end),
            "daily_source_stats": build_source_stats(con, start, end, tz)}


def replace_comparison_sets(con: duckdb.DuckDBPyConnection, sets: Mapping[str, Sequence[str]]) -> int:
    """Replace the ``comparison_sets`` table with ``sets`` (``{set name: [topic id, ...]}``, the
    settings' ``comparison_sets``). Returns the number of (set, topic) rows."""
    rows = [{"set_name": name, "topic_id": t} for name, topics in sets.items() for t in dict.fromkeys(topics)]
    con.execute(sql("comparison_sets_delete"))
    if rows:
        with _rows_view(con, "comparison_set_rows", rows, ("set_name", "topic_id")):
            con.execute(sql("comparison_sets_insert"))
    return len(rows)


def _arrow(con: duckdb.DuckDBPyConnection, query: str, params: dict):
    return con.execute(query, params).to_arrow_table()


def coverage(con: duckdb.DuckDBPyConnection, start: date, end: date | None = None):
    """``daily_coverage`` rows of ``start..end`` as a ``pyarrow.Table`` (columns day, source_id,
    topic_id, articles, unique_stories, mentions, mean_sentiment, positive, neutral, negative,
    mean_topic_sentiment, share_of_voice), ordered by day, source, topic."""
    return _arrow(con, sql("analytics_coverage"), _range(start, end))


def topic_trends(con: duckdb.DuckDBPyConnection, start: date, end: date | None = None):
    """``topic_trends`` rows of ``start..end`` (zero-filled series with 7/28-day means, day-over-day
    change, robust spike score; see ``sql/views.sql``) as a ``pyarrow.Table``. The baseline uses
    the 28 built days before each day, so build at least :data:`TREND_HISTORY_DAYS` days."""
    return _arrow(con, sql("analytics_trends"), _range(start, end))


def share_of_voice(con: duckdb.DuckDBPyConnection, start: date, end: date | None = None):
    """``share_of_voice`` rows whose period (day, ISO week) starts in ``start..end`` as a
    ``pyarrow.Table`` (period, period_start, set_name, source_id, topic_id, articles,
    set_articles, share, mentions, set_mentions, mention_share)."""
    return _arrow(con, sql("analytics_share_of_voice"), _range(start, end))


def top_stories(con: duckdb.DuckDBPyConnection, start: date, end: date | None = None, *, limit: int = 10):
    """The ``limit`` largest stories per topic and day of ``start..end`` (view ``top_stories``:
    rank, story_id, placements, day_outlets, copies, outlets, first_seen, headline, original
    article/outlet/URL, wire_source) as a ``pyarrow.Table``. Raises ValueError for ``limit`` < 1."""
    if limit < 1:
        raise ValueError(f"top_stories limit must be >= 1, got {limit}")
    return _arrow(con, sql("analytics_top_stories"), _range(start, end) | {"limit": limit})


def source_health(con: duckdb.DuckDBPyConnection, start: date, end: date | None = None):
    """``source_health`` rows of ``start..end`` (per configured outlet and day: counts, the
    outlet's 28-day baseline, flags silent / empty_feed / feed_rotated / errors_above_baseline)
    as a ``pyarrow.Table``."""
    return _arrow(con, sql("analytics_source_health"), _range(start, end))


def analytics_data(con: duckdb.DuckDBPyConnection, day: date, *, days: int = 30, tz: str | None = None,
                   top: int = 10) -> dict:
    """What a daily report shows about ``day`` and the ``days`` days up to it (inclusive), as
    ``pyarrow.Table`` values: ``coverage`` (the day), ``trends`` (the ``days`` days),
    ``share_of_voice`` (periods starting in those days), ``top_stories`` (the day, ``top`` per
    topic), ``source_health`` (the day). ``tz``: session zone for returned times (None = keep).
    Reads only; build the tables first (:func:`build_analytics`). Raises ValueError for
    ``days`` < 1."""
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days}")
    _set_tz(con, tz)
    first = day - timedelta(days=days - 1)
    return {
        "coverage": coverage(con, day),
        "trends": topic_trends(con, first, day),
        "share_of_voice": share_of_voice(con, first, day),
        "top_stories": top_stories(con, day, limit=top),
        "source_health": source_health(con, day),
    }


def as_rows(table) -> list[dict]:
    """A ``pyarrow.Table`` as a list of dicts (one per row; DATE -> ``datetime.date``)."""
    return table.to_pylist()
