"""Story clustering: articles that are exact or near-duplicate copies of one another form a story.

One job: :func:`cluster_stories` (union-find over equal content hashes and MinHash-LSH candidate
pairs verified by estimated Jaccard similarity; deterministic story ids). Hashes, shingles and
MinHash signatures come from :mod:`mediamon.enrich.dedup`; the method is described there.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Iterable

from datasketch import MinHash, MinHashLSH

from mediamon.util.dates import to_utc
from mediamon.enrich.dedup import (
    DEFAULT_MIN_WORDS,
    DEFAULT_NUM_PERM,
    DEFAULT_SEED,
    DEFAULT_SHINGLE_SIZE,
    default_scheme,
    minhash_from_normalized,
    normalize_text,
    signature_from_bytes,
    signature_params,
)

__all__ = ["cluster_stories"]


_FAR = datetime.max.replace(tzinfo=timezone.utc)


def _order_key(a: dict) -> tuple:
    """Earliest first: published_at (missing last), then fetched_at (missing last), then article_id."""
    p, f = to_utc(a.get("published_at")), to_utc(a.get("fetched_at"))
    return (p is None, p or _FAR, f is None, f or _FAR, str(a["article_id"]))


def cluster_stories(
    articles: Iterable[dict],
    threshold: float = 0.5,
    *,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    min_words: int = DEFAULT_MIN_WORDS,
    lsh_threshold: float | None = None,
) -> dict[str, str]:
    """Group articles into stories (sets of exact and near-duplicate copies).

    ``articles``: dicts with ``article_id`` (str, unique), ``text`` (str|None),
    ``published_at`` and ``fetched_at`` (ISO 8601 str, datetime or None; naive = UTC),
    optional ``content_hash`` (else computed) and optional ``signature`` (bytes from
    :func:`mediamon.enrich.dedup.signature`; recomputed from ``text`` when missing or made with other parameters).

    Rules: equal content hashes always join; pairs whose estimated Jaccard similarity of
    word ``shingle_size``-shingles is ``>= threshold`` join; joins are transitive
    (union-find), so a chain A~B~C forms one story even if A and C are less similar.
    Candidate pairs come from ``datasketch.MinHashLSH`` built at ``lsh_threshold``
    (default ``0.8 * threshold``, lower than ``threshold`` to cut LSH false negatives), each
    verified with ``MinHash.jaccard``. Texts with fewer than ``min_words`` normalised words
    (stubs, empty extractions) are never joined, even on equal hashes.

    Returns ``{article_id: story_id}`` for every input article, where ``story_id`` is the
    ``article_id`` of the story's earliest article (by ``published_at``, then ``fetched_at``,
    then ``article_id``): deterministic and independent of input order, so reruns over the
    same articles give the same ids. (When a run adds an earlier copy, the story id moves to it.)

    Raises ``ValueError`` for an article without ``article_id``, a duplicate ``article_id`` or
    a threshold outside (0, 1]. A malformed stored signature is ignored (recomputed from text).
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    arts = list(articles)
    ids: list[str] = []
    seen: set[str] = set()
    for i, a in enumerate(arts):
        aid = a.get("article_id") if isinstance(a, dict) else None
        if aid is None or aid == "":
            raise ValueError(f"article #{i} has no article_id")
        aid = str(aid)
        if aid in seen:
            raise ValueError(f"duplicate article_id {aid!r} (article #{i})")
        seen.add(aid)
        ids.append(aid)
    n = len(arts)
    # rank = position in story-id order; the union-find root is always the lowest rank
    order = sorted(range(n), key=lambda i: _order_key({**arts[i], "article_id": ids[i]}))
    rank = [0] * n
    for r, i in enumerate(order):
        rank[i] = r
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        rx, ry = find(x), find(y)
        if rx == ry:
            return
        if rank[rx] < rank[ry]:
            parent[ry] = rx
        else:
            parent[rx] = ry

    # exact duplicates
    eligible: list[bool] = [False] * n
    norms: list[str | None] = [None] * n
    by_hash: dict[str, int] = {}
    for i, a in enumerate(arts):
        text = a.get("text")
        if text is not None and not isinstance(text, str):
            text = None
        if text is not None:
            norm = normalize_text(text)
            norms[i] = norm
            if len(norm.split()) < min_words:
                continue
            h = a.get("content_hash") or hashlib.sha1(norm.encode("utf-8")).hexdigest()
        else:
            h = a.get("content_hash")  # no text: trust the stored hash and signature
            if not h:
                continue
        eligible[i] = True
        if h in by_hash:
            union(by_hash[h], i)
        else:
            by_hash[h] = i

    # near duplicates: one representative per exact-hash group is enough
    reps = sorted(set(by_hash.values()))
    sigs: dict[int, MinHash] = {}
    for i in reps:
        m = None
        raw = arts[i].get("signature")
        if raw is not None:
            try:
                p = signature_params(raw)
                # LeanMinHash bytes do not record the shingle size: they are DEFAULT_SHINGLE_SIZE ones
                k = DEFAULT_SHINGLE_SIZE if p["shingle_size"] is None else p["shingle_size"]
                if p["num_perm"] == num_perm and k == shingle_size and p["seed"] == DEFAULT_SEED and p["scheme"] == default_scheme():
                    m = signature_from_bytes(raw)
            except ValueError:
                m = None
        if m is None and norms[i]:
            m = minhash_from_normalized(norms[i], num_perm=num_perm, shingle_size=shingle_size, seed=DEFAULT_SEED)
        if m is not None:
            sigs[i] = m
    if len(sigs) > 1:
        lt = lsh_threshold if lsh_threshold is not None else max(0.05, 0.8 * threshold)
        lsh = MinHashLSH(threshold=lt, num_perm=num_perm)
        with lsh.insertion_session() as session:
            for i, m in sigs.items():
                session.insert(i, m, check_duplication=False)
        for i, m in sigs.items():
            for j in lsh.query(m):
                if j <= i or find(i) == find(j):
                    continue
                if m.jaccard(sigs[j]) >= threshold:
                    union(i, j)
    return {ids[i]: ids[find(i)] for i in range(n)}
