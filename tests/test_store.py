"""DuckDB store: schema, upsert by canonical URL, versions, idempotent daily coverage."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from mediamon import store
from mediamon.config import Source, Topic


def _article(url: str, text: str, source: str = "s1", day: str = "2022-02-02", **kw) -> dict:
    return {
        "canonical_url": url, "url": url, "source_id": source, "title": kw.get("title", "T " + url),
        "text": text, "authors": ["A B"], "editor": None, "published_at": f"{day}T05:15:00+00:00",
        "modified_at": None, "day": day, "language": kw.get("language", "id"), "tags": ["x"], "categories": [],
        "image": None, "syndication": kw.get("syndication"), "credits": {"editor": "E"}, "methods": {"title": "jsonld"},
        "content_hash": str(hash(text)), "minhash": b"\x00\x01", "n_chars": len(text), "replacement_chars": 0,
        "fetched_at": kw.get("fetched_at", "2022-02-02T06:00:00+00:00"), "extractor_version": "t1", "run_id": kw.get("run_id", "r1"),
    }


@pytest.fixture()
def db(tmp_path):
    return tmp_path / "t.duckdb"


def _sources():
    return [Source(id="s1", name="One", homepage="https://one.example/", language="id", feeds=["https://one.example/rss"]),
            Source(id="s2", name="Two", homepage="https://two.example/", language="en", feeds=["https://two.example/rss"])]


def test_upsert_inserts_then_versions_on_changed_text(db):
    with store.connect(db) as con:
        c = store.upsert_articles(con, [_article("https://one.example/a", "teks pertama")])
        assert c == {"inserted": 1, "updated": 0, "new_versions": 0}
    with store.connect(db) as con:
        c = store.upsert_articles(con, [_article("https://one.example/a", "teks pertama")])
        assert c == {"inserted": 0, "updated": 1, "new_versions": 0}
        c = store.upsert_articles(con, [_article("https://one.example/a", "teks diubah", fetched_at="2022-02-03T06:00:00+00:00")])
        assert c["new_versions"] == 1
        row = con.execute("SELECT version, text, first_seen_at FROM articles").fetchone()
        assert row[0] == 2 and row[1] == "teks diubah"
        assert row[2] == datetime(2022, 2, 2, 6, tzinfo=timezone.utc)  # first_seen_at kept
        assert con.execute("SELECT version, text FROM article_versions").fetchall() == [(1, "teks pertama")]


def test_takedown_recorded_as_version(db):
    with store.connect(db) as con:
        store.upsert_articles(con, [_article("https://one.example/a", "x")])
        assert store.record_takedown(con, "https://one.example/a", 410, datetime(2022, 2, 9, tzinfo=timezone.utc))
        assert not store.record_takedown(con, "https://one.example/none", 404, datetime(2022, 2, 9, tzinfo=timezone.utc))
        assert con.execute("SELECT version, status FROM article_versions").fetchall() == [(2, 410)]


def test_fetch_log_replaced_per_run(db):
    rows = [{"url": "https://one.example/a", "outcome": "ok", "status": 200, "kind": "article"},
            {"url": "https://one.example/b", "outcome": "http_error", "status": 404, "kind": "article"}]
    with store.connect(db) as con:
        store.replace_fetch_log(con, "r1", rows)
        store.replace_fetch_log(con, "r1", rows)
        store.replace_fetch_log(con, "r2", rows[:1])
        assert store.run_counts(con, "r1") == {"http_error": 1, "ok": 1}
        assert con.execute("SELECT count(*) FROM fetch_log").fetchone()[0] == 3


def test_daily_coverage_idempotent_and_share_of_voice(db):
    with store.connect(db) as con:
        store.upsert_sources(con, _sources())
        store.upsert_topics(con, [Topic(id="ukraine", name="Ukraine", terms={"*": ["Ukraine"]})])
        arts = [_article("https://one.example/a", "a"), _article("https://one.example/b", "b"),
                _article("https://two.example/c", "c", source="s2", language="en"),
                _article("https://two.example/d", "d", source="s2", day="2022-02-03")]
        store.upsert_articles(con, arts)
        ids = [store.article_id_for(a["canonical_url"]) for a in arts]
        store.replace_sentiment(con, [
            {"article_id": ids[0], "label": "negative", "score": -0.5, "method": "m", "version": "1"},
            {"article_id": ids[1], "label": "positive", "score": 0.3, "method": "m", "version": "1"},
            {"article_id": ids[2], "label": "neutral", "score": 0.0, "method": "m", "version": "1"},
        ])
        store.replace_topics(con, ids, [
            {"article_id": ids[0], "topic_id": "ukraine", "matched_terms": ["Ukraine"], "mentions": 2, "sentiment_score": -0.7},
            {"article_id": ids[2], "topic_id": "ukraine", "matched_terms": ["Ukraine"], "mentions": 1, "sentiment_score": 0.1},
        ])
        # a and b are copies of one story
        store.replace_stories(con, [{"article_id": ids[0], "story_id": ids[0], "story_size": 2},
                                    {"article_id": ids[1], "story_id": ids[0], "story_size": 2}])
        n = store.build_daily_coverage(con, date(2022, 2, 2))
        first = con.execute("SELECT * FROM daily_coverage ORDER BY ALL").fetchall()
        assert n == 6  # (s1, ''), (s1, ukraine), (s2, ''), (s2, ukraine), all outlets: ('', ''), ('', ukraine)
        assert store.build_daily_coverage(con, date(2022, 2, 2)) == 6
        assert con.execute("SELECT * FROM daily_coverage ORDER BY ALL").fetchall() == first
        cov = {(r[1], r[2]): r for r in first}
        s1_all = cov[("s1", "")]
        assert s1_all[3:9] == (2, 1, pytest.approx(-0.1), 1, 0, 1)  # articles, unique stories, mean, +, 0, -
        assert cov[("s1", "ukraine")][9] == pytest.approx(-0.7)      # topic-targeted sentiment
        assert cov[("s1", "")][10] == pytest.approx(2 / 3)            # share of voice among all articles
        assert cov[("s2", "ukraine")][10] == pytest.approx(0.5)
        assert cov[("", "")][3:9] == (3, 2, pytest.approx(-0.2 / 3), 1, 1, 1)  # all outlets: a+b one story, c
        assert cov[("", "ukraine")][3:5] == (2, 2) and cov[("", "ukraine")][10] is None
        assert cov[("s1", "ukraine")][11] == 2 and cov[("", "ukraine")][11] == 3 and cov[("", "")][11] is None  # mentions
        data = store.report_data(con, date(2022, 2, 2))
        assert data["summary"] == {"date": "2022-02-02", "articles": 3, "sources": 2, "stories": 2, "duplicates": 1}
        assert [s["size"] for s in data["stories"]] == [2, 1]
        assert {a["url"]: a["topics"] for a in data["articles"]} == {
            "https://one.example/a": "ukraine", "https://one.example/b": None, "https://two.example/c": "ukraine"}


def test_known_urls_returns_only_stored_urls(db):
    with store.connect(db) as con:
        store.upsert_articles(con, [_article("https://one.example/a", "x")])
        assert set(store.known_urls(con, ["https://one.example/a", "https://one.example/zzz"])) == {"https://one.example/a"}


def test_read_only_connect_on_missing_db_names_file(tmp_path):
    with pytest.raises(store.StoreError, match="t.duckdb"):
        with store.connect(tmp_path / "t.duckdb", read_only=True):
            pass


def test_fts_extension_loads_offline(db):
    with store.connect(db) as con:
        store.upsert_articles(con, [_article("https://one.example/a", "Rusia dan Ukraina saling tuding", title="Krisis Ukraina"),
                                    _article("https://one.example/b", "Harga beras naik", title="Beras")])
        store.build_fts_index(con)
        hits = con.execute("SELECT title FROM (SELECT *, fts_main_articles.match_bm25(article_id, 'ukraina') AS s FROM articles) WHERE s IS NOT NULL").fetchall()
        assert hits == [("Krisis Ukraina",)]


# --------------------------------------------------------------------------- issue 9: one house for SQL

def test_schema_ddl_runs_once_per_database_and_again_when_it_changes(db, tmp_path, monkeypatch):
    with store.connect(db) as con:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1
        con.execute("DROP TABLE daily_coverage")  # if the DDL ran on every connection, it would come back
    with store.connect(db) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert "daily_coverage" not in tables and "articles" in tables
    # a changed schema.sql (here: one more comment line) is applied once more on the next connection
    sql_dir = tmp_path / "sql"
    shutil.copytree(Path(str(store.SQL_DIR)), sql_dir)
    (sql_dir / "schema.sql").write_text(store.sql("schema") + "\n-- v2\n", encoding="utf-8")
    monkeypatch.setattr(store.duckdb, "SQL_DIR", sql_dir)  # the module that reads it
    with store.connect(db) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert "daily_coverage" in tables
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 2
        assert store.ensure_schema(con) is False


def _query_count(con, fn) -> int:
    """Statements DuckDB itself logged while ``fn()`` ran (its QueryLog), not a count we keep."""
    con.execute("CALL enable_logging('QueryLog')")
    q = "SELECT count(*) FROM duckdb_logs WHERE type = 'QueryLog'"
    before = con.execute(q).fetchone()[0]
    fn()
    return con.execute(q).fetchone()[0] - before - 1


def _writes(con, n: int, round_: int) -> dict[str, int]:
    """Statements per bulk write for a batch of ``n`` rows (``round_`` 0 = fresh, 1 = re-load)."""
    arts = [_article(f"https://one.example/{i}", f"teks {i} {round_ * (i % 2)}") for i in range(n)]
    ids = [store.article_id_for(a["canonical_url"]) for a in arts]
    log = [{"url": a["url"], "outcome": "ok", "status": 200, "kind": "article", "fetched_at": "2022-02-02T06:00:00+00:00"} for a in arts]
    return {
        "ensure_sources": _query_count(con, lambda: store.ensure_sources(con, [f"s{i}" for i in range(n)])),
        "fetch_log": _query_count(con, lambda: store.replace_fetch_log(con, "r1", log)),
        "articles": _query_count(con, lambda: store.upsert_articles(con, arts)),
        "sentiment": _query_count(con, lambda: store.replace_sentiment(
            con, [{"article_id": i, "label": "neutral", "score": 0.0, "method": "m", "version": "1"} for i in ids])),
        "topics": _query_count(con, lambda: store.replace_topics(
            con, ids, [{"article_id": i, "topic_id": "t", "matched_terms": ["x"], "mentions": 1} for i in ids])),
        "stories": _query_count(con, lambda: store.replace_stories(con, [{"article_id": i, "story_id": ids[0], "story_size": n} for i in ids])),
        "known_urls": _query_count(con, lambda: store.known_urls(con, [a["url"] for a in arts])),
    }


def test_bulk_writes_take_the_same_number_of_statements_for_3_or_60_rows(tmp_path):
    counts = {}
    for n in (3, 60):
        with store.connect(tmp_path / f"{n}.duckdb") as con:
            counts[n] = [_writes(con, n, 0), _writes(con, n, 1)]
            assert con.execute("SELECT count(*), max(version) FROM articles").fetchone() == (n, 2)
            assert con.execute("SELECT count(*) FROM article_versions").fetchone()[0] == n // 2
            assert con.execute("SELECT count(*) FROM article_sentiment").fetchone()[0] == n
            assert con.execute("SELECT count(*) FROM article_topics").fetchone()[0] == n
            assert con.execute("SELECT count(*) FROM fetch_log").fetchone()[0] == n
    assert counts[3] == counts[60], counts
    assert counts[60][0]["articles"] <= 12


def test_upsert_batch_keeps_stored_fields_and_applies_repeated_urls_in_order(db):
    a, b, c = "https://one.example/a", "https://one.example/b", "https://one.example/c"
    with store.connect(db) as con:
        store.upsert_articles(con, [_article(a, "a1"), _article(b, "b1")])
        alias = dict(_article(a, "a1", fetched_at="2022-02-03T06:00:00+00:00"), url="https://one.example/a?amp=1")
        counts = store.upsert_articles(con, [
            alias,                                                                  # unchanged, seen at an alias
            _article(b, "b2", fetched_at="2022-02-03T06:00:00+00:00"),              # changed: version 2
            _article(c, "c1", fetched_at="2022-02-03T06:00:00+00:00"),              # new
            _article(c, "c2", fetched_at="2022-02-03T07:00:00+00:00", title="C2"),  # same URL again in the batch
        ])
        assert counts == {"inserted": 1, "updated": 3, "new_versions": 2}
        rows = {r[0]: r[1:] for r in con.execute(
            "SELECT canonical_url, url, version, text, title, first_seen_at, fetched_at FROM articles").fetchall()}
        t = lambda h: datetime(2022, 2, 2 if h < 0 else 3, abs(h), tzinfo=timezone.utc)  # noqa: E731
        assert rows[a] == (a, 1, "a1", "T " + a, t(-6), t(6))   # url and first_seen_at kept, fetched_at updated
        assert rows[b] == (b, 2, "b2", "T " + b, t(-6), t(6))
        assert rows[c] == (c, 2, "c2", "C2", t(6), t(7))        # last one wins, first_seen_at from the first
        assert con.execute("SELECT article_id, version, text, status FROM article_versions ORDER BY text").fetchall() == [
            (store.article_id_for(b), 1, "b1", 200), (store.article_id_for(c), 1, "c1", 200)]
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'article_batch'").fetchone()[0] == 0


def test_column_lists_match_the_schema_and_the_sql_files(db):
    import re

    with store.connect(db) as con:
        def columns(table):
            return tuple(r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall())

        # the typed records are the one place the columns are listed; the store's lists derive from them
        from mediamon import records

        for rec, table, cols in ((records.ArticleRecord, "articles", store.ARTICLE_COLUMNS),
                                 (records.FetchLogRow, "fetch_log", store.FETCH_LOG_COLUMNS),
                                 (records.SentimentRow, "article_sentiment", store.SENTIMENT_COLUMNS),
                                 (records.TopicMatchRow, "article_topics", store.TOPIC_MATCH_COLUMNS),
                                 (records.StoryRow, "article_stories", store.STORY_COLUMNS)):
            assert records.columns(rec) == columns(table), table
            assert cols == records.columns(rec), table

    def insert_lists(name):
        text = re.sub(r"--[^\n]*", "", store.sql(name))
        target = re.search(r"INSERT INTO \w+ \(([^)]*)\)", text).group(1)
        select = re.search(r"SELECT(.*?)FROM", text, re.S).group(1)
        return tuple(c.strip() for c in target.split(",")), tuple(c.strip().lstrip("$") for c in select.split(","))

    for name, cols in (("article_batch_fill", store.ARTICLE_COLUMNS), ("fetch_log_insert", store.FETCH_LOG_COLUMNS),
                       ("sentiment_insert", store.SENTIMENT_COLUMNS), ("article_topics_insert", store.TOPIC_MATCH_COLUMNS),
                       ("article_stories_insert", store.STORY_COLUMNS)):
        target, select = insert_lists(name)
        assert target == cols, name
        assert select == cols, name


def test_every_statement_is_a_sql_file():
    """No SQL text in any module of the package: every statement is a .sql file."""
    import re

    pkg = Path(store.__file__).parents[1]  # mediamon/ (store is the package mediamon/store/)
    src = "\n".join(p.read_text(encoding="utf-8") for p in sorted(pkg.rglob("*.py")))
    hits = re.findall(r"""["'](?:SELECT|INSERT|DELETE|UPDATE|CREATE|SET|LOAD|PRAGMA|BEGIN|COMMIT|ROLLBACK)\b[^"']*""", src)
    assert hits == []
    names = {p.stem for p in Path(str(store.SQL_DIR)).glob("*.sql")}
    used = set(re.findall(r"""sql\(["'](\w+)["']\)""", src)) | {"schema"}
    assert used - names == set()
    steps = {"article_batch_archive", "article_batch_keep_stored", "article_batch_delete_stored", "article_batch_insert"}
    assert names - used == steps  # upsert_articles runs these four by name in a loop


def test_refresh_keeps_the_first_published_time_and_day_and_takes_the_new_modified_time(db):
    url = "https://one.example/first-published"
    v1 = dict(_article(url, "versi pertama"), published_at="2022-02-02T09:00:00+07:00", day="2022-02-02")
    v2 = dict(_article(url, "versi kedua, teks diubah", fetched_at="2022-02-03T06:00:00+00:00"),
              published_at="2022-02-03T10:00:00+07:00", modified_at="2022-02-03T11:30:00+07:00", day="2022-02-03")
    with store.connect(db) as con:
        store.upsert_articles(con, [v1])
        assert store.upsert_articles(con, [v2])["new_versions"] == 1
        row = con.execute("SELECT published_at, day, modified_at, version, text FROM articles").fetchone()
        assert row[0] == datetime(2022, 2, 2, 2, tzinfo=timezone.utc)   # 09:00+07:00, the first one
        assert row[1] == date(2022, 2, 2)
        assert row[2] == datetime(2022, 2, 3, 4, 30, tzinfo=timezone.utc)  # the new version's modified time
        assert row[3:] == (2, "versi kedua, teks diubah")


def test_refresh_fills_a_published_time_the_stored_row_lacks(db):
    url = "https://one.example/no-date-first"
    v1 = dict(_article(url, "tanpa tanggal"), published_at=None, day="2022-02-02")
    v2 = dict(_article(url, "tanpa tanggal", fetched_at="2022-02-03T06:00:00+00:00"),
              published_at="2022-02-03T10:00:00+07:00", day="2022-02-03")
    with store.connect(db) as con:
        store.upsert_articles(con, [v1])
        store.upsert_articles(con, [v2])
        assert con.execute("SELECT published_at, day FROM articles").fetchone() == (
            datetime(2022, 2, 3, 3, tzinfo=timezone.utc), date(2022, 2, 3))
