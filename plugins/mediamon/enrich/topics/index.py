r"""Word index of a topic: which terms may match where, verified with each term's own regex.

Matching used to be one alternation regex of all terms, which tries every alternative at every
word start: O(text length x terms) (a 3,000-character text took ~27 s against 8,000 terms).
Now the text is split into word runs (``\w+``) once, and each topic looks the runs up in a dict
keyed by the first word of its terms; only those candidates are verified, each with its own
regex at that position. The results are the ones of the alternation: the same regex per term,
tried at the same positions in the same order (longest canonical term first), leftmost,
non-overlapping. Why a dict look-up finds every position the alternation could match:
- a term whose first character is a word character can only match where a word run starts
  (the regex begins with ``(?<!\w)``);
- the regex engine compares characters case-insensitively by their simple lower case plus a few
  extra equivalences (``re._casefix``: ``s``/``ſ``, ``σ``/``ς``, ...); :func:`_key` maps both the
  term's and the text's words to that class, so equal keys <=> the characters can match;
- after the leading word run of the term's first word comes a non-word character (or ``\s+``,
  or ``(?!\w)``), so the text's run must be exactly that long, unless the first word is the
  whole term and ends in ``*`` (``prefix\w*``): then the run must start with it;
- a phrase whose first word is one word run is followed by ``\s+`` and its second word: it is
  looked up by the pair (run, next run after pure whitespace), the same way, so 2,000 phrases
  "Joko ..." do not all become candidates wherever the text says "Joko".
Terms that fall outside these rules (first character not a word character, or characters whose
case class mixes word and non-word characters, e.g. U+0345 and Greek iota) are found by a scan
of their own regex over the text: correct, only slower.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable

try:  # the extra case equivalences the regex engine applies (CPython >= 3.11)
    from re._casefix import _EXTRA_CASES as _EXTRA
except ImportError:  # pragma: no cover - older/other Pythons: plain lower case
    _EXTRA = {}

_CANON = str.maketrans({chr(lo): chr(min(lo, *others)) for lo, others in _EXTRA.items() if min(lo, *others) != lo})
#: case classes (:func:`_key` values) that hold both word and non-word characters (checked over all
#: of Unicode by tests/test_topics.py): terms with such a character are scanned, not looked up
_MIXED_KEYS = frozenset("\u0345")
_WORD_RUN = re.compile(r"\w+")
_LEADING_RUN = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


def _key(s: str) -> str:
    """Case key of ``s``, one character per character: simple lower case (``str.lower`` but
    U+0130 -> ``i``), then one representative per extra case class of the regex engine."""
    low = s.lower()
    if len(low) != len(s):  # only U+0130 has a multi-character lower case (i + U+0307)
        low = "".join(c.lower()[0] for c in s)
    return low.translate(_CANON) if _CANON else low


@dataclass(frozen=True)
class _Leaf:
    canonical: str
    regex: str
    from_query: bool  # leaf of the query (else a `terms` entry)
    positive: bool  # counts as a mention for the topic
    words: tuple[str, ...] = ()  # folded, casefolded, '*' removed: for the shadowing check
    first: str = ""  # first word as the regex matches it: folded if folding, '*' removed, case kept
    first_is_prefix: bool = False  # the term is one word ending in '*'
    second: str = ""  # second word as the regex matches it ('' for one word)
    second_is_prefix: bool = False  # the term is two words, the second ending in '*'


class _Tokens:
    """Word runs of one string: ``by_key`` ``{_key(run): [start offsets]}`` and ``by_pair``
    ``{_key(run) + "\0" + _key(next run): [start offsets]}`` for runs separated by whitespace only."""

    def __init__(self, s: str):
        self.s = s
        self.by_key: dict[str, list[int]] = {}
        self.by_pair: dict[str, list[int]] = {}
        prev: tuple[int, int, str] | None = None
        for m in _WORD_RUN.finditer(s):
            k = _key(m.group())
            self.by_key.setdefault(k, []).append(m.start())
            if prev is not None and _SPACES.fullmatch(s, prev[1], m.start()):
                self.by_pair.setdefault(prev[2] + "\0" + k, []).append(prev[0])
            prev = (m.start(), m.end(), k)


class _Compiled:
    def __init__(self, leaves: list[_Leaf]):
        self.leaves = leaves
        # longer alternatives first so a phrase wins over its own first word at the same position
        order = sorted(range(len(leaves)), key=lambda i: -len(leaves[i].canonical))
        self.rank = [0] * len(leaves)
        for r, i in enumerate(order):
            self.rank[i] = r
        self.single: dict[int, re.Pattern] = {}
        self.query_leaf: dict[str, int] = {}  # query term text -> its leaf (set by TopicMatcher)
        self.exact: dict[str, list[int]] = {}  # key of a word run -> leaves starting with exactly it
        self.prefix: dict[str, list[int]] = {}  # key of a prefix -> one-word 'prefix*' leaves
        self.exact2: dict[str, list[int]] = {}  # pair key (first word, run of the second) -> phrases
        self.prefix2: dict[str, list[int]] = {}  # pair key (first word, prefix) -> 'word prefix*' phrases
        self.scanned: list[int] = []  # leaves outside the look-up rules: own regex scan
        prefix2_lens: set[int] = set()
        for i in order:
            li = leaves[i]
            run = _LEADING_RUN.match(li.first)
            k = _key(li.first)
            run2 = _LEADING_RUN.match(li.second) if li.second else None
            if run is None or any(c in _MIXED_KEYS for c in _key(li.first + li.second + "".join(li.words))):
                self.scanned.append(i)
            elif not li.second:
                if li.first_is_prefix and run.end() == len(li.first):
                    self.prefix.setdefault(k, []).append(i)
                else:
                    self.exact.setdefault(k[: run.end()], []).append(i)
            elif run.end() == len(li.first) and run2 is not None:
                k2 = _key(li.second)
                if li.second_is_prefix and run2.end() == len(li.second):
                    self.prefix2.setdefault(k + "\0" + k2, []).append(i)
                    prefix2_lens.add(len(k2))
                else:
                    self.exact2.setdefault(k + "\0" + k2[: run2.end()], []).append(i)
            else:
                self.exact.setdefault(k[: run.end()], []).append(i)
        self.prefix_lens = sorted({len(k) for k in self.prefix})
        self.prefix2_lens = sorted(prefix2_lens)
        self.ops = 0  # dict look-ups + regex verifications + scanned leaves: the scaling test counts them
        # Leaf i can be shadowed by leaf j (j's match covers a position where i would start)
        # when one of j's words and i's first word are prefixes of one another. Instead of all
        # pairs (quadratic: 8,000 terms took ~100 s), index the first words once, O(n log n):
        # by exact first word, and sorted so that "first words starting with w" is a range.
        self.by_first: dict[str, list[int]] = {}
        for i, li in enumerate(leaves):
            self.by_first.setdefault(li.words[0] if li.words else "", []).append(i)
        self.first_sorted: list[str] = sorted(self.by_first)

    def candidates(self, toks: _Tokens) -> dict[int, list[int]]:
        """``{offset: leaves that may match there, in alternation order}``; every offset where the
        old alternation regex could match is a key. Cost: per distinct word run of the text one
        look-up plus one per distinct prefix length, plus one regex scan per scanned leaf."""
        cand: dict[int, list[int]] = {}
        for k, starts in toks.by_key.items():
            self.ops += 1
            hit = self.exact.get(k)
            found = list(hit) if hit else []
            for n in self.prefix_lens:
                if n > len(k):
                    break
                self.ops += 1
                hit = self.prefix.get(k[:n])
                if hit:
                    found.extend(hit)
            if found:
                for p in starts:
                    cand.setdefault(p, []).extend(found)
        if self.exact2 or self.prefix2:
            for k, starts in toks.by_pair.items():
                self.ops += 1
                hit = self.exact2.get(k)
                found = list(hit) if hit else []
                cut = k.index("\0") + 1
                for n in self.prefix2_lens:
                    if cut + n > len(k):
                        break
                    self.ops += 1
                    hit = self.prefix2.get(k[: cut + n])
                    if hit:
                        found.extend(hit)
                if found:
                    for p in starts:
                        cand.setdefault(p, []).extend(found)
        for i in self.scanned:
            self.ops += 1
            look = re.compile(rf"(?=(?<!\w){self.leaves[i].regex}(?!\w))", re.IGNORECASE)
            for m in look.finditer(toks.s):
                cand.setdefault(m.start(), []).append(i)
        rank = self.rank
        for lst in cand.values():
            if len(lst) > 1:
                lst.sort(key=rank.__getitem__)
        return cand

    def scan(self, toks: _Tokens, cand: dict[int, list[int]], *, first_only: bool = False) -> list[tuple[int, int]]:
        """Leftmost non-overlapping matches ``[(leaf, offset)]``: at each candidate offset the first
        leaf (alternation order) whose regex matches wins, the scan goes on after its end
        (``re.finditer`` of the alternation; after an empty match, as there, a non-empty one may
        follow at the same offset). ``first_only``: stop at the first match."""
        out: list[tuple[int, int]] = []
        end = 0
        s = toks.s
        for p in sorted(cand):
            if p < end:
                continue
            empty = False  # an empty match at p (a term folded to nothing): then only a non-empty one
            for i in cand[p]:
                self.ops += 1
                m = self.single_re(i).match(s, p)
                if m and not (empty and m.end() == p):
                    out.append((i, p))
                    end = m.end()
                    if end > p:
                        break
                    empty = True
            if first_only and out:
                break
        return out

    def occurs(self, i: int, toks: _Tokens, where: dict[int, list[int]]) -> bool:
        """Leaf ``i`` matches somewhere in the text (overlaps allowed, as ``single_re(i).search``);
        ``where``: :func:`_positions` of the candidates."""
        for p in where.get(i, ()):
            self.ops += 1
            if self.single_re(i).match(toks.s, p):
                return True
        return False

    def shadowed_by(self, found: Iterable[int]) -> set[int]:
        """Leaves that one of the ``found`` leaves can shadow: some word ``w`` of a found leaf
        and the leaf's first word ``a`` are prefixes of one another. Cost: per found word,
        len(w) dict look-ups plus a bisect and the size of the result."""
        out: set[int] = set()
        keys = self.first_sorted
        for j in found:
            for w in self.leaves[j].words:
                for k in range(len(w) + 1):  # a is a prefix of w (a == w[:k])
                    out.update(self.by_first.get(w[:k], ()))
                k = bisect_left(keys, w)  # w is a prefix of a: a contiguous range of sorted keys
                while k < len(keys) and keys[k].startswith(w):
                    out.update(self.by_first[keys[k]])
                    k += 1
        return out

    def single_re(self, i: int) -> re.Pattern:
        p = self.single.get(i)
        if p is None:
            p = self.single[i] = re.compile(rf"(?<!\w){self.leaves[i].regex}(?!\w)", re.IGNORECASE)
        return p


def _positions(cand: dict[int, list[int]]) -> dict[int, list[int]]:
    """Inverse of :meth:`_Compiled.candidates`: ``{leaf: [offsets]}``."""
    out: dict[int, list[int]] = {}
    for p, lst in cand.items():
        for i in lst:
            out.setdefault(i, []).append(p)
    return out
