"""The SQL cookbook (sql/README.md): every query is extracted, run against the seeded six-week
database of :mod:`analytics_seed`, and its result checked against figures computed in Python
from the seed's records (not from SQL)."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta

import duckdb
import pytest

import analytics_seed as S
from conftest import ROOT

COOKBOOK = ROOT / "sql" / "README.md"
DAY = S.LAST
WEEK_START = DAY - timedelta(days=DAY.weekday())
VARIABLES = {"day": DAY, "topic": "banjir", "set_name": "operators", "url": "https://metro.example/wire/banjir-pesisir"}
OVERRIDES = {3: {"topic": "pemilu"}, 10: {"day": S.WIRE_DAY}}


def cookbook() -> dict[int, tuple[str, str]]:
    """``{number: (question, sql)}``: the first ```sql block after each ``## N. question``."""
    text = COOKBOOK.read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"^## (\d+)\. (.+?)$(.*?)(?=^## |\Z)", text, re.S | re.M):
        block = re.search(r"```sql\n(.*?)```", m.group(3), re.S)
        assert block, f"cookbook question {m.group(1)} has no sql block"
        out[int(m.group(1))] = (m.group(2).strip(), block.group(1))
    return out


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    seed = S.build(tmp_path_factory.mktemp("cookbook"))
    con = duckdb.connect(str(seed.db), read_only=True)
    yield seed, con
    con.close()


def run(con, number: int, sql: str) -> list[dict]:
    for name, value in (VARIABLES | OVERRIDES.get(number, {})).items():
        con.execute(f"SET VARIABLE {name} = ?", [value])
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


# ------------------------------------------------------------------ expectations from the records

def topic_of(seed) -> dict[str, str]:
    return {t.article_id: t.topic_id for t in seed.topics}


def story_of(seed) -> dict[str, str]:
    m = {a.article_id: a.article_id for a in seed.articles}
    m.update({s.article_id: s.story_id for s in seed.stories})
    return m


def per_day(seed, topic: str, source: str | None = None) -> Counter:
    tops = topic_of(seed)
    return Counter(a.day for a in seed.articles if tops.get(a.article_id) == topic and source in (None, a.source_id))


def check_1(seed, rows):
    days = [DAY - timedelta(days=27) + timedelta(days=i) for i in range(28)]
    want = [(d, s.id, per_day(seed, "banjir", s.id)[d]) for s in S.SOURCES for d in days]
    assert [(r["day"], r["source_id"], r["articles"]) for r in rows] == want
    assert any(r["articles"] == 0 for r in rows)  # the quiet week is zero-filled
    r = next(r for r in rows if r["source_id"] == "harian" and r["day"] == S.SPIKE)
    assert r["articles_ma7"] == pytest.approx(round(sum(per_day(seed, "banjir", "harian")[S.SPIKE - timedelta(days=k)]
                                                        for k in range(7)) / 7, 2))


def check_2(seed, rows):
    counts = per_day(seed, "banjir")
    base = [counts[S.SPIKE - timedelta(days=k)] for k in range(1, 29)]
    assert [(r["day"], r["topic_id"], r["articles"]) for r in rows] == [(S.SPIKE, "banjir", counts[S.SPIKE])]
    assert rows[0]["baseline_median"] == statistics.median(base)
    # the quiet week before it made no day after it a spike (median and MAD ignore it)
    assert all(r["day"] == S.SPIKE for r in rows)


def check_3(seed, rows):
    tops = {t.article_id: t for t in seed.topics if t.topic_id == "pemilu"}
    weeks = defaultdict(list)
    for a in seed.articles:
        if a.article_id in tops:
            weeks[a.day - timedelta(days=a.day.weekday())].append(tops[a.article_id].sentiment_score)
    assert [(r["week"], r["articles"], r["topic_sentiment"]) for r in rows] == [
        (w, len(v), pytest.approx(round(statistics.mean(v), 3))) for w, v in sorted(weeks.items())]
    assert len(rows) == 6 and rows[0]["topic_sentiment"] < rows[-1]["topic_sentiment"]


def check_4(seed, rows):
    wire = sorted((a for a in seed.articles if a.syndication == "ANTARA"), key=lambda a: a.published_at)
    assert [(r["source_id"], r["published_at"], r["canonical_url"]) for r in rows] == [
        (a.source_id, a.published_at, a.canonical_url) for a in wire]
    assert [r["outlet"] for r in rows] == ["Harian Nusantara", "Kabar Kota", "Metro Post"]


def check_5(seed, rows):
    wire = sorted((a for a in seed.articles if a.syndication == "ANTARA"), key=lambda a: a.published_at)
    assert [(r["first_outlet"], r["outlets"], r["copies"], r["wire_source"], r["spread"]) for r in rows] == [
        (wire[0].source_id, 3, 3, "ANTARA", wire[-1].published_at - wire[0].published_at)]
    assert rows[0]["headline"] == "Banjir rendam pesisir utara" and rows[0]["story_id"] == wire[0].article_id


def check_6(seed, rows):
    tops = topic_of(seed)
    octo = Counter(tops[a.article_id] for a in seed.articles if a.day.month == 10 and a.article_id in tops)
    want = []
    for name, ids in sorted(S.COMPARISON_SETS.items()):
        tot = sum(octo[t] for t in ids)
        want += sorted(((name, t, octo[t], round(octo[t] / tot, 3)) for t in ids), key=lambda x: (-x[3], x[1]))
    assert [(r["set_name"], r["topic_id"], r["articles"], r["share"]) for r in rows] == want


def check_7(seed, rows):
    tops = topic_of(seed)
    week = Counter((a.source_id, tops[a.article_id]) for a in seed.articles
                   if WEEK_START <= a.day <= DAY and tops.get(a.article_id) in ("telkomsel", "indosat"))
    outlets = sorted({s for s, _ in week})
    want = []
    for s in outlets:
        tot = week[(s, "telkomsel")] + week[(s, "indosat")]
        want += [(s, t, week[(s, t)], tot, round(week[(s, t)] / tot, 3)) for t in ("indosat", "telkomsel")]
    assert [(r["source_id"], r["topic_id"], r["articles"], r["set_articles"], r["share"]) for r in rows] == want
    assert "pagi" not in outlets  # an outlet without any article of the set has no row


def check_8(seed, rows):
    silent_days = [WEEK_START + timedelta(days=i) for i in range(7) if WEEK_START + timedelta(days=i) >= S.SILENT_FROM]
    assert [(r["day"], r["source_id"]) for r in rows] == [(d, "pagi") for d in silent_days]
    before = Counter(a.day for a in seed.articles if a.source_id == "pagi")
    assert rows[0]["baseline_articles"] == statistics.median(before[S.SILENT_FROM - timedelta(days=k)] for k in range(1, 29))


def check_9(seed, rows):
    def polls(src, day):
        return [r for r in seed.fetch_log if r.source_id == src and r.kind == "feed" and r.fetched_at.date() == day]

    want = []
    for (src, day) in sorted([S.EMPTY, S.ROTATED], key=lambda x: (x[1], x[0])):
        p = polls(src, day)
        want.append((day, src, len(p), sum(r.items for r in p), sum(r.items == 0 for r in p),
                     sum(r.items > 0 and r.items_overlap == 0 for r in p)))
    assert [(r["day"], r["source_id"], r["feed_polls"], r["feed_items"], r["empty_feed_polls"], r["rotated_feed_polls"])
            for r in rows] == want


def check_10(seed, rows):
    tops, story = topic_of(seed), story_of(seed)
    day_arts = [a for a in seed.articles if a.day == S.WIRE_DAY and tops.get(a.article_id) == "banjir"]
    placements = Counter(story[a.article_id] for a in day_arts)
    assert rows[0]["placements"] == max(placements.values()) == 2 and rows[0]["copies"] == 3 and rows[0]["outlets"] == 3
    assert rows[0]["wire_source"] == "ANTARA" and rows[0]["original_source_id"] == "harian"
    assert [r["rank"] for r in rows] == list(range(1, min(5, len(placements)) + 1))
    assert [r["placements"] for r in rows] == sorted(placements.values(), reverse=True)[:5]


def check_11(seed, rows):
    got = {r["source_id"]: r for r in rows}
    for s in S.SOURCES:
        fl = [r for r in seed.fetch_log if r.source_id == s.id and WEEK_START <= r.fetched_at.date() <= DAY]
        errors = sum(r.outcome == "http_error" for r in fl)
        assert (got[s.id]["requests"], got[s.id]["fetch_errors"], got[s.id]["extraction_failures"]) == (
            len(fl), errors, sum(r.skip_reason == "empty" for r in fl)), s.id
    assert rows[0]["source_id"] == "metro" and rows[0]["error_rate"] > 0 and rows[0]["baseline_errors_per_day"] == 1.0


def check_12(seed, rows):
    lo = DAY - timedelta(days=29)
    arts = [a for a in seed.articles if lo <= a.day <= DAY]
    n = Counter(a.source_id for a in arts)
    w = Counter(a.source_id for a in arts if a.syndication)
    want = sorted(((s, n[s], w[s], round(w[s] / n[s], 3)) for s in n), key=lambda x: (-x[3], x[0]))
    assert [(r["source_id"], r["articles"], r["wire_copies"], r["wire_share"]) for r in rows] == want


def check_13(seed, rows):
    tops, story = topic_of(seed), story_of(seed)
    lo = DAY - timedelta(days=13)
    first: dict[tuple[str, str], date] = {}
    for a in seed.articles:
        if a.article_id in tops:
            k = (tops[a.article_id], story[a.article_id])
            first[k] = min(first.get(k, a.day), a.day)
    placements = Counter(tops[a.article_id] for a in seed.articles if a.article_id in tops and lo <= a.day <= DAY)
    stories = Counter(t for (t, _), d in first.items() if lo <= d <= DAY)
    want = sorted(((t, placements[t], stories[t]) for t in placements), key=lambda x: (-x[1], x[0]))
    assert [(r["topic_id"], r["placements"], r["stories"]) for r in rows] == want
    banjir = next(r for r in rows if r["topic_id"] == "banjir")
    assert banjir["placements"] - banjir["stories"] == 2  # the wire story: 3 copies over 2 days, one story


def check_14(seed, rows):
    tops = {t.article_id: t for t in seed.topics if t.topic_id == "banjir"}
    month = [a for a in seed.articles if a.article_id in tops and DAY.replace(day=1) <= a.day <= DAY]
    n = Counter(a.source_id for a in month)
    mentions = Counter()
    for a in month:
        mentions[a.source_id] += tops[a.article_id].mentions
    assert [(r["source_id"], r["articles"], r["mentions"]) for r in rows] == sorted(
        ((s, n[s], mentions[s]) for s in n), key=lambda x: (-x[1], x[0]))
    assert all(r["negative_share"] == 1.0 and r["topic_sentiment"] == pytest.approx(-0.6) for r in rows)


CHECKS = {int(k.split("_")[1]): f for k, f in globals().items() if k.startswith("check_")}


def test_cookbook_has_ten_questions_and_each_is_checked():
    assert len(cookbook()) >= 10
    assert sorted(cookbook()) == sorted(CHECKS)


@pytest.mark.parametrize("number", sorted(CHECKS))
def test_cookbook_query(seeded, number):
    seed, con = seeded
    question, sql = cookbook()[number]
    rows = run(con, number, sql)
    assert rows, f"cookbook {number} ({question}) returned nothing"
    CHECKS[number](seed, rows)

