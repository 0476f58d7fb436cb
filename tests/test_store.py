"""DuckDB store: schema, upsert by canonical URL, versions, idempotent daily coverage."""

from __future__ import annotations

from datetime import date, datetime, timezone

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
        assert n == 4  # (s1, ''), (s1, ukraine), (s2, ''), (s2, ukraine)
        assert store.build_daily_coverage(con, date(2022, 2, 2)) == 4
        assert con.execute("SELECT * FROM daily_coverage ORDER BY ALL").fetchall() == first
        cov = {(r[1], r[2]): r for r in first}
        s1_all = cov[("s1", "")]
        assert s1_all[3:9] == (2, 1, pytest.approx(-0.1), 1, 0, 1)  # articles, unique stories, mean, +, 0, -
        assert cov[("s1", "ukraine")][9] == pytest.approx(-0.7)      # topic-targeted sentiment
        assert cov[("s1", "")][10] == pytest.approx(2 / 3)            # share of voice among all articles
        assert cov[("s2", "ukraine")][10] == pytest.approx(0.5)
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
