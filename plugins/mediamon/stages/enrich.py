"""Enrich stage: sentiment, topics and stories for the run's articles (see :mod:`mediamon.stages`)."""

from __future__ import annotations


from mediamon.enrichment import SENTIMENT_LANGUAGES, score_article, story_rows, story_window
from mediamon.pagepool import prescored
from mediamon.runtime import Runtime

from mediamon.stages.common import _rt, log


def enrich(run_id: str, config_dir: str | None = None, *, fetched: list = (), runtime: Runtime | None = None) -> dict:
    """Stage 5 (DuckDB pool): exact/near-duplicate stories, sentiment and topic matches.

    Sentiment and topics are computed for the run's articles and for any stored article
    still lacking them. Stories are re-clustered over the days the run touched
    (± :data:`mediamon.enrichment.STORY_WINDOW_DAYS`); story ids are deterministic (earliest
    article), so reruns leave the same rows. An article whose sentiment, topics or story
    preparation fails is logged (id, URL, exception) and counted in ``failed``; the others go
    on. Days outside the plausible range (a year-1 day stored by an older extractor) never
    widen the window. ``fetched``: the run's fetch results (or batch refs); sentiment and topics
    the fetch tasks already computed for an article (:func:`mediamon.pagepool.prescored`, same
    content hash) are used as they are (counted in ``prescored``), the others computed here.
    Returns counts."""
    from mediamon.enrich import sentiment, topics

    rt = _rt(config_dir, runtime)
    cfg = rt.config
    scfg = sentiment.SentimentConfig.from_settings(cfg.settings)  # passed to every call, no process-global state
    matchers = [topics.TopicMatcher.from_topic(t) for t in cfg.topics]
    with rt.store.session() as s:
        todo = s.articles_to_enrich(run_id=run_id)
        # self-healing: stored articles in a supported language that still lack sentiment
        ids = {a["article_id"] for a in todo}
        todo.extend(r for r in s.articles_without_sentiment(SENTIMENT_LANGUAGES) if r["article_id"] not in ids)
        sent_rows, topic_rows, failed, unsupported, n_pre = [], [], 0, 0, 0
        pre = prescored(rt.staging, fetched)
        for a in todo:
            try:
                p = pre.get(a["article_id"])
                if p is not None and p[0] == a["content_hash"]:
                    sent, matches = p[1], p[2]  # scored by the fetch task, same text
                    n_pre += 1
                else:
                    sent, matches = score_article(a, matchers, scfg)
            except Exception as e:  # noqa: BLE001 - one article's enrichment never sinks the run
                log.exception("enrichment (sentiment/topics) failed for article %s %s: %s: %s",
                              a["article_id"], a.get("canonical_url"), type(e).__name__, e)
                failed += 1
                continue
            if sent is None:
                unsupported += 1  # no sentiment backend for this language: no row, not a guess
            else:
                sent_rows.append(sent)
            topic_rows.extend(matches)
        s.replace_sentiment(sent_rows)
        s.replace_topics([a["article_id"] for a in todo], topic_rows)
        days = sorted({a["day"] for a in todo})
        stories: list = []
        span = story_window(days, rt.clock.now())
        if days:
            window = s.articles_in_window(*span) if span else []
            # articles stored with an implausible day (an older extractor kept 0001-01-01): clustered
            # with the window instead of stretching it over centuries
            in_window = {a["article_id"] for a in window}
            window += [a for a in todo if a["article_id"] not in in_window and not (span and span[0] <= a["day"] <= span[1])]
            stories, n_bad = story_rows(window, cfg.settings.near_duplicate_threshold)
            failed += n_bad
            s.replace_stories(stories)
    return {"run_id": run_id, "articles": len(todo), "sentiment": len(sent_rows), "topic_matches": len(topic_rows),
            "stories": len({r.story_id for r in stories}), "clustered_articles": len(stories), "failed": failed,
            "no_sentiment_backend": unsupported, "prescored": n_pre, "days": [d.isoformat() for d in days]}
