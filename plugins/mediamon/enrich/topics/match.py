"""Topic matching: one compiled matcher per (topic, language), mentions counted, sentences kept.

Matching rules (case, acronyms, diacritics, per-language terms) are documented in
:mod:`mediamon.enrich.topics` (package docstring); the query parser is :mod:`mediamon.config.query`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, Iterable

from mediamon.enrich.sentences import split_sentences as _split_sentences
from mediamon.enrich.topics.index import _WORD_RUN, _Compiled, _Leaf, _positions, _Tokens
from mediamon.config.query import Near, Query, Term, _term_from, parse_query

__all__ = ["TopicMatch", "TopicMatcher", "match_topics", "split_sentences", "is_acronym"]

# --------------------------------------------------------------------------- text helpers

def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Sentences of ``text`` (the splitter sentiment uses too: :func:`mediamon.enrich.sentences.split_sentences`)."""
    return _split_sentences(text, language or "")


def _fold(s: str) -> str:
    """Drop diacritics (NFKD, remove combining marks, NFC). ASCII input is returned as is."""
    if s.isascii():
        return s
    d = unicodedata.normalize("NFKD", s)
    return unicodedata.normalize("NFC", "".join(ch for ch in d if not unicodedata.combining(ch)))


def is_acronym(term: str) -> bool:
    """True when ``term`` is matched case-sensitively: all its letters uppercase, 1-3 letters
    (``AS``, ``UN``, ``DPR``). Rule documented in the module docstring."""
    letters = [c for c in term if c.isalpha()]
    return 0 < len(letters) <= 3 and all(c.isupper() for c in letters)


def _term_regex(words: Iterable[str], fold: bool) -> str:
    words = list(words)
    parts = []
    for i, w in enumerate(words):
        star = i == len(words) - 1 and w.endswith("*")
        w = w[:-1] if star else w
        w = _fold(w) if fold else w
        parts.append(re.escape(w) + (r"\w*" if star else ""))
    body = r"\s+".join(parts)
    canonical = " ".join(words)
    if is_acronym(canonical.replace("*", "")):
        body = f"(?-i:{body})"
    return body  # word boundaries are added by _Compiled.single_re


# --------------------------------------------------------------------------- matcher


@dataclass
class TopicMatch:
    """One topic found in one article.

    ``terms``: matched terms, canonical spelling as configured, deduplicated, in configuration
    order; ``count``: number of mentions (non-overlapping matches) in title + text;
    ``sentences``: sentences mentioning a matched term, title first when it mentions one
    (input to topic-targeted sentiment). Prominence (the placement of the mentions, as media
    monitoring tools report it): ``in_title``: the title mentions a term; ``in_lead``: the lead
    paragraph (first paragraph of the text) does; ``body_mentions``: mentions in the text
    outside the title (lead included).
    """

    topic_id: str
    terms: list[str]
    count: int
    sentences: list[str] = field(default_factory=list)
    in_title: bool = False
    in_lead: bool = False
    body_mentions: int = 0
    version: str | None = None  # the matcher's topic version (None for an ad-hoc query)

    @property
    def prominence(self) -> str:
        """Most prominent placement: ``'title'``, ``'lead'`` or ``'body'``."""
        return "title" if self.in_title else "lead" if self.in_lead else "body"

    def to_dict(self) -> dict:
        return {
            "topic_id": self.topic_id,
            "terms": list(self.terms),
            "count": self.count,
            "sentences": list(self.sentences),
            "in_title": self.in_title,
            "in_lead": self.in_lead,
            "body_mentions": self.body_mentions,
            "prominence": self.prominence,
        }



class _Article:
    """Title + text prepared once for all topics: sentence split, diacritic folding and the
    word-run index are lazy."""

    def __init__(self, text: str | None, title: str | None, language: str | None = None):
        self.text = text or ""
        self.language = language
        self.title = (title or "").strip()
        self._units: list[tuple[str, bool]] | None = None
        self._full: dict[bool, str] = {}
        self._folded: dict[bool, tuple[str, list[int]]] = {}
        self._tokens: dict[tuple[str, bool], _Tokens] = {}
        self._lead: set[int] | None = None
        self._word_starts: dict[bool, list[int]] = {}

    def full(self, fold: bool) -> str:
        s = self._full.get(fold)
        if s is None:
            s = self.title + "\n" + self.text
            s = self._full[fold] = _fold(s) if fold else s
        return s

    def tokens(self, which: str, fold: bool) -> _Tokens:
        """Word-run index of ``full(fold)`` (``which='full'``) or of ``joined_units(fold)`` (``'units'``)."""
        t = self._tokens.get((which, fold))
        if t is None:
            s = self.full(fold) if which == "full" else self.joined_units(fold)[0]
            t = self._tokens[(which, fold)] = _Tokens(s)
        return t

    def units(self) -> list[tuple[str, bool]]:
        if self._units is None:
            u = [(self.title, True)] if self.title else []
            u.extend((s, False) for s in split_sentences(self.text, self.language))
            self._units = u
        return self._units

    def lead_units(self) -> set[int]:
        """Indices (into :meth:`units`) of the sentences of the lead paragraph: the first
        non-empty line of the text."""
        if self._lead is None:
            first = next((ln.strip() for ln in self.text.split("\n") if ln.strip()), "")
            lead, at = set(), 0
            for u, (sent, is_title) in enumerate(self.units()):
                if is_title:
                    continue
                k = first.find(sent.strip(), at) if sent.strip() else -1
                if k < 0:
                    break
                lead.add(u)
                at = k + len(sent.strip())
            self._lead = lead
        return self._lead

    def unit_of(self, pos: int, fold: bool) -> int:
        """Index of the unit holding offset ``pos`` of ``joined_units(fold)``."""
        return bisect_right(self.joined_units(fold)[1], pos) - 1

    def word_starts(self, fold: bool) -> list[int]:
        """Start offsets of the word runs of ``joined_units(fold)`` (word positions for NEAR)."""
        w = self._word_starts.get(fold)
        if w is None:
            w = self._word_starts[fold] = [m.start() for m in _WORD_RUN.finditer(self.joined_units(fold)[0])]
        return w

    def joined_units(self, fold: bool) -> tuple[str, list[int]]:
        """Units (folded if ``fold``) joined by newlines, and the start offset of each unit."""
        f = self._folded.get(fold)
        if f is None:
            parts = [(_fold(s) if fold else s) for s, _ in self.units()]
            starts, pos = [], 0
            for p in parts:
                starts.append(pos)
                pos += len(p) + 1
            f = self._folded[fold] = ("\n".join(parts), starts)
        return f


class TopicMatcher:
    """Matches one tracked topic against article texts. Build with :meth:`from_topic`."""

    def __init__(
        self,
        topic_id: str,
        terms: dict[str, list[str]] | None = None,
        query: str | Query | None = None,
        *,
        name: str | None = None,
        fold_diacritics: bool = True,
    ):
        """``terms``: ``{lang: [term, ...]}`` (``'*'`` = all languages; each term may be a
        phrase with spaces and a trailing ``*``); ``query``: string (parsed with
        :func:`parse_query`) or :class:`Query`. Raises ``ValueError`` for an empty topic or a
        bad query/term."""
        self.topic_id = topic_id
        self.name = name or topic_id
        self.fold = fold_diacritics
        self.terms: dict[str, list[Term]] = {}
        for lang, lst in (terms or {}).items():
            parsed = []
            for raw in lst or []:
                if not isinstance(raw, str) or not raw.strip():
                    raise ValueError(f"topic {topic_id!r}: empty term in terms[{lang!r}]")
                parsed.append(_term_from(raw.strip(), 0, phrase=" " in raw.strip()))
            if parsed:
                self.terms[lang] = parsed
        self.query: Query | None = parse_query(query) if isinstance(query, str) else query
        # field-scoped terms and NEAR nodes, walked out of the tree once (not per article)
        self._scoped = self.query.scoped_terms() if self.query is not None else []
        self._near = self.query.near_nodes() if self.query is not None else []
        if not self.terms and self.query is None:
            raise ValueError(f"topic {topic_id!r} needs terms or a query")
        self._cache: dict[str | None, _Compiled] = {}
        self.version: str | None = None  # topic_versions.version when built from a configured topic

    @classmethod
    def from_topic(cls, topic: Any, *, fold_diacritics: bool = True) -> "TopicMatcher":
        """Build from a :class:`mediamon.config.Topic` (``id``, ``name``, ``terms``, ``query``);
        ``version`` is its :func:`mediamon.enrich.topics.version.topic_version`."""
        from mediamon.enrich.topics.version import topic_version

        m = cls(topic.id, dict(topic.terms or {}), topic.query, name=getattr(topic, "name", None), fold_diacritics=fold_diacritics)
        m.version = topic_version(topic, fold_diacritics=fold_diacritics)
        return m

    def _terms_for(self, language: str | None) -> list[Term]:
        own = [lang for lang in self.terms if lang != "*"]
        if language in own:
            langs = [language, "*"]
        else:
            langs = own + ["*"]
        out: list[Term] = []
        for lang in langs:
            out.extend(self.terms.get(lang, []))
        return out

    def _compiled(self, language: str | None) -> _Compiled:
        key = language if language in self.terms and language != "*" else None
        c = self._cache.get(key)
        if c is not None:
            return c
        leaves: list[_Leaf] = []
        seen: dict[tuple[str, bool], int] = {}

        def add(t: Term, from_query: bool, positive: bool) -> None:
            k = (t.text if is_acronym(t.text.replace("*", "")) else t.text.casefold(), from_query)
            if k in seen:
                return
            seen[k] = len(leaves)
            folded_words = tuple((_fold(w) if self.fold else w).rstrip("*").casefold() for w in t.words)
            # the words as _term_regex matches them: '*' of the last word removed, folded if folding
            rw = [w[:-1] if (t.prefix and n == len(t.words) - 1) else w for n, w in enumerate(t.words)]
            rw = [_fold(w) if self.fold else w for w in rw]
            leaves.append(_Leaf(t.text, _term_regex(t.words, self.fold), from_query, positive, folded_words,
                                rw[0], t.prefix and len(rw) == 1, rw[1] if len(rw) > 1 else "",
                                t.prefix and len(rw) == 2))

        for t in self._terms_for(language):
            add(t, False, True)
        if self.query is not None:
            positive = {t.text for t in self.query.positive_terms()}
            for t in self.query.terms():
                add(t, True, t.text in positive)
        c = self._cache[key] = _Compiled(leaves)
        c.query_leaf = {t.text: seen[(t.text if is_acronym(t.text.replace("*", "")) else t.text.casefold(), True)]
                        for t in (self.query.terms() if self.query is not None else [])}
        return c

    def _spans(self, art: "_Article", comp: _Compiled, t: Term) -> list[tuple[int, int, int]]:
        """Mentions of query term ``t`` as ``(unit, first word, last word)`` (word indices into
        the joined units), restricted to its field scope (title unit / lead units)."""
        joined, _ = art.joined_units(self.fold)
        starts = art.word_starts(self.fold)
        units = art.units()
        lead = art.lead_units() if t.field == "lead" else set()
        out = []
        for m in comp.single_re(comp.query_leaf[t.text]).finditer(joined):
            u = art.unit_of(m.start(), self.fold)
            if t.field == "title" and not (u == 0 and units and units[0][1]):
                continue
            if t.field == "lead" and u not in lead:
                continue
            out.append((u, bisect_left(starts, m.start()), bisect_left(starts, m.end()) - 1))
        return out

    def _scoped_and_near(self, art: "_Article", comp: _Compiled) -> set[str]:
        """Keys of the query's field-scoped terms and NEAR nodes that hold in ``art``
        (see :attr:`mediamon.config.query.Term.key`, :attr:`mediamon.config.query.Near.key`)."""
        out: set[str] = set()
        for t in self._scoped:
            if self._spans(art, comp, t):
                out.add(t.key)
        for n in self._near:
            if _near(self._spans(art, comp, n.left), self._spans(art, comp, n.right), n):
                out.add(n.key)
        return out

    def match(self, text: str | None, title: str | None = None, language: str | None = None) -> TopicMatch | None:
        """Match the topic in an article. ``text``: body (paragraphs separated by newlines),
        ``title`` optional, ``language`` ISO 639-1 or None. Returns :class:`TopicMatch` or None
        when the topic is not mentioned (or the query is not satisfied)."""
        return self._match(_Article(text, title, language), language)

    def _match(self, art: "_Article", language: str | None) -> TopicMatch | None:
        comp = self._compiled(language)
        full = art.tokens("full", self.fold)
        if not comp.scan(full, comp.candidates(full), first_only=True):
            return None  # fast path: no term anywhere in title + text
        units = art.units()
        starts = art.joined_units(self.fold)[1]
        toks = art.tokens("units", self.fold)
        cand = comp.candidates(toks)
        hits_per_unit: list[dict[int, int]] = [{} for _ in units]
        total: dict[int, int] = {}
        for i, pos in comp.scan(toks, cand):
            u = bisect_right(starts, pos) - 1
            hits = hits_per_unit[u]
            hits[i] = hits.get(i, 0) + 1
            total[i] = total.get(i, 0) + 1
        if not total:
            return None  # queries never match a text without any of their terms (parse_query rule)
        leaves = comp.leaves
        found: set[int] = set(total)
        term_hit = any(not leaves[i].from_query for i in found)
        query_hit = False
        if self.query is not None and any(leaves[i].from_query for i in found):
            # leaves shadowed by a longer alternative at the same position need their own search
            present = {leaves[i].canonical for i in found if leaves[i].from_query}
            where = _positions(cand)
            for i in sorted(comp.shadowed_by(found)):
                leaf = leaves[i]
                if leaf.from_query and i not in found and leaf.canonical not in present:
                    if comp.occurs(i, toks, where):
                        present.add(leaf.canonical)
            if self._scoped or self._near:
                present |= self._scoped_and_near(art, comp)
            query_hit = self.query.evaluate(present)
        if not (term_hit or query_hit):
            return None
        counted = {i for i in found if (not leaves[i].from_query) or (query_hit and leaves[i].positive)}
        if not counted:
            return None
        names: list[str] = []
        for i in sorted(counted):
            if leaves[i].canonical not in names:
                names.append(leaves[i].canonical)
        sentences = [s for (s, _), hits in zip(units, hits_per_unit) if counted & hits.keys()]
        title_unit = bool(units and units[0][1])
        in_title = bool(title_unit and counted & hits_per_unit[0].keys())
        lead = art.lead_units()
        in_lead = any(counted & hits_per_unit[u].keys() for u in lead)
        count = sum(total[i] for i in counted)
        in_title_count = sum(n for i, n in hits_per_unit[0].items() if i in counted) if title_unit else 0
        return TopicMatch(
            topic_id=self.topic_id,
            terms=names,
            count=count,
            sentences=sentences,
            in_title=in_title,
            in_lead=in_lead,
            body_mentions=count - in_title_count,
            version=self.version,
        )

    def __repr__(self) -> str:
        return f"TopicMatcher({self.topic_id!r})"


def _near(left: list[tuple[int, int, int]], right: list[tuple[int, int, int]], node: Near) -> bool:
    """True when a span of ``left`` and one of ``right`` lie in the same unit, do not overlap, and
    have at most ``node.distance`` words between them (either order)."""
    for ul, a0, a1 in left:
        for ur, b0, b1 in right:
            if ul != ur or not (a1 < b0 or b1 < a0):
                continue
            gap = b0 - a1 - 1 if a1 < b0 else a0 - b1 - 1
            if gap <= node.distance:
                return True
    return False


def match_topics(
    matchers: Iterable[TopicMatcher], text: str | None, title: str | None = None, language: str | None = None
) -> list[TopicMatch]:
    """Run every matcher on one article; returns the matches (topics not mentioned are omitted),
    in matcher order."""
    out = []
    art = _Article(text, title, language)
    for m in matchers:
        r = m._match(art, language)
        if r is not None:
            out.append(r)
    return out
