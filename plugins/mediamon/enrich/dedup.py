"""Exact and near-duplicate detection: grouping syndicated copies of an article into stories.

- **Exact duplicates**: :func:`content_hash` (SHA-1 of :func:`normalize_text`) is equal for
  texts that differ only in case, punctuation, whitespace or Unicode compatibility forms.
- **Near duplicates**: MinHash (Broder, "On the resemblance and containment of documents",
  Compression and Complexity of Sequences 1997) over word shingles (w-shingling, 5 words by
  default), 128 permutations, computed and indexed with the `datasketch` library
  (``datasketch.MinHash``, ``datasketch.MinHashLSH``; https://ekzhu.com/datasketch/).
  LSH finds candidate pairs, each candidate pair is verified with the MinHash estimate of
  the Jaccard similarity of the two shingle sets, and verified pairs are joined
  transitively (union-find) into stories.

Wire copies typically differ from the original by a local intro sentence, a dropped
paragraph or outlet boilerplate; with 5-word shingles such copies of an ~8 paragraph story
keep a Jaccard similarity well above 0.5, while different stories on the same topic share
almost no 5-word shingles (see ``tests/test_dedup.py`` and ``benchmarks/dedup.py``).

Signatures are stored as bytes (DuckDB ``BLOB``): see :func:`signature` for the layout.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from datetime import datetime, timezone
from typing import Any, Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = [
    "DEFAULT_NUM_PERM",
    "DEFAULT_SHINGLE_SIZE",
    "DEFAULT_MIN_WORDS",
    "normalize_text",
    "content_hash",
    "shingles",
    "minhash",
    "signature",
    "signature_from_bytes",
    "jaccard",
    "cluster_stories",
]

DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE_SIZE = 5
DEFAULT_SEED = 1
#: texts with fewer normalised words than this are never clustered (paywall stubs,
#: "read more" fragments, empty extractions): each stays a story of its own.
DEFAULT_MIN_WORDS = 20

_NON_WORD_RE = re.compile(r"[\W_]+")

# signature layout (little-endian):
#   magic b"MMH1" | scheme u8 | shingle_size u8 | num_perm u16 | seed u32 | hashvalues (num_perm x u32|u64)
_MAGIC = b"MMH1"
_HEADER = struct.Struct("<4sBBHI")
_SCHEMES = {0: ("legacy", np.dtype("<u8")), 1: ("affine32", np.dtype("<u4")), 2: ("affine64", np.dtype("<u8"))}
_SCHEME_CODES = {name: code for code, (name, _) in _SCHEMES.items()}


def _default_scheme() -> str:
    """'affine32' on datasketch >= 2.0 (unbiased, uint32 values); 'legacy' before."""
    try:
        MinHash(num_perm=1, scheme="affine32")
        return "affine32"
    except TypeError:  # datasketch < 2.0 has no schemes
        return "legacy"


_SCHEME = _default_scheme()
_BASE: dict[tuple[int, int], MinHash] = {}


def _base(num_perm: int, seed: int) -> MinHash:
    """Empty MinHash with initialised permutations, copied for each document (as MinHash.bulk does)."""
    key = (num_perm, seed)
    m = _BASE.get(key)
    if m is None:
        m = _BASE[key] = MinHash(num_perm=num_perm, seed=seed, **({"scheme": _SCHEME} if _SCHEME != "legacy" else {}))
    return m


def normalize_text(text: str | None) -> str:
    """Normalise for comparison: Unicode NFKC, case-folded, every run of punctuation, symbols,
    underscores and whitespace replaced by one space, stripped. ``None`` gives ``''``."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD_RE.sub(" ", t).strip()


def content_hash(text: str | None) -> str:
    """SHA-1 hex digest (40 chars) of :func:`normalize_text` ``(text)``, UTF-8 encoded.
    Equal for exact duplicates published under different URLs."""
    return hashlib.sha1(normalize_text(text).encode("utf-8")).hexdigest()


def shingles(text: str | None, size: int = DEFAULT_SHINGLE_SIZE, *, normalized: bool = False) -> set[bytes]:
    """Set of word ``size``-shingles (w-shingling, Broder 1997) of the normalised text, UTF-8
    encoded. A text shorter than ``size`` words gives one shingle of all its words; an empty
    text gives an empty set."""
    if size < 1:
        raise ValueError(f"shingle size must be >= 1, got {size}")
    words = (text or "").split() if normalized else normalize_text(text).split()
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def minhash(
    text: str | None,
    *,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = DEFAULT_SEED,
) -> MinHash | None:
    """``datasketch.MinHash`` of the text's shingle set (SHA-1 based 32-bit shingle hashes,
    datasketch's default), or None for a text without words."""
    sh = shingles(text, shingle_size)
    if not sh:
        return None
    m = _base(num_perm, seed).copy()
    m.update_batch(sh)
    return m


def _to_bytes(m: MinHash, shingle_size: int) -> bytes:
    scheme = getattr(m, "scheme", "legacy")
    code = _SCHEME_CODES[scheme]
    dtype = _SCHEMES[code][1]
    return _HEADER.pack(_MAGIC, code, shingle_size, len(m), m.seed) + np.asarray(m.hashvalues).astype(dtype).tobytes()


def signature(
    text: str | None,
    *,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = DEFAULT_SEED,
) -> bytes | None:
    """Serialised MinHash signature of ``text`` for storage (DuckDB ``BLOB``), or None when
    the text has no words.

    Layout, little-endian: ``b"MMH1"``, scheme (u8: 0 legacy, 1 affine32, 2 affine64, the
    datasketch permutation scheme), shingle size (u8), num_perm (u16), seed (u32), then
    ``num_perm`` hash values (u32 for affine32, else u64). 12 + 4*128 = 524 bytes by default.
    Read back with :func:`signature_from_bytes`.
    """
    m = minhash(text, num_perm=num_perm, shingle_size=shingle_size, seed=seed)
    return None if m is None else _to_bytes(m, shingle_size)


def _parse_header(b: bytes) -> tuple[str, np.dtype, int, int, int]:
    if not isinstance(b, (bytes, bytearray, memoryview)):
        raise ValueError(f"signature must be bytes, got {type(b).__name__}")
    b = bytes(b)
    if len(b) < _HEADER.size:
        raise ValueError(f"signature too short ({len(b)} bytes; header is {_HEADER.size})")
    magic, code, k, num_perm, seed = _HEADER.unpack_from(b)
    if magic != _MAGIC:
        raise ValueError(f"not a mediamon MinHash signature (magic {magic!r}, expected {_MAGIC!r})")
    if code not in _SCHEMES:
        raise ValueError(f"unknown MinHash scheme code {code} in signature")
    scheme, dtype = _SCHEMES[code]
    expected = _HEADER.size + num_perm * dtype.itemsize
    if len(b) != expected:
        raise ValueError(f"signature length {len(b)} bytes does not match its header ({expected} bytes)")
    return scheme, dtype, k, num_perm, seed


def signature_from_bytes(b: bytes) -> MinHash:
    """Rebuild the ``datasketch.MinHash`` from :func:`signature` bytes (also accepts
    ``bytearray``/``memoryview`` as DuckDB returns). Raises ``ValueError`` on malformed input.
    The shingle size is available via :func:`signature_params`."""
    scheme, dtype, _k, num_perm, seed = _parse_header(b)
    values = np.frombuffer(bytes(b), dtype=dtype, offset=_HEADER.size)
    kw: dict[str, Any] = {"scheme": scheme} if _SCHEME != "legacy" else {}
    if scheme != "legacy" and _SCHEME == "legacy":
        raise ValueError(f"signature uses datasketch scheme {scheme!r}, which needs datasketch >= 2.0")
    return MinHash(num_perm=num_perm, seed=seed, hashvalues=values.copy(), **kw)


def signature_params(b: bytes) -> dict:
    """Header of :func:`signature` bytes: ``{scheme, shingle_size, num_perm, seed}``."""
    scheme, _dtype, k, num_perm, seed = _parse_header(b)
    return {"scheme": scheme, "shingle_size": k, "num_perm": num_perm, "seed": seed}


def jaccard(a: str | bytes | MinHash, b: str | bytes | MinHash) -> float:
    """Estimated Jaccard similarity (0..1) of two texts / signatures / MinHashes
    (``datasketch.MinHash.jaccard``). Returns 0.0 when either text has no words."""
    ma, mb = (_as_minhash(x) for x in (a, b))
    if ma is None or mb is None:
        return 0.0
    return float(ma.jaccard(mb))


def _as_minhash(x: str | bytes | MinHash | None) -> MinHash | None:
    if x is None or isinstance(x, MinHash):
        return x
    if isinstance(x, (bytes, bytearray, memoryview)):
        return signature_from_bytes(x)
    return minhash(x)


def _utc(v: Any) -> datetime | None:
    """datetime/ISO 8601 string -> aware UTC datetime; None/unparsable/out of range (e.g. year 1
    at a positive offset, which is year 0 in UTC) -> None (naive = UTC)."""
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        d = v
    else:
        try:
            d = datetime.fromisoformat(str(v).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    try:
        return d.replace(tzinfo=timezone.utc) if d.tzinfo is None else d.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


_FAR = datetime.max.replace(tzinfo=timezone.utc)


def _order_key(a: dict) -> tuple:
    """Earliest first: published_at (missing last), then fetched_at (missing last), then article_id."""
    p, f = _utc(a.get("published_at")), _utc(a.get("fetched_at"))
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
    :func:`signature`; recomputed from ``text`` when missing or made with other parameters).

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
    base = _base(num_perm, DEFAULT_SEED)
    for i in reps:
        m = None
        raw = arts[i].get("signature")
        if raw is not None:
            try:
                p = signature_params(raw)
                if p["num_perm"] == num_perm and p["shingle_size"] == shingle_size and p["seed"] == DEFAULT_SEED and p["scheme"] == getattr(base, "scheme", "legacy"):
                    m = signature_from_bytes(raw)
            except ValueError:
                m = None
        if m is None and norms[i]:
            sh = shingles(norms[i], shingle_size, normalized=True)
            if sh:
                m = base.copy()
                m.update_batch(sh)
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
