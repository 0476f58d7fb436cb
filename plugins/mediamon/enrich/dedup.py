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

Signatures are stored as bytes (DuckDB ``BLOB``): datasketch ``LeanMinHash`` serialisation
(:func:`signature`); bytes in mediamon's earlier ``MMH1`` layout are still read
(:func:`signature_from_bytes`). Story clustering is :mod:`mediamon.analytics.stories`.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash

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
    "signature_params",
    "default_scheme",
    "minhash_from_normalized",
    "jaccard",
]

DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE_SIZE = 5
DEFAULT_SEED = 1
#: texts with fewer normalised words than this are never clustered (paywall stubs,
#: "read more" fragments, empty extractions): each stays a story of its own.
DEFAULT_MIN_WORDS = 20

_NON_WORD_RE = re.compile(r"[\W_]+")

# Signatures are datasketch LeanMinHash bytes, little-endian (LeanMinHash.serialize(buf, "<")):
#   seed i64 | num_perm i32 (negated for the affine schemes) | [scheme u8] | hashvalues (num_perm x u32)
# They do not record the shingle size: signatures are made with DEFAULT_SHINGLE_SIZE (the pipeline's).
_BYTEORDER = "<"
# Layout written before issue 9 (rows in existing databases; read, never written):
#   magic b"MMH1" | scheme u8 | shingle_size u8 | num_perm u16 | seed u32 | hashvalues (num_perm x u32|u64)
_MAGIC = b"MMH1"
_HEADER = struct.Struct("<4sBBHI")
_SCHEMES = {0: ("legacy", np.dtype("<u8")), 1: ("affine32", np.dtype("<u4")), 2: ("affine64", np.dtype("<u8"))}


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
    return minhash_from_normalized(normalize_text(text), num_perm=num_perm, shingle_size=shingle_size, seed=seed)


def minhash_from_normalized(
    norm: str | None,
    *,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = DEFAULT_SEED,
) -> MinHash | None:
    """As :func:`minhash` for a text already passed through :func:`normalize_text`; None when it has no words."""
    sh = shingles(norm, shingle_size, normalized=True)
    if not sh:
        return None
    m = _base(num_perm, seed).copy()
    m.update_batch(sh)
    return m


def default_scheme() -> str:
    """datasketch permutation scheme of the MinHashes made here: 'affine32' (datasketch >= 2.0) or 'legacy'."""
    return _SCHEME


def signature(
    text: str | None,
    *,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = DEFAULT_SEED,
) -> bytes | None:
    """Serialised MinHash signature of ``text`` for storage (DuckDB ``BLOB``), or None when
    the text has no words.

    The bytes are ``datasketch.LeanMinHash.serialize(buf, byteorder="<")``: seed (i64), num_perm
    (i32, negated for the affine schemes), scheme code (u8, affine schemes only), then ``num_perm``
    u32 hash values: 8 + 4 + 1 + 4*128 = 525 bytes by default. The shingle size is not recorded
    (stored signatures are made with :data:`DEFAULT_SHINGLE_SIZE`). Read back with
    :func:`signature_from_bytes` (or ``LeanMinHash.deserialize(b, byteorder="<")``).
    """
    m = minhash(text, num_perm=num_perm, shingle_size=shingle_size, seed=seed)
    if m is None:
        return None
    lean = LeanMinHash(m)
    buf = bytearray(lean.bytesize(byteorder=_BYTEORDER))
    lean.serialize(buf, byteorder=_BYTEORDER)
    return bytes(buf)


def _as_bytes(b: Any) -> bytes:
    if not isinstance(b, (bytes, bytearray, memoryview)):
        raise ValueError(f"signature must be bytes, got {type(b).__name__}")
    return bytes(b)


def _is_old_layout(b: bytes) -> bool:
    """Bytes in the pre-issue-9 ``MMH1`` layout (a LeanMinHash of seed 1 starts with 01 00 00 00)."""
    return b[:4] == _MAGIC


def _parse_header(b: bytes) -> tuple[str, np.dtype, int, int, int]:
    """Header of the old ``MMH1`` layout: (scheme, dtype, shingle size, num_perm, seed)."""
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


def _lean(b: bytes) -> LeanMinHash:
    """``LeanMinHash`` from :func:`signature` bytes; ValueError when they are not exactly one."""
    try:
        lean = LeanMinHash.deserialize(b, byteorder=_BYTEORDER)
    except (ValueError, struct.error, OverflowError) as e:
        raise ValueError(f"not a MinHash signature (neither LeanMinHash bytes nor the {_MAGIC!r} layout): {e}") from None
    if len(lean) == 0:
        raise ValueError(f"not a MinHash signature: no hash values ({len(b)} bytes)")
    if lean.bytesize(byteorder=_BYTEORDER) != len(b):
        raise ValueError(f"signature length {len(b)} bytes does not match its header "
                         f"({lean.bytesize(byteorder=_BYTEORDER)} bytes)")
    return lean


def signature_from_bytes(b: bytes) -> MinHash:
    """Rebuild the ``datasketch.MinHash`` from stored signature bytes: :func:`signature`'s
    LeanMinHash serialisation, or the ``MMH1`` layout written before issue 9 (a magic check tells
    them apart; old rows keep clustering). Accepts ``bytearray``/``memoryview`` as DuckDB returns.
    Raises ``ValueError`` on malformed input."""
    b = _as_bytes(b)
    if len(b) < _HEADER.size:
        raise ValueError(f"signature too short ({len(b)} bytes)")
    if _is_old_layout(b):
        scheme, dtype, _k, num_perm, seed = _parse_header(b)
        values = np.frombuffer(b, dtype=dtype, offset=_HEADER.size)
        if scheme != "legacy" and _SCHEME == "legacy":
            raise ValueError(f"signature uses datasketch scheme {scheme!r}, which needs datasketch >= 2.0")
        kw: dict[str, Any] = {"scheme": scheme} if _SCHEME != "legacy" else {}
        return MinHash(num_perm=num_perm, seed=seed, hashvalues=values.copy(), **kw)
    lean = _lean(b)
    kw = {"scheme": lean.scheme} if _SCHEME != "legacy" else {}
    return MinHash(num_perm=len(lean), seed=lean.seed, hashvalues=np.array(lean.hashvalues, copy=True), **kw)


def signature_params(b: bytes) -> dict:
    """Parameters of stored signature bytes: ``{scheme, shingle_size, num_perm, seed, format}``;
    ``format`` is ``'lean'`` (:func:`signature`) or ``'mmh1'`` (before issue 9); ``shingle_size`` is
    None for ``'lean'`` (not recorded; :data:`DEFAULT_SHINGLE_SIZE` by convention).
    Raises ``ValueError`` on malformed input."""
    b = _as_bytes(b)
    if len(b) < _HEADER.size:
        raise ValueError(f"signature too short ({len(b)} bytes)")
    if _is_old_layout(b):
        scheme, _dtype, k, num_perm, seed = _parse_header(b)
        return {"scheme": scheme, "shingle_size": k, "num_perm": num_perm, "seed": seed, "format": "mmh1"}
    lean = _lean(b)
    return {"scheme": lean.scheme, "shingle_size": None, "num_perm": len(lean), "seed": lean.seed, "format": "lean"}


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
