"""Syntax tree of the topic query language (:mod:`mediamon.config.query` parses into it):
``Term``, ``Near``, ``And``, ``Or``, ``Not`` and the parsed :class:`Query`, with iterative evaluation
and rendering (no recursion, so a deep query costs no stack). Imports nothing from mediamon."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Query", "Term", "Near", "And", "Or", "Not", "Node", "FIELDS", "MAX_QUERY_DEPTH", "MAX_NEAR", "DEFAULT_NEAR"]

# Field scopes a term may carry (``title:Ukraine``): the title, or the lead paragraph (first
# paragraph of the text). Without a scope a term matches anywhere in title + text.
FIELDS = ("title", "lead")
DEFAULT_NEAR = 5   # ``a NEAR b`` == ``a NEAR/5 b``
MAX_NEAR = 100     # largest distance ``NEAR/k`` accepts (words)

# --------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Term:
    """A leaf: a word or phrase. ``words`` as written; ``prefix``: the last word ends in ``*``."""

    text: str  # canonical spelling as written (phrase without quotes, '*' kept)
    words: tuple[str, ...]
    prefix: bool
    phrase: bool
    pos: int
    field: str | None = None  # one of FIELDS, or None (anywhere)

    @property
    def key(self) -> str:
        """What the matcher puts in ``present`` when this leaf holds: ``text``, or
        ``field:text`` for a field-scoped term."""
        return f"{self.field}:{self.text}" if self.field else self.text

    def evaluate(self, present: set[str]) -> bool:
        return self.key in present

    def __str__(self) -> str:
        return _render(self)


@dataclass(frozen=True)
class Near:
    """Proximity: ``left NEAR/distance right`` holds when a mention of ``left`` and one of
    ``right`` (either order) have at most ``distance`` words between them, within one sentence
    (or within the title). Both sides are terms or phrases (field scopes allowed)."""

    left: Term
    right: Term
    distance: int
    pos: int

    @property
    def key(self) -> str:
        """What the matcher puts in ``present`` when the proximity holds."""
        return f"NEAR/{self.distance}({self.left.key}|{self.right.key})"

    def evaluate(self, present: set[str]) -> bool:
        return self.key in present

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


Node = Term | Near | And | Or | Not

# Deepest nesting of parentheses plus stacked NOTs a query may have. Deeper queries are a
# syntax error (with position) rather than a RecursionError; the tree walkers below are
# iterative anyway, so the limit also bounds the dataclass-generated ``==``/``hash``.
MAX_QUERY_DEPTH = 100


def _children(n: Node) -> tuple:
    if isinstance(n, (Term, Near)):
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
        if isinstance(n, (Term, Near)):
            values.append(n.key in present)
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
            out.append((f"{n.field}:" if n.field else "") + (f'"{n.text}"' if n.phrase else n.text))
        elif isinstance(n, Near):
            stack.extend((n.right, f" NEAR/{n.distance} ", n.left))
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
        """All leaf terms (also those inside ``NEAR``), in query order, deduplicated by ``key``."""
        return [t for t, _ in self._leaves()]

    def positive_terms(self) -> list[Term]:
        """Leaf terms under an even number of NOTs (a mention of them counts for the topic)."""
        return [t for t, neg in self._leaves() if not neg]

    def scoped_terms(self) -> list[Term]:
        """Leaf terms with a field scope (``title:``, ``lead:``), deduplicated by ``key``."""
        return [t for t, _ in self._leaves() if t.field]

    def near_nodes(self) -> list[Near]:
        """The ``NEAR`` nodes of the query, deduplicated by ``key``, in query order."""
        out: dict[str, Near] = {}
        stack: list[Node] = [self.root]
        while stack:
            n = stack.pop()
            if isinstance(n, Near):
                out.setdefault(n.key, n)
            else:
                stack.extend(reversed(_children(n)))
        return list(out.values())

    def _leaves(self) -> list[tuple[Term, bool]]:
        out: dict[str, tuple[Term, bool]] = {}
        stack: list[tuple[Node, bool]] = [(self.root, False)]  # iterative pre-order, left to right
        while stack:
            n, neg = stack.pop()
            if isinstance(n, Term):
                if n.key not in out or (out[n.key][1] and not neg):
                    out[n.key] = (n, neg)
            elif isinstance(n, Near):
                stack.extend(((n.right, neg), (n.left, neg)))
            elif isinstance(n, Not):
                stack.append((n.child, not neg))
            else:
                stack.extend((c, neg) for c in reversed(n.children))
        return list(out.values())
