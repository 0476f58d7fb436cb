"""Cross-language story links: a translation shares names and numbers, not word shingles.

Method (offline, no model): the *fingerprint* of a text is the sequence of its name-like tokens
(capitalised words not opening a sentence, diacritics removed, case-folded, e.g. ``lavrov``,
``thomas``, ``greenfield``, ``nato``) and numbers of two or more digits with their thousands
separators removed (``100,000`` and ``100.000`` are ``100000``), in order of first appearance.
Two texts in different languages are linked when

- they share at least :data:`MIN_SHARED` fingerprint tokens,
- the shared tokens cover at least ``overlap`` of the smaller fingerprint (names a translation
  keeps vs. the few a story on the same topic shares: ``Ukraine``, ``NATO``, ``Putin``), and
- the shared tokens appear in nearly the same order in both texts (*alignment*: longest common
  subsequence of the two orders / shared count; a translation keeps the order of its facts).

``confidence`` = overlap x alignment. Thresholds favour precision (the method and its
figures: ``benchmarks/story_eval.py``, docs/stories.md). Language-specific forms of a name
(``Russia``/``Rusia``) do not count, which only lowers recall.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["MIN_SHARED", "LinkThresholds", "fingerprint", "link_confidence"]

MIN_SHARED = 6

_TOKEN_RE = re.compile(r"\d[\d.,]*\d|\d|[^\W\d_][\w'’-]*", re.UNICODE)
_SENT_END = re.compile(r"[.!?:;\"“”»\n]\s*$")
# capitalised function words that open clauses in the supported languages (not names)
_STOP = frozenset("""
the a an and but or in on at of for to by with from as this that these those it its he she they we i you his her
their our after before while when where who what which how said says also however meanwhile despite according
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december
yang dan di ke dari untuk dengan pada dalam itu ini ia dia mereka kami kita namun sementara menurut setelah
sebelum meski meskipun saat ketika juga bahwa tetapi serta selasa senin rabu kamis jumat sabtu minggu januari
februari maret mei juni juli agustus oktober desember baca juga sumber editor pewarta foto
""".split())


@dataclass(frozen=True)
class LinkThresholds:
    """Thresholds of :func:`link_confidence`: ``overlap`` (shared / smaller fingerprint) and
    ``alignment`` (order agreement), both 0..1, and ``confidence`` (their product)."""

    overlap: float = 0.25
    alignment: float = 0.75
    confidence: float = 0.2


def _fold(w: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c)).casefold()


def fingerprint(text: str | None) -> list[str]:
    """Name-like tokens and numbers of ``text`` in order of first appearance, each once (see the
    module docstring). Empty for an empty text."""
    out: dict[str, None] = {}
    if not text:
        return []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group(0)
        if tok[0].isdigit():
            digits = re.sub(r"[.,]", "", tok)
            if len(digits) >= 2:
                out.setdefault(digits, None)
            continue
        if not tok[0].isupper():
            continue
        before = text[max(0, m.start() - 3): m.start()]
        if m.start() == 0 or _SENT_END.search(before):
            continue  # sentence-initial: capitalised anyway
        for part in re.split(r"[-'’]", tok):
            f = _fold(part)
            if len(f) >= 3 and f not in _STOP and part[:1].isupper():
                out.setdefault(f, None)
    return list(out)


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def link_confidence(fa: list[str], fb: list[str], th: LinkThresholds = LinkThresholds()) -> float:
    """Confidence (0..1) that fingerprints ``fa`` and ``fb`` (:func:`fingerprint`) belong to one
    story told in two languages; 0.0 below :data:`MIN_SHARED` shared tokens or any threshold of ``th``."""
    shared = set(fa) & set(fb)
    if len(shared) < MIN_SHARED:
        return 0.0
    overlap = len(shared) / min(len(set(fa)), len(set(fb)))
    align = _lcs([t for t in fa if t in shared], [t for t in fb if t in shared]) / len(shared)
    conf = overlap * align
    if overlap < th.overlap or align < th.alignment or conf < th.confidence:
        return 0.0
    return round(conf, 4)
