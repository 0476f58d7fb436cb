"""Site boilerplate counts in DuckDB: line sightings per source and the learned line set.

Table ``source_line_seen`` (``sql/schema.sql``): one row per (source, line key, article);
see :mod:`mediamon.extract.siteboiler` for the keys and the rule. SQL in
``sql/site_lines_*.sql``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

import duckdb

from mediamon.extract.siteboiler import MIN_ARTICLES, MIN_SHARE, WINDOW_DAYS, line_keys
from mediamon.store.duckdb import _rows_view, sql

__all__ = ["learn_site_lines", "learned_site_lines", "record_site_lines"]

_LINE_COLUMNS = ("source_id", "line_key", "article_id", "seen_at")


def record_site_lines(con: duckdb.DuckDBPyConnection, articles: Iterable[tuple[str, str, str, datetime]], *,
                      window_days: int = WINDOW_DAYS) -> int:
    """Count the body lines of ``articles`` (tuples ``(source_id, article_id, text, fetched_at)``,
    ``fetched_at`` aware UTC) into ``source_line_seen``, then prune sightings older than
    ``window_days`` days before each touched source's latest one. Returns the number of
    (line, article) rows offered. Raises duckdb errors (the caller's transaction rolls back)."""
    rows, sources = [], set()
    for source_id, article_id, text, fetched_at in articles:
        sources.add(source_id)
        ts = fetched_at.isoformat() if isinstance(fetched_at, datetime) else str(fetched_at)
        rows.extend({"source_id": source_id, "line_key": k, "article_id": article_id, "seen_at": ts}
                    for k in line_keys(text))
    if rows:
        with _rows_view(con, "line_rows", rows, _LINE_COLUMNS):
            con.execute(sql("site_lines_insert"))
    if sources:
        con.execute(sql("site_lines_prune"), {"source_ids": sorted(sources), "window_days": window_days})
    return len(rows)


def learn_site_lines(con: duckdb.DuckDBPyConnection, source_ids: Sequence[str], *, window_days: int = WINDOW_DAYS) -> int:
    """Backfill ``source_line_seen`` from the stored articles of those ``source_ids`` that
    have no sightings yet (a database from before this table, or a source loaded for the
    first time). Returns the number of articles read."""
    ids = sorted(set(source_ids))
    if not ids:
        return 0
    known = {r[0] for r in con.execute(sql("site_lines_known_sources"), {"source_ids": ids}).fetchall()}
    todo = [s for s in ids if s not in known]
    if not todo:
        return 0
    stored = con.execute(sql("site_lines_stored_articles"), {"source_ids": todo}).fetchall()
    record_site_lines(con, stored, window_days=window_days)
    return len(stored)


def learned_site_lines(con: duckdb.DuckDBPyConnection, source_ids: Sequence[str], *, min_articles: int = MIN_ARTICLES,
                       min_share: float = MIN_SHARE, window_days: int = WINDOW_DAYS) -> dict[str, frozenset[str]]:
    """The learned boilerplate line keys per source: ``{source_id: frozenset(line_key)}`` for
    the ``source_ids`` (a source with none learned is absent). Rule and defaults:
    :func:`mediamon.extract.siteboiler.is_boilerplate` (seen on >= ``min_articles`` distinct
    articles and >= ``min_share`` of the source's articles within ``window_days`` days)."""
    ids = sorted(set(source_ids))
    if not ids:
        return {}
    out: dict[str, set[str]] = {}
    params = {"source_ids": ids, "min_articles": min_articles, "min_share": min_share, "window_days": window_days}
    for source_id, key, _n_seen, _n_articles in con.execute(sql("site_lines_learned"), params).fetchall():
        out.setdefault(source_id, set()).add(key)
    return {k: frozenset(v) for k, v in out.items()}
