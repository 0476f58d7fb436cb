"""The DuckLake store (``store: ducklake``) on a throwaway PostgreSQL catalog (tests/pgserver.py):
the same stages give the same rows as the DuckDB file; several writer processes load and enrich at
once with nothing lost or duplicated and every snapshot consistent; maintenance compacts.

Skips (with the reason) only when no PostgreSQL cluster can be started here."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import write_demo_config
import lakeworker
import pgserver

HERE = Path(__file__).resolve().parent
_db_counter = itertools.count()


@pytest.fixture(scope="module")
def pg():
    try:
        cluster = pgserver.start_cluster()
    except pgserver.Unavailable as e:
        pytest.skip(f"no PostgreSQL cluster for the DuckLake catalog: {e}")
    yield cluster
    cluster.stop()


@pytest.fixture()
def catalog(pg):
    """A fresh catalog database: ``postgres:<DSN>`` as settings.ducklake.catalog takes it."""
    return "postgres:" + pg.create_database(f"lake{os.getpid()}_{next(_db_counter)}")


def _lake_rows(cdir, query: str, params=None) -> list[tuple]:
    from mediamon import stages
    from mediamon.runtime import build_runtime

    rt = build_runtime(stages.load_config(str(cdir)))
    with rt.store.session() as s:
        return s.con.execute(query, params or {}).fetchall()


def test_settings_choose_the_store(tmp_path, catalog):
    from mediamon import stages
    from mediamon.config import ConfigError
    from mediamon.runtime import DuckDBStore, DuckLakeStore, build_runtime

    cdir = lakeworker.write_config(tmp_path, catalog, 1)
    rt = build_runtime(stages.load_config(str(cdir)))
    assert isinstance(rt.store, DuckLakeStore)
    assert rt.store.lake.catalog == catalog and rt.store.lake.data_path == str(tmp_path / "lake")
    plain = lakeworker.write_config(tmp_path / "plain", None, 1)
    assert isinstance(build_runtime(stages.load_config(str(plain))).store, DuckDBStore)
    bad = tmp_path / "bad"
    lakeworker.write_config(bad, None, 1)
    s = yaml.safe_load((bad / "config" / "settings.yaml").read_text())
    (bad / "config" / "settings.yaml").write_text(yaml.safe_dump({**s, "store": "ducklake"}))
    with pytest.raises(ConfigError, match="ducklake"):
        stages.load_config(str(bad / "config"))


def _tables(read) -> dict:
    q = {
        "articles": "SELECT canonical_url, source_id, title, content_hash, version, day::VARCHAR, language FROM articles ORDER BY 1",
        "versions": "SELECT article_id, version, status FROM article_versions ORDER BY ALL",
        "sentiment": "SELECT article_id, label, round(score, 6), method FROM article_sentiment ORDER BY 1",
        "topics": "SELECT article_id, topic_id, mentions FROM article_topics ORDER BY 1, 2",
        "stories": "SELECT article_id, story_id, exact_duplicate_of, story_size FROM article_stories ORDER BY 1",
        "coverage": "SELECT day::VARCHAR, source_id, topic_id, articles, unique_stories, positive, neutral, negative, "
                    "round(share_of_voice, 6) FROM daily_coverage ORDER BY ALL",
        "sources": "SELECT source_id, name FROM sources ORDER BY 1",
        "fetch_kinds": "SELECT kind, outcome, count(*) FROM fetch_log GROUP BY ALL ORDER BY ALL",
    }
    return {k: read(v) for k, v in q.items()}


def test_the_stages_give_the_same_rows_on_ducklake_as_on_the_duckdb_file(tmp_path, demo_site, catalog, capsys):
    import duckdb

    from mediamon import stages

    file_cdir = write_demo_config(tmp_path / "file", demo_site)
    lake_cdir = write_demo_config(tmp_path / "lake", demo_site)
    s = yaml.safe_load((lake_cdir / "settings.yaml").read_text())
    s.update(store="ducklake", ducklake={"catalog": catalog, "data_path": str(tmp_path / "lake" / "parquet")})
    (lake_cdir / "settings.yaml").write_text(yaml.safe_dump(s))

    out_file = stages.run("2022-02-02", str(file_cdir), run_id="r1")
    out_lake = stages.run("2022-02-02", str(lake_cdir), run_id="r1")
    assert out_lake["load"]["inserted"] == out_file["load"]["inserted"] > 0
    assert out_lake["report"]["coverage_rows"] == out_file["report"]["coverage_rows"] > 0

    con = duckdb.connect(str(tmp_path / "file" / "data" / "mediamon.duckdb"), read_only=True)
    want = _tables(lambda q: con.execute(q).fetchall())
    con.close()
    got = _tables(lambda q: _lake_rows(lake_cdir, q))
    assert got == want
    assert len(got["articles"]) > 5 and got["stories"] and got["sentiment"]
    assert list(tmp_path.joinpath("lake", "parquet").rglob("*.parquet"))  # data files in the directory, not the catalog

    # the CLI summary reads the lake (read-only attach) and says what it says on the file
    from mediamon.cli import main

    capsys.readouterr()
    assert main(["--config", str(file_cdir), "summary", "--date", "2022-02-02"]) == 0
    on_file = capsys.readouterr().out
    assert main(["--config", str(lake_cdir), "summary", "--date", "2022-02-02"]) == 0
    assert capsys.readouterr().out == on_file and on_file.strip()

    # a second run on the lake updates in place: same rows, no duplicates (upsert without PRIMARY KEY)
    stages.run("2022-02-02", str(lake_cdir), run_id="r2")
    again = _tables(lambda q: _lake_rows(lake_cdir, q))
    assert {k: v for k, v in again.items() if k != "fetch_kinds"} == {k: v for k, v in got.items() if k != "fetch_kinds"}
    assert _lake_rows(lake_cdir, "SELECT count(*) - count(DISTINCT canonical_url) FROM articles") == [(0,)]


def _spawn(cdir: Path, worker: int, n: int, shared: int, go: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / "lakeworker.py"), str(cdir), str(worker), str(n), str(shared), "1", str(go)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_several_writer_processes_load_and_enrich_at_once(tmp_path, catalog):
    n_workers, n, shared, sharing = 4, 40, 12, 2  # writers w0, w1 also upsert the same `shared` URLs
    cdir = lakeworker.write_config(tmp_path, catalog, n_workers)
    go = tmp_path / "go"
    procs = [_spawn(cdir, w, n, shared if w < sharing else 0, go) for w in range(n_workers)]
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    expected = n_workers * (n + 1) + shared  # own articles + one wire copy each + the shared ones once
    q = lambda sql: _lake_rows(cdir, sql)  # noqa: E731
    # nothing lost, nothing duplicated
    assert q("SELECT count(*), count(DISTINCT canonical_url), count(DISTINCT article_id) FROM articles") == [(expected,) * 3]
    assert q("SELECT count(*), count(DISTINCT article_id) FROM article_sentiment") == [(expected, expected)]
    assert q("SELECT count(*), count(DISTINCT article_id) FROM article_stories") == [(expected, expected)]
    assert q("SELECT count(*) - count(DISTINCT (article_id, topic_id)) FROM article_topics") == [(0,)]
    assert q("SELECT count(*), count(DISTINCT source_id) FROM sources") == [(n_workers + 1, n_workers + 1)]
    assert q("SELECT count(*), count(DISTINCT topic_id) FROM topics") == [(1, 1)]
    logged = {f"w{w}": n + 1 + (shared if w < sharing else 0) for w in range(n_workers)}
    assert dict(q("SELECT run_id, count(*) FROM fetch_log GROUP BY 1")) == logged
    # every writer's own articles are there, each loaded once by its own run
    for w in range(n_workers):
        assert q(f"SELECT count(*) FROM articles WHERE source_id = 'w{w}'") == [(n + 1,)]
    assert sum(r["load"]["inserted"] for r in results) == expected  # each shared URL inserted by exactly one writer
    assert sum(r["load"]["updated"] for r in results) == shared * (sharing - 1)
    # the wire copies (one per writer, same text) form one story whoever clustered last
    wire = q("SELECT DISTINCT story_id, story_size FROM article_stories JOIN articles USING (article_id) "
             "WHERE canonical_url LIKE '%/wire/ap-banjir.html'")
    assert len(wire) == 1 and wire[0][1] == n_workers

    # snapshots consistent: at every snapshot no duplicate, counts never shrink, each run all-or-nothing
    snaps = [r[0] for r in q("SELECT snapshot_id FROM ducklake_snapshots('lake') ORDER BY 1")]
    assert len(snaps) >= n_workers * 3
    prev = 0
    for v in snaps:
        try:
            total, distinct = q(f"SELECT count(*), count(DISTINCT canonical_url) FROM articles AT (VERSION => {v})")[0]
        except Exception as e:  # noqa: BLE001 - the snapshot before the schema (one snapshot, all tables)
            assert "does not exist" in str(e) and v == snaps[0], (v, e)
            continue
        assert total == distinct >= prev, v
        prev = total
        runs = dict(q(f"SELECT run_id, count(*) FROM fetch_log AT (VERSION => {v}) GROUP BY 1"))
        assert all(c == logged[r] for r, c in runs.items()), (v, runs)
        sent = q(f"SELECT count(*) - count(DISTINCT article_id) FROM article_sentiment AT (VERSION => {v})")
        assert sent == [(0,)], v
    assert prev == expected
    print("conflict retries per writer:", [r["conflict_retries"] for r in results])


def test_maintenance_merges_small_files_and_expires_snapshots(tmp_path, catalog):
    from mediamon import stages

    cdir = lakeworker.write_config(tmp_path, catalog, 3)
    s = yaml.safe_load((cdir / "settings.yaml").read_text())
    s["ducklake"]["data_path"] = str(tmp_path / "lake")
    (cdir / "settings.yaml").write_text(yaml.safe_dump(s))
    cfg = stages.load_config(str(cdir))
    for w in range(3):  # three loads: three commits, each with its own small files
        stages.load(f"w{w}", str(cdir), fetched=lakeworker.stage_run(cfg, w, 30, 0, False))
    before = _lake_rows(cdir, "SELECT count(*), count(DISTINCT canonical_url), string_agg(canonical_url, ',' ORDER BY canonical_url) FROM articles")
    out = stages.maintain_store(str(cdir), older_than_s=0)
    print("maintenance:", out)
    assert out["store"] == "ducklake"
    assert out["data_files_after"] < out["data_files_before"]
    assert out["snapshots_after"] < out["snapshots_before"]
    assert _lake_rows(cdir, "SELECT count(*), count(DISTINCT canonical_url), string_agg(canonical_url, ',' ORDER BY canonical_url) FROM articles") == before
    assert before[0][0] == 90


def test_a_commit_conflict_reruns_the_unit_on_a_fresh_snapshot(tmp_path, catalog):
    """Another writer deletes from a table after this unit's snapshot and before its commit: the
    commit fails with DuckLake's conflict, :func:`store.ducklake.transact` rolls back and reruns the
    unit, which then sees the other writer's change."""
    from mediamon.store import ducklake

    lake = ducklake.LakeConfig(catalog=catalog, data_path=str(tmp_path / "lake"), max_retries=3, retry_wait_s=0.01)
    with ducklake.connect(lake) as con:  # creates the schema
        con.execute("INSERT INTO topics VALUES ('a', 'A', NULL), ('b', 'B', NULL)")
    other = ducklake._open(lake, read_only=False)  # a second writer: its own DuckDB instance
    attempts, retried = [], []

    def work(con):
        attempts.append(sorted(r[0] for r in con.execute("SELECT topic_id FROM topics").fetchall()))  # snapshot taken
        if len(attempts) == 1:
            other.execute("USE lake")
            other.execute("DELETE FROM topics WHERE topic_id = 'a'")  # commits before this unit does
        con.execute("INSERT INTO topics VALUES ('c', 'C', NULL)")
        return len(attempts)

    assert ducklake.transact(lake, work, on_retry=lambda n, e: retried.append(str(e))) == 2
    other.close()
    assert attempts == [["a", "b"], ["b"]]
    assert len(retried) == 1 and "conflict" in retried[0].lower()
    with ducklake.connect(lake, read_only=True) as con:
        assert sorted(r[0] for r in con.execute("SELECT topic_id FROM topics").fetchall()) == ["b", "c"]


def test_advisory_locks_exclude_a_second_holder(tmp_path, catalog):
    """While one unit holds ``host:x``, another connection cannot take the same lock, and can take another."""
    from mediamon.store import ducklake

    lake = ducklake.LakeConfig(catalog=catalog, data_path=str(tmp_path / "lake"))
    probe = ducklake._open(lake, read_only=False)
    try_lock = "SELECT * FROM postgres_query('mm_lock', 'SELECT pg_try_advisory_xact_lock(' || CAST($i AS BIGINT) || ')')"
    with ducklake.connect(lake, locks=["host:x.example"]):
        cur = probe.cursor()
        cur.begin()
        assert cur.execute(try_lock, {"i": ducklake.lock_id("host:x.example")}).fetchall() == [(False,)]
        assert cur.execute(try_lock, {"i": ducklake.lock_id("host:y.example")}).fetchall() == [(True,)]
        cur.rollback()
    cur = probe.cursor()
    cur.begin()
    assert cur.execute(try_lock, {"i": ducklake.lock_id("host:x.example")}).fetchall() == [(True,)]  # released at commit
    cur.rollback()
    probe.close()
    assert ducklake.lock_id("host:x.example") != ducklake.lock_id("stories:x.example")  # namespaces apart


def test_ducklake_schema_has_the_same_tables_and_columns_as_the_file_schema():
    """The DuckLake DDL is schema.sql with the key constraints taken out (DuckLake has no PRIMARY
    KEY/UNIQUE): none is left, and both, applied to an empty DuckDB database, give the same tables,
    columns, types and nullability (an inline key column stays NOT NULL)."""
    import duckdb as _duckdb

    from mediamon.store import sql as _sql
    from mediamon.store.duckdb import ducklake_ddl

    def columns(ddl: str) -> set[tuple[str, str, str]]:
        con = _duckdb.connect()
        try:
            con.execute(ddl)
            return set(con.execute("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                                   "WHERE table_schema = 'main'").fetchall())
        finally:
            con.close()

    lake = ducklake_ddl(_sql("schema"))
    assert "PRIMARY KEY" not in lake and "UNIQUE" not in lake
    file_cols, lake_cols = columns(_sql("schema")), columns(lake)
    assert len(file_cols) > 100 and file_cols == lake_cols


def test_a_catalog_that_cannot_be_reached_never_shows_its_password(tmp_path):
    """libpq's error quotes the whole DSN; the message (and the exception chain Airflow logs) must not."""
    from mediamon.store import StoreError
    from mediamon.store.ducklake import LakeConfig, connect

    lake = LakeConfig(catalog="postgres:dbname=nope host=127.0.0.1 port=9 user=x password=hunter2secret",
                      data_path=str(tmp_path / "lake"))
    with pytest.raises(StoreError) as e:
        with connect(lake):
            pass
    text = str(e.value) + repr(e.value.__cause__) + repr(e.value.__context__ if not e.value.__suppress_context__ else None)
    assert "hunter2secret" not in text and "password=***" in str(e.value)
