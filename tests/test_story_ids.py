"""Stable story ids and incremental clustering (issue 11): order independence, stability across runs,
merges, the stories table and the matching window, through the real DuckDB store."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta, timezone

import pytest

from mediamon import store
from mediamon.analytics.storyids import assign_stories, cluster_batch
from mediamon.config.models import Settings
from mediamon.enrich.dedup import content_hash, signature
from mediamon.enrichment import update_stories
from mediamon.runtime import DuckDBSession

from test_dedup import OTHER, WIRE

T0 = datetime(2022, 2, 2, 5, 0, tzinfo=timezone.utc)
THIRD = [  # a third invented story, on another topic
    "BANDUNG (Wire) - A landslide buried a road and four houses in a hillside village south of Bandung on Sunday after a night of heavy rain, the regional disaster agency said, and rescuers were searching for two missing farmers.",
    "Villagers said they heard a loud rumble shortly before dawn and ran from their homes as mud and rocks came down the slope of the tea plantation above the village of Cibitung.",
    "Excavators from the public works office reached the site in the afternoon, but the work was slowed by fresh rain and by cracks that opened in the ground further up the hill.",
    "The agency said 57 families had been moved to a school and a village hall, and that the road connecting the district with the provincial capital would stay closed for at least a week.",
    "Geologists have warned for years that the steep slopes of the area, planted with vegetables after forest was cleared, are prone to slides during the wet season from November to March.",
    "The provincial governor visited the shelter in the evening and promised cash support for the families who lost their houses, as well as a study on relocating the most exposed households.",
]


def _art(url: str, paras: list[str], hours: float, source: str = "s1", language: str = "en", syndication: str | None = None) -> dict:
    text = "\n".join(paras)
    t = T0 + timedelta(hours=hours)
    return {"canonical_url": url, "url": url, "source_id": source, "title": paras[0][:60], "text": text, "authors": [],
            "editor": None, "published_at": t.isoformat(), "modified_at": None, "day": t.date().isoformat(),
            "language": language, "tags": [], "categories": [], "image": None, "syndication": syndication, "credits": {},
            "methods": {}, "content_hash": content_hash(text), "minhash": signature(text), "n_chars": len(text),
            "replacement_chars": 0, "fetched_at": (t + timedelta(minutes=5)).isoformat(), "extractor_version": "t", "run_id": "r"}


def _copies() -> list[dict]:
    """Two stories with copies (new intro, dropped paragraphs) and one unrelated story."""
    return [
        _art("https://wire.example/floods", WIRE, 0, "wire", syndication="AP"),
        _art("https://a.example/floods-copy", ["Our correspondent adds: residents were angry."] + WIRE[:6], 2, "a", syndication="AP"),
        _art("https://b.example/banjir", WIRE[1:5], 3, "b", language="en"),
        _art("https://c.example/seawall", OTHER, 1, "c"),
        _art("https://d.example/seawall", OTHER[:6] + ["Subscribe to our newsletter for more news."], 5, "d"),
        _art("https://e.example/landslide", THIRD, 4, "e"),
    ]


def _run(db, arts: list[dict], now: datetime = T0 + timedelta(days=1), settings: Settings | None = None) -> dict:
    with store.connect(db) as con:
        store.upsert_articles(con, arts)
        ids = [store.article_id_for(a["canonical_url"]) for a in arts]
        rows = [r for r in store.articles_to_enrich(con, days=None, run_id="r") if r["article_id"] in ids]
        return update_stories(DuckDBSession(con), rows, settings or Settings(), now, run_id="r")


def _stories(db) -> dict[str, str]:
    with store.connect(db, read_only=True) as con:
        return dict(con.execute("SELECT a.canonical_url, s.story_id FROM article_stories s JOIN articles a USING (article_id)").fetchall())


def test_copies_form_stories_with_the_earliest_copy_as_id(tmp_path):
    db = tmp_path / "m.duckdb"
    r = _run(db, _copies())
    got = _stories(db)
    aid = store.article_id_for
    assert got["https://a.example/floods-copy"] == got["https://b.example/banjir"] == aid("https://wire.example/floods")
    assert got["https://d.example/seawall"] == aid("https://c.example/seawall")
    assert got["https://e.example/landslide"] == aid("https://e.example/landslide")
    assert r["clustered"] == 6 and r["stories"] == 3 and r["merges"] == 0


def test_ids_do_not_depend_on_arrival_order_within_a_run(tmp_path):
    expected = None
    for k, perm in enumerate(itertools.islice(itertools.permutations(range(6)), 0, 720, 149)):
        arts = [_copies()[i] for i in perm]
        _run(tmp_path / f"m{k}.duckdb", arts)
        got = _stories(tmp_path / f"m{k}.duckdb")
        expected = expected or got
        assert got == expected


def test_ids_are_the_same_whatever_the_run_split_and_order(tmp_path):
    """Articles arriving in publication order, split over runs in any way, get the same ids."""
    arts = sorted(_copies(), key=lambda a: a["published_at"])
    whole = tmp_path / "whole.duckdb"
    _run(whole, arts)
    rng = random.Random(3)
    for k in range(3):
        db = tmp_path / f"split{k}.duckdb"
        cuts = sorted(rng.sample(range(1, len(arts)), 2))
        for part in (arts[: cuts[0]], arts[cuts[0]: cuts[1]], arts[cuts[1]:]):
            batch = part[:]
            rng.shuffle(batch)
            _run(db, batch)
        assert _stories(db) == _stories(whole)


def test_stored_ids_never_change_when_an_earlier_copy_arrives(tmp_path):
    db = tmp_path / "m.duckdb"
    arts = _copies()
    _run(db, arts[1:])  # the wire's own page (earliest) arrives in a later run
    before = _stories(db)
    r = _run(db, arts[:1])
    after = _stories(db)
    assert {u: after[u] for u in before} == before
    copy_id = store.article_id_for("https://a.example/floods-copy")
    assert after["https://wire.example/floods"] == copy_id and r["new_stories"] == 0
    with store.connect(db, read_only=True) as con:
        row = con.execute("SELECT original_article_id, copies, outlets, wire_source, first_seen FROM stories WHERE story_id = ?",
                          [copy_id]).fetchone()
        assert row[:4] == (store.article_id_for("https://wire.example/floods"), 3, 3, "AP")
        assert row[4] == T0  # the original moved to the earlier copy; the id did not
        # a rerun over the same articles changes nothing
    _run(db, arts)
    assert _stories(db) == after


def test_bridging_copy_merges_two_stories_keeping_the_older_id(tmp_path):
    db = tmp_path / "m.duckdb"
    a = _art("https://x.example/first-half", WIRE[:4], 0, "x")
    b = _art("https://y.example/second-half", WIRE[4:], 1, "y")
    _run(db, [a, b])
    ids = _stories(db)
    assert ids[a["canonical_url"]] != ids[b["canonical_url"]]  # two halves share nothing
    bridge = _art("https://z.example/full", WIRE, 2, "z")
    r = _run(db, [bridge])
    got = _stories(db)
    older = store.article_id_for(a["canonical_url"])
    assert r["merges"] == 1 and set(got.values()) == {older}
    with store.connect(db, read_only=True) as con:
        assert con.execute("SELECT merged_story_id, story_id, bridging_article_id FROM story_merges").fetchall() == [
            (store.article_id_for(b["canonical_url"]), older, store.article_id_for(bridge["canonical_url"]))]
        # the merged id still resolves, to the kept story
        assert store.resolve_story(con, store.article_id_for(b["canonical_url"])) == older
        assert con.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


def test_stories_table_has_the_agreed_columns_and_values(tmp_path):
    db = tmp_path / "m.duckdb"
    arts = _copies()
    arts[2] = _art("https://b.example/banjir", WIRE[1:5], 30, "b", language="id")  # next day, Indonesian
    _run(db, arts)
    with store.connect(db, read_only=True) as con:
        cols = [(c, t) for c, t, *_ in con.execute("DESCRIBE stories").fetchall()]
        assert cols == [("story_id", "VARCHAR"), ("first_seen", "TIMESTAMP WITH TIME ZONE"),
                        ("last_seen", "TIMESTAMP WITH TIME ZONE"), ("first_day", "DATE"), ("days", "DATE[]"),
                        ("copies", "INTEGER"), ("outlets", "INTEGER"), ("languages", "VARCHAR[]"),
                        ("original_article_id", "VARCHAR"), ("headline", "VARCHAR"), ("wire_source", "VARCHAR")]
        row = con.execute("SELECT first_day, days, copies, outlets, languages, headline, last_seen FROM stories WHERE story_id = ?",
                          [store.article_id_for("https://wire.example/floods")]).fetchone()
    assert [d.isoformat() for d in row[1]] == ["2022-02-02", "2022-02-03"] and row[0].isoformat() == "2022-02-02"
    assert row[2:6] == (3, 3, ["en", "id"], WIRE[0][:60]) and row[6] == T0 + timedelta(hours=30)


def test_copies_are_matched_only_within_the_window_of_their_own_dates(tmp_path):
    db = tmp_path / "m.duckdb"
    old = _art("https://x.example/2019", WIRE, -3 * 365 * 24, "x")  # three years earlier
    late = _art("https://y.example/late", WIRE[:6], 10 * 24, "y")  # ten days after the first copy
    first = _art("https://z.example/now", WIRE, 0, "z")
    _run(db, [first], now=T0 + timedelta(days=20))
    _run(db, [old, late], now=T0 + timedelta(days=20))
    got = _stories(db)
    assert len(set(got.values())) == 3  # default window 7 days: no match across 10 days or 3 years
    # an old-dated copy is matched with what is stored around its own date
    old2 = _art("https://w.example/2019-copy", WIRE[:6], -3 * 365 * 24 + 5, "w")
    _run(db, [old2], now=T0 + timedelta(days=20))
    assert _stories(db)[old2["canonical_url"]] == store.article_id_for(old["canonical_url"])
    # a wider window joins the late copy (settings.story_window_days)
    db2 = tmp_path / "w.duckdb"
    _run(db2, [first, late], settings=Settings(story_window_days=14), now=T0 + timedelta(days=20))
    assert len(set(_stories(db2).values())) == 1


def test_assign_stories_rejects_a_pair_without_a_new_article():
    with pytest.raises(KeyError, match="not a new article"):
        assign_stories([{"article_id": "a"}], [("b", "a")], {"b": "sb"}, {})


def test_in_memory_clustering_matches_the_store(tmp_path):
    arts = _copies()
    mem = cluster_batch([{"article_id": store.article_id_for(a["canonical_url"]), "text": a["text"], "source_id": a["source_id"],
                          "published_at": a["published_at"], "fetched_at": a["fetched_at"]} for a in arts])
    _run(tmp_path / "m.duckdb", arts)
    assert {store.article_id_for(u): s for u, s in _stories(tmp_path / "m.duckdb").items()} == mem


BLOCK = ("This article is brought to you by the newsroom of the Metro Tribune, an independent daily serving readers across "
         "the region since 1952. Our journalists follow a strict code of ethics and corrections are published on the "
         "corrections page. Readers can send tips and comments to the editors by email or through the form on our website.")


def test_an_outlets_boilerplate_block_does_not_join_its_stories(tmp_path):
    """Three different short stories of one outlet share a long block: without leaving the outlet's
    common lines out, their 3-shingle Jaccard is above the threshold."""
    from mediamon.enrich.storymatch import shingle_hashes, similarity

    arts = [_art("https://m.example/1", WIRE[:1] + [BLOCK], 0, "m"), _art("https://m.example/2", OTHER[:1] + [BLOCK], 1, "m"),
            _art("https://m.example/3", THIRD[:1] + [BLOCK], 2, "m")]
    assert similarity(shingle_hashes(arts[0]["text"]), shingle_hashes(arts[1]["text"]))[0] >= Settings().near_duplicate_threshold
    db = tmp_path / "m.duckdb"
    _run(db, arts)
    assert len(set(_stories(db).values())) == 3
    # a later run: a fourth story with the block, and a real copy of the first (with the block) on another outlet
    _run(db, [_art("https://m.example/4", WIRE[5:6] + [BLOCK], 3, "m"), _art("https://n.example/1", WIRE[:1] + [BLOCK], 4, "n")])
    got = _stories(db)
    assert len(set(got.values())) == 4 and got["https://n.example/1"] == got["https://m.example/1"]
