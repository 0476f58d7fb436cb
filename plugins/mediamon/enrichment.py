"""Enrichment of stored articles: sentiment and topic matches per article, and the incremental
assignment of new articles to stories (stable ids, merges, translation links; docs/stories.md).
Used by :func:`mediamon.stages.enrich`.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from typing import Any

from mediamon.records import SentimentRow, TopicMatchRow

__all__ = ["SENTIMENT_LANGUAGES", "score_article", "topic_rows", "update_stories", "link_translations"]

log = logging.getLogger(__name__)

SENTIMENT_LANGUAGES = ("en", "id", "ms")


def _sentiment_supports(sentiment_mod: Any, lang: str, config: Any = None) -> bool:
    try:
        sentiment_mod.get_backend(lang, config=config)
        return True
    except sentiment_mod.UnsupportedLanguageError:
        return False


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


def _story_day(a: dict, now: datetime) -> date:
    """Day an article is matched around: its stored ``day`` when plausible, else the fetch day (UTC)."""
    from mediamon.util.dates import EARLIEST_PLAUSIBLE_DATE, FUTURE_TOLERANCE

    d = a.get("day")
    if isinstance(d, date) and EARLIEST_PLAUSIBLE_DATE.date() <= d <= (now + FUTURE_TOLERANCE).date():
        return d
    f = a.get("fetched_at")
    return f.astimezone(timezone.utc).date() if isinstance(f, datetime) else now.date()


def update_stories(session: Any, articles: list[dict], settings: Any, now: datetime, run_id: str | None = None) -> dict:
    """Assign ``articles`` (store rows as :func:`mediamon.store.articles_to_enrich` gives) that are
    not clustered yet to stories, incrementally (docs/stories.md):

    1. the new articles' body lines are stored per source; lines found in >= ``COMMON_LINE_ARTICLES``
       articles of one source are boilerplate and left out of every comparison; each eligible new
       article (>= ``DEFAULT_MIN_WORDS`` words) gets the LSH band keys of its word 3-shingle MinHash;
    2. candidates: stored articles sharing a key within ``settings.story_window_days`` of its
       story day (publication day, fetch day when implausible), one SQL join, plus new articles of
       the run sharing a key within the same window;
    3. each candidate pair is verified exactly (:func:`mediamon.enrich.storymatch.same_story` at
       ``settings.near_duplicate_threshold`` / ``settings.story_containment_threshold``), reading
       only the candidates' texts;
    4. :func:`mediamon.analytics.storyids.assign_stories` gives ids (stored ids kept, merges
       recorded) and the store writes placements, keys, merges and the touched stories rows.

    Cost grows with the new articles and their candidates, not with the stored history. An article
    whose preparation fails is logged and left out (counted in ``failed``). Returns counts
    ``{"clustered", "stories", "new_stories", "merges", "candidates", "failed"}``.
    """
    from collections import defaultdict

    from mediamon.analytics.storyids import assign_stories, order_key
    from mediamon.enrich.dedup import DEFAULT_MIN_WORDS, normalize_text
    from mediamon.enrich.storymatch import (COMMON_LINE_ARTICLES, MatchThresholds, band_keys, line_hashes, same_story,
                                            shingle_hashes, story_minhash, strip_lines)

    th = MatchThresholds(jaccard=settings.near_duplicate_threshold, containment=settings.story_containment_threshold)
    window = settings.story_window_days
    done = session.clustered_stories([a["article_id"] for a in articles])
    new = {a["article_id"]: a for a in articles if a["article_id"] not in done}

    def lines_of(rows: list[dict]) -> list[dict]:
        return [{"source_id": r.get("source_id") or "", "line_hash": h, "article_id": r["article_id"]}
                for r in rows for h in set(line_hashes(r.get("text")))]

    def stripped(rows: list[dict]) -> dict[str, str]:
        """Texts without their source's boilerplate lines (COMMON_LINE_ARTICLES articles or more)."""
        common = session.common_lines(lines_of(rows), COMMON_LINE_ARTICLES)
        by_src: dict[str, set[int]] = defaultdict(set)
        for src, h in common:
            by_src[src].add(h)
        return {r["article_id"]: strip_lines(r.get("text"), by_src.get(r.get("source_id") or "", set())) for r in rows}

    session.write_lines(lines_of(list(new.values())))  # counted before stripping: this run's copies count too
    texts = stripped(list(new.values()))
    bands: list[dict] = []
    sets: dict[str, frozenset[int]] = {}
    failed = 0
    for aid, a in list(new.items()):
        try:
            sets[aid] = shingle_hashes(texts[aid])
            if len(normalize_text(a.get("text")).split()) < DEFAULT_MIN_WORDS or not sets[aid]:
                continue
            day = _story_day(a, now)
            bands.extend({"article_id": aid, "key": k, "day": day} for k in band_keys(story_minhash(sets[aid])))
        except Exception as e:  # noqa: BLE001 - one article's story never sinks the run
            log.exception("story clustering skipped article %s %s: %s: %s", aid, a.get("canonical_url"), type(e).__name__, e)
            failed += 1
            del new[aid]
    cand = set(session.story_candidates(bands, window)) if bands else set()
    stored_ids = sorted({s for _, s in cand if s not in new})
    cand = {(n, s) for n, s in cand if s not in new}
    # within the run: shared keys among the new articles
    by_key: dict[int, list[dict]] = defaultdict(list)
    for b in bands:
        by_key[b["key"]].append(b)
    for group in by_key.values():
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                x, y = group[i], group[j]
                if x["article_id"] != y["article_id"] and abs((x["day"] - y["day"]).days) <= window:
                    cand.add(tuple(sorted((x["article_id"], y["article_id"]))))
    members = {m["article_id"]: m for m in session.story_members(stored_ids)}
    for aid, text in stripped(list(members.values())).items():
        sets[aid] = shingle_hashes(text)
    pairs = [(a, b) for a, b in sorted(cand) if b in sets and same_story(sets[a], sets[b], th)]
    stored_story = {aid: m["story_id"] for aid, m in members.items()}
    age = {}
    for m in members.values():
        fs = m["first_seen"] or m["published_at"] or m["fetched_at"]
        prev = age.get(m["story_id"])
        key = (fs.astimezone(timezone.utc) if isinstance(fs, datetime) else datetime.max.replace(tzinfo=timezone.utc),)
        age[m["story_id"]] = min(prev, key) if prev else key
    res = assign_stories(new.values(), pairs, stored_story, age)
    # exact duplicate: the earliest verified copy (new or stored) with the same content hash
    info = {**{k: v for k, v in members.items()}, **new}
    exact: dict[str, str] = {}
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            if x in new and info[x].get("content_hash") == info[y].get("content_hash") and order_key(info[y]) < order_key(info[x]):
                if x not in exact or order_key(info[y]) < order_key(info[exact[x]]):
                    exact[x] = y
    rows = [{"article_id": aid, "story_id": sid, "exact_duplicate_of": exact.get(aid), "story_size": 1}
            for aid, sid in res.story_of.items()]
    session.write_story_assignment(rows, bands, res.merges, sorted(res.touched), run_id=run_id)
    links = link_translations(session, [new[a] for a in res.story_of], res.story_of, window, now)
    return {"clustered": len(rows), "stories": len(res.touched), "new_stories": len(res.touched - set(stored_story.values())),
            "merges": len(res.merges), "candidates": len(cand), "links": links, "failed": failed}


def link_translations(session: Any, new: list[dict], story_of: dict[str, str], window: int, now: datetime) -> int:
    """Link the stories of ``new`` articles (store rows with text, language, day) to stories in
    another language that tell the same story (:mod:`mediamon.enrich.crosslang`): candidates
    share >= ``MIN_SHARED`` fingerprint tokens within ``window`` days (one SQL join against
    ``story_entities``, plus the run's own articles), each verified by
    :func:`mediamon.enrich.crosslang.link_confidence`. Writes ``story_links`` rows (kind
    ``'translation'``, the highest confidence per story pair) and the new articles' tokens.
    Returns the number of story pairs linked."""
    from collections import Counter, defaultdict

    from mediamon.enrich.crosslang import MIN_SHARED, fingerprint, link_confidence

    fps: dict[str, list[str]] = {}
    lang: dict[str, str] = {}
    entities: list[dict] = []
    for a in new:
        if not a.get("language") or a["language"] == "und":
            continue
        fp = fingerprint(a.get("text"))
        if len(fp) < MIN_SHARED:
            continue
        aid, day = a["article_id"], _story_day(a, now)
        fps[aid], lang[aid] = fp, a["language"]
        entities.extend({"token": t, "article_id": aid, "day": day, "language": a["language"]} for t in fp)
    if not entities:
        return 0
    pairs = set(session.link_candidates(entities, window, MIN_SHARED))
    days = {e["article_id"]: e["day"] for e in entities}
    by_token: dict[str, list[str]] = defaultdict(list)
    for e in entities:
        by_token[e["token"]].append(e["article_id"])
    shared: Counter = Counter()
    for ids in by_token.values():
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                x, y = sorted((ids[i], ids[j]))
                if lang[x] != lang[y] and abs((days[x] - days[y]).days) <= window:
                    shared[(x, y)] += 1
    pairs |= {p for p, n in shared.items() if n >= MIN_SHARED}
    stored = {m["article_id"]: m for m in session.story_members(sorted({b for _, b in pairs if b not in fps}))}
    for aid, m in stored.items():
        fps[aid] = fingerprint(m["text"])
    sid = {**{aid: m["story_id"] for aid, m in stored.items()}, **story_of}
    best: dict[tuple[str, str], float] = {}
    for a, b in pairs:
        if a not in fps or b not in fps or sid.get(a) == sid.get(b) or sid.get(b) is None:
            continue
        conf = link_confidence(fps[a], fps[b])
        if conf > 0:
            key = tuple(sorted((sid[a], sid[b])))
            best[key] = max(best.get(key, 0.0), conf)
    session.write_entities(entities)
    session.write_story_links([{"story_id_a": a, "story_id_b": b, "kind": "translation", "confidence": c}
                               for (a, b), c in sorted(best.items())])
    return len(best)
