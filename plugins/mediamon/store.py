"""DuckDB storage: the only module that opens the database.

DuckDB allows one writing process per file, so the pipeline opens it for writing only
from tasks in the 1-slot Airflow pool ``mediamon_duckdb`` (and from the CLI, which runs
stages one after another). :func:`connect` retries while another process holds the lock.

SQL lives in ``sql/*.sql`` at the project root (``$MEDIAMON_SQL_DIR`` overrides) and is
loaded by name with :func:`sql`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from mediamon.config import PROJECT_ROOT

log = logging.getLogger("mediamon.store")

SQL_DIR = Path(os.environ.get("MEDIAMON_SQL_DIR") or PROJECT_ROOT / "sql")


class StoreError(RuntimeError):
    """The database could not be opened or a write failed (message names the file)."""


def sql(name: str) -> str:
    """Return the text of ``sql/<name>.sql``. Raises FileNotFoundError naming the path."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"SQL file not found: {path}")
    return path.read_text(encoding="utf-8")


def article_id_for(canonical_url: str) -> str:
    """Stable article id: the first 16 hex digits of sha1(canonical URL)."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]


@contextlib.contextmanager
def connect(db_path: str | Path, *, read_only: bool = False, lock_timeout_s: float = 120.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the DuckDB file ``db_path`` (created with its schema when writing).

    Waits up to ``lock_timeout_s`` seconds (polling) while another process holds the
    file lock ("Could not set lock on file"). Commits on normal exit, rolls back on an
    exception. Raises :class:`StoreError` naming the file when it cannot be opened.
    """
    db_path = Path(db_path)
    if not read_only:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    elif not db_path.exists():
        raise StoreError(f"database {db_path} does not exist yet: run the ingest first")
    deadline = time.monotonic() + lock_timeout_s
    delay = 0.2
    warned = False
    while True:
        try:
            con = duckdb.connect(str(db_path), read_only=read_only)
            break
        except duckdb.IOException as e:
            if "lock" not in str(e).lower() or time.monotonic() > deadline:
                raise StoreError(f"cannot open database {db_path}: {e}") from e
            if not warned:
                log.warning("database %s is locked by another process; waiting up to %.0f s", db_path, lock_timeout_s)
                warned = True
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)
    try:
        con.execute("SET TimeZone = 'UTC'")  # TIMESTAMPTZ values come back in UTC, whatever the machine's zone
        if not read_only:
            con.execute(sql("schema"))
        con.execute("BEGIN TRANSACTION")
        yield con
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(Exception):
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load DuckDB's full-text-search extension from the ``duckdb-extension-fts`` wheel
    (offline; DuckDB cannot download extensions here). Raises StoreError if absent."""
    try:
        import duckdb_extension_fts  # type: ignore[import-not-found]
    except ImportError as e:
        raise StoreError("full-text search needs the duckdb-extension-fts package") from e
    base = Path(list(duckdb_extension_fts.__path__)[0]) / "extensions"
    found = sorted(base.glob(f"v{duckdb.__version__}/*/fts.duckdb_extension")) + sorted(base.glob(f"v{duckdb.__version__}/fts.duckdb_extension"))
    if not found:
        raise StoreError(f"no fts extension for duckdb {duckdb.__version__} under {base}")
    con.execute(f"LOAD '{found[0]}'")


def build_fts_index(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the BM25 full-text index over articles(title, text)."""
    load_fts(con)
    con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', overwrite=1)")


# --------------------------------------------------------------------------- writes

def upsert_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[Any]) -> None:
    """Insert or update the configured outlets (``config.Source`` objects)."""
    now = datetime.now(timezone.utc)
    for s in sources:
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET "
            "name = excluded.name, homepage = excluded.homepage, language = excluded.language, "
            "country = excluded.country, feeds = excluded.feeds, updated_at = excluded.updated_at",
            [s.id, s.name, s.homepage, s.language, s.country, list(s.feeds), now],
        )


def ensure_sources(con: duckdb.DuckDBPyConnection, source_ids: Iterable[str]) -> None:
    """Insert a placeholder ``sources`` row (name = id) for ids not configured, e.g. the hosts
    of an imported WARC file, so reports can join every article to a source."""
    for sid in source_ids:
        con.execute("INSERT INTO sources (source_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING", [sid, sid])


def upsert_topics(con: duckdb.DuckDBPyConnection, topics: Sequence[Any]) -> None:
    """Insert or update the tracked topics (``config.Topic`` objects)."""
    for t in topics:
        con.execute(
            "INSERT INTO topics VALUES (?, ?, ?) ON CONFLICT (topic_id) DO UPDATE SET name = excluded.name, query = excluded.query",
            [t.id, t.name, t.query or json.dumps(t.terms, ensure_ascii=False)],
        )


FETCH_LOG_COLUMNS = (
    "run_id", "source_id", "url", "final_url", "host", "kind", "status", "outcome", "n_bytes",
    "elapsed_s", "retries", "error_class", "error", "robots", "skip_reason", "fetched_at",
    "content_type", "encoding", "replacement_chars",
)


def replace_fetch_log(con: duckdb.DuckDBPyConnection, run_id: str, rows: Iterable[dict]) -> int:
    """Replace the ``fetch_log`` rows of ``run_id`` with ``rows`` (dicts keyed by
    :data:`FETCH_LOG_COLUMNS`; missing keys are NULL). Idempotent per run. Returns the count."""
    con.execute("DELETE FROM fetch_log WHERE run_id = ?", [run_id])
    data = [[({**r, "run_id": run_id}).get(c) for c in FETCH_LOG_COLUMNS] for r in rows]
    if data:
        con.executemany(f"INSERT INTO fetch_log ({', '.join(FETCH_LOG_COLUMNS)}) VALUES ({', '.join('?' * len(FETCH_LOG_COLUMNS))})", data)
    return len(data)


ARTICLE_COLUMNS = (
    "article_id", "canonical_url", "url", "source_id", "title", "text", "authors", "editor",
    "published_at", "modified_at", "day", "language", "tags", "categories", "image", "syndication",
    "credits", "methods", "content_hash", "minhash", "n_chars", "replacement_chars", "fetched_at",
    "first_seen_at", "extractor_version", "version", "run_id",
)


def upsert_articles(con: duckdb.DuckDBPyConnection, records: Iterable[dict]) -> dict[str, int]:
    """Insert articles or update them by canonical URL.

    ``records``: dicts with the :data:`ARTICLE_COLUMNS` keys (``article_id`` derived from
    ``canonical_url`` when absent; ``credits``/``methods`` dicts are stored as JSON).
    An existing article whose content hash changed is archived into ``article_versions``
    and its ``version`` bumped; an unchanged one only updates metadata (re-extraction).
    ``first_seen_at`` of an existing row is kept. Returns counts
    ``{"inserted", "updated", "new_versions"}``.
    """
    counts = {"inserted": 0, "updated": 0, "new_versions": 0}
    for rec in records:
        r = dict(rec)
        r.setdefault("article_id", article_id_for(r["canonical_url"]))
        for k in ("credits", "methods"):
            if isinstance(r.get(k), (dict, list)):
                r[k] = json.dumps(r[k], ensure_ascii=False)
        old = con.execute(
            "SELECT article_id, content_hash, version, first_seen_at, title, text, fetched_at, url FROM articles WHERE canonical_url = ?",
            [r["canonical_url"]],
        ).fetchone()
        if old is None:
            r.setdefault("version", 1)
            r.setdefault("first_seen_at", r["fetched_at"])
            counts["inserted"] += 1
        else:
            r["article_id"] = old[0]
            r["first_seen_at"] = old[3]
            r["version"] = old[2]
            r["url"] = old[7]  # the URL it was first discovered at stays (aliases resolve to it)
            if old[1] != r["content_hash"]:
                con.execute(
                    "INSERT INTO article_versions VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [old[0], old[2], old[1], 200, old[4], old[5], old[6]],
                )
                r["version"] = old[2] + 1
                counts["new_versions"] += 1
            counts["updated"] += 1
            con.execute("DELETE FROM articles WHERE article_id = ?", [old[0]])
        con.execute(
            f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})",
            [r.get(c) for c in ARTICLE_COLUMNS],
        )
    return counts


def record_takedown(con: duckdb.DuckDBPyConnection, canonical_url: str, status: int, fetched_at: datetime) -> bool:
    """Record that a stored article now answers ``status`` (404/410) as a new version row.
    Returns True when the article exists."""
    old = con.execute("SELECT article_id, version, content_hash FROM articles WHERE canonical_url = ?", [canonical_url]).fetchone()
    if old is None:
        return False
    con.execute(
        "INSERT INTO article_versions VALUES (?, ?, ?, ?, NULL, NULL, ?) ON CONFLICT DO NOTHING",
        [old[0], old[1] + 1, None, status, fetched_at],
    )
    return True


def known_urls(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, dict]:
    """For the given canonical/discovered URLs, the stored ones:
    ``{url: {"article_id", "first_seen_at", "fetched_at"}}`` (matches on canonical_url or url)."""
    if not urls:
        return {}
    rows = con.execute(
        "SELECT u.u, a.article_id, a.first_seen_at, a.fetched_at FROM (SELECT unnest(?) AS u) u "
        "JOIN articles a ON a.canonical_url = u.u OR a.url = u.u",
        [list(urls)],
    ).fetchall()
    return {u: {"article_id": aid, "first_seen_at": fs, "fetched_at": fa} for u, aid, fs, fa in rows}


def fetch_history(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, dict]:
    """Past article fetches of ``urls`` (as logged): ``{url: {"attempts", "runs", "outcome",
    "status", "skip_reason", "fetched_at", "capped"}}``.

    ``attempts``: requests made, in-run retries included (sum of ``1 + retries`` over the
    URL's fetch_log rows); ``runs``: rows (runs) that requested it; ``outcome``, ``status``,
    ``skip_reason``, ``fetched_at`` (UTC): of the latest such row. Rows that record a decision
    not to fetch (``outcome = 'not_fetched'``) are not attempts; ``capped`` is True once a
    ``skip_reason = 'retry_cap'`` row was logged. URLs never logged are absent."""
    if not urls:
        return {}
    rows = con.execute(
        "SELECT url, "
        "coalesce(sum(1 + coalesce(retries, 0)) FILTER (WHERE outcome <> 'not_fetched'), 0), "
        "count(*) FILTER (WHERE outcome <> 'not_fetched'), "
        "arg_max_null(outcome, fetched_at) FILTER (WHERE outcome <> 'not_fetched'), "
        "arg_max_null(status, fetched_at) FILTER (WHERE outcome <> 'not_fetched'), "
        "arg_max_null(skip_reason, fetched_at) FILTER (WHERE outcome <> 'not_fetched'), "
        "max(fetched_at) FILTER (WHERE outcome <> 'not_fetched'), "
        "bool_or(coalesce(skip_reason, '') = 'retry_cap') "
        "FROM fetch_log WHERE kind = 'article' AND url IN (SELECT unnest(?)) GROUP BY url",
        [list(urls)],
    ).fetchall()
    return {u: {"attempts": int(n), "runs": r, "outcome": o, "status": st, "skip_reason": sr, "fetched_at": fa,
                "capped": bool(cap)}
            for u, n, r, o, st, sr, fa, cap in rows}


def refresh_candidates(con: duckdb.DuckDBPyConnection, since: datetime) -> list[dict]:
    """Stored articles first seen at or after ``since``: ``[{source_id, canonical_url,
    first_seen_at, fetched_at}]`` (the caller applies the refresh schedule)."""
    cur = con.execute(
        "SELECT source_id, canonical_url, first_seen_at, fetched_at FROM articles WHERE first_seen_at >= ? ORDER BY first_seen_at",
        [since],
    )
    return _dicts(cur)


_ENRICH_SELECT = ("SELECT article_id, source_id, title, text, language, published_at, fetched_at, "
                  "content_hash, minhash, day, canonical_url FROM articles")


def _enrich_rows(con: duckdb.DuckDBPyConnection, where: str, params: list) -> list[dict]:
    return _dicts(con.execute(f"{_ENRICH_SELECT} WHERE {where} ORDER BY article_id", params))


def articles_to_enrich(con: duckdb.DuckDBPyConnection, *, run_id: str | None = None, days: Sequence[date] | None = None) -> list[dict]:
    """Articles loaded by ``run_id`` or published on one of ``days``, as dicts with
    article_id, source_id, title, text, language, published_at, fetched_at, content_hash, minhash, day,
    canonical_url."""
    cond, params = [], []
    if run_id is not None:
        cond.append("run_id = ?")
        params.append(run_id)
    if days:
        cond.append("day IN (SELECT unnest(?))")
        params.append(list(days))
    return _enrich_rows(con, " OR ".join(cond) if cond else "TRUE", params)


def articles_without_sentiment(con: duckdb.DuckDBPyConnection, languages: Sequence[str]) -> list[dict]:
    """Stored articles in one of ``languages`` that have no ``article_sentiment`` row (e.g. a
    previous enrichment failed), same shape as :func:`articles_to_enrich`."""
    return _enrich_rows(con, "language IN (SELECT unnest(?)) AND article_id NOT IN (SELECT article_id FROM article_sentiment)",
                        [list(languages)])


def articles_in_window(con: duckdb.DuckDBPyConnection, start_day: date, end_day: date) -> list[dict]:
    """Articles with ``start_day <= day <= end_day`` (for story clustering), same shape as
    :func:`articles_to_enrich`."""
    return _enrich_rows(con, "day BETWEEN ? AND ?", [start_day, end_day])


def replace_sentiment(con: duckdb.DuckDBPyConnection, rows: Sequence[dict]) -> None:
    """Write ``article_sentiment`` rows (article_id, label, score, method, version, n_sentences)."""
    now = datetime.now(timezone.utc)
    for r in rows:
        con.execute("DELETE FROM article_sentiment WHERE article_id = ?", [r["article_id"]])
        con.execute(
            "INSERT INTO article_sentiment VALUES (?, ?, ?, ?, ?, ?, ?)",
            [r["article_id"], r["label"], r["score"], r["method"], r["version"], r.get("n_sentences"), now],
        )


def replace_topics(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], rows: Sequence[dict]) -> None:
    """Replace the topic matches of ``article_ids`` with ``rows`` (article_id, topic_id,
    matched_terms, mentions, sentiment_label, sentiment_score, sentiment_method)."""
    if article_ids:
        con.execute("DELETE FROM article_topics WHERE article_id IN (SELECT unnest(?))", [list(article_ids)])
    for r in rows:
        con.execute(
            "INSERT INTO article_topics VALUES (?, ?, ?, ?, ?, ?, ?)",
            [r["article_id"], r["topic_id"], list(r.get("matched_terms") or []), r.get("mentions"),
             r.get("sentiment_label"), r.get("sentiment_score"), r.get("sentiment_method")],
        )


def replace_stories(con: duckdb.DuckDBPyConnection, rows: Sequence[dict]) -> None:
    """Write ``article_stories`` rows (article_id, story_id, exact_duplicate_of, story_size)."""
    if not rows:
        return
    con.execute("DELETE FROM article_stories WHERE article_id IN (SELECT unnest(?))", [[r["article_id"] for r in rows]])
    con.executemany(
        "INSERT INTO article_stories VALUES (?, ?, ?, ?)",
        [[r["article_id"], r["story_id"], r.get("exact_duplicate_of"), r.get("story_size")] for r in rows],
    )


def build_daily_coverage(con: duckdb.DuckDBPyConnection, day: date) -> int:
    """Rebuild ``daily_coverage`` for ``day`` (delete, then ``sql/daily_coverage.sql``).
    Idempotent. Returns the number of rows written."""
    con.execute("DELETE FROM daily_coverage WHERE day = ?", [day])
    con.execute(sql("daily_coverage"), {"day": day})
    return con.execute("SELECT count(*) FROM daily_coverage WHERE day = ?", [day]).fetchone()[0]


def _tz_name(tz: str) -> str:
    """Validate an IANA zone name (raises ValueError naming it) before it goes into SQL."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(tz)
    except Exception:  # noqa: BLE001
        raise ValueError(f"unknown time zone {tz!r}") from None
    return tz


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def report_data(con: duckdb.DuckDBPyConnection, day: date, tz: str = "UTC") -> dict:
    """Everything the daily report shows for ``day`` (shape documented in report.py):
    keys summary, coverage, sentiment, stories, articles. Times are returned in the IANA
    zone ``tz`` (the report timezone)."""
    p = {"day": day}
    con.execute(f"SET TimeZone = '{_tz_name(tz)}'")
    return {
        "summary": _dicts(con.execute(sql("report_summary"), p))[0],
        "coverage": _dicts(con.execute(sql("report_coverage"), p)),
        "sentiment": _dicts(con.execute(sql("report_sentiment"), p)),
        "stories": _dicts(con.execute(sql("report_stories"), p)),
        "articles": _dicts(con.execute(sql("report_articles"), p)),
    }


def run_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """fetch_log outcomes of one run: ``{outcome: count}``."""
    return dict(con.execute("SELECT outcome, count(*) FROM fetch_log WHERE run_id = ? GROUP BY ALL ORDER BY 1", [run_id]).fetchall())
