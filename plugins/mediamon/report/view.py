"""Report view model: the store's daily report data checked and turned into what the page and the
text summary show (tables, matrix cells, share-of-voice and sentiment bar geometry, cleaned web text).

One job: :func:`build_view` (and the input check :func:`check_data`); no files, no HTML. Writing
the report is :mod:`mediamon.report.render`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

__all__ = ["PALETTE", "COVERAGE_COLUMNS", "SENTIMENT_COLUMNS", "STORY_COLUMNS", "ARTICLE_COLUMNS", "safe_url", "clean_text",
           "check_data", "build_view"]

# the report's tables (CSV files and page sections), columns in order
COVERAGE_COLUMNS = ["source_id", "source_name", "topic_id", "topic_name", "articles", "unique_stories",
                    "mean_sentiment", "positive", "neutral", "negative", "share_of_voice"]
SENTIMENT_COLUMNS = ["source_id", "source_name", "positive", "neutral", "negative", "mean_sentiment"]
STORY_COLUMNS = ["story_id", "size", "sources", "title", "first_published_at", "syndication"]
ARTICLE_COLUMNS = ["article_id", "source_name", "title", "url", "published_at", "language", "sentiment_label",
                   "sentiment_score", "topics", "story_id", "syndication"]
_TABLES = {"coverage": COVERAGE_COLUMNS, "sentiment": SENTIMENT_COLUMNS, "stories": STORY_COLUMNS,
           "articles": ARTICLE_COLUMNS}

# Colour-blind-safe qualitative palette (Okabe & Ito 2008, "Color Universal Design").
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_WS_RE = re.compile(r"\s+")



# ----------------------------------------------------------------------------- helpers
def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host, else None (no javascript:, data:, ...)."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or _CONTROL_RE.search(u) or " " in u:
        return None
    return u


def clean_text(value: Any, max_len: int | None = None) -> str:
    """One-line display text: control/bidi characters removed, whitespace collapsed, optional cut with '…'."""
    if value is None:
        return ""
    s = _WS_RE.sub(" ", _CONTROL_RE.sub("", str(value))).strip()
    if max_len and len(s) > max_len:
        s = s[: max_len - 1].rstrip() + "…"
    return s


def _num(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def _int(v: Any) -> int:
    f = _num(v)
    return int(f) if f is not None else 0


def _fmt_dt(v: Any) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, datetime):
        return v.isoformat()
    return clean_text(v)


def _short_time(v: Any) -> str:
    """'2022-02-02T12:15:00+07:00' -> '12:15 +07:00'; other values shown as given."""
    s = _fmt_dt(v)
    m = re.match(r"^\d{4}-\d{2}-\d{2}[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", s)
    if not m:
        return s
    tz = m.group(2) or ""
    return f"{m.group(1)} {'UTC' if tz in ('Z', '+00:00', '+0000') else tz}".strip()


def _score(v: Any) -> str:
    f = _num(v)
    return "" if f is None else f"{f:+.2f}"


def _pct(v: Any) -> float:
    """Share in [0,1] (or percent in (1,100]) -> percent clamped to [0, 100]."""
    f = _num(v)
    if f is None:
        return 0.0
    if f > 1.0:
        f = f / 100.0
    return round(max(0.0, min(1.0, f)) * 100.0, 1)


def _rows(data: Mapping, key: str) -> list[dict]:
    rows = data.get(key)
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
        raise ValueError(f"report data[{key!r}] must be a list of dicts, got {type(rows).__name__}")
    return [dict(r) for r in rows]


def _check(day: Any, data: Any) -> dict:
    if not isinstance(day, date):
        raise TypeError(f"report day must be a datetime.date, got {type(day).__name__}")
    if not isinstance(data, Mapping):
        raise TypeError(f"report data must be a dict, got {type(data).__name__}")
    summary = data.get("summary") or {}
    if not isinstance(summary, Mapping):
        raise ValueError(f"report data['summary'] must be a dict, got {type(summary).__name__}")
    day_iso = day.date().isoformat() if isinstance(day, datetime) else day.isoformat()
    sdate = summary.get("date")
    if sdate not in (None, "") and str(sdate)[:10] != day_iso:
        raise ValueError(f"report data['summary']['date'] is {sdate!r} but the report day is {day_iso}")
    out = {k: _rows(data, k) for k in _TABLES}
    arts = out["articles"]
    out["summary"] = {
        "articles": _int(summary.get("articles", len(arts))),
        "sources": _int(summary.get("sources", len({a.get("source_name") for a in arts}))),
        "stories": _int(summary.get("stories", len({a.get("story_id") for a in arts if a.get("story_id") is not None}))),
        "duplicates": _int(summary.get("duplicates", 0)),
        "date": day_iso,
    }
    return out


# ----------------------------------------------------------------------------- view model
def _is_all(topic_id: Any) -> bool:
    return topic_id is None or topic_id == ""


def _view(d: dict) -> dict:
    """Numbers and labels the template draws; all text still raw (the template escapes it)."""
    cov, sent, stories, arts = d["coverage"], d["sentiment"], d["stories"], d["articles"]

    # sources in order: by total articles (desc), then name
    totals: dict[str, dict] = {}
    for r in cov:
        sid = str(r.get("source_id") or r.get("source_name") or "")
        t = totals.setdefault(sid, {"id": sid, "name": clean_text(r.get("source_name") or sid), "articles": 0,
                                    "unique_stories": 0, "has_all": False})
        if _is_all(r.get("topic_id")):
            t.update(articles=_int(r.get("articles")), unique_stories=_int(r.get("unique_stories")), has_all=True)
    for r in sent:
        sid = str(r.get("source_id") or r.get("source_name") or "")
        totals.setdefault(sid, {"id": sid, "name": clean_text(r.get("source_name") or sid), "articles": 0,
                                "unique_stories": 0, "has_all": False})
    for t in totals.values():
        if not t["has_all"]:  # no all-topics row: fall back to the articles list
            t["articles"] = sum(1 for a in arts if clean_text(a.get("source_name")) == t["name"])
    sources = sorted(totals.values(), key=lambda t: (-t["articles"], t["name"].lower()))
    for i, s in enumerate(sources):
        s["color"] = PALETTE[i % len(PALETTE)]
    max_articles = max([s["articles"] for s in sources] + [1])
    for s in sources:
        s["bar"] = round(100.0 * s["articles"] / max_articles, 1)
        s["stories_bar"] = round(100.0 * s["unique_stories"] / max_articles, 1)

    # topics in order of first appearance
    topics: list[dict] = []
    seen = set()
    for r in cov:
        tid = r.get("topic_id")
        if not _is_all(tid) and tid not in seen:
            seen.add(tid)
            topics.append({"id": str(tid), "name": clean_text(r.get("topic_name") or tid)})
    cells = {(str(r.get("source_id") or r.get("source_name") or ""), str(r.get("topic_id"))): r
             for r in cov if not _is_all(r.get("topic_id"))}
    max_cell = max([_int(r.get("articles")) for r in cells.values()] + [1])
    matrix = []
    for s in sources:
        row = []
        for t in topics:
            r = cells.get((s["id"], t["id"]))
            n = _int(r.get("articles")) if r else 0
            # topic cells prefer the sentiment of the sentences about the topic when the store gives it
            ms = (_num(r.get("mean_topic_sentiment")) if r and _num(r.get("mean_topic_sentiment")) is not None
                  else _num(r.get("mean_sentiment")) if r else None)
            row.append({"articles": n, "unique_stories": _int(r.get("unique_stories")) if r else 0,
                        "sov": _pct(r.get("share_of_voice")) if r else 0.0,
                        "mean": ms, "mean_text": _score(ms),
                        "tone": "pos" if (ms or 0) > 0.05 else "neg" if (ms or 0) < -0.05 else "neu",
                        "heat": round(0.08 + 0.62 * n / max_cell, 2) if n else 0})
        matrix.append({"source": s, "cells": row})

    # share of voice per topic: stacked bar of sources
    sov = []
    for t in topics:
        segs = []
        for s in sources:
            r = cells.get((s["id"], t["id"]))
            if r and _int(r.get("articles")):
                segs.append({"name": s["name"], "color": s["color"], "pct": _pct(r.get("share_of_voice")),
                             "articles": _int(r.get("articles"))})
        total = sum(g["articles"] for g in segs)
        for g in segs:  # bar widths from counts so the stack always sums to 100 %
            g["width"] = round(100.0 * g["articles"] / total, 1) if total else 0.0
        sov.append({"topic": t, "segments": segs, "total": total})

    # sentiment split per source
    sent_rows = []
    for r in sent:
        p, n0, n = _int(r.get("positive")), _int(r.get("neutral")), _int(r.get("negative"))
        tot = p + n0 + n
        ms = _num(r.get("mean_sentiment"))
        sid = str(r.get("source_id") or r.get("source_name") or "")
        sent_rows.append({"name": clean_text(r.get("source_name") or sid), "positive": p, "neutral": n0,
                          "negative": n, "total": tot, "mean": ms, "mean_text": _score(ms),
                          "p_pct": round(100.0 * p / tot, 1) if tot else 0, "u_pct": round(100.0 * n0 / tot, 1) if tot else 0,
                          "n_pct": round(100.0 * n / tot, 1) if tot else 0,
                          "marker": round(50.0 + 50.0 * max(-1.0, min(1.0, ms)), 1) if ms is not None else None})
    sent_rows.sort(key=lambda r: -r["total"])
    agg = {k: sum(r[k] for r in sent_rows) for k in ("positive", "neutral", "negative")}

    # stories with more than one copy first
    story_rows = []
    for r in stories:
        story_rows.append({"id": clean_text(r.get("story_id")), "size": _int(r.get("size")),
                           "sources": clean_text(r.get("sources")), "title": clean_text(r.get("title"), 200),
                           "first": _fmt_dt(r.get("first_published_at")),
                           "first_short": _short_time(r.get("first_published_at")),
                           "syndication": clean_text(r.get("syndication"))})
    story_rows.sort(key=lambda r: (-r["size"], r["first"], r["title"]))
    multi = [r for r in story_rows if r["size"] > 1]

    article_rows = []
    for a in arts:
        label = clean_text(a.get("sentiment_label")).lower()
        topics_v = a.get("topics")
        if isinstance(topics_v, (list, tuple, set)):
            topics_v = ", ".join(str(x) for x in topics_v)
        article_rows.append({"id": clean_text(a.get("article_id")), "source": clean_text(a.get("source_name")),
                             "title": clean_text(a.get("title"), 220) or "(untitled)",
                             "url": safe_url(a.get("url")), "raw_url": clean_text(a.get("url"), 120),
                             "published": _fmt_dt(a.get("published_at")),
                             "published_short": _short_time(a.get("published_at")),
                             "language": clean_text(a.get("language")),
                             "label": label if label in ("positive", "neutral", "negative") else "",
                             "score": _score(a.get("sentiment_score")), "topics": clean_text(topics_v),
                             "story": clean_text(a.get("story_id")), "syndication": clean_text(a.get("syndication"))})
    # articles keep the order given (the store's query orders them by publication time)
    story_sizes = {r["id"]: r["size"] for r in story_rows}
    for r in article_rows:
        r["copies"] = story_sizes.get(r["story"], 1)

    return {"sources": sources, "topics": topics, "matrix": matrix, "sov": sov, "sentiment": sent_rows,
            "sentiment_total": agg, "stories": story_rows, "multi_stories": multi, "articles": article_rows}


# public names for the renderer (the underscored ones stay as they were, so the move keeps their history)
check_data = _check
build_view = _view
