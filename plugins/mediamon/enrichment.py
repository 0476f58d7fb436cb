"""Enrichment of stored articles: sentiment and topic matches per article, and story rows
(exact and near duplicates) over a window of days. Used by :func:`mediamon.stages.enrich`.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone
from typing import Any

from mediamon.records import SentimentRow, StoryRow, TopicMatchRow

__all__ = ["SENTIMENT_LANGUAGES", "STORY_WINDOW_DAYS", "story_window", "score_article", "topic_rows", "story_rows"]

log = logging.getLogger(__name__)

SENTIMENT_LANGUAGES = ("en", "id", "ms")
STORY_WINDOW_DAYS = 3  # near-duplicate clustering looks this many days around the run's articles


def _sentiment_supports(sentiment_mod: Any, lang: str, config: Any = None) -> bool:
    try:
        sentiment_mod.get_backend(lang, config=config)
        return True
    except sentiment_mod.UnsupportedLanguageError:
        return False


def story_window(days: list[date], now: datetime) -> tuple[date, date] | None:
    """Days to re-cluster for a run touching ``days`` (sorted): ``(first - STORY_WINDOW_DAYS,
    last + STORY_WINDOW_DAYS)`` over the plausible days only (1990-01-01 .. ``now`` + 1 day,
    UTC; see :func:`mediamon.util.dates.plausible_date`), or None when no day is plausible. Never
    raises: a stored year-1 day is left out (logged) instead of overflowing the date arithmetic."""
    from mediamon.util.dates import EARLIEST_PLAUSIBLE_DATE, FUTURE_TOLERANCE

    lo, hi = EARLIEST_PLAUSIBLE_DATE.date(), (now + FUTURE_TOLERANCE).date()
    ok = [d for d in days if lo <= d <= hi]
    if len(ok) < len(days):
        log.warning("story window: implausible article days left out: %s", [d.isoformat() for d in days if d not in ok])
    if not ok:
        return None
    return ok[0] - timedelta(days=STORY_WINDOW_DAYS), ok[-1] + timedelta(days=STORY_WINDOW_DAYS)


def score_article(a: dict, matchers: list, config: Any = None) -> tuple[SentimentRow | None, list[TopicMatchRow]]:
    """Sentiment of article ``a`` (a store row: article_id, text, title, language;
    :func:`mediamon.enrich.sentiment.score_article_text`: title and lead weighted, boilerplate left
    out) and its topic matches, each with the sentiment toward the topic
    (:func:`mediamon.enrich.sentiment.target_sentiment` over the sentences mentioning it). No sentiment
    row for a language without a backend (not a guess). ``config``: the
    :class:`mediamon.enrich.sentiment.SentimentConfig` to score with (None: the process
    default). Raises what the backend raises."""
    from mediamon.enrich import sentiment

    lang = a["language"] or "und"
    scorable = _sentiment_supports(sentiment, lang, config)
    sent = None
    if scorable:
        res = sentiment.score_article_text(a["text"] or "", lang, title=a.get("title"), config=config)
        sent = SentimentRow(article_id=a["article_id"], label=res.label, score=res.score, method=res.method,
                            version=res.version, n_sentences=res.n_sentences)
    return sent, topic_rows(a, matchers, config, scorable=scorable)


def topic_rows(a: dict, matchers: list, config: Any = None, *, scorable: bool | None = None) -> list[TopicMatchRow]:
    """The topic matches of article ``a`` (article_id, text, title, language) for ``matchers``
    (:class:`mediamon.enrich.topics.TopicMatcher`), each with its prominence, the matcher's topic
    version and the sentiment of the sentences mentioning the topic (None when the language has
    no sentiment backend; ``scorable`` skips that check when the caller knows). Raises what the
    sentiment backend raises."""
    from mediamon.enrich import sentiment, topics

    lang = a["language"] or "und"
    if scorable is None:
        scorable = _sentiment_supports(sentiment, lang, config)
    rows = []
    for m in topics.match_topics(matchers, a["text"], a["title"], lang):
        # sentiment toward the topic: the clauses of the sentences that mention its matched terms
        ts = None
        if m.sentences and scorable:
            ts = sentiment.target_sentiment("\n".join(m.sentences), list(m.terms), lang, config=config)
            if ts is None:  # the matcher's terms (e.g. query syntax) not found verbatim: the sentences' tone
                r = sentiment.score_text("\n".join(m.sentences), lang, config=config)
                ts = (r.score, r.label)
        method = sentiment.get_backend(lang, config=config).name if ts else None
        rows.append(TopicMatchRow(article_id=a["article_id"], topic_id=m.topic_id, matched_terms=list(m.terms),
                                  mentions=m.count, sentiment_label=ts[1] if ts else None,
                                  sentiment_score=ts[0] if ts else None, sentiment_method=method,
                                  in_title=m.in_title, in_lead=m.in_lead, body_mentions=m.body_mentions,
                                  prominence=m.prominence, topic_version=m.version))
    return rows


def story_rows(window: list[dict], threshold: float) -> tuple[list[StoryRow], int]:
    """Story rows of the articles in ``window`` (store rows with article_id, content_hash,
    minhash, published_at, fetched_at, ...): near-duplicate clusters at Jaccard ``threshold``,
    story id = earliest article, ``exact_duplicate_of`` = earliest article with the same
    content hash. An article whose preparation fails is logged and left out. Returns
    ``(rows, failed)``."""
    from mediamon.analytics import stories

    failed = 0
    ready = []
    for a in window:
        try:
            a["signature"] = a.pop("minhash")
            for k in ("published_at", "fetched_at"):
                if isinstance(a[k], datetime):
                    a[k] = a[k].astimezone(timezone.utc).isoformat()
            ready.append(a)
        except Exception as e:  # noqa: BLE001 - one article's story never sinks the run
            log.exception("story clustering skipped article %s %s: %s: %s",
                          a["article_id"], a.get("canonical_url"), type(e).__name__, e)
            failed += 1
    story_of = stories.cluster_stories(ready, threshold=threshold)
    exact: dict[str, str] = {}
    order = sorted(ready, key=lambda a: (a["published_at"] or a["fetched_at"] or "", a["fetched_at"] or "", a["article_id"]))
    for a in order:
        exact.setdefault(a["content_hash"], a["article_id"])
    sizes: dict[str, int] = {}
    for sid in story_of.values():
        sizes[sid] = sizes.get(sid, 0) + 1
    rows = []
    for a in ready:
        sid = story_of.get(a["article_id"], a["article_id"])
        first = exact[a["content_hash"]]
        rows.append(StoryRow(article_id=a["article_id"], story_id=sid,
                             exact_duplicate_of=first if first != a["article_id"] else None,
                             story_size=sizes.get(sid, 1)))
    return rows, failed
