"""Enrich stage: sentiment, topics and stories for the run's articles (see :mod:`mediamon.stages`)."""

from __future__ import annotations


from mediamon import topicsync
from mediamon.enrichment import SENTIMENT_LANGUAGES, score_article, update_stories
from mediamon.pagepool import prescored
from mediamon.runtime import STORY_LOCK, Runtime, article_locks

from mediamon.stages.common import _rt, log


def enrich(run_id: str, config_dir: str | None = None, *, fetched: list = (), runtime: Runtime | None = None) -> dict:
    """Stage 5 (DuckDB pool): exact/near-duplicate stories, sentiment and topic matches.

    Sentiment and topics are computed for the run's articles and for any stored article
    still lacking them. Articles not yet in a story are assigned incrementally
    (:func:`mediamon.enrichment.update_stories`: persisted band keys, exact verification, stable
    story ids, merges recorded); stored articles keep their story, so reruns change nothing. An article whose sentiment, topics or story
    preparation fails is logged (id, URL, exception) and counted in ``failed``; the others go
    on. Days outside the plausible range (a year-1 day stored by an older extractor) never
    widen the window. Topics new or changed since they were last applied are then re-matched over
    the stored articles of the ``settings.topic_backfill_days`` days up to the newest stored article
    (:func:`mediamon.topicsync.sync_topics`; counts under ``topic_backfill``). ``fetched``: the run's
    fetch results (or batch refs); sentiment and topics the fetch tasks already computed for an
    article (:func:`mediamon.pagepool.prescored`, same content hash) are used as they are (counted in
    ``prescored``), the others computed here. Articles are read, then scored outside any unit of work;
    sentiment/topic rows are written under the articles' host locks, topic backfill and story
    assignment under ``stories:all``, one writer at a time (docs/ducklake.md). Returns counts."""
    from mediamon.enrich import sentiment, topics

    rt = _rt(config_dir, runtime)
    cfg = rt.config
    scfg = sentiment.SentimentConfig.from_settings(cfg.settings)  # passed to every call, no process-global state
    matchers = [topics.TopicMatcher.from_topic(t) for t in cfg.topics]
    with rt.store.session() as s:  # read the work; nothing is held while it is scored
        todo = s.articles_to_enrich(run_id=run_id)
        # self-healing: stored articles in a supported language that still lack sentiment
        ids = {a["article_id"] for a in todo}
        todo.extend(r for r in s.articles_without_sentiment(SENTIMENT_LANGUAGES) if r["article_id"] not in ids)
    sent_rows, topic_rows, failed, unsupported, n_pre = [], [], 0, 0, 0
    failed_ids: set[str] = set()
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
            failed_ids.add(a["article_id"])
            continue
        if sent is None:
            unsupported += 1  # no sentiment backend for this language: no row, not a guess
        else:
            sent_rows.append(sent)
        topic_rows.extend(matches)

    def article_rows(s) -> None:
        s.replace_sentiment(sent_rows)
        s.replace_topics([a["article_id"] for a in todo], topic_rows)

    # per-article rows under the articles' host locks (another writer may self-heal the same article)
    if todo:
        rt.store.transact(article_rows, locks=article_locks(a["canonical_url"] for a in todo))
    days = sorted({a["day"] for a in todo})

    def shared(s) -> tuple[dict, dict]:
        # a new or changed topic is applied to the stored history (bounded, logged; mediamon.topicsync)
        backfill = topicsync.sync_topics(s, cfg, rt.clock.now(), scfg)
        st = update_stories(s, [dict(a) for a in todo], cfg.settings, rt.clock.now(), run_id=run_id)
        return backfill, st

    # topic backfill and story assignment read and rewrite rows of every source: one writer at a time
    # (STORY_LOCK), on a snapshot taken after the previous one committed (docs/ducklake.md)
    backfill, st = rt.store.transact(shared, locks=[STORY_LOCK])
    # an article whose scoring failed above fails again in the backfill: counted once
    failed += len(set(backfill["failed_ids"]) - failed_ids) + st["failed"]
    return {"run_id": run_id, "articles": len(todo), "sentiment": len(sent_rows), "topic_matches": len(topic_rows),
            "stories": st["stories"], "clustered_articles": st["clustered"], "new_stories": st["new_stories"],
            "story_merges": st["merges"], "failed": failed,
            "no_sentiment_backend": unsupported, "prescored": n_pre, "days": [d.isoformat() for d in days],
            "topic_backfill": backfill}
