"""A seeded multi-week database for the analytics views and the SQL cookbook.

Six weeks (Monday 2026-10-05 .. Sunday 2026-11-15, UTC) of generated records written through the
store port the load and enrich stages use (:class:`mediamon.runtime.DuckDBSession`: typed
``ArticleRecord``, ``FetchLogRow``, ``SentimentRow``, ``TopicMatchRow``, ``StoryRow``), then the
daily tables built with :func:`mediamon.store.build_analytics`. The returned :class:`Seed` keeps
the records, so tests compute their expectations from them (in Python) rather than from SQL.

Scenario:
- four outlets: ``harian``, ``kabar`` (Indonesian), ``metro`` (English), ``pagi`` (Indonesian),
  ``pagi`` goes silent from 2026-11-12 (no article, no fetch at all);
- topics ``banjir`` (flood), ``pemilu`` (election), ``telkomsel`` / ``indosat`` (comparison set
  ``operators``; ``issues`` = banjir + pemilu);
- ``banjir``: one article per outlet and day, none in the quiet week 2026-10-26..11-01, and a
  spike on 2026-11-10 (6 per outlet);
- a wire story (ANTARA) on ``banjir`` run by harian (2026-11-03 09:00), kabar (10:30) and metro
  (2026-11-04 07:00): one story over two days;
- feeds: two polls per outlet and day (10 entries, 8 seen before), except kabar's second poll on
  2026-11-14 (all 10 entries new: rotated) and metro's polls on 2026-11-13 (0 entries: empty);
  metro has a failed article fetch (HTTP 503) every day and one extraction failure on 2026-11-13.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from mediamon import store
from mediamon.config import Source, Topic
from mediamon.records import ArticleRecord, FetchLogRow, SentimentRow, StoryRow, TopicMatchRow
from mediamon.runtime import DuckDBSession

FIRST = date(2026, 10, 5)
LAST = date(2026, 11, 15)
DAYS = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
QUIET = [date(2026, 10, 26) + timedelta(days=i) for i in range(7)]
SPIKE = date(2026, 11, 10)
SILENT_FROM = date(2026, 11, 12)
WIRE_DAY = date(2026, 11, 3)
ROTATED = ("kabar", date(2026, 11, 14))
EMPTY = ("metro", date(2026, 11, 13))

SOURCES = [
    Source(id="harian", name="Harian Nusantara", homepage="https://harian.example/", language="id", feeds=["https://harian.example/rss"]),
    Source(id="kabar", name="Kabar Kota", homepage="https://kabar.example/", language="id", feeds=["https://kabar.example/rss"]),
    Source(id="metro", name="Metro Post", homepage="https://metro.example/", language="en", feeds=["https://metro.example/rss"]),
    Source(id="pagi", name="Pagi", homepage="https://pagi.example/", language="id", feeds=["https://pagi.example/rss"]),
]
TOPICS = [
    Topic(id="banjir", name="Banjir", terms={"*": ["banjir", "flood"]}),
    Topic(id="pemilu", name="Pemilu", terms={"*": ["pemilu", "election"]}),
    Topic(id="telkomsel", name="Telkomsel", terms={"*": ["Telkomsel"]}),
    Topic(id="indosat", name="Indosat", terms={"*": ["Indosat"]}),
]
COMPARISON_SETS = {"operators": ["telkomsel", "indosat"], "issues": ["banjir", "pemilu"]}
UTC = timezone.utc


@dataclass
class Seed:
    """The seeded database and the records written into it."""

    db: Path
    articles: list[ArticleRecord] = field(default_factory=list)
    topics: list[TopicMatchRow] = field(default_factory=list)
    sentiment: list[SentimentRow] = field(default_factory=list)
    stories: list[StoryRow] = field(default_factory=list)
    fetch_log: list[FetchLogRow] = field(default_factory=list)

    def article(self, article_id: str) -> ArticleRecord:
        return next(a for a in self.articles if a.article_id == article_id)


def _at(day: date, hour: float) -> datetime:
    return datetime.combine(day, time(0, 0), UTC) + timedelta(hours=hour)


def _plan(day: date, src: str) -> list[tuple[str | None, str | None, float]]:
    """(topic or None, wire credit or None, hour) of the articles ``src`` publishes on ``day``."""
    if src == "pagi" and day >= SILENT_FROM:
        return []
    out: list[tuple[str | None, str | None, float]] = [(None, None, 6.0), (None, None, 15.0)]  # two topic-less articles
    n_banjir = 0 if day in QUIET else (6 if day == SPIKE else 1)
    out += [("banjir", None, 8.0 + 0.5 * k) for k in range(n_banjir)]
    if src in ("harian", "kabar"):
        out.append(("pemilu", None, 11.0))
    if src == "harian" or (src == "metro" and day.toordinal() % 2 == 0):
        out.append(("telkomsel", None, 13.0))
    if src in ("kabar", "metro") and day.toordinal() % 3 == 0:
        out.append(("indosat", None, 14.0))
    return out


def build(tmp_path: Path) -> Seed:
    """Write the scenario into ``tmp_path/seed.duckdb`` and build the daily tables for every day."""
    seed = Seed(db=tmp_path / "seed.duckdb")
    for day in DAYS:
        for src in SOURCES:
            for k, (topic, wire, hour) in enumerate(_plan(day, src.id)):
                url = f"https://{src.id}.example/{day:%Y/%m/%d}/{topic or 'umum'}-{k}"
                _article(seed, src, url, day, hour, topic, wire, f"{src.id} {day} {k} {topic}")
    # the wire story: three copies, the last one the next day
    wire_text = "ANTARA - Banjir merendam ribuan rumah di pesisir utara"
    for src_id, day, hour in (("harian", WIRE_DAY, 9.0), ("kabar", WIRE_DAY, 10.5), ("metro", WIRE_DAY + timedelta(days=1), 7.0)):
        src = next(s for s in SOURCES if s.id == src_id)
        _article(seed, src, f"https://{src_id}.example/wire/banjir-pesisir", day, hour, "banjir", "ANTARA", wire_text,
                 title="Banjir rendam pesisir utara")
    wire_ids = [a.article_id for a in seed.articles if a.syndication == "ANTARA"]
    seed.stories = [StoryRow(article_id=a, story_id=wire_ids[0], exact_duplicate_of=None if a == wire_ids[0] else wire_ids[0],
                             story_size=len(wire_ids)) for a in wire_ids]
    for day in DAYS:
        for src in SOURCES:
            _fetches(seed, src.id, day)
    with store.connect(seed.db) as con:
        s = DuckDBSession(con)
        s.upsert_sources(SOURCES)
        s.upsert_topics(TOPICS)
        s.upsert_articles(seed.articles)
        s.replace_sentiment(seed.sentiment)
        s.replace_topics([a.article_id for a in seed.articles], seed.topics)
        s.replace_stories(seed.stories)
        for day in DAYS:
            s.replace_fetch_log(f"seed-{day}", [r for r in seed.fetch_log if r.run_id == f"seed-{day}"])
        s.replace_comparison_sets(COMPARISON_SETS)
        s.build_analytics(FIRST, LAST, "UTC")
    return seed


def _article(seed: Seed, src: Source, url: str, day: date, hour: float, topic: str | None, wire: str | None, text: str,
             title: str | None = None) -> None:
    aid = store.article_id_for(url)
    at = _at(day, hour)
    seed.articles.append(ArticleRecord(
        article_id=aid, canonical_url=url, url=url, source_id=src.id, title=title or f"{topic or 'berita'} {day}",
        text=text, published_at=at, day=day, language=src.language, syndication=wire,
        content_hash=hashlib.sha1(text.encode()).hexdigest(), fetched_at=at + timedelta(minutes=20),
        extractor_version="seed", run_id=f"seed-{day}"))
    n = len(seed.articles)
    if topic == "banjir":
        label, score = "negative", -0.6
    elif topic == "telkomsel":
        label, score = "positive", 0.5
    else:
        label, score = ("positive", 0.3) if n % 3 == 0 else (("neutral", 0.0) if n % 3 == 1 else ("negative", -0.3))
    seed.sentiment.append(SentimentRow(article_id=aid, label=label, score=score, method="seed", version="1"))
    if topic is not None:
        # topic-targeted sentiment: week-dependent for pemilu, so the weekly figures differ
        tscore = score if topic != "pemilu" else round(-0.5 + 0.1 * ((day - FIRST).days // 7), 2)
        seed.topics.append(TopicMatchRow(article_id=aid, topic_id=topic, matched_terms=[topic], mentions=1 + n % 3,
                                         sentiment_label="negative" if tscore < 0 else "positive",
                                         sentiment_score=tscore, sentiment_method="seed"))


def _fetches(seed: Seed, src_id: str, day: date) -> None:
    run = f"seed-{day}"
    if src_id == "pagi" and day >= SILENT_FROM:
        return  # silent: not a single row
    for poll, hour in enumerate((5.0, 17.0)):
        items, overlap = 10, 8
        if (src_id, day) == ROTATED and poll == 1:
            overlap = 0
        if (src_id, day) == EMPTY:
            items, overlap = 0, 0
        seed.fetch_log.append(FetchLogRow(run_id=run, source_id=src_id, url=f"https://{src_id}.example/rss", kind="feed",
                                          status=200, outcome="ok", fetched_at=_at(day, hour + 0.01 * poll),
                                          items=items, items_overlap=overlap))
    for a in (a for a in seed.articles if a.source_id == src_id and a.day == day):
        seed.fetch_log.append(FetchLogRow(run_id=run, source_id=src_id, url=a.url, kind="article", status=200,
                                          outcome="ok", fetched_at=a.fetched_at))
    if src_id == "metro":
        seed.fetch_log.append(FetchLogRow(run_id=run, source_id=src_id, url=f"https://metro.example/{day}/down", kind="article",
                                          status=503, outcome="http_error", fetched_at=_at(day, 18.0)))
        if day == EMPTY[1]:
            seed.fetch_log.append(FetchLogRow(run_id=run, source_id=src_id, url=f"https://metro.example/{day}/blank",
                                              kind="article", status=200, outcome="ok", skip_reason="empty",
                                              error_class="ValueError", error="no text", fetched_at=_at(day, 18.5)))
