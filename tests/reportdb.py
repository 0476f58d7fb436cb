"""A seeded multi-week mediamon database for the report, export and alert tests (generated text only).

``seed(db_path, end=date(2022, 2, 2), days=35, per_day=6, last_day=None)`` writes through the real
store functions (``upsert_sources``, ``upsert_articles``, ``replace_sentiment``, ``replace_topics``,
``replace_stories``, ``replace_fetch_log``):

- outlets ``kabar`` (Kabar Nusantara), ``warta`` (Warta Harian), ``ledger`` (Jakarta Daily Ledger);
  ``ledger`` publishes every day except ``end`` (a silent source on the report day)
- topics ``banjir`` (1 article a day, 12 on ``end``: a spike), ``ukraine`` (2 a day), ``ekonomi`` (1 a day)
- each day one story is carried by ``kabar`` and ``warta`` (a wire copy credited to ANTARA)
- on ``end``: an article whose title holds ``<script>`` and whose URL is ``javascript:``, and at
  ``warta`` 8 failed article fetches out of 10 (with its 2 feed polls: error rate 8/12), 2 feed polls per
  outlet a day listing 10 items (5 seen before), none at ``ledger`` on ``end`` (an empty feed)
- ``last_day``: articles on ``end`` (default ``per_day + 12``); use it for the 11,000-article day

Returns a dict of counts: ``{"articles", "end_articles"}``. ``make_config(tmp, ...)`` writes a
config directory for it (and seeds its database).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import yaml

from mediamon import store

SOURCES = [("kabar", "Kabar Nusantara", "id"), ("warta", "Warta Harian", "id"), ("ledger", "Jakarta Daily Ledger", "en")]
TOPICS = [("banjir", "Banjir"), ("ukraine", "Ukraine"), ("ekonomi", "Ekonomi")]
HOST = "https://news.example"


def _src(sid, name, lang):
    return SimpleNamespace(id=sid, name=name, homepage=f"{HOST}/{sid}/", language=lang, country="ID",
                           feeds=[f"{HOST}/{sid}/rss.xml"])


def _article(sid, day: date, n: int, title: str, *, url: str | None = None, hour: int = 8, text: str | None = None,
             syndication=None) -> dict:
    canon = url or f"{HOST}/{sid}/{day:%Y/%m/%d}/{n}.html"
    body = text or f"{title}. Artikel nomor {n} dari {sid} pada {day}."
    at = datetime(day.year, day.month, day.day, hour % 24, n % 60, tzinfo=timezone.utc)
    return {"article_id": hashlib.sha1(f"{sid}/{day}/{n}".encode()).hexdigest()[:16], "canonical_url": canon,
            "url": canon, "source_id": sid, "title": title, "text": body, "published_at": at, "day": day,
            "language": "id", "syndication": syndication, "content_hash": hashlib.sha1(body.encode()).hexdigest(),
            "n_chars": len(body), "fetched_at": at + timedelta(minutes=5), "extractor_version": "test"}


def seed(db_path, end: date = date(2022, 2, 2), days: int = 35, per_day: int = 6, last_day: int | None = None) -> dict:
    arts, sent, tops, stories, logs = [], [], [], [], []
    for k in range(days):
        day = end - timedelta(days=days - 1 - k)
        is_end = day == end
        n_end = last_day if last_day is not None else per_day + 12
        plan = []  # (source_id, topic ids)
        n_banjir = 12 if is_end else 1
        for i in range(n_banjir):
            plan.append((SOURCES[i % 2][0], ["banjir"]))
        plan += [("kabar", ["ukraine"]), ("warta", ["ukraine", "ekonomi"])]
        if not is_end:
            plan += [("ledger", ["ekonomi"])]
        while len(plan) < (n_end if is_end else per_day):
            plan.append((SOURCES[len(plan) % 2][0], []))
        for n, (sid, topic_ids) in enumerate(plan):
            title = f"Berita {sid} {day} nomor {n}" + (" banjir" if "banjir" in topic_ids else "")
            a = _article(sid, day, n, title, hour=1 + n % 20)
            arts.append(a)
            score = ((n * 37) % 11 - 5) / 10.0
            sent.append({"article_id": a["article_id"], "label": "positive" if score > 0.1 else "negative" if score < -0.1 else "neutral",
                         "score": score, "method": "test", "version": "1"})
            for t in topic_ids:
                tops.append({"article_id": a["article_id"], "topic_id": t, "matched_terms": [t], "mentions": 1 + n % 3,
                             "sentiment_score": score / 2})
        # the day's wire story: the original at kabar, a copy at warta
        orig = _article("kabar", day, 900, f"Kabar kawat {day}: banjir rob di pesisir", hour=3, syndication="ANTARA",
                        text=f"Banjir rob pesisir {day} kawat")
        copy = _article("warta", day, 901, f"Kabar kawat {day}: banjir rob di pesisir", hour=5, syndication="ANTARA",
                        text=f"Banjir rob pesisir {day} kawat")
        for a in (orig, copy):
            arts.append(a)
            sent.append({"article_id": a["article_id"], "label": "negative", "score": -0.4, "method": "test", "version": "1"})
            tops.append({"article_id": a["article_id"], "topic_id": "banjir", "matched_terms": ["banjir"], "mentions": 2,
                         "sentiment_score": -0.5})
            stories.append({"article_id": a["article_id"], "story_id": orig["article_id"], "story_size": 2})
        if is_end:
            evil = _article("ledger", day, 999, 'Floods <script>alert("x")</script> & <img src=x onerror=alert(1)>',
                            url="javascript:alert(1)")
            evil["day"] = day
            arts.append(evil)
            arts[-1]["source_id"] = "kabar"
        for sid, _, _ in SOURCES:
            for h in (1, 13):
                empty = is_end and sid == "ledger"  # the silent outlet's feed lists nothing that day
                logs.append({"source_id": sid, "url": f"{HOST}/{sid}/rss.xml", "kind": "feed", "status": 200,
                             "outcome": "ok", "items": 0 if empty else 10, "items_overlap": 0 if empty else 5,
                             "fetched_at": datetime(day.year, day.month, day.day, h, tzinfo=timezone.utc)})
        n_req = 10 if is_end else 2
        for i in range(n_req):
            failed = is_end and i < 8
            logs.append({"source_id": "warta", "url": f"{HOST}/warta/x/{day}/{i}", "kind": "article",
                         "status": 503 if failed else 200, "outcome": "http_error" if failed else "ok",
                         "fetched_at": datetime(day.year, day.month, day.day, 2, i, tzinfo=timezone.utc)})
    with store.connect(db_path) as con:
        store.upsert_sources(con, [_src(*s) for s in SOURCES])
        store.upsert_topics(con, [SimpleNamespace(id=t, name=n, query=t, terms={}) for t, n in TOPICS])
        store.upsert_articles(con, arts)
        store.replace_sentiment(con, sent)
        store.replace_topics(con, [a["article_id"] for a in arts], tops)
        store.replace_stories(con, stories)
        store.replace_fetch_log(con, "seed-run", logs)
    return {"articles": len(arts), "end_articles": sum(1 for a in arts if a["day"] == end)}


def make_config(tmp: Path, *, settings: dict | None = None, last_day: int | None = None,
                topic_names: dict | None = None, end: date = date(2022, 2, 2)) -> Path:
    """A config dir under ``tmp`` for the seeded outlets and topics (``topic_names`` overrides names),
    ``settings`` merged in, and the database seeded by :func:`seed` up to ``end``."""
    cdir = tmp / "config"
    cdir.mkdir(parents=True, exist_ok=True)
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"id": sid, "name": name, "homepage": f"https://news.example/{sid}/", "language": lang,
         "feeds": [f"https://news.example/{sid}/rss.xml"]} for sid, name, lang in SOURCES]}), encoding="utf-8")
    (cdir / "topics.yaml").write_text(yaml.safe_dump({"topics": [{"id": t, "name": (topic_names or {}).get(t, n), "query": t} for t, n in TOPICS]}),
                                      encoding="utf-8")
    s = {"db_path": str(tmp / "data" / "mediamon.duckdb"), "data_dir": str(tmp / "data"),
         "reports_dir": str(tmp / "reports"), "timezone": "Asia/Jakarta", **(settings or {})}
    (cdir / "settings.yaml").write_text(yaml.safe_dump(s), encoding="utf-8")
    seed(tmp / "data" / "mediamon.duckdb", end=end, last_day=last_day)
    return cdir
