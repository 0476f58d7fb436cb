"""Versioned topics: apply a new or changed topic definition to the articles already stored.

A topic's version is the sha1 of its matching definition
(:func:`mediamon.enrich.topics.version.topic_version`). The enrich stage calls
:func:`sync_topics`: every configured topic whose version differs from the one in force in
``topic_versions`` (new topic, edited terms or query, or new matching rules) is re-matched
against the stored articles of the last ``settings.topic_backfill_days`` days, a page of
:data:`PAGE` articles at a time (bounded memory), replacing only that topic's
``article_topics`` rows, with no refetch; the ``daily_coverage`` days already built in the
window are rebuilt so SQL users see the new counts at once. ``mediamon topics rerun --since D``
(:func:`apply_topics` with ``reason='rerun'``) does the same on demand for any range.
Every application is recorded in ``topic_versions`` and logged. A topic removed from
``topics.yaml`` keeps its stored rows (history); the report shows configured topics only.

:func:`preview` runs an ad-hoc query over stored articles without writing anything
(``mediamon topics test``).
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from typing import Any

from mediamon.enrichment import topic_rows

__all__ = ["PAGE", "pending_topics", "apply_topics", "sync_topics", "preview"]

log = logging.getLogger("mediamon.topics")

PAGE = 2000  # articles read (with their text) per query during a backfill


def pending_topics(session: Any, topics: list) -> list[tuple[Any, str]]:
    """``[(topic, reason)]`` for the configured ``topics`` whose version is not the one in force:
    reason ``'new'`` (never applied) or ``'changed'``. ``session``: a
    :class:`mediamon.ports.StoreSession`."""
    from mediamon.enrich.topics.version import topic_version

    in_force = session.topic_versions_in_force()
    out = []
    for t in topics:
        v = topic_version(t)
        if in_force.get(t.id) != v:
            out.append((t, "new" if t.id not in in_force else "changed"))
    return out


def apply_topics(session: Any, topics: list, *, since: date | None, now: datetime, reason: str | dict,
                 sentiment_config: Any = None, page: int = PAGE, scan: bool = True) -> dict:
    """Re-match ``topics`` (config Topics) against the stored articles with ``day >= since``
    (None: every stored article), replacing only these topics' ``article_topics`` rows; rebuild
    the ``daily_coverage`` days already built from ``since`` on; record one ``topic_versions`` row
    per topic (``reason``: 'new' | 'changed' | 'rerun', or ``{topic_id: reason}``) at ``now``
    (aware UTC). An article whose matching fails is logged and counted, the others go on.
    Returns ``{"topics": [ids], "since": iso | None, "articles": n scanned, "matches": n,
    "failed": n, "failed_ids": [article ids], "coverage_days": n rebuilt}``. ``scan=False`` records the versions only
    (``backfill_since`` NULL, nothing re-matched)."""
    from mediamon.enrich import topics as topics_mod
    from mediamon.enrich.topics.version import topic_definition

    if not topics:
        return {"topics": [], "since": since.isoformat() if since else None, "articles": 0, "matches": 0, "failed": 0,
                "failed_ids": [], "coverage_days": 0}
    matchers = [topics_mod.TopicMatcher.from_topic(t) for t in topics]
    ids = [t.id for t in topics]
    scanned, failed_ids = 0, []
    per_topic = dict.fromkeys(ids, 0)
    after = None
    while scan:
        batch = session.articles_for_topic_match(since=since, after=after, limit=page)
        if not batch:
            break
        rows = []
        for a in batch:
            try:
                rows.extend(topic_rows(a, matchers, sentiment_config))
            except Exception as e:  # noqa: BLE001 - one article never sinks the backfill
                failed_ids.append(a["article_id"])
                log.exception("topic backfill: matching failed for article %s %s: %s: %s", a["article_id"],
                              a.get("canonical_url"), type(e).__name__, e)
        session.replace_topic_matches([a["article_id"] for a in batch], ids, rows)
        for r in rows:
            per_topic[r.topic_id] += 1
        scanned += len(batch)
        after = batch[-1]["article_id"]
        if len(batch) < page:
            break
    if not scan:
        since = None
    days = session.coverage_days_since(since) if scan else []
    for d in days:
        session.build_daily_coverage(d)
    for t, m in zip(topics, matchers):
        why = reason.get(t.id, "rerun") if isinstance(reason, dict) else reason
        session.record_topic_version(topic_id=t.id, version=m.version, definition=topic_definition(t), applied_at=now,
                                     backfill_since=since, articles_scanned=scanned, matches=per_topic[t.id], reason=why)
        log.info("topic %r version %s (%s) applied to %d stored articles since %s: %d matches", t.id, m.version, why,
                 scanned, since.isoformat() if since else "the first", per_topic[t.id])
    return {"topics": ids, "since": since.isoformat() if since else None, "articles": scanned,
            "matches": sum(per_topic.values()), "failed": len(failed_ids), "failed_ids": failed_ids,
            "coverage_days": len(days)}


def sync_topics(session: Any, cfg: Any, now: datetime, sentiment_config: Any = None) -> dict:
    """Apply every configured topic that is new or changed since it was last applied (see the module
    docstring) over the ``cfg.settings.topic_backfill_days`` days up to the newest stored article day
    not after ``now`` (UTC; 0 days: record the version, re-match nothing). Called by the enrich stage after the run's own
    articles are matched. Returns :func:`apply_topics`' counts plus ``"pending"`` ({id: reason})."""
    todo = pending_topics(session, list(cfg.topics))
    if not todo:
        return {"pending": {}, "topics": [], "articles": 0, "matches": 0, "failed": 0, "failed_ids": [], "coverage_days": 0,
                "since": None}
    days = cfg.settings.topic_backfill_days
    # the window ends at the newest stored article (not today), so an archive or a demo of past days is covered
    end = session.latest_article_day(now.date()) or now.date()
    since = end - timedelta(days=days)
    reasons = {t.id: why for t, why in todo}
    out = apply_topics(session, [t for t, _ in todo], since=since, now=now, reason=reasons,
                       sentiment_config=sentiment_config, scan=days > 0)
    return {"pending": reasons, **out}


def _snippet(sentence: str, terms: list[str], width: int = 160) -> str:
    """``sentence`` cut to about ``width`` characters around the first matched term, every
    occurrence of a matched term (case-insensitive) marked as ``[term]``."""
    s = " ".join(sentence.split())
    pats = [re.escape(t.rstrip("*")) + (r"\w*" if t.endswith("*") else "") for t in sorted(terms, key=len, reverse=True)]
    rx = re.compile(r"(?<!\w)(" + "|".join(pats) + r")(?!\w)", re.IGNORECASE) if pats else None
    m = rx.search(s) if rx else None
    if len(s) > width:
        start = max(0, (m.start() if m else 0) - width // 3)
        s = ("…" if start else "") + s[start:start + width] + ("…" if start + width < len(s) else "")
    return rx.sub(lambda mm: f"[{mm.group(1)}]", s) if rx else s


def preview(session: Any, query: str, *, since: date | None, language: str | None = None, limit: int = 20,
            page: int = PAGE) -> dict:
    """Matches of the ad-hoc topic ``query`` over the stored articles with ``day >= since`` (None:
    all) and, when given, in ``language``; nothing is written. Raises ``ValueError`` with
    ``at position N`` for a malformed query. Returns ``{"query", "since", "scanned", "matched",
    "matches": [{"article_id", "day", "source_id", "title", "url", "language", "prominence",
    "mentions", "terms", "snippet"}] (first ``limit`` in article_id order)}``."""
    from mediamon.config.query import parse_query
    from mediamon.enrich.topics import TopicMatcher

    matcher = TopicMatcher("preview", query=parse_query(query))
    scanned, matched, shown = 0, 0, []
    after = None
    while True:
        batch = session.articles_for_topic_match(since=since, after=after, limit=page)
        for a in batch:
            if language and a["language"] != language:
                continue
            scanned += 1
            m = matcher.match(a["text"], a["title"], a["language"])
            if m is None:
                continue
            matched += 1
            if len(shown) < limit:
                first = next((s for s in m.sentences if s != (a["title"] or "").strip()), m.sentences[0] if m.sentences else "")
                shown.append({"article_id": a["article_id"], "day": a["day"].isoformat() if a["day"] else None,
                              "source_id": a["source_id"], "title": a["title"], "url": a["canonical_url"],
                              "language": a["language"], "prominence": m.prominence, "mentions": m.count,
                              "terms": m.terms, "snippet": _snippet(first, m.terms)})
        if len(batch) < page:
            break
        after = batch[-1]["article_id"]
    return {"query": query, "since": since.isoformat() if since else None, "scanned": scanned, "matched": matched,
            "matches": shown}
