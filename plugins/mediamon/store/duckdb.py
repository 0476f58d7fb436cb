"""DuckDB storage: the only module that opens the database.

DuckDB allows one writing process per file, so the pipeline opens it for writing only
from tasks in the 1-slot Airflow pool ``mediamon_duckdb`` (and from the CLI, which runs
stages one after another). :func:`connect` retries while another process holds the lock.

Every SQL statement lives in ``mediamon/sql/<name>.sql``, package data shipped in the wheel (the
repository's top-level ``sql`` is a symlink to it; ``$MEDIAMON_SQL_DIR`` overrides the directory),
and is loaded by name with :func:`sql`; values go in as named parameters (``$name``). Bulk writes
register the batch as an Arrow table under a fixed view name (:func:`_rows_view`) and insert
``FROM`` it, so a batch is a fixed number of statements whatever its size (DuckDB list parameters
and ``executemany`` cost about 0.3 ms per value/row; an Arrow scan is zero-copy).
Exceptions: transactions use the connection's ``begin``/``commit``/``rollback``;
the fts extension is loaded with ``DuckDBPyConnection.load_extension(path)`` (``LOAD`` takes no
parameters).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from mediamon.records import ArticleRecord, FetchLogRow, SentimentRow, StoryRow, TopicMatchRow

log = logging.getLogger("mediamon.store")

# Directory of the .sql files: $MEDIAMON_SQL_DIR, else the package data (a pathlib.Path for an
# installed or editable package, an importlib Traversable otherwise).
SQL_DIR = Path(os.environ["MEDIAMON_SQL_DIR"]) if os.environ.get("MEDIAMON_SQL_DIR") else resources.files("mediamon") / "sql"


class StoreError(RuntimeError):
    """The database could not be opened or a write failed (message names the file)."""


def sql(name: str) -> str:
    """Return the text of ``<SQL_DIR>/<name>.sql`` (see :data:`SQL_DIR`).
    Raises FileNotFoundError naming the path."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"SQL file not found: {path}")
    return path.read_text(encoding="utf-8")


def _as_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v)


def _arrow_table(rows: Sequence[dict], names: Sequence[str]):
    """Columns ``names`` of ``rows`` (missing keys = NULL) as a ``pyarrow.Table``. Each column's
    type is inferred from its values; a column mixing types (e.g. ISO text and ``datetime``)
    goes in as text, which the INSERT casts to the target column type like a bound parameter."""
    import pyarrow as pa

    cols = {}
    for c in names:
        vals = [r.get(c) for r in rows]
        try:
            cols[c] = pa.array(vals)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            cols[c] = pa.array([_as_text(v) for v in vals], pa.string())
    return pa.table(cols)


@contextlib.contextmanager
def _rows_view(con: duckdb.DuckDBPyConnection, view: str, rows: Sequence[dict], names: Sequence[str]) -> Iterator[None]:
    """Expose ``rows`` (columns ``names``) to the SQL run in the block as the view ``view``."""
    con.register(view, _arrow_table(rows, names))
    try:
        yield
    finally:
        con.unregister(view)


_TABLE_KEY = re.compile(r"^\s*PRIMARY KEY\s*\([^)]*\)\s*$")
_INLINE_KEY = re.compile(r"\s+(?:PRIMARY KEY|UNIQUE)\b")
_TRAILING_COMMA = re.compile(r",(\s*(?:--.*)?)$")


def ducklake_ddl(ddl: str) -> str:
    """``schema.sql`` for the DuckLake store, which has no PRIMARY KEY/UNIQUE constraints: a table's
    ``PRIMARY KEY (...)`` line is dropped (with the comma before it), an inline ``PRIMARY KEY``
    becomes ``NOT NULL`` and an inline ``UNIQUE`` goes; everything else is kept as written, so the
    two stores always declare the same tables and columns (docs/ducklake.md: uniqueness is kept by
    the writes under advisory locks)."""
    out: list[str] = []
    for line in ddl.splitlines():
        if _TABLE_KEY.match(line):
            for i in range(len(out) - 1, -1, -1):  # the last code line before it loses its comma
                if out[i].strip() and not out[i].lstrip().startswith("--"):
                    out[i] = _TRAILING_COMMA.sub(r"\1", out[i], count=1)
                    break
            continue
        code, sep, comment = line.partition("--")
        if "PRIMARY KEY" in code or "UNIQUE" in code:
            code = _INLINE_KEY.sub(lambda m: "" if "UNIQUE" in m.group() or "NOT NULL" in code else " NOT NULL", code)
        out.append(code + sep + comment)
    return "\n".join(out) + "\n"


def ensure_schema(con: duckdb.DuckDBPyConnection, *, ddl_name: str = "schema") -> bool:
    """Apply ``schema.sql`` (``ddl_name='schema_ducklake'``: as :func:`ducklake_ddl` makes it for the DuckLake store) then ``views.sql``
    unless this database already has it: the ``schema_version`` table records the sha1 of each applied
    schema text (both files), so a new database or a changed schema file runs the (idempotent) DDL once,
    and every other connection only runs one small query. Returns True when the DDL ran."""
    ddl = ducklake_ddl(sql("schema")) if ddl_name == "schema_ducklake" else sql("schema")
    views = sql("views")  # analytics views over the tables (CREATE OR REPLACE VIEW)
    digest = hashlib.sha1((ddl + views).encode("utf-8")).hexdigest()
    try:
        if con.execute(sql("schema_version_check"), {"schema_sha1": digest}).fetchone()[0]:
            return False
    except duckdb.CatalogException:  # no schema_version table: new database, or one from before it existed
        pass
    con.execute(ddl)
    con.execute(views)
    con.execute(sql("schema_version_mark"), {"schema_sha1": digest})
    return True


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
        con.execute(sql("session_timezone"), {"tz": "UTC"})  # TIMESTAMPTZ values come back in UTC, whatever the machine's zone
        if not read_only:
            ensure_schema(con)
        con.begin()
        yield con
        con.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            con.rollback()
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
    con.load_extension(str(found[0]))


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write the WAL into the database file and reclaim the space of deleted rows (``CHECKPOINT``;
    the store maintenance of the DuckDB file). Commits the open transaction first (CHECKPOINT
    cannot run inside one) and opens a new one, as :func:`connect` expects."""
    con.commit()
    con.execute(sql("checkpoint"))
    con.begin()


def build_fts_index(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the BM25 full-text index over articles(title, text)."""
    load_fts(con)
    con.execute(sql("fts_index"))


# --------------------------------------------------------------------------- writes

def upsert_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[Any]) -> None:
    """Insert or update the configured outlets (``config.Source`` objects)."""
    now = datetime.now(timezone.utc)
    q = sql("sources_upsert")
    for s in sources:  # a handful of configured outlets: one statement each keeps "last one wins" for repeated ids
        con.execute(q, {"source_id": s.id, "name": s.name, "homepage": s.homepage, "language": s.language,
                        "country": s.country, "feeds": list(s.feeds), "updated_at": now})


def ensure_sources(con: duckdb.DuckDBPyConnection, source_ids: Iterable[str]) -> None:
    """Insert a placeholder ``sources`` row (name = id) for ids not configured, e.g. the hosts
    of an imported WARC file, so reports can join every article to a source."""
    ids = list(source_ids)
    if ids:
        con.execute(sql("sources_ensure"), {"source_ids": ids})


def upsert_topics(con: duckdb.DuckDBPyConnection, topics: Sequence[Any]) -> None:
    """Insert or update the tracked topics (``config.Topic`` objects)."""
    q = sql("topics_upsert")
    for t in topics:  # a handful of configured topics, as upsert_sources
        con.execute(q, {"topic_id": t.id, "name": t.name, "query": t.query or json.dumps(t.terms, ensure_ascii=False)})


def config_stale(con: duckdb.DuckDBPyConnection, sources: Sequence[Any], topics: Sequence[Any], source_ids: Iterable[str]) -> bool:
    """True when a configured outlet (``config.Source``) or topic (``config.Topic``) is not stored as
    :func:`upsert_sources`/:func:`upsert_topics` would write it, or one of ``source_ids`` has no
    ``sources`` row: the upserts would change something. One read, no write (writers of a DuckLake
    skip the upserts, and the lock they take, when nothing changed)."""
    src = [{"source_id": s.id, "name": s.name, "homepage": s.homepage, "language": s.language, "country": s.country,
            "feeds": list(s.feeds)} for s in sources]
    top = [{"topic_id": t.id, "name": t.name, "query": t.query or json.dumps(t.terms, ensure_ascii=False)} for t in topics]
    ids = [{"source_id": i} for i in dict.fromkeys(source_ids)]
    with (_rows_view(con, "source_rows", src, ("source_id", "name", "homepage", "language", "country", "feeds")),
          _rows_view(con, "source_id_rows", ids, ("source_id",)),
          _rows_view(con, "topic_rows", top, ("topic_id", "name", "query"))):
        return con.execute(sql("config_stale")).fetchone()[0] > 0


FETCH_LOG_COLUMNS = tuple(f.name for f in fields(FetchLogRow))


def replace_fetch_log(con: duckdb.DuckDBPyConnection, run_id: str, rows: Iterable[dict]) -> int:
    """Replace the ``fetch_log`` rows of ``run_id`` with ``rows`` (dicts keyed by
    :data:`FETCH_LOG_COLUMNS`; missing keys are NULL; ``run_id`` is always the argument).
    Idempotent per run; all rows go in with one statement. Returns the count."""
    rows = list(rows)
    con.execute(sql("fetch_log_delete_run"), {"run_id": run_id})
    if rows:
        with _rows_view(con, "fetch_log_rows", rows, FETCH_LOG_COLUMNS[1:]):
            con.execute(sql("fetch_log_insert"), {"run_id": run_id})
    return len(rows)


ARTICLE_COLUMNS = tuple(f.name for f in fields(ArticleRecord))


def upsert_articles(con: duckdb.DuckDBPyConnection, records: Iterable[dict]) -> dict[str, int]:
    """Insert articles or update them by canonical URL.

    ``records``: dicts with the :data:`ARTICLE_COLUMNS` keys (``article_id`` derived from
    ``canonical_url`` when absent; ``credits``/``methods`` dicts are stored as JSON).
    An existing article whose content hash changed is archived into ``article_versions``
    and its ``version`` bumped; an unchanged one only updates metadata (re-extraction).
    ``article_id``, ``url`` (where it was first discovered) and ``first_seen_at`` of an
    existing row are kept. Returns counts ``{"inserted", "updated", "new_versions"}``.

    Set-based: the batch is staged (Arrow table ``article_rows``) into the temp table ``article_batch``,
    then a fixed number of statements archive, merge and replace (``sql/article_batch_*.sql``).
    A canonical URL repeated within ``records`` gives the same result as applying the records
    one by one: its k-th occurrence goes into the k-th round of staging (the last one wins,
    earlier ones count as inserted/updated and may leave archived versions).
    Raises duckdb errors (e.g. a NOT NULL column missing) and leaves the transaction to roll back.
    """
    rounds: list[list[dict]] = []
    seen: dict[str, int] = {}
    for rec in records:
        r = dict(rec)
        r.setdefault("article_id", article_id_for(r["canonical_url"]))
        for k in ("credits", "methods"):
            if isinstance(r.get(k), (dict, list)):
                r[k] = json.dumps(r[k], ensure_ascii=False)
        r.setdefault("version", 1)
        r.setdefault("first_seen_at", r["fetched_at"])
        k = seen.get(r["canonical_url"], 0)
        seen[r["canonical_url"]] = k + 1
        if k == len(rounds):
            rounds.append([])
        rounds[k].append(r)
    counts = {"inserted": 0, "updated": 0, "new_versions": 0}
    if not rounds:
        return counts
    for batch in rounds:
        con.execute(sql("article_batch_create"))
        with _rows_view(con, "article_rows", batch, ARTICLE_COLUMNS):
            con.execute(sql("article_batch_fill"))
        inserted, updated, new_versions = con.execute(sql("article_batch_counts")).fetchone()
        counts["inserted"] += inserted
        counts["updated"] += updated
        counts["new_versions"] += new_versions
        for step in ("article_batch_archive", "article_batch_keep_stored", "article_batch_delete_stored", "article_batch_insert"):
            con.execute(sql(step))
    con.execute(sql("article_batch_drop"))
    return counts


def record_takedown(con: duckdb.DuckDBPyConnection, canonical_url: str, status: int, fetched_at: datetime) -> bool:
    """Record that a stored article now answers ``status`` (404/410) as a new version row.
    Returns True when the article exists."""
    old = con.execute(sql("article_by_url"), {"canonical_url": canonical_url}).fetchone()
    if old is None:
        return False
    con.execute(sql("takedown_insert"), {"article_id": old[0], "version": old[1] + 1, "status": status, "fetched_at": fetched_at})
    return True


def known_urls(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, dict]:
    """For the given canonical/discovered URLs, the stored ones:
    ``{url: {"article_id", "first_seen_at", "fetched_at"}}`` (matches on canonical_url or url)."""
    if not urls:
        return {}
    with _rows_view(con, "url_rows", [{"url": u} for u in urls], ("url",)):
        rows = con.execute(sql("known_urls")).fetchall()
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
    with _rows_view(con, "url_rows", [{"url": u} for u in dict.fromkeys(urls)], ("url",)):
        rows = con.execute(sql("fetch_history")).fetchall()
    return {u: {"attempts": int(n), "runs": r, "outcome": o, "status": st, "skip_reason": sr, "fetched_at": fa,
                "capped": bool(cap)}
            for u, n, r, o, st, sr, fa, cap in rows}


def refresh_candidates(con: duckdb.DuckDBPyConnection, since: datetime) -> list[dict]:
    """Stored articles first seen at or after ``since``: ``[{source_id, canonical_url,
    first_seen_at, fetched_at}]`` (the caller applies the refresh schedule)."""
    return _dicts(con.execute(sql("refresh_candidates"), {"since": since}))


def articles_to_enrich(con: duckdb.DuckDBPyConnection, *, run_id: str | None = None, days: Sequence[date] | None = None) -> list[dict]:
    """Articles loaded by ``run_id`` or published on one of ``days``, as dicts with
    article_id, source_id, title, text, language, published_at, fetched_at, content_hash, minhash, day,
    canonical_url."""
    return _dicts(con.execute(sql("enrich_by_run_or_days"), {"run_id": run_id, "days": list(days) if days else None}))


def articles_without_sentiment(con: duckdb.DuckDBPyConnection, languages: Sequence[str]) -> list[dict]:
    """Stored articles in one of ``languages`` that have no ``article_sentiment`` row (e.g. a
    previous enrichment failed), same shape as :func:`articles_to_enrich`."""
    return _dicts(con.execute(sql("enrich_without_sentiment"), {"languages": list(languages)}))


def articles_in_window(con: duckdb.DuckDBPyConnection, start_day: date, end_day: date) -> list[dict]:
    """Articles with ``start_day <= day <= end_day`` (for story clustering), same shape as
    :func:`articles_to_enrich`."""
    return _dicts(con.execute(sql("enrich_window"), {"start_day": start_day, "end_day": end_day}))


SENTIMENT_COLUMNS = tuple(f.name for f in fields(SentimentRow))


def replace_sentiment(con: duckdb.DuckDBPyConnection, rows: Sequence[dict]) -> None:
    """Write ``article_sentiment`` rows (article_id, label, score, method, version, n_sentences),
    replacing any stored row of the same article; ``computed_at`` = now (UTC). Two rows for one
    article: the last one wins. Two statements whatever the number of rows.
    Raises KeyError when a row lacks article_id, label, score, method or version."""
    if not rows:
        return
    latest = {r["article_id"]: {c: r[c] for c in SENTIMENT_COLUMNS[:5]} | {"n_sentences": r.get("n_sentences")} for r in rows}
    now = datetime.now(timezone.utc)
    with _rows_view(con, "sentiment_rows", list(latest.values()), SENTIMENT_COLUMNS[:-1]):
        con.execute(sql("sentiment_delete"))
        con.execute(sql("sentiment_insert"), {"computed_at": now})


TOPIC_MATCH_COLUMNS = tuple(f.name for f in fields(TopicMatchRow))


def replace_topics(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], rows: Sequence[dict]) -> None:
    """Replace the topic matches of ``article_ids`` with ``rows`` (article_id, topic_id,
    matched_terms, mentions, sentiment_label, sentiment_score, sentiment_method), one delete and
    one insert statement. Raises KeyError when a row lacks article_id or topic_id, and a duckdb
    ConstraintException for two rows with the same (article_id, topic_id)."""
    if article_ids:
        with _rows_view(con, "topic_article_ids", [{"article_id": a} for a in article_ids], ("article_id",)):
            con.execute(sql("article_topics_delete"))
    if rows:
        data = [{"article_id": r["article_id"], "topic_id": r["topic_id"], "matched_terms": list(r.get("matched_terms") or []),
                 **{c: r.get(c) for c in TOPIC_MATCH_COLUMNS[3:]}} for r in rows]
        with _rows_view(con, "topic_rows", data, TOPIC_MATCH_COLUMNS):
            con.execute(sql("article_topics_insert"))


STORY_COLUMNS = tuple(f.name for f in fields(StoryRow))


def replace_stories(con: duckdb.DuckDBPyConnection, rows: Sequence[dict]) -> None:
    """Write ``article_stories`` rows (article_id, story_id, exact_duplicate_of, story_size),
    replacing the stored rows of those articles; one delete and one insert statement.
    Raises KeyError when a row lacks article_id or story_id."""
    if not rows:
        return
    data = [{"article_id": r["article_id"], "story_id": r["story_id"], **{c: r.get(c) for c in STORY_COLUMNS[2:]}} for r in rows]
    with _rows_view(con, "story_rows", data, STORY_COLUMNS):
        con.execute(sql("article_stories_delete"))
        con.execute(sql("article_stories_insert"))


def _tz_name(tz: str) -> str:
    """Validate an IANA zone name (raises ValueError naming it) before it is set as the session zone."""
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
    """Everything the daily report shows for ``day`` (shape documented in mediamon.report.render.render_report):
    keys summary, coverage, sentiment, stories, articles. Times are returned in the IANA
    zone ``tz`` (the report timezone)."""
    p = {"day": day}
    con.execute(sql("session_timezone"), {"tz": _tz_name(tz)})
    return {
        "summary": _dicts(con.execute(sql("report_summary"), p))[0],
        "coverage": _dicts(con.execute(sql("report_coverage"), p)),
        "sentiment": _dicts(con.execute(sql("report_sentiment"), p)),
        "stories": _dicts(con.execute(sql("report_stories"), p)),
        "articles": _dicts(con.execute(sql("report_articles"), p)),
    }


def run_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """fetch_log outcomes of one run: ``{outcome: count}``."""
    return dict(con.execute(sql("run_counts"), {"run_id": run_id}).fetchall())
