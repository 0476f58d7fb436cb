"""DuckDB storage of stories: band keys, placements, merges, the ``stories`` table and links.

The incremental clustering (:func:`mediamon.enrichment.update_stories`) reads candidates and the
stored articles they name, then writes one run's assignment with :func:`write_story_assignment`.
Every statement is a file in ``mediamon/sql/`` (``story_*.sql``, ``stories_*.sql``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import duckdb

from mediamon.store.duckdb import _dicts, _rows_view, sql

__all__ = ["clustered_stories", "story_candidates", "story_members", "write_story_assignment",
           "refresh_stories", "resolve_story", "story_detail", "write_story_links", "link_candidates", "write_entities",
           "write_lines", "common_lines"]


def _ids(article_ids: Sequence[str]) -> list[dict]:
    return [{"article_id": a} for a in dict.fromkeys(article_ids)]


def _span(rows: Sequence[dict], window_days: int) -> tuple:
    days = [r["day"] for r in rows]
    return min(days) - timedelta(days=window_days), max(days) + timedelta(days=window_days)


def clustered_stories(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> dict[str, str]:
    """``{article_id: story_id}`` of those of ``article_ids`` already assigned by the incremental
    clustering (``clustered_at`` set)."""
    if not article_ids:
        return {}
    with _rows_view(con, "story_article_rows", _ids(article_ids), ("article_id",)):
        return dict(con.execute(sql("story_clustered")).fetchall())


def story_candidates(con: duckdb.DuckDBPyConnection, bands: Sequence[dict], window_days: int) -> list[tuple[str, str]]:
    """Stored articles sharing a band key with a new one within ``window_days`` days:
    ``[(new_id, stored_id)]``. ``bands``: dicts ``{article_id, key (int64), day (date)}``. One
    hash join (the new keys are the small side); see ``sql/story_candidates.sql``."""
    if not bands:
        return []
    with _rows_view(con, "new_band_rows", bands, ("article_id", "key", "day")):
        lo, hi = _span(bands, window_days)
        return [tuple(r) for r in con.execute(sql("story_candidates"),
                                              {"window_days": int(window_days), "lo": lo, "hi": hi}).fetchall()]


def story_members(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> list[dict]:
    """Stored articles of ``article_ids`` with a placement row: dicts with article_id, story_id,
    first_seen (of the story, UTC, None before the stories table was filled), text, content_hash,
    published_at, fetched_at."""
    if not article_ids:
        return []
    with _rows_view(con, "story_article_rows", _ids(article_ids), ("article_id",)):
        return _dicts(con.execute(sql("story_members")))


def refresh_stories(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]) -> None:
    """Rebuild the ``stories`` rows of ``story_ids`` from their placements and set the
    placements' ``story_size`` (a story without placements loses its row)."""
    if not story_ids:
        return
    with _rows_view(con, "story_id_rows", [{"story_id": s} for s in dict.fromkeys(story_ids)], ("story_id",)):
        con.execute(sql("stories_delete"))
        con.execute(sql("stories_insert"))
        con.execute(sql("story_size_update"))


def write_story_assignment(con: duckdb.DuckDBPyConnection, rows: Sequence[dict], bands: Sequence[dict],
                           merges: Sequence[tuple[str, str, str]], touched: Sequence[str], *, run_id: str | None = None,
                           now: datetime | None = None) -> None:
    """Write one run's assignment: placement ``rows`` (article_id, story_id, exact_duplicate_of,
    story_size) replace those articles' rows and are marked clustered; their ``bands``
    (article_id, key, day) replace their stored keys; ``merges`` ``[(merged, kept, bridging_article)]``
    move the merged stories' placements to the kept id and are recorded in ``story_merges``; then
    the ``stories`` rows of ``touched`` (and the merged ones) are rebuilt. A fixed number of
    statements. Raises duckdb errors (the caller's transaction rolls back)."""
    now = now or datetime.now(timezone.utc)
    if rows:
        data = [{"article_id": r["article_id"], "story_id": r["story_id"], "exact_duplicate_of": r.get("exact_duplicate_of"),
                 "story_size": r.get("story_size", 1)} for r in rows]
        with _rows_view(con, "story_rows", data, ("article_id", "story_id", "exact_duplicate_of", "story_size")):
            con.execute(sql("article_stories_delete"))
            con.execute(sql("story_assign_insert"), {"now": now})
        with _rows_view(con, "story_article_rows", _ids([r["article_id"] for r in rows]), ("article_id",)):
            con.execute(sql("story_bands_delete"))
    if bands:
        with _rows_view(con, "new_band_rows", bands, ("article_id", "key", "day")):
            con.execute(sql("story_bands_insert"))
    if merges:
        mrows = [{"merged_story_id": m, "story_id": k, "bridging_article_id": b} for m, k, b in merges]
        with _rows_view(con, "merge_rows", mrows, ("merged_story_id", "story_id", "bridging_article_id")):
            con.execute(sql("story_merges_apply"))
            con.execute(sql("story_merges_follow"))
            con.execute(sql("story_merges_insert"), {"now": now, "run_id": run_id})
            con.execute(sql("story_links_repoint"))
    refresh_stories(con, list(touched) + [m for m, _, _ in merges])


def write_story_links(con: duckdb.DuckDBPyConnection, links: Sequence[dict]) -> None:
    """Upsert ``story_links`` rows (story_id_a < story_id_b, kind, confidence 0..1)."""
    if links:
        with _rows_view(con, "link_rows", links, ("story_id_a", "story_id_b", "kind", "confidence")):
            con.execute(sql("story_links_insert"))


def resolve_story(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """The current story id of ``key``: a story id (merged ids followed), an article id, or a
    canonical/discovered URL; None when nothing matches."""
    row = con.execute(sql("story_resolve"), {"key": key}).fetchone()
    return row[0] if row else None


def story_detail(con: duckdb.DuckDBPyConnection, story_id: str) -> dict | None:
    """``{"story": stories row, "placements": [rows with text, earliest first], "links": [...]}``
    for ``story_id``, or None when it has no stories row."""
    rows = _dicts(con.execute(sql("story_row"), {"story_id": story_id}))
    if not rows:
        return None
    return {"story": rows[0], "placements": _dicts(con.execute(sql("story_placement_texts"), {"story_id": story_id})),
            "links": _dicts(con.execute(sql("story_links_of"), {"story_id": story_id}))}


def link_candidates(con: duckdb.DuckDBPyConnection, entities: Sequence[dict], window_days: int, min_shared: int) -> list[tuple[str, str]]:
    """Stored articles in another language within ``window_days`` sharing at least ``min_shared``
    fingerprint tokens with a new article: ``[(new_id, stored_id)]``. ``entities``: dicts
    ``{token, article_id, day, language}``."""
    if not entities:
        return []
    with _rows_view(con, "entity_rows", entities, ("token", "article_id", "day", "language")):
        lo, hi = _span(entities, window_days)
        rows = con.execute(sql("story_link_candidates"), {"window_days": int(window_days), "min_shared": int(min_shared),
                                                          "lo": lo, "hi": hi}).fetchall()
    return [(n, s) for n, s, _ in rows]


def write_entities(con: duckdb.DuckDBPyConnection, entities: Sequence[dict]) -> None:
    """Replace the stored fingerprint tokens of the articles in ``entities`` (token, article_id, day, language)."""
    if entities:
        with _rows_view(con, "entity_rows", entities, ("token", "article_id", "day", "language")):
            con.execute(sql("story_entities_delete"))
            con.execute(sql("story_entities_insert"))


def write_lines(con: duckdb.DuckDBPyConnection, lines: Sequence[dict]) -> None:
    """Replace the stored body line hashes of the articles in ``lines`` (source_id, line_hash, article_id)."""
    if lines:
        with _rows_view(con, "line_rows", lines, ("source_id", "line_hash", "article_id")):
            con.execute(sql("story_lines_delete"))
            con.execute(sql("story_lines_insert"))


def common_lines(con: duckdb.DuckDBPyConnection, lines: Sequence[dict], min_articles: int) -> set[tuple[str, int]]:
    """Those of the ``(source_id, line_hash)`` in ``lines`` (dicts) stored for at least
    ``min_articles`` articles of that source: ``{(source_id, line_hash)}``."""
    if not lines:
        return set()
    with _rows_view(con, "line_rows", lines, ("source_id", "line_hash", "article_id")):
        return {(s, h) for s, h in con.execute(sql("story_common_lines"), {"min_articles": int(min_articles)}).fetchall()}
