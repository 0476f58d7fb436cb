"""DuckLake storage: the article tables in a DuckLake (catalog in PostgreSQL, Parquet data files in a
directory or an S3-compatible bucket), opened through DuckDB with the ``ducklake`` and ``postgres``
extensions loaded offline from their PyPI wheels (``duckdb-extension-ducklake``,
``duckdb-extension-postgres``; nothing is downloaded at run time).

The statements are the DuckDB file's (:mod:`mediamon.store.duckdb` runs them on a connection whose
default catalog is the lake), except the DDL: DuckLake has no PRIMARY KEY/UNIQUE constraints, so
``store.duckdb.ducklake_ddl`` makes ``schema.sql`` into the same tables without them, and every write is written so that it
needs none (MERGE or ``NOT EXISTS`` instead of ``ON CONFLICT``).

Several processes may write at once (https://ducklake.select/docs/stable/duckdb/advanced_features/conflict_resolution):
DuckLake retries a commit by itself when the changes do not conflict, and fails it when they do (two
snapshots deleting from one table, or one inserting into a table the other deleted from). Two
concurrent inserts of the same key never conflict, so uniqueness by canonical URL or article id is
ours to keep: :func:`transact` takes PostgreSQL advisory locks (one per named key, e.g. an article
host) *before* the lake transaction reads anything (DuckLake takes the snapshot at the first read), and
reruns the unit of work on a fresh snapshot when the commit fails with a conflict.
Exceptions to "every statement is a parameterised .sql file": ATTACH takes no parameters, so
``lake_attach.sql``/``lake_lock_attach.sql`` get quoted literals (:func:`_literal`); extensions are
loaded with ``DuckDBPyConnection.load_extension(path)``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from mediamon.store.duckdb import StoreError, ensure_schema, sql

log = logging.getLogger("mediamon.store.ducklake")

T = TypeVar("T")

LAKE = "lake"            # the lake's catalog name in every connection (lake_attach.sql)
LOCK_BUCKETS = 4096      # keys of one namespace map to at most this many advisory locks


@dataclass(frozen=True)
class LakeConfig:
    """Where the lake is. ``catalog``: what follows ``ducklake:`` in ATTACH (``postgres:<libpq
    DSN>``; ``$VAR`` already expanded); ``data_path``: a directory or ``s3://bucket/prefix/``;
    ``max_retries``/``retry_wait_s``: reruns after a commit conflict (wait doubles each time, +
    jitter); ``s3_*``: the S3-compatible store of an ``s3://`` data path (keys from
    ``$MEDIAMON_S3_KEY_ID``/``$MEDIAMON_S3_SECRET``)."""

    catalog: str
    data_path: str
    max_retries: int = 10
    retry_wait_s: float = 0.1
    s3_endpoint: str | None = None
    s3_region: str | None = None
    s3_url_style: str | None = None
    s3_use_ssl: bool = True

    @property
    def postgres_dsn(self) -> str | None:
        """The libpq DSN of a ``postgres:`` catalog (also used for the advisory locks), else None."""
        return self.catalog[len("postgres:"):] if self.catalog.startswith("postgres:") else None

    def describe(self) -> str:
        """The catalog without its password, for messages."""
        return self.redact(f"ducklake:{self.catalog} (data {self.data_path})")

    def redact(self, text: str) -> str:
        """``text`` (e.g. a DuckDB or libpq error, which quotes the whole DSN) with every
        ``password=...`` value and the catalog's password itself replaced by ``***``."""
        import re

        out = re.sub(r"password\s*=\s*('[^']*'|\S+)", "password=***", str(text))
        m = re.search(r"password\s*=\s*('[^']*'|[^\s\"]+)", self.catalog)
        secret = m.group(1).strip("'") if m else ""
        return out.replace(secret, "***") if len(secret) >= 3 else out


class ConflictError(StoreError):
    """A unit of work still conflicted with other writers after ``max_retries`` reruns."""


def _literal(s: str) -> str:
    """``s`` as a SQL string literal (single quotes doubled)."""
    return "'" + s.replace("'", "''") + "'"


def wheel_extension(package: str, name: str) -> Path:
    """Path of DuckDB extension ``name`` (its internal name, e.g. ``postgres_scanner``) shipped in the
    PyPI wheel ``package`` (module name, e.g. ``duckdb_extension_postgres``) for this DuckDB version.

    DuckDB calls ``<file stem>_duckdb_cpp_init`` on load, and the postgres wheel names its file
    ``postgres.duckdb_extension`` although the extension is ``postgres_scanner``: a file whose stem
    differs from ``name`` is exposed through a symlink ``<tmp>/mediamon-duckdb-ext-<uid>/v<ver>/<name>.duckdb_extension``.
    Raises StoreError naming the package when it is not installed or has no file for this version."""
    import importlib

    try:
        mod = importlib.import_module(package)
    except ImportError as e:
        raise StoreError(f"the DuckLake store needs the {package.replace('_', '-')} package (pip install it; "
                         f"it ships the extension for duckdb {duckdb.__version__})") from e
    base = Path(list(mod.__path__)[0]) / "extensions"
    found = sorted(base.glob(f"v{duckdb.__version__}/**/*.duckdb_extension"))
    if not found:
        raise StoreError(f"{package}: no extension file for duckdb {duckdb.__version__} under {base}")
    path = found[0]
    if path.stem == name:
        return path
    link_dir = Path(tempfile.gettempdir()) / f"mediamon-duckdb-ext-{os.getuid()}" / f"v{duckdb.__version__}"
    link_dir.mkdir(parents=True, exist_ok=True)
    link = link_dir / f"{name}.duckdb_extension"
    if not (link.is_symlink() and os.readlink(link) == str(path)):
        tmp = link_dir / f".{name}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(path)
        os.replace(tmp, link)  # atomic: concurrent processes agree on the link
    return link


def _load_extensions(con: duckdb.DuckDBPyConnection, s3: bool) -> None:
    con.execute(sql("lake_no_autoinstall"))
    con.load_extension(str(wheel_extension("duckdb_extension_postgres", "postgres_scanner")))
    con.load_extension(str(wheel_extension("duckdb_extension_ducklake", "ducklake")))
    if s3:
        con.load_extension(str(wheel_extension("duckdb_extension_httpfs", "httpfs")))


def lock_id(key: str) -> int:
    """The PostgreSQL advisory lock (a signed 64-bit id) of a key ``namespace:value``: the namespace
    and one of :data:`LOCK_BUCKETS` buckets of the value, from sha1 (so a run touching thousands of hosts
    takes at most that many locks)."""
    ns, _, value = key.partition(":")
    h_ns = int.from_bytes(hashlib.sha1(ns.encode()).digest()[:4], "big") & 0x7FFFFFFF
    bucket = int.from_bytes(hashlib.sha1(value.encode()).digest()[:4], "big") % LOCK_BUCKETS
    return (h_ns << 32) | bucket


_INSTANCES: dict[tuple, duckdb.DuckDBPyConnection] = {}   # (pid, lake, read_only) -> DuckDB with the lake attached
_SCHEMA_DONE: set[tuple] = set()
_INSTANCES_LOCK = threading.Lock()


def _instance(lake: LakeConfig, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """This process's in-memory DuckDB with the extensions loaded and the lake attached as ``lake``,
    made once and reused: loading the extensions and attaching cost about a second (measured on the
    CI box), far more than a unit of work. Sessions are cursors of it (own transaction each)."""
    key = (os.getpid(), lake, read_only)
    with _INSTANCES_LOCK:
        con = _INSTANCES.get(key)
        if con is None:
            con = _INSTANCES[key] = _open(lake, read_only=read_only)
        return con


def _open(lake: LakeConfig, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB with the lake attached as ``lake`` (and the catalog's PostgreSQL as ``mm_lock``)."""
    s3 = lake.data_path.startswith("s3://")
    data_path = lake.data_path if s3 else str(Path(lake.data_path))
    if not s3 and not read_only:
        Path(data_path).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        _load_extensions(con, s3)
        if s3:
            con.execute(sql("lake_s3_secret"), {
                "key_id": os.environ.get("MEDIAMON_S3_KEY_ID", ""), "secret": os.environ.get("MEDIAMON_S3_SECRET", ""),
                "endpoint": lake.s3_endpoint or "s3.amazonaws.com", "region": lake.s3_region or "us-east-1",
                "url_style": lake.s3_url_style or "vhost", "use_ssl": lake.s3_use_ssl})
        if lake.postgres_dsn:
            con.execute(sql("lake_lock_attach").format(dsn=_literal(lake.postgres_dsn)))
        text = sql("lake_attach_read_only") if read_only else sql("lake_attach")
        # the first ATTACH of a new lake creates the catalog tables: two processes doing it at once
        # collide in PostgreSQL ("duplicate key ... pg_type"), so attaching is one process at a time
        with _locked(con, lake, ["attach:catalog"]):
            con.execute(text.format(uri=_literal("ducklake:" + lake.catalog), data_path=_literal(data_path.rstrip("/") + "/")))
    except duckdb.Error as e:
        con.close()
        raise StoreError(f"cannot open {lake.describe()}: {lake.redact(e)}") from None  # the DSN's password never in logs
    return con


def _session(lake: LakeConfig, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A new connection (cursor) to the process's lake instance: lake as default catalog, UTC, retry settings."""
    base = _instance(lake, read_only=read_only)
    con = base.cursor()
    try:
        con.execute(sql("lake_use"))
        con.execute(sql("session_timezone"), {"tz": "UTC"})
        con.execute(sql("lake_retry_settings"), {"retries": lake.max_retries})
    except duckdb.Error as e:
        con.close()
        raise StoreError(f"cannot open {lake.describe()}: {lake.redact(e)}") from None
    return con


def _is_conflict(e: BaseException) -> bool:
    """A DuckLake commit conflict with another writer (worth a rerun), not a statement that can
    never run (a binder or parser error whose text merely mentions a conflict target)."""
    if not isinstance(e, duckdb.Error) or isinstance(e, (duckdb.BinderException, duckdb.ParserException,
                                                         duckdb.CatalogException)):
        return False
    msg = str(e).lower()
    return "conflict" in msg or ("could not commit" in msg and "snapshot" in msg)


@contextlib.contextmanager
def _locked(con: duckdb.DuckDBPyConnection, lake: LakeConfig, keys: Sequence[str]) -> Iterator[None]:
    """Hold the advisory locks of ``keys`` (sorted ids: no deadlock between writers) in a transaction
    of their own on the catalog's PostgreSQL, released when the block ends. No-op without keys or
    without a PostgreSQL catalog (one writer only)."""
    ids = sorted({lock_id(k) for k in keys})
    if not ids or not lake.postgres_dsn:
        yield
        return
    cur = con.cursor()  # same database instance, own transaction (and own PostgreSQL connection)
    try:
        cur.begin()
        for i in ids:
            cur.execute(sql("lake_lock"), {"lock_id": i}).fetchall()
        yield
    finally:
        with contextlib.suppress(duckdb.Error):
            cur.rollback()  # ends the PostgreSQL transaction: the xact locks go with it
        cur.close()


@contextlib.contextmanager
def connect(lake: LakeConfig, *, read_only: bool = False, locks: Sequence[str] = ()) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction on the lake (schema applied when writing), holding the advisory locks of
    ``locks`` from before its first read until after its commit. Commits on normal exit, rolls
    back on an exception. Raises StoreError naming the lake when it cannot be opened; a commit
    conflict raises the duckdb error (see :func:`transact` to rerun)."""
    t0 = time.perf_counter()
    con = _session(lake, read_only=read_only)
    try:
        t1 = time.perf_counter()
        with _locked(con, lake, locks):
            t2 = time.perf_counter()
            if not read_only and (os.getpid(), lake) not in _SCHEMA_DONE:
                _ensure_lake_schema(con)
                _SCHEMA_DONE.add((os.getpid(), lake))
            con.begin()
            try:
                yield con
                t3 = time.perf_counter()
                con.commit()
                log.debug("lake unit: open %.3f s, locks %s %.3f s, work %.3f s, commit %.3f s", t1 - t0, list(locks)[:3],
                          t2 - t1, t3 - t2, time.perf_counter() - t3)
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    con.rollback()
                raise
    finally:
        con.close()


def _ensure_lake_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The DuckLake DDL (``ducklake_ddl(schema.sql)``) once per lake (keyed by its sha1, as :func:`store.ensure_schema`); two
    processes creating it at once conflict on the table names: the loser retries and finds it done."""
    for attempt in range(10):
        try:
            con.begin()  # one snapshot for the whole schema (no reader sees half of it)
            ensure_schema(con, ddl_name="schema_ducklake")
            con.commit()
            return
        except duckdb.Error as e:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            if not _is_conflict(e) or attempt == 9:
                raise
            time.sleep(0.05 * (attempt + 1))


def transact(lake: LakeConfig, work: Callable[[duckdb.DuckDBPyConnection], T], *, locks: Sequence[str] = (),
             on_retry: Callable[[int, BaseException], None] | None = None) -> T:
    """Run ``work(con)`` as one unit of work (:func:`connect` with ``locks``); when the commit fails
    with a DuckLake conflict, run it again on a fresh snapshot, up to ``lake.max_retries`` times,
    waiting ``retry_wait_s * 2**attempt`` seconds (+ up to 50 % jitter) in between. ``work`` must be
    re-runnable (it is: everything it wrote was rolled back). Returns its result. Raises
    :class:`ConflictError` after the last retry, and any other error at once."""
    import random

    attempt = 0
    while True:
        try:
            with connect(lake, locks=locks) as con:
                return work(con)
        except duckdb.Error as e:
            if not _is_conflict(e):
                raise
            if attempt >= lake.max_retries:
                raise ConflictError(f"{lake.describe()}: still conflicting after {attempt} retries: {lake.redact(e)}") from None
            if on_retry:
                on_retry(attempt, e)
            log.info("DuckLake commit conflict (attempt %d), retrying: %s", attempt + 1, str(e).splitlines()[0][:200])
            time.sleep(lake.retry_wait_s * (2 ** min(attempt, 6)) * (1 + random.random() / 2))
            attempt += 1


# --------------------------------------------------------------------------- maintenance

def maintain(lake: LakeConfig, *, older_than_s: float) -> dict:
    """DuckLake maintenance (https://ducklake.select/docs/stable/duckdb/maintenance/recommended_maintenance):
    merge adjacent small data files (``ducklake_merge_adjacent_files``), expire snapshots older than
    ``older_than_s`` seconds (``ducklake_expire_snapshots``; time travel before that is gone), then
    delete the files no snapshot needs any more (``ducklake_cleanup_old_files``, same age) and
    orphaned files (``ducklake_delete_orphaned_files``). Each step commits on its own (they conflict
    with concurrent deletes, and are simply rerun next time). Returns counts
    ``{"snapshots_before", "snapshots_after", "data_files_before", "data_files_after", "merged",
    "expired", "files_deleted"}``."""
    with connect(lake, read_only=False, locks=("maintenance:lake",)) as con:
        before = con.execute(sql("lake_counts")).fetchone()
    out = {"snapshots_before": before[0], "data_files_before": before[1]}
    older = f"{int(older_than_s)} seconds"

    def step(text: str, **params) -> int:
        def work(con):
            return len(con.execute(text, params).fetchall())
        return transact(lake, work, locks=("maintenance:lake",))

    out["merged"] = step(sql("lake_merge_files"))
    out["expired"] = step(sql("lake_expire_snapshots"), older_than=older)
    out["files_deleted"] = (step(sql("lake_cleanup_files"), older_than=older)
                            + step(sql("lake_delete_orphans"), older_than=older))
    with connect(lake, read_only=False) as con:
        after = con.execute(sql("lake_counts")).fetchone()
    out.update(snapshots_after=after[0], data_files_after=after[1])
    return out
