"""Tracked topics: a boolean keyword-query parser and a fast per-article matcher.

Query syntax (a Lucene-lite in the style of Media Cloud / Lucene's classic query parser)
------------------------------------------------------------------------------------------
- ``term``: one word, matched as a whole word (Unicode word boundaries: the characters
  around the match must not be letters, digits or ``_``), case-insensitive.
- ``"quoted phrase"``: the words in this order, separated by any whitespace.
- ``prefix*``: a trailing ``*`` matches any word starting with the prefix (``Ukrain*``
  matches Ukraine, Ukrainian, Ukraina). ``*`` is allowed only at the end of a word (also
  inside phrases: ``"Joko Wido*"``) and the prefix must have at least one character.
- ``AND``, ``OR``, ``NOT`` (uppercase only; lowercase ``and``/``or``/``not`` are ordinary
  terms), and parentheses. Precedence: ``NOT`` > ``AND`` > ``OR``.
- Adjacent operands without an operator are joined by **OR** (Lucene's default
  operator): ``Jokowi Prabowo`` == ``Jokowi OR Prabowo``.
- A ``NOT`` clause that is not joined by an explicit ``AND``/``OR`` excludes for its
  whole group (Lucene's MUST_NOT): ``Ukraine Kyiv NOT football`` ==
  ``(Ukraine OR Kyiv) AND NOT football``.
- Nesting is limited to ``MAX_QUERY_DEPTH`` (100) levels of parentheses plus ``NOT``s.
- A query that would match a text mentioning none of its terms (``NOT football``,
  ``a OR NOT b``) is rejected: a topic must require at least one mention.

Syntax errors raise ``ValueError`` whose message contains ``at position N`` (0-based
character offset into the query).

Matching rules
--------------
- Case-insensitive, except **short acronyms**: a term whose letters are all uppercase
  and which has at most 3 letters (``AS``, ``US``, ``UN``, ``DPR``, ``KPK``) is matched
  case-sensitively, so Indonesian ``AS`` (Amerika Serikat) does not match English ``as``.
  Longer all-caps terms (``NATO``) stay case-insensitive (the Guardian writes ``Nato``).
- Diacritics-insensitive by default (``fold_diacritics=True``): ``Zelenskyy`` matches
  ``Zélenskyy``; applied to both terms and text (Unicode NFKD, combining marks dropped).
- A topic's ``terms[lang]`` plus ``terms['*']`` apply to an article in language ``lang``;
  when ``lang`` is unknown or has no list of its own, every language's terms apply.
  The ``query`` applies to every language.
- A topic with both ``terms`` and ``query`` matches when any applicable term is mentioned
  **or** the query is satisfied (``terms`` are per-language aliases, the query is the
  language-independent boolean form; put exclusions in the query).

Performance: one compiled alternation regex per (topic, language); texts that mention
no term cost one regex scan.
"""

from __future__ import annotations

import re
import unicodedata

from mediamon.sentences import split_sentences as _split_sentences
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, Iterable

__all__ = [
    "Query",
    "Term",
    "And",
    "Or",
    "Not",
    "parse_query",
    "TopicMatch",
    "TopicMatcher",
    "match_topics",
    "split_sentences",
    "is_acronym",
]

# --------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Term:
    """A leaf: a word or phrase. ``words`` as written; ``prefix``: the last word ends in ``*``."""

    text: str  # canonical spelling as written (phrase without quotes, '*' kept)
    words: tuple[str, ...]
    prefix: bool
    phrase: bool
    pos: int

    def evaluate(self, present: set[str]) -> bool:
        return self.text in present

    def __str__(self) -> str:
        return _render(self)


@dataclass(frozen=True, repr=False)
class And:
    children: tuple[Any, ...]

    def evaluate(self, present: set[str]) -> bool:
        return _evaluate(self, present)

    def __str__(self) -> str:
        return _render(self)

    def __repr__(self) -> str:
        return f"And({_render(self)!r})"


@dataclass(frozen=True, repr=False)
class Or:
    children: tuple[Any, ...]

    def evaluate(self, present: set[str]) -> bool:
        return _evaluate(self, present)

    def __str__(self) -> str:
        return _render(self)

    def __repr__(self) -> str:
        return f"Or({_render(self)!r})"


@dataclass(frozen=True, repr=False)
class Not:
    child: Any

    def evaluate(self, present: set[str]) -> bool:
        return _evaluate(self, present)

    def __str__(self) -> str:
        return _render(self)

    def __repr__(self) -> str:
        return f"Not({_render(self)!r})"


Node = Term | And | Or | Not

# Deepest nesting of parentheses plus stacked NOTs a query may have. Deeper queries are a
# syntax error (with position) rather than a RecursionError; the tree walkers below are
# iterative anyway, so the limit also bounds the dataclass-generated ``==``/``hash``.
MAX_QUERY_DEPTH = 100


def _children(n: Node) -> tuple:
    if isinstance(n, Term):
        return ()
    if isinstance(n, Not):
        return (n.child,)
    return n.children


def _evaluate(root: Node, present: set[str]) -> bool:
    """Value of the tree at ``root`` given the leaf texts in ``present``; iterative (explicit
    stack, no recursion), O(number of nodes)."""
    values: list[bool] = []
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        n, children_done = stack.pop()
        if isinstance(n, Term):
            values.append(n.text in present)
        elif not children_done:
            stack.append((n, True))
            stack.extend((c, False) for c in reversed(_children(n)))
        else:
            k = len(_children(n))
            vals = values[-k:]
            del values[-k:]
            values.append(not vals[0] if isinstance(n, Not) else all(vals) if isinstance(n, And) else any(vals))
    return values[0]


def _render(root: Node) -> str:
    """The tree at ``root`` in query syntax, parenthesised only where precedence needs it
    (NOT > AND > OR), so it reparses to an equivalent query no deeper than the original; iterative."""
    out: list[str] = []
    stack: list[Any] = [root]
    while stack:
        n = stack.pop()
        if isinstance(n, str):
            out.append(n)
        elif isinstance(n, Term):
            out.append(f'"{n.text}"' if n.phrase else n.text)
        elif isinstance(n, Not):
            wrap = isinstance(n.child, (And, Or))
            stack.extend((")", n.child, "NOT (") if wrap else (n.child, "NOT "))
        else:
            op = " AND " if isinstance(n, And) else " OR "
            parts: list[Any] = []
            for i, c in enumerate(n.children):
                if i:
                    parts.append(op)
                parts.extend(("(", c, ")") if isinstance(n, And) and isinstance(c, Or) else (c,))
            stack.extend(reversed(parts))
    return "".join(out)


@dataclass(frozen=True)
class Query:
    """A parsed query: ``root`` is the AST (:class:`Term`, :class:`And`, :class:`Or`, :class:`Not`).

    ``evaluate(present)`` takes the set of leaf ``Term.text`` values found in a text.
    """

    text: str
    root: Node

    def evaluate(self, present: set[str]) -> bool:
        return _evaluate(self.root, present)

    def __str__(self) -> str:
        return _render(self.root)

    def terms(self) -> list[Term]:
        """All leaf terms, in query order, deduplicated by ``text``."""
        return [t for t, _ in self._leaves()]

    def positive_terms(self) -> list[Term]:
        """Leaf terms under an even number of NOTs (a mention of them counts for the topic)."""
        return [t for t, neg in self._leaves() if not neg]

    def _leaves(self) -> list[tuple[Term, bool]]:
        out: dict[str, tuple[Term, bool]] = {}
        stack: list[tuple[Node, bool]] = [(self.root, False)]  # iterative pre-order, left to right
        while stack:
            n, neg = stack.pop()
            if isinstance(n, Term):
                if n.text not in out or (out[n.text][1] and not neg):
                    out[n.text] = (n, neg)
            elif isinstance(n, Not):
                stack.append((n.child, not neg))
            else:
                stack.extend((c, neg) for c in reversed(n.children))
        return list(out.values())


# --------------------------------------------------------------------------- parser

_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class _Tok:
    kind: str  # LP RP AND OR NOT TERM PHRASE EOF
    value: str
    pos: int


def _term_from(value: str, pos: int, phrase: bool) -> Term:
    words = tuple(value.split())
    if not words:
        raise ValueError(f"empty phrase at position {pos}")
    for i, w in enumerate(words):
        star = w.find("*")
        if star != -1 and (star != len(w) - 1 or i != len(words) - 1):
            raise ValueError(f"'*' is only allowed at the end of a term at position {pos}: {value!r}")
        if w == "*":
            raise ValueError(f"'*' needs a prefix of at least one character at position {pos}")
    prefix = words[-1].endswith("*")
    return Term(text=" ".join(words), words=words, prefix=prefix, phrase=phrase, pos=pos)


def _tokenize(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c == "(":
            toks.append(_Tok("LP", c, i))
            i += 1
        elif c == ")":
            toks.append(_Tok("RP", c, i))
            i += 1
        elif c in "\"“”":
            close = q.find('"', i + 1) if c == '"' else min(
                (j for j in (q.find("”", i + 1), q.find('"', i + 1)) if j != -1), default=-1
            )
            if close == -1:
                raise ValueError(f"unterminated quote at position {i}")
            toks.append(_Tok("PHRASE", q[i + 1 : close], i))
            i = close + 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in '()"“”':
                j += 1
            word = q[i:j]
            toks.append(_Tok(word if word in _OPERATORS else "TERM", word, i))
            i = j
    toks.append(_Tok("EOF", "", n))
    return toks


class _Parser:
    """Recursive descent, at most :data:`MAX_QUERY_DEPTH` levels deep (parentheses and NOTs). Grammar::

    group  := clause ((OR)? clause)*          # adjacency = OR; bare NOT clause = group-wide exclusion
    clause := unary (AND unary)*
    unary  := NOT unary | primary
    primary:= TERM | PHRASE | '(' group ')'
    """

    def __init__(self, q: str):
        self.q = q
        self.toks = _tokenize(q)
        self.i = 0
        self.depth = 0  # open parentheses + pending NOTs (<= MAX_QUERY_DEPTH)

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def parse(self) -> Node:
        if self.peek().kind == "EOF":
            raise ValueError("empty query at position 0")
        node = self.group()
        t = self.peek()
        if t.kind == "RP":
            raise ValueError(f"unbalanced parenthesis: ')' at position {t.pos} has no matching '('")
        if t.kind != "EOF":  # pragma: no cover - group() consumes everything else
            raise ValueError(f"unexpected {t.value!r} at position {t.pos}")
        return node

    def _operand_error(self, after: _Tok | None) -> ValueError:
        t = self.peek()
        if after is not None:
            what = "end of query" if t.kind == "EOF" else repr(t.value)
            return ValueError(f"dangling operator {after.value!r} at position {after.pos}: expected a term, phrase or '(' but found {what}")
        if t.kind in ("AND", "OR"):
            return ValueError(f"dangling operator {t.value!r} at position {t.pos}: nothing before it")
        if t.kind == "RP":
            return ValueError(f"unbalanced parenthesis: ')' at position {t.pos} has no matching '(' or closes an empty group")
        return ValueError(f"expected a term at position {t.pos}")

    def group(self) -> Node:
        # clauses: (node, explicit_or_before)
        clauses: list[list[Any]] = []  # [node, joined_by_explicit_or]
        explicit_next = False
        while True:
            t = self.peek()
            if t.kind in ("EOF", "RP"):
                break
            if t.kind in ("AND", "OR") and not clauses:
                raise self._operand_error(None)
            node = self.clause()
            clauses.append([node, explicit_next])
            explicit_next = False
            t = self.peek()
            if t.kind == "OR":
                op = self.take()
                if self.peek().kind in ("EOF", "RP", "AND", "OR"):
                    raise self._operand_error(op)
                clauses[-1][1] = True  # the clause before an explicit OR is joined explicitly
                explicit_next = True
            elif t.kind == "AND":  # pragma: no cover - clause() consumes ANDs
                raise self._operand_error(self.take())
        if not clauses:
            raise self._operand_error(None)
        positives: list[Node] = []
        exclusions: list[Node] = []
        for node, explicit in clauses:
            if isinstance(node, Not) and not explicit:
                exclusions.append(node)
            else:
                positives.append(node)
        parts: list[Node] = []
        if positives:
            parts.append(positives[0] if len(positives) == 1 else Or(tuple(positives)))
        parts.extend(exclusions)
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def clause(self) -> Node:
        items = [self.unary()]
        while self.peek().kind == "AND":
            op = self.take()
            if self.peek().kind in ("EOF", "RP", "AND", "OR"):
                raise self._operand_error(op)
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def _enter(self, t: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_QUERY_DEPTH:
            raise ValueError(
                f"query nested too deeply at position {t.pos}: more than {MAX_QUERY_DEPTH} levels of "
                f"parentheses and NOTs (simplify the query or split it into several topics)"
            )

    def unary(self) -> Node:
        nots = 0  # a loop, not recursion: 'NOT NOT ... x' costs no stack
        while self.peek().kind == "NOT":
            op = self.take()
            self._enter(op)
            nots += 1
            if self.peek().kind in ("EOF", "RP", "AND", "OR"):
                raise self._operand_error(op)
        node = self.primary()
        self.depth -= nots
        for _ in range(nots):
            node = Not(node)
        return node

    def primary(self) -> Node:
        t = self.take()
        if t.kind == "TERM":
            return _term_from(t.value, t.pos, phrase=False)
        if t.kind == "PHRASE":
            return _term_from(t.value, t.pos, phrase=True)
        if t.kind == "LP":
            if self.peek().kind == "RP":
                raise ValueError(f"empty parentheses at position {t.pos}")
            self._enter(t)
            node = self.group()
            close = self.take()
            if close.kind != "RP":
                raise ValueError(f"unbalanced parenthesis: '(' at position {t.pos} is never closed")
            self.depth -= 1
            return node
        self.i -= 1
        raise self._operand_error(None)


def parse_query(q: str) -> Query:
    """Parse a topic query (syntax in the module docstring) into a :class:`Query` AST.

    Raises ``ValueError`` with ``at position N`` (0-based offset) for: empty query,
    unbalanced parentheses, dangling ``AND``/``OR``/``NOT``, empty parentheses or phrase,
    unterminated quote, misplaced ``*``, nesting deeper than :data:`MAX_QUERY_DEPTH`
    parentheses/NOTs (at the first token past the limit), and queries that would match a text mentioning none
    of their terms (NOT-only). ``mediamon.config.Topic`` calls this to validate ``query``.
    """
    if not isinstance(q, str):
        raise ValueError(f"query must be a string, got {type(q).__name__} at position 0")
    if not q.strip():
        raise ValueError("empty query at position 0")
    root = _Parser(q).parse()
    query = Query(text=q, root=root)
    if query.evaluate(set()):
        raise ValueError(
            f"query {q!r} would match every article that mentions none of its terms "
            "(a NOT-only clause, e.g. 'a OR NOT b'); add a required term at position 0"
        )
    return query


# --------------------------------------------------------------------------- text helpers

def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Sentences of ``text`` (the splitter sentiment uses too: :func:`mediamon.sentences.split_sentences`)."""
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
    return body  # word boundaries are added around the whole alternation (4x faster than per term)


# --------------------------------------------------------------------------- matcher


@dataclass
class TopicMatch:
    """One topic found in one article.

    ``terms``: matched terms, canonical spelling as configured, deduplicated, in configuration
    order; ``count``: number of mentions (non-overlapping matches) in title + text;
    ``sentences``: sentences mentioning a matched term, title first when it mentions one
    (input to topic-targeted sentiment); ``in_title``: the title mentions a term.
    """

    topic_id: str
    terms: list[str]
    count: int
    sentences: list[str] = field(default_factory=list)
    in_title: bool = False

    def to_dict(self) -> dict:
        return {
            "topic_id": self.topic_id,
            "terms": list(self.terms),
            "count": self.count,
            "sentences": list(self.sentences),
            "in_title": self.in_title,
        }


@dataclass(frozen=True)
class _Leaf:
    canonical: str
    regex: str
    from_query: bool  # leaf of the query (else a `terms` entry)
    positive: bool  # counts as a mention for the topic
    words: tuple[str, ...] = ()  # folded, casefolded, '*' removed: for the shadowing check


class _Compiled:
    def __init__(self, leaves: list[_Leaf]):
        self.leaves = leaves
        # longer alternatives first so a phrase wins over its own first word at the same position
        order = sorted(range(len(leaves)), key=lambda i: -len(leaves[i].canonical))
        alts = "|".join(f"(?P<t{i}>{leaves[i].regex})" for i in order)
        self.combined = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)
        self.single: dict[int, re.Pattern] = {}
        # Leaf i can be shadowed by leaf j (j's match covers a position where i would start)
        # when one of j's words and i's first word are prefixes of one another. Instead of all
        # pairs (quadratic: 8,000 terms took ~100 s), index the first words once, O(n log n):
        # by exact first word, and sorted so that "first words starting with w" is a range.
        self.by_first: dict[str, list[int]] = {}
        for i, li in enumerate(leaves):
            self.by_first.setdefault(li.words[0] if li.words else "", []).append(i)
        self.first_sorted: list[str] = sorted(self.by_first)

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


class _Article:
    """Title + text prepared once for all topics: sentence split and diacritic folding are lazy."""

    def __init__(self, text: str | None, title: str | None, language: str | None = None):
        self.text = text or ""
        self.language = language
        self.title = (title or "").strip()
        self._units: list[tuple[str, bool]] | None = None
        self._full: dict[bool, str] = {}
        self._folded: dict[bool, tuple[str, list[int]]] = {}

    def full(self, fold: bool) -> str:
        s = self._full.get(fold)
        if s is None:
            s = self.title + "\n" + self.text
            s = self._full[fold] = _fold(s) if fold else s
        return s

    def units(self) -> list[tuple[str, bool]]:
        if self._units is None:
            u = [(self.title, True)] if self.title else []
            u.extend((s, False) for s in split_sentences(self.text, self.language))
            self._units = u
        return self._units

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
        if not self.terms and self.query is None:
            raise ValueError(f"topic {topic_id!r} needs terms or a query")
        self._cache: dict[str | None, _Compiled] = {}

    @classmethod
    def from_topic(cls, topic: Any, *, fold_diacritics: bool = True) -> "TopicMatcher":
        """Build from a :class:`mediamon.config.Topic` (``id``, ``name``, ``terms``, ``query``)."""
        return cls(topic.id, dict(topic.terms or {}), topic.query, name=getattr(topic, "name", None), fold_diacritics=fold_diacritics)

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
            leaves.append(_Leaf(t.text, _term_regex(t.words, self.fold), from_query, positive, folded_words))

        for t in self._terms_for(language):
            add(t, False, True)
        if self.query is not None:
            positive = {t.text for t in self.query.positive_terms()}
            for t in self.query.terms():
                add(t, True, t.text in positive)
        c = self._cache[key] = _Compiled(leaves)
        return c

    def match(self, text: str | None, title: str | None = None, language: str | None = None) -> TopicMatch | None:
        """Match the topic in an article. ``text``: body (paragraphs separated by newlines),
        ``title`` optional, ``language`` ISO 639-1 or None. Returns :class:`TopicMatch` or None
        when the topic is not mentioned (or the query is not satisfied)."""
        return self._match(_Article(text, title, language), language)

    def _match(self, art: "_Article", language: str | None) -> TopicMatch | None:
        comp = self._compiled(language)
        if not comp.combined.search(art.full(self.fold)):
            return None  # fast path: one scan of title + text
        units = art.units()
        joined, starts = art.joined_units(self.fold)
        hits_per_unit: list[dict[int, int]] = [{} for _ in units]
        total: dict[int, int] = {}
        for m in comp.combined.finditer(joined):
            i = int(m.lastgroup[1:])
            u = bisect_right(starts, m.start()) - 1
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
            for i in sorted(comp.shadowed_by(found)):
                leaf = leaves[i]
                if leaf.from_query and i not in found and leaf.canonical not in present:
                    rx = comp.single_re(i)
                    if rx.search(joined):
                        present.add(leaf.canonical)
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
        in_title = bool(units and units[0][1] and counted & hits_per_unit[0].keys())
        return TopicMatch(
            topic_id=self.topic_id,
            terms=names,
            count=sum(total[i] for i in counted),
            sentences=sentences,
            in_title=in_title,
        )

    def __repr__(self) -> str:
        return f"TopicMatcher({self.topic_id!r})"


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
