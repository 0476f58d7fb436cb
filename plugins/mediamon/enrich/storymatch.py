"""Story matching: LSH band keys of stored MinHash signatures and exact verification of candidates.

- **Band keys** (:func:`band_keys`): the classic banding of a MinHash signature (Leskovec,
  Rajaraman, Ullman, *Mining of Massive Datasets*, ch. 3.4): ``BANDS`` bands of ``ROWS`` hash
  values each, every band hashed to one signed 64-bit integer. Two articles are candidates when
  they share a band key; the probability for Jaccard similarity ``s`` is
  ``1 - (1 - s**ROWS)**BANDS`` (42 x 3 of the 128 values: 0.68 at s=0.3, 0.94 at 0.4, 0.997 at
  0.5). Keys are persisted (table ``story_bands``) so a run looks up only its new articles.
- **Verification** (:func:`similarity`, :func:`same_story`): exact Jaccard similarity and
  containment (``|A & B| / min(|A|, |B|)``, Broder 1997) of the two word-shingle sets, not the
  MinHash estimate (which erred by 0.08 on a 0.51 pair with 128 permutations), after leaving
  out the lines that are the outlet's boilerplate (:func:`strip_lines`). Containment
  catches copies trimmed to a part of the original; it only counts when the smaller text still
  has :data:`MIN_CONTAINED_SHINGLES` shingles, so a shared background paragraph in a short
  brief is not a copy. Thresholds are chosen by ``benchmarks/story_eval.py`` (see docs/stories.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from datasketch import MinHash

from mediamon.enrich.dedup import normalize_text, shingles, signature_from_bytes

__all__ = ["BANDS", "ROWS", "SHINGLE_SIZE", "MIN_CONTAINED_SHINGLES", "COMMON_LINE_ARTICLES", "MatchThresholds",
           "band_keys", "story_minhash", "shingle_hashes", "line_hashes", "strip_lines", "similarity", "same_story"]

BANDS = 42
ROWS = 3
#: word shingle size of story matching: 3-word shingles keep more of a lightly reworded copy than
#: the 5-word ones of the stored signatures (``benchmarks/story_eval.py`` compares them).
SHINGLE_SIZE = 3
#: a body line (paragraph) found in at least this many articles of one source, with different
#: texts, is that outlet's boilerplate (newsletter, about-us, copyright block) and is left out of
#: the shingles compared.
COMMON_LINE_ARTICLES = 3
#: containment is only trusted when the smaller text has at least this many shingles in common
#: with the other (about three sentences): shorter overlaps are quotes or background.
MIN_CONTAINED_SHINGLES = 40

_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * np.uint64(0xD6E8FEB86659FD93)


@dataclass(frozen=True)
class MatchThresholds:
    """Decision thresholds of :func:`same_story`: ``jaccard`` (0..1, exact Jaccard of word
    3-shingles) and ``containment`` (0..1; only with >= :data:`MIN_CONTAINED_SHINGLES` shared
    shingles). Chosen on the training split of ``benchmarks/story_eval.py``."""

    jaccard: float = 0.3
    containment: float = 0.4


_PRIME = np.uint64((1 << 61) - 1)
_PERM_RNG = np.random.RandomState(1)
_A = _PERM_RNG.randint(1, 1 << 32, size=128, dtype=np.uint64)
_B = _PERM_RNG.randint(0, 1 << 32, size=128, dtype=np.uint64)


def story_minhash(sh: frozenset[int] | set[int] | str | None) -> np.ndarray | None:
    """MinHash signature (128 ``uint32`` values as ``uint64``) of a shingle set (:func:`shingle_hashes`;
    a text is shingled first), None for an empty set. The permutations are the affine hashes
    ``(a*x + b) mod (2^61 - 1)`` truncated to 32 bits, over the low 32 bits of each shingle hash
    (datasketch's scheme, vectorised with numpy: one pass over the shingles we already have)."""
    if sh is None or isinstance(sh, str):
        sh = shingle_hashes(sh)
    if not sh:
        return None
    x = np.fromiter(sh, dtype=np.int64, count=len(sh)).view(np.uint64) & np.uint64(0xFFFFFFFF)
    with np.errstate(over="ignore"):
        hv = ((np.outer(_A, x) + _B[:, None]) % _PRIME) & np.uint64(0xFFFFFFFF)
    return hv.min(axis=1)


def band_keys(sig: bytes | bytearray | memoryview | MinHash | np.ndarray) -> list[int]:
    """The :data:`BANDS` LSH band keys (signed 64-bit ints, DuckDB ``BIGINT``) of a signature
    (:func:`story_minhash`), a ``datasketch.MinHash`` or stored signature bytes
    (:func:`mediamon.enrich.dedup.signature`). Raises ``ValueError`` for malformed bytes or a
    signature with fewer than ``BANDS * ROWS`` values."""
    if isinstance(sig, np.ndarray):
        hv = sig.astype(np.uint64)
    else:
        m0 = sig if isinstance(sig, MinHash) else signature_from_bytes(sig)
        hv = np.asarray(m0.hashvalues, dtype=np.uint64)
    if hv.size < BANDS * ROWS:
        raise ValueError(f"signature has {hv.size} values, banding needs {BANDS * ROWS}")
    m = hv[: BANDS * ROWS].reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        k = (m * _MIX).sum(axis=1, dtype=np.uint64) ^ _BAND_SALT
        k = k * np.uint64(0xBF58476D1CE4E5B9)
    return k.view(np.int64).tolist()


def line_hashes(text: str | None) -> list[int]:
    """64-bit hashes (BLAKE2b) of the normalised non-empty lines of ``text``, in order (signed, DuckDB ``BIGINT``)."""
    out = []
    for line in (text or "").splitlines():
        n = normalize_text(line)
        if n:
            out.append(int.from_bytes(hashlib.blake2b(n.encode("utf-8"), digest_size=8).digest(), "little", signed=True))
    return out


def strip_lines(text: str | None, common: set[int] | frozenset[int]) -> str:
    """``text`` without the lines whose :func:`line_hashes` value is in ``common`` (an outlet's boilerplate)."""
    if not common or not text:
        return text or ""
    keep = []
    for line in text.splitlines():
        n = normalize_text(line)
        if n and int.from_bytes(hashlib.blake2b(n.encode("utf-8"), digest_size=8).digest(), "little", signed=True) in common:
            continue
        keep.append(line)
    return "\n".join(keep)


def shingle_hashes(text: str | None, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """Exact set of word ``size``-shingles of the normalised text, each as the first 8 bytes of
    its BLAKE2b digest (signed 64-bit int) (collisions ~2^-64: exact for our purpose). Empty for an empty text."""
    return frozenset(int.from_bytes(hashlib.blake2b(s, digest_size=8).digest(), "little", signed=True)
                     for s in shingles(normalize_text(text), size, normalized=True))


def similarity(a: frozenset[int] | set[int], b: frozenset[int] | set[int]) -> tuple[float, float, int]:
    """``(jaccard, containment, shared)`` of two shingle sets: exact Jaccard ``|A&B|/|A|B|``,
    containment ``|A&B|/min(|A|,|B|)`` and ``|A&B|``. (0.0, 0.0, 0) when either set is empty."""
    if not a or not b:
        return 0.0, 0.0, 0
    inter = len(a & b) if len(a) < len(b) else len(b & a)
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b)), inter


def same_story(a: frozenset[int] | set[int], b: frozenset[int] | set[int], th: MatchThresholds = MatchThresholds()) -> bool:
    """True when two shingle sets are copies of one story: exact Jaccard >= ``th.jaccard``, or
    containment >= ``th.containment`` with at least :data:`MIN_CONTAINED_SHINGLES` shared shingles."""
    j, c, n = similarity(a, b)
    return j >= th.jaccard or (c >= th.containment and n >= MIN_CONTAINED_SHINGLES)
