"""Topic query language of ``topics.yaml``: tokenizer, parser and AST (``Term``/``And``/``Or``/``Not``).

It lives with the configuration because the configuration is written in it: ``load_config``
parses every query, so a malformed one fails before any fetch.

One job: turn a query string into a :class:`Query` tree, or raise ``ValueError`` with ``at position N``
(0-based character offset). Syntax and precedence are documented in :mod:`mediamon.enrich.topics`
(package docstring); matching lives in :mod:`mediamon.enrich.topics.match`. Imports nothing from mediamon.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Query", "Term", "And", "Or", "Not", "Node", "MAX_QUERY_DEPTH", "parse_query"]

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
class _Branch:
    """An n-ary operator node (:class:`And`, :class:`Or`)."""

    children: tuple[Any, ...]

    def evaluate(self, present: set[str]) -> bool:
        return _evaluate(self, present)

    def __str__(self) -> str:
        return _render(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_render(self)!r})"


@dataclass(frozen=True, repr=False)
class And(_Branch):
    """All children must hold."""


@dataclass(frozen=True, repr=False)
class Or(_Branch):
    """At least one child must hold."""


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
