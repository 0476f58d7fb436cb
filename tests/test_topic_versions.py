"""Issue 12, topics: NEAR/k and field scopes in the query language, prominence per match, and
versioned topics (a new or changed topic is applied to stored history on the next enrich;
``mediamon topics rerun`` / ``topics test`` / ``topics status``), all on a real DuckDB file."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import duckdb
import pytest
import yaml

from doubles import FixedClock
from mediamon import stages
from mediamon.cli import main
from mediamon.config.query import parse_query
from mediamon.enrich.topics import TopicMatcher
from mediamon.records import ArticleRecord
from mediamon.runtime import build_runtime

NOW = datetime(2022, 3, 1, 6, 0, tzinfo=timezone.utc)


# --------------------------------------------------------------------------- query language


@pytest.mark.parametrize("query, ok", [
    ("Jokowi NEAR/1 banjir", True),      # "Jokowi meninjau banjir": one word between
    ("Jokowi NEAR/0 banjir", False),
    ("banjir NEAR/1 Jokowi", True),      # either order
    ("Bekasi NEAR/3 Jokowi", True),      # "Bekasi, kata Jokowi"
    ("Pemerintah NEAR/2 Bekasi", False),  # different sentences never count as near
    ("Jokowi NEAR \"banjir bandang\"", True),  # default NEAR/5, phrase operand
    ("title:Jokowi", True),
    ("title:banjir", False),
    ("lead:banjir", True),
    ("lead:Bekasi", False),              # second paragraph
    ("title:(tinjau OR Bekasi) AND lead:Jakarta", True),
    ("banjir AND NOT title:Jokowi", False),
    ("banjir AND NOT title:Bekasi", True),
])
def test_near_and_field_scopes(query, ok):
    text = ("Presiden Jokowi meninjau banjir di Jakarta hari ini.\n"
            "Warga mengungsi. Banjir bandang juga melanda Bekasi, kata Jokowi.\n"
            "Pemerintah menyiapkan bantuan.")
    m = TopicMatcher("t", query=query).match(text, "Jokowi tinjau lokasi", "id")
    assert (m is not None) is ok


@pytest.mark.parametrize("query, pos, what", [
    ("a NEAR", 2, "dangling operator 'NEAR'"),
    ("NEAR b", 0, "nothing before it"),
    ("a NEAR/x b", 2, "bad proximity"),
    ("a NEAR/101 b", 2, "bad proximity"),
    ("(a OR b) NEAR c", 0, "is a group"),
    ("a NEAR b NEAR c", 9, "chained NEAR"),
    ("x AND title:", 6, "field scope 'title:'"),
    ("title:(lead:a)", 7, "inside another field scope"),
])
def test_malformed_queries_name_the_position(query, pos, what):
    with pytest.raises(ValueError, match=rf"{what}.*" if what else "") as e:
        parse_query(query)
    assert f"position {pos}" in str(e.value)


def test_scoped_and_near_queries_render_and_reparse():
    for q in ['title:"harga beras" NEAR/3 naik OR lead:(inflasi OR deflasi)', "a NEAR/0 b AND NOT title:c"]:
        once = parse_query(q)
        again = parse_query(str(once))
        assert str(again) == str(once)
        assert [t.key for t in again.terms()] == [t.key for t in once.terms()]
        assert [n.key for n in again.near_nodes()] == [n.key for n in once.near_nodes()]


def test_words_with_a_colon_that_are_not_fields_stay_terms():
    m = TopicMatcher("t", query='"pukul 10:30" OR http:x')
    assert [t.key for t in m.query.terms()] == ["pukul 10:30", "http:x"]


def test_prominence_of_a_match():
    m = TopicMatcher("t", terms={"id": ["banjir"]})
    text = "Hujan deras sejak pagi.\nBanjir merendam rumah warga. Banjir surut sore.\nBantuan tiba."
    r = m.match(text, "Cuaca hari ini", "id")
    assert (r.in_title, r.in_lead, r.body_mentions, r.prominence, r.count) == (False, False, 2, "body", 2)
    r = m.match("Banjir merendam rumah warga.\nBantuan tiba.", "Banjir di Bekasi", "id")
    assert (r.in_title, r.in_lead, r.body_mentions, r.prominence, r.count) == (True, True, 1, "title", 2)
    r = m.match("Banjir merendam rumah.\nWarga mengungsi.", "Cuaca", "id")
    assert (r.in_title, r.in_lead, r.prominence) == (False, True, "lead")


# --------------------------------------------------------------------------- versioned topics on a stored database

TEXTS = {
    # day offset from NOW, text
    "a": (-40, "Harga beras naik tajam di pasar induk.\nPedagang mengeluh pasokan berkurang."),
    "b": (-10, "Banjir merendam Bekasi sejak Senin.\nHarga beras ikut naik di pasar sekitar."),
    "c": (-2, "Pemerintah menyiapkan bantuan banjir.\nWarga mengungsi ke masjid."),
    "d": (-1, "Tim sepak bola menang besar.\nPelatih memuji pemain muda."),
}


def _write_config(tmp_path, topics: list[dict], backfill_days: int = 30) -> str:
    cdir = tmp_path / "config"
    cdir.mkdir(exist_ok=True)
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": [{"id": "kota", "name": "Kota", "homepage": "https://k.example/",
                                                                     "language": "id", "feeds": ["https://k.example/rss"]}]}))
    (cdir / "topics.yaml").write_text(yaml.safe_dump({"topics": topics}))
    (cdir / "settings.yaml").write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "db_path": str(tmp_path / "data" / "m.duckdb"),
                                                        "reports_dir": str(tmp_path / "reports"), "topic_backfill_days": backfill_days}))
    return str(cdir)


def _runtime(cdir: str):
    return build_runtime(stages.load_config(cdir), clock=FixedClock(NOW))


def _store_articles(rt, run_id: str = "r1") -> None:
    from mediamon.enrich.dedup import content_hash

    recs = []
    for key, (offset, text) in TEXTS.items():
        day = (NOW + timedelta(days=offset)).date()
        url = f"https://k.example/{key}.html"
        recs.append(ArticleRecord(article_id=f"{key:0>16}", canonical_url=url, url=url, source_id="kota",
                                  title=f"Berita {key}", text=text, day=day, language="id", content_hash=content_hash(text),
                                  fetched_at=NOW + timedelta(days=offset), extractor_version="t", run_id=run_id))
    with rt.store.session() as s:
        s.ensure_sources(["kota"])
        s.upsert_articles(recs)


def _q(tmp_path, sql: str):
    con = duckdb.connect(str(tmp_path / "data" / "m.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


BERAS = {"id": "beras", "name": "Beras", "terms": {"id": ["beras"]}}
BANJIR = {"id": "banjir", "name": "Banjir", "query": "banjir OR mengungsi"}


def test_new_topic_is_applied_to_stored_history_within_the_window(tmp_path):
    cdir = _write_config(tmp_path, [BERAS], backfill_days=30)
    rt = _runtime(cdir)
    _store_articles(rt)
    first = stages.enrich("r1", runtime=rt)
    # the run's own articles are matched (all four), and 'beras' is new: recorded, backfilled over 30 days
    assert first["topic_backfill"]["pending"] == {"beras": "new"}
    assert _q(tmp_path, "SELECT article_id FROM article_topics WHERE topic_id = 'beras' ORDER BY 1") == [
        ("000000000000000a",), ("000000000000000b",)]
    # a topic added later reaches stored articles of the last 30 days only, with no refetch and no new run
    _write_config(tmp_path, [BERAS, BANJIR], backfill_days=30)
    rt = _runtime(cdir)
    second = stages.enrich("r2", runtime=rt)  # a run that loaded nothing
    bf = second["topic_backfill"]
    assert bf["pending"] == {"banjir": "new"} and bf["topics"] == ["banjir"]
    # the window ends at the newest stored article (day -1), not at the clock: 30 days back from there
    assert bf["since"] == (NOW.date() - timedelta(days=31)).isoformat() and bf["articles"] == 3  # 'a' is 40 days old
    assert _q(tmp_path, "SELECT article_id, prominence, in_title, in_lead, body_mentions FROM article_topics "
                        "WHERE topic_id = 'banjir' ORDER BY 1") == [
        ("000000000000000b", "lead", False, True, 1), ("000000000000000c", "lead", False, True, 2)]
    # 'beras' was not touched: its rows keep the version they were written with
    versions = dict(_q(tmp_path, "SELECT topic_id, arg_max(version, applied_at) FROM topic_versions GROUP BY 1"))
    assert set(versions) == {"beras", "banjir"}
    assert {r[0] for r in _q(tmp_path, "SELECT DISTINCT topic_version FROM article_topics WHERE topic_id = 'beras'")} == {versions["beras"]}
    # nothing pending any more: a third enrich applies nothing
    assert stages.enrich("r3", runtime=_runtime(cdir))["topic_backfill"]["pending"] == {}


def test_changed_topic_replaces_only_its_own_rows_and_rebuilds_built_coverage_days(tmp_path):
    cdir = _write_config(tmp_path, [BERAS, BANJIR], backfill_days=30)
    rt = _runtime(cdir)
    _store_articles(rt)
    stages.enrich("r1", runtime=rt)
    day_b = (NOW + timedelta(days=-10)).date()
    with rt.store.session() as s:
        s.build_daily_coverage(day_b)
    assert _q(tmp_path, f"SELECT articles FROM daily_coverage WHERE day = DATE '{day_b}' AND source_id = 'kota' "
                        "AND topic_id = 'banjir'") == [(1,)]
    beras_before = _q(tmp_path, "SELECT * FROM article_topics WHERE topic_id = 'beras' ORDER BY article_id")
    # the banjir topic is narrowed to the title: stored matches are replaced, coverage follows
    _write_config(tmp_path, [BERAS, {**BANJIR, "query": "title:banjir"}], backfill_days=30)
    out = stages.enrich("r2", runtime=_runtime(cdir))["topic_backfill"]
    assert out["pending"] == {"banjir": "changed"} and out["coverage_days"] == 1
    assert _q(tmp_path, "SELECT count(*) FROM article_topics WHERE topic_id = 'banjir'") == [(0,)]
    assert _q(tmp_path, f"SELECT count(*) FROM daily_coverage WHERE day = DATE '{day_b}' AND topic_id = 'banjir'") == [(0,)]
    assert _q(tmp_path, "SELECT * FROM article_topics WHERE topic_id = 'beras' ORDER BY article_id") == beras_before
    reasons = _q(tmp_path, "SELECT topic_id, reason FROM topic_versions ORDER BY applied_at, topic_id")
    assert ("banjir", "changed") in reasons and ("banjir", "new") in reasons


def test_backfill_days_zero_records_the_version_and_rematches_nothing(tmp_path):
    cdir = _write_config(tmp_path, [BERAS], backfill_days=0)
    rt = _runtime(cdir)
    _store_articles(rt)
    stages.enrich("r1", runtime=rt)
    _write_config(tmp_path, [BERAS, BANJIR], backfill_days=0)
    out = stages.enrich("r2", runtime=_runtime(cdir))["topic_backfill"]
    assert out["pending"] == {"banjir": "new"} and out["articles"] == 0
    assert _q(tmp_path, "SELECT count(*) FROM article_topics WHERE topic_id = 'banjir'") == [(0,)]
    assert _q(tmp_path, "SELECT backfill_since FROM topic_versions WHERE topic_id = 'banjir'") == [(None,)]


def test_cli_topics_rerun_test_and_status(tmp_path, capsys):
    cdir = _write_config(tmp_path, [BERAS], backfill_days=0)
    rt = _runtime(cdir)
    _store_articles(rt)
    stages.enrich("r1", runtime=rt)
    _write_config(tmp_path, [BERAS, BANJIR], backfill_days=0)
    assert main(["--config", cdir, "topics", "status"]) == 0
    out = capsys.readouterr().out
    assert "banjir" in out and "pending" in out and "beras" in out
    # on demand, any range, no refetch
    assert main(["--config", cdir, "topics", "rerun", "--since", "2022-01-01", "--topic", "banjir"]) == 0
    assert "4 stored articles since 2022-01-01 re-matched, 2 matches" in capsys.readouterr().out
    assert _q(tmp_path, "SELECT count(*) FROM article_topics WHERE topic_id = 'banjir'") == [(2,)]
    assert main(["--config", cdir, "topics", "status"]) == 0
    assert "pending" not in capsys.readouterr().out
    # preview before committing a query: snippets with the matched words marked, nothing written
    before = _q(tmp_path, "SELECT count(*) FROM article_topics")
    assert main(["--config", cdir, "topics", "test", "beras NEAR/2 naik", "--since", "2022-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Harga [beras] [naik] tajam" in out and "2 of 4 stored articles since 2022-01-01 match" in out
    assert main(["--config", cdir, "topics", "test", "beras NEAR/2 naik", "--since", "2022-02-10"]) == 0
    assert "1 of 3 stored articles since 2022-02-10 match" in capsys.readouterr().out
    assert _q(tmp_path, "SELECT count(*) FROM article_topics") == before
    # bad input: position of a malformed query, unknown topic id, bad date
    assert main(["--config", cdir, "topics", "test", "beras AND (naik"]) == 2
    assert "position 10" in capsys.readouterr().err
    assert main(["--config", cdir, "topics", "rerun", "--topic", "nope"]) == 2
    assert "unknown topic id(s) 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--config", cdir, "topics", "rerun", "--since", "2022-13-01"])


def test_a_failing_article_does_not_sink_the_backfill(tmp_path, monkeypatch):
    from mediamon import topicsync

    cdir = _write_config(tmp_path, [BERAS], backfill_days=60)
    rt = _runtime(cdir)
    _store_articles(rt)
    real = topicsync.topic_rows

    def flaky(a, *args, **kw):
        if a["article_id"].endswith("b"):
            raise RuntimeError("broken article")
        return real(a, *args, **kw)

    monkeypatch.setattr(topicsync, "topic_rows", flaky)
    with rt.store.session() as s:
        out = topicsync.apply_topics(s, list(rt.config.topics), since=date(2022, 1, 1), now=NOW, reason="rerun")
    assert out["failed"] == 1 and out["articles"] == 4 and out["matches"] == 1


def test_backfill_window_ends_at_the_newest_stored_article_not_the_clock(tmp_path):
    """An archive (or the demo's past days) with the clock years later: a new topic still reaches it."""
    cdir = _write_config(tmp_path, [BERAS], backfill_days=30)
    rt = _runtime(cdir)
    _store_articles(rt)
    stages.enrich("r1", runtime=rt)
    _write_config(tmp_path, [BERAS, BANJIR], backfill_days=30)
    later = build_runtime(stages.load_config(cdir), clock=FixedClock(NOW + timedelta(days=4 * 365)))
    bf = stages.enrich("r2", runtime=later)["topic_backfill"]
    assert bf["pending"] == {"banjir": "new"} and bf["articles"] == 3 and bf["matches"] == 2
