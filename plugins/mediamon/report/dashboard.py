"""Report view model for the period sections of ``index.html``: volume trend with spikes, sentiment
per topic, share of voice, top stories, outlets, data quality, and the capped article list.

One job: turn the store's period report data (:func:`mediamon.store.reporting.period_report_data`)
into what the page draws: chart SVG (:mod:`.charts`) plus the same numbers as tables (each chart's
fallback), cleaned web text and safe links. No files, no HTML templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import mediamon.report.charts as charts
from mediamon.report.view import PALETTE, _fmt_dt, _int, _num, _score, _short_time, clean_text, safe_url

__all__ = ["EXTRA_TABLES", "build_dashboard", "spike_days"]

# extra report tables (CSV/Parquet exports), columns in order
EXTRA_TABLES = {
    "topics": ["topic_id", "topic_name", "articles", "unique_stories", "mentions", "positive", "neutral", "negative",
               "mean_sentiment", "mean_topic_sentiment"],
    "trends": ["day", "topic_id", "topic_name", "articles", "ma7", "ma28", "change", "baseline", "baseline_mad",
               "spike_score", "is_spike"],
    "share_of_voice": ["comparison_set", "topic_id", "topic_name", "articles", "share", "mentions"],
    "top_stories": ["topic_id", "topic_name", "rank", "story_id", "title", "url", "placements", "outlets",
                    "original_source", "first_published_at", "wire", "sources"],
    "outlets": ["source_id", "source_name", "articles", "unique_stories", "originals", "copies", "topic_placements",
                "positive", "neutral", "negative", "mean_sentiment"],
    "source_health": ["source_id", "source_name", "feed_polls", "feed_items", "empty_feed_polls", "rotated_feed_polls",
                      "requests", "fetch_errors", "extraction_failures", "articles", "baseline", "silent", "silent_days",
                      "empty_feed", "feed_rotated", "error_rate"],
}


def _day(v: Any) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def spike_days(trends: list[Mapping], min_score: float, min_articles: int) -> set[tuple[str, date]]:
    """``{(topic_id, day)}`` of trend rows whose ``spike_score`` >= ``min_score`` with at least
    ``min_articles`` articles (the spike alert rule's test, so chart markers and alerts agree)."""
    out = set()
    for r in trends:
        s, d = _num(r.get("spike_score")), _day(r.get("day"))
        if s is not None and d is not None and s >= min_score and _int(r.get("articles")) >= min_articles:
            out.add((str(r.get("topic_id")), d))
    return out


def _volume(trends: list[dict], spikes: set, max_series: int = 8) -> dict:
    days = sorted({d for d in (_day(r.get("day")) for r in trends) if d})
    by_topic: dict[str, dict] = {}
    for r in trends:
        d = _day(r.get("day"))
        if d is None:
            continue
        tid = str(r.get("topic_id"))
        t = by_topic.setdefault(tid, {"id": tid, "name": clean_text(r.get("topic_name") or tid, 40), "values": {}})
        t["values"][d] = _int(r.get("articles"))
    topics = sorted(by_topic.values(), key=lambda t: (-sum(t["values"].values()), t["name"].lower()))[:max_series]
    series, marks = [], []
    for i, t in enumerate(topics):
        vals = [t["values"].get(d, 0) for d in days]
        series.append((t["name"], PALETTE[i % len(PALETTE)], vals))
        marks += [(i, j) for j, d in enumerate(days) if (t["id"], d) in spikes]
    svg = charts.line_chart("volume", days, series, marks, label="Articles per topic and day") if days and series else ""
    rows = [{"day": d.isoformat(), "cells": [{"n": t["values"].get(d, 0), "spike": (t["id"], d) in spikes} for t in topics]}
            for d in days]
    return {"svg": svg, "topics": [t["name"] for t in topics], "rows": rows,
            "spikes": [{"topic": topics[i]["name"], "day": days[j].isoformat(), "n": series[i][2][j]} for i, j in marks]}


def _sentiment(topics: list[dict]) -> dict:
    rows = []
    for r in topics:
        p, u, n = _int(r.get("positive")), _int(r.get("neutral")), _int(r.get("negative"))
        rows.append({"name": clean_text(r.get("topic_name") or r.get("topic_id"), 40), "articles": _int(r.get("articles")),
                     "positive": p, "neutral": u, "negative": n, "mean": _score(r.get("mean_sentiment")),
                     "topic_mean": _score(r.get("mean_topic_sentiment")), "mentions": _int(r.get("mentions"))})
    shown = [r for r in rows if r["positive"] + r["neutral"] + r["negative"]]
    svg = charts.stacked_bars("sentiment", [r["name"] for r in shown],
                              [("positive", charts.POS, [r["positive"] for r in shown]),
                               ("neutral", charts.NEU, [r["neutral"] for r in shown]),
                               ("negative", charts.NEG, [r["negative"] for r in shown])],
                              label="Sentiment split per topic") if shown else ""
    return {"svg": svg, "rows": rows}


def _sov(rows_in: list[dict]) -> dict:
    rows = [{"set": clean_text(r.get("comparison_set")), "name": clean_text(r.get("topic_name") or r.get("topic_id"), 40),
             "articles": _int(r.get("articles")), "pct": round(100.0 * (_num(r.get("share")) or 0.0), 1)} for r in rows_in]
    shown = [r for r in rows if r["articles"]]
    sets = sorted({r["set"] for r in shown})
    label = (lambda r: f"{r['name']} ({r['set']})") if len(sets) > 1 else (lambda r: r["name"])
    svg = charts.bar_chart("sov", [label(r) for r in shown], [r["pct"] for r in shown], percent=True,
                           label="Share of voice per topic", xlabel="% of the comparison set's placements") if shown else ""
    return {"svg": svg, "rows": rows}


def _top_stories(rows_in: list[dict]) -> list[dict]:
    groups: dict[str, dict] = {}
    for r in rows_in:
        tid = str(r.get("topic_id"))
        g = groups.setdefault(tid, {"name": clean_text(r.get("topic_name") or tid), "stories": []})
        g["stories"].append({"rank": _int(r.get("rank")), "title": clean_text(r.get("title"), 200) or "(untitled)",
                             "url": safe_url(r.get("url")), "raw_url": clean_text(r.get("url"), 120),
                             "placements": _int(r.get("placements")), "outlets": _int(r.get("outlets")),
                             "original": clean_text(r.get("original_source")), "wire": clean_text(r.get("wire")),
                             "first": _fmt_dt(r.get("first_published_at")),
                             "first_short": _short_time(r.get("first_published_at")),
                             "sources": clean_text(r.get("sources"), 200)})
    return list(groups.values())


def _outlets(rows_in: list[dict]) -> list[dict]:
    return [{"name": clean_text(r.get("source_name") or r.get("source_id")), "articles": _int(r.get("articles")),
             "stories": _int(r.get("unique_stories")), "originals": _int(r.get("originals")),
             "copies": _int(r.get("copies")), "topics": _int(r.get("topic_placements")),
             "positive": _int(r.get("positive")), "neutral": _int(r.get("neutral")), "negative": _int(r.get("negative")),
             "mean": _score(r.get("mean_sentiment"))} for r in rows_in]


def _health(rows_in: list[dict], max_rate: float, min_requests: int) -> dict:
    rows, silent, empty, failing = [], [], [], []
    for r in rows_in:
        name = clean_text(r.get("source_name") or r.get("source_id"))
        rate = _num(r.get("error_rate"))
        req = _int(r.get("requests"))
        row = {"name": name, "feed_polls": _int(r.get("feed_polls")), "empty_polls": _int(r.get("empty_feed_polls")),
               "items_seen": _int(r.get("feed_items")) if r.get("feed_items") is not None else None,
               "rotated": bool(r.get("feed_rotated")),
               "requests": req, "fetch_errors": _int(r.get("fetch_errors")),
               "extraction_failures": _int(r.get("extraction_failures")), "articles": _int(r.get("articles")),
               "baseline": _num(r.get("baseline")), "silent": bool(r.get("silent")),
               "empty_feed": bool(r.get("empty_feed")), "rate": f"{100 * rate:.0f}%" if rate is not None else "",
               "failing": rate is not None and rate >= max_rate and req >= min_requests}
        row["baseline_text"] = f"{row['baseline']:g}" if row["baseline"] is not None else ""
        row["flagged"] = row["silent"] or row["empty_feed"] or row["failing"]
        rows.append(row)
        for flag, names in (("silent", silent), ("empty_feed", empty), ("failing", failing)):
            if row[flag]:
                names.append(name)
    return {"rows": rows, "silent": silent, "empty": empty, "failing": failing,
            "fetch_errors": sum(r["fetch_errors"] for r in rows),
            "extraction_failures": sum(r["extraction_failures"] for r in rows)}


def build_dashboard(d: Mapping, *, max_articles: int = 200, spike_min_score: float = 3.5, spike_min_articles: int = 3,
                    error_max_rate: float = 0.5, error_min_requests: int = 10) -> dict:
    """View model of the period sections from checked report data ``d`` (lists of dicts under the
    :data:`EXTRA_TABLES` keys plus ``articles``; missing keys are empty). ``max_articles`` caps the
    article list (the exports keep every row); the spike and error-rate thresholds are the alert
    rules' so the page flags what the alerts fire on. Returns a dict of sections, each with
    ``svg`` (inline SVG text, '' when there is nothing to draw) and the table rows of the chart."""
    trends = list(d.get("trends") or [])
    spikes = spike_days(trends, spike_min_score, spike_min_articles)
    arts = list(d.get("articles") or [])
    return {
        "volume": _volume(trends, spikes),
        "sentiment": _sentiment(list(d.get("topics") or [])),
        "sov": _sov(list(d.get("share_of_voice") or [])),
        "top_stories": _top_stories(list(d.get("top_stories") or [])),
        "outlets": _outlets(list(d.get("outlets") or [])),
        "health": _health(list(d.get("source_health") or []), error_max_rate, error_min_requests),
        "articles_total": len(arts),
        "articles_cap": max_articles,
    }
