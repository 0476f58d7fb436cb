"""Analytics tables and views on the seeded database (tests/analytics_seed.py): range builds,
stories counted once on their first day, zero-filled trends, robust spikes, share of voice,
top stories, and the comparison sets of settings.yaml."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import yaml

import analytics_seed as S
from mediamon import store
from mediamon.config import ConfigError, load_config


def _rounded(row: dict) -> dict:
    return {k: round(v, 9) if isinstance(v, float) else v for k, v in row.items()}


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return S.build(tmp_path_factory.mktemp("analytics"))


def test_range_build_is_idempotent_and_counts_a_story_once_on_its_first_day(seed):
    with store.connect(seed.db) as con:
        whole = store.as_rows(store.coverage(con, S.FIRST, S.LAST))
        # rebuilding only the wire story's second day: its first day (before the range) still counts
        n = store.build_daily_coverage(con, S.WIRE_DAY + timedelta(days=1))
        assert n == sum(r["day"] == S.WIRE_DAY + timedelta(days=1) for r in whole)
        again = store.as_rows(store.coverage(con, S.FIRST, S.LAST))
        assert [_rounded(r) for r in again] == [_rounded(r) for r in whole]  # (float sums may differ in the last bit)
        cov = {(r["day"], r["source_id"], r["topic_id"]): r for r in whole}
    tops = {t.article_id: t.topic_id for t in seed.topics}
    for day in (S.WIRE_DAY, S.WIRE_DAY + timedelta(days=1)):
        n_banjir = sum(1 for a in seed.articles if a.day == day and tops.get(a.article_id) == "banjir")
        all_out = cov[(day, "", "banjir")]
        assert all_out["articles"] == n_banjir
        # day 1: two copies of the wire story = one story; day 2: metro's copy is not a new story
        assert all_out["unique_stories"] == n_banjir - (1 if day == S.WIRE_DAY else 1)
        # for metro alone the story is new on day 2 (its own first copy)
        if day == S.WIRE_DAY + timedelta(days=1):
            m = cov[(day, "metro", "banjir")]
            assert m["unique_stories"] == m["articles"]
    # all-outlet rows are the sum of the outlet rows
    for (day, src, topic), r in cov.items():
        if src == "":
            parts = [v for (d, s, t), v in cov.items() if d == day and t == topic and s != ""]
            assert r["articles"] == sum(p["articles"] for p in parts) and r["share_of_voice"] is None
            assert pytest.approx(sum(p["share_of_voice"] for p in parts)) == 1.0


def test_trends_zero_fill_and_a_quiet_week_is_no_spike(seed):
    with store.connect(seed.db, read_only=True) as con:
        rows = store.as_rows(store.topic_trends(con, S.FIRST, S.LAST))
    banjir = [r for r in rows if r["source_id"] == "" and r["topic_id"] == "banjir"]
    assert [r["day"] for r in banjir] == S.DAYS  # every day, quiet week included
    assert [r["articles"] for r in banjir if r["day"] in S.QUIET] == [0] * 7
    assert [r["day"] for r in banjir if r["is_spike"]] == [S.SPIKE]
    after = [r for r in banjir if S.QUIET[-1] < r["day"] < S.SPIKE]
    assert after and all(abs(r["spike_score"]) < 3.5 for r in after)
    by_day = {r["day"]: r for r in banjir}
    assert by_day[S.SPIKE]["change_1d"] == by_day[S.SPIKE]["articles"] - by_day[S.SPIKE - timedelta(days=1)]["articles"]
    assert by_day[S.FIRST]["spike_score"] is None  # fewer than 14 baseline days


def test_share_of_voice_rows_sum_to_one_and_include_zero_topics(seed):
    with store.connect(seed.db, read_only=True) as con:
        rows = store.as_rows(store.share_of_voice(con, S.FIRST, S.LAST))
    cells = Counter()
    for r in rows:
        cells[(r["period"], r["period_start"], r["set_name"], r["source_id"])] += r["share"]
    assert all(v == pytest.approx(1.0) for v in cells.values())
    assert {r["period"] for r in rows} == {"day", "week"}
    assert all(r["period_start"].weekday() == 0 for r in rows if r["period"] == "week")
    assert any(r["articles"] == 0 and r["share"] == 0 for r in rows)  # harian never runs indosat: 0, not absent


def test_top_stories_limit_and_analytics_data(seed):
    with store.connect(seed.db, read_only=True) as con:
        top = store.as_rows(store.top_stories(con, S.WIRE_DAY, limit=2))
        data = store.analytics_data(con, S.LAST, days=30)
        with pytest.raises(ValueError, match="limit"):
            store.top_stories(con, S.LAST, limit=0)
        with pytest.raises(ValueError, match="before start"):
            store.coverage(con, S.LAST, S.FIRST)
    assert {r["topic_id"] for r in top} == {"", "banjir", "pemilu", "telkomsel", "indosat"} - (
        set() if S.WIRE_DAY.toordinal() % 3 == 0 else {"indosat"})
    assert all(r["rank"] <= 2 for r in top)
    first = next(r for r in top if r["topic_id"] == "" and r["rank"] == 1)
    assert first["wire_source"] == "ANTARA" and first["placements"] == 2
    assert {k: v.num_rows > 0 for k, v in data.items()} == dict.fromkeys(
        ("coverage", "trends", "share_of_voice", "top_stories", "source_health"), True)
    assert {r["day"] for r in store.as_rows(data["trends"])} == {S.LAST - timedelta(days=i) for i in range(30)}
    assert {r["source_id"] for r in store.as_rows(data["source_health"])} == {s.id for s in S.SOURCES}


def _config(tmp_path, sets):
    cdir = tmp_path / "config"
    cdir.mkdir(parents=True)
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"id": "a", "name": "A", "homepage": "https://a.example/", "language": "id", "feeds": ["https://a.example/rss"]}]}))
    (cdir / "topics.yaml").write_text(yaml.safe_dump({"topics": [
        {"id": "x", "name": "X", "terms": {"*": ["x"]}}, {"id": "y", "name": "Y", "terms": {"*": ["y"]}}]}))
    (cdir / "settings.yaml").write_text(yaml.safe_dump({"comparison_sets": sets}))
    return cdir


def test_comparison_sets_in_settings(tmp_path):
    cfg = load_config(_config(tmp_path, {"pair": ["x", "y"]}))
    assert cfg.settings.comparison_sets == {"pair": ["x", "y"]}
    with pytest.raises(ConfigError, match="comparison_sets.*pair.*unknown topic id.*nope"):
        load_config(_config(tmp_path / "bad", {"pair": ["x", "nope"]}))
    with store.connect(tmp_path / "db.duckdb") as con:
        assert store.replace_comparison_sets(con, {"pair": ["x", "y", "x"]}) == 2
        assert store.replace_comparison_sets(con, {"solo": ["y"]}) == 1  # replaces, not adds
