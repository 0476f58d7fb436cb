"""Store functions of versioned topics: which topic definition is in force, the articles a
topic backfill re-matches (a page at a time), and the replacement of one topic's matches.
Used by :mod:`mediamon.topicsync` through :class:`mediamon.ports.StoreSession`. SQL in ``sql/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import duckdb

from mediamon.store.duckdb import TOPIC_MATCH_COLUMNS, _dicts, _rows_view, sql

__all__ = ["latest_article_day", "topic_versions_in_force", "record_topic_version", "articles_for_topic_match", "replace_topic_matches",
           "coverage_days_since", "topic_version_history"]


def latest_article_day(con: duckdb.DuckDBPyConnection, today: date) -> date | None:
    """The newest stored article ``day`` not after ``today`` (None: no article)."""
    return con.execute(sql("articles_latest_day"), {"today": today}).fetchone()[0]


def topic_versions_in_force(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """``{topic_id: version}`` of the newest applied version of every topic ever applied."""
    return dict(con.execute(sql("topic_versions_in_force")).fetchall())


def record_topic_version(con: duckdb.DuckDBPyConnection, *, topic_id: str, version: str, definition: str,
                         applied_at: datetime, backfill_since: date | None, articles_scanned: int, matches: int,
                         reason: str) -> None:
    """Insert one ``topic_versions`` row (``applied_at`` aware UTC; ``reason``: new | changed | rerun)."""
    con.execute(sql("topic_versions_insert"), {
        "topic_id": topic_id, "version": version, "definition": definition, "applied_at": applied_at,
        "backfill_since": backfill_since, "articles_scanned": articles_scanned, "matches": matches, "reason": reason})


def articles_for_topic_match(con: duckdb.DuckDBPyConnection, *, since: date | None, after: str | None,
                             limit: int) -> list[dict]:
    """Up to ``limit`` stored articles with ``day >= since`` (None: all) and ``article_id > after``
    (None: from the first), in article_id order: dicts with article_id, source_id, title, text,
    language, day, canonical_url. Page through with ``after`` = the last id returned."""
    return _dicts(con.execute(sql("topic_match_articles"), {"since": since, "after": after, "limit": limit}))


def replace_topic_matches(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], topic_ids: Sequence[str],
                          rows: Sequence[dict]) -> None:
    """Replace the ``article_topics`` rows of ``topic_ids`` for ``article_ids`` by ``rows``
    (columns :data:`mediamon.store.TOPIC_MATCH_COLUMNS`); other topics' rows stay. Raises a duckdb
    ConstraintException for two rows with the same (article_id, topic_id)."""
    if article_ids and topic_ids:
        with _rows_view(con, "topic_article_ids", [{"article_id": a} for a in article_ids], ("article_id",)):
            con.execute(sql("article_topics_delete_for_topics"), {"topic_ids": list(topic_ids)})
    if rows:
        data = [{"article_id": r["article_id"], "topic_id": r["topic_id"], "matched_terms": list(r.get("matched_terms") or []),
                 **{c: r.get(c) for c in TOPIC_MATCH_COLUMNS[3:]}} for r in rows]
        with _rows_view(con, "topic_rows", data, TOPIC_MATCH_COLUMNS):
            con.execute(sql("article_topics_insert"))


def coverage_days_since(con: duckdb.DuckDBPyConnection, since: date | None) -> list[date]:
    """Days from ``since`` on (None: all) that have ``daily_coverage`` rows, ascending."""
    return [r[0] for r in con.execute(sql("daily_coverage_days_since"), {"since": since}).fetchall()]


def topic_version_history(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every applied topic version, newest first (topic_id, version, applied_at, backfill_since,
    articles_scanned, matches, reason)."""
    return _dicts(con.execute(sql("topic_versions_history")))
