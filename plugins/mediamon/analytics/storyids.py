"""Stable story ids: assign a run's new articles to stored or new stories, recording merges.

One job: :func:`assign_stories` turns verified copy pairs into story ids, deterministically and
without renaming stored stories except by a recorded merge. :func:`cluster_batch` runs the whole
method in memory (band keys, exact verification, assignment) for the evaluation and the tests;
the pipeline does the same with band keys persisted in DuckDB (:mod:`mediamon.enrichment`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable

from mediamon.enrich.dedup import DEFAULT_MIN_WORDS, normalize_text
from mediamon.enrich.storymatch import (COMMON_LINE_ARTICLES, MatchThresholds, band_keys, line_hashes, same_story,
                                        shingle_hashes, story_minhash, strip_lines)
from mediamon.util.dates import to_utc

__all__ = ["Assignment", "order_key", "assign_stories", "cluster_batch"]

_FAR = datetime.max.replace(tzinfo=timezone.utc)


def order_key(a: dict) -> tuple:
    """Earliest first: ``published_at`` (missing last), ``fetched_at`` (missing last), ``article_id``."""
    p, f = to_utc(a.get("published_at")), to_utc(a.get("fetched_at"))
    return (p is None, p or _FAR, f is None, f or _FAR, str(a["article_id"]))


@dataclass
class Assignment:
    """Result of :func:`assign_stories`: ``story_of`` ``{new article_id: story_id}``; ``merges``
    ``[(merged_story_id, kept_story_id, bridging_article_id)]``; ``touched`` story ids whose
    placements changed (kept and new stories)."""

    story_of: dict[str, str] = field(default_factory=dict)
    merges: list[tuple[str, str, str]] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)


def assign_stories(new: Iterable[dict], pairs: Iterable[tuple[str, str]], stored_story: dict[str, str],
                   story_age: dict[str, tuple]) -> Assignment:
    """Story ids for a run's ``new`` articles (dicts with ``article_id``, ``published_at``,
    ``fetched_at``), given verified copy ``pairs`` ``(new_id, other_id)`` where ``other_id`` is a new
    article or a stored one, ``stored_story`` ``{stored article_id: story_id}`` and ``story_age``
    ``{stored story_id: sortable age key}`` (smaller = older; e.g. ``(first_seen, story_id)``).

    Rules (pairs join transitively): a group of new articles that joins no stored story gets the
    ``article_id`` of its earliest member (:func:`order_key`) as its new story id; a group joining
    stored stories takes the oldest stored story's id; the other stored stories it bridges are
    merged into it (recorded, with the new article that bridged them). Stored articles' ids
    change only by such a merge. The result does not depend on the order of ``new`` or ``pairs``.
    Raises ``KeyError`` for a pair naming an unknown article.
    """
    arts = {str(a["article_id"]): a for a in new}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def node(x: str) -> str:
        if x in arts:
            return "a:" + x
        return "s:" + stored_story[x]

    bridges: dict[str, list[str]] = defaultdict(list)  # stored story -> new articles linking to it
    for a, b in pairs:
        if a not in arts:
            raise KeyError(f"pair names {a!r}, which is not a new article")
        na, nb = node(a), node(b)
        if nb.startswith("s:"):
            bridges[nb[2:]].append(a)
        ra, rb = find(na), find(nb)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # any deterministic rule: the id is chosen below
    groups: dict[str, list[str]] = defaultdict(list)
    for aid in arts:
        groups[find("a:" + aid)].append(aid)
    stories_in: dict[str, list[str]] = defaultdict(list)
    for n in list(parent):
        if n.startswith("s:"):
            stories_in[find(n)].append(n[2:])
    out = Assignment()
    for root, members in groups.items():
        stored = sorted(stories_in.get(root, []), key=lambda s: (story_age.get(s, (_FAR,)), s))
        if stored:
            sid = stored[0]
            for other in stored[1:]:
                bridge = min(bridges[other], key=lambda x: order_key(arts[x]))
                out.merges.append((other, sid, bridge))
        else:
            sid = min((arts[m] for m in members), key=order_key)["article_id"]
        out.touched.add(sid)
        for m in members:
            out.story_of[m] = sid
    return out


def _effective_day(a: dict) -> date | None:
    t = to_utc(a.get("published_at")) or to_utc(a.get("fetched_at"))
    return t.date() if t else None


def cluster_batch(articles: Iterable[dict], th: MatchThresholds = MatchThresholds(), *, window_days: int = 7,
                  min_words: int = DEFAULT_MIN_WORDS) -> dict[str, str]:
    """In-memory version of the pipeline's clustering, for evaluation and tests: band-key candidates
    within ``window_days`` of each other (by publication, else fetch, day), lines found in
    ``COMMON_LINE_ARTICLES`` or more articles of one ``source_id`` left out, exact verification
    (:func:`mediamon.enrich.storymatch.same_story`), then :func:`assign_stories` with no stored
    stories. ``articles``: dicts with ``article_id``, ``text``, ``published_at``, ``fetched_at``,
    optional ``source_id``. Texts under ``min_words`` words stay alone. Returns ``{article_id: story_id}``."""
    arts = list(articles)
    seen: dict[tuple, set] = defaultdict(set)
    for a in arts:
        for h in set(line_hashes(a.get("text"))):
            seen[(a.get("source_id") or "", h)].add(a["article_id"])
    common: dict[str, set[int]] = defaultdict(set)
    for (src, h), ids in seen.items():
        if len(ids) >= COMMON_LINE_ARTICLES:
            common[src].add(h)
    buckets: dict[int, list[int]] = defaultdict(list)
    sets: list[frozenset[int]] = []
    days: list[date | None] = []
    for i, a in enumerate(arts):
        text = strip_lines(a.get("text"), common[a.get("source_id") or ""])
        sets.append(shingle_hashes(text))
        days.append(_effective_day(a))
        if len(normalize_text(a.get("text")).split()) < min_words or not sets[-1]:
            continue
        for k in band_keys(story_minhash(sets[-1])):
            buckets[k].append(i)
    cand: set[tuple[int, int]] = set()
    for members in buckets.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if days[i] and days[j] and abs((days[i] - days[j]).days) > window_days:
                    continue
                cand.add((min(i, j), max(i, j)))
    pairs = [(str(arts[i]["article_id"]), str(arts[j]["article_id"])) for i, j in sorted(cand) if same_story(sets[i], sets[j], th)]
    res = assign_stories(arts, pairs, {}, {})
    return res.story_of
