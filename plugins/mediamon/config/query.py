"""Topic query language of ``topics.yaml``: tokenizer and parser into the syntax tree of
:mod:`mediamon.config.queryast` (``Term``/``Near``/``And``/``Or``/``Not``), re-exported here.

It lives with the configuration because the configuration is written in it: ``load_config``
parses every query, so a malformed one fails before any fetch.

One job: turn a query string into a :class:`Query` tree, or raise ``ValueError`` with ``at position N``
(0-based character offset). Syntax and precedence are documented in :mod:`mediamon.enrich.topics`
(package docstring); matching lives in :mod:`mediamon.enrich.topics.match`. Imports nothing else from mediamon.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mediamon.config.queryast import (DEFAULT_NEAR, FIELDS, MAX_NEAR, MAX_QUERY_DEPTH, And, Near, Node, Not, Or, Query,
                                      Term)

__all__ = ["Query", "Term", "Near", "And", "Or", "Not", "Node", "FIELDS", "MAX_QUERY_DEPTH", "MAX_NEAR", "DEFAULT_NEAR",
           "parse_query"]


# --------------------------------------------------------------------------- parser

_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class _Tok:
    kind: str  # LP RP AND OR NOT NEAR FIELD TERM PHRASE EOF
    value: str
    pos: int


def _term_from(value: str, pos: int, phrase: bool, field: str | None = None) -> Term:
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
    return Term(text=" ".join(words), words=words, prefix=prefix, phrase=phrase, pos=pos, field=field)


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
            head, colon, rest = word.partition(":")
            if word in _OPERATORS:
                toks.append(_Tok(word, word, i))
            elif word == "NEAR" or word.startswith("NEAR/"):
                digits = word[5:] if word != "NEAR" else str(DEFAULT_NEAR)
                if not digits.isdigit() or int(digits) > MAX_NEAR:
                    raise ValueError(f"bad proximity {word!r} at position {i}: write NEAR or NEAR/k with k a whole "
                                     f"number of words from 0 to {MAX_NEAR}")
                toks.append(_Tok("NEAR", str(int(digits)), i))
            elif colon and head in FIELDS:
                toks.append(_Tok("FIELD", head, i))
                if rest:
                    toks.append(_Tok("TERM", rest, i + len(head) + 1))
            else:
                toks.append(_Tok("TERM", word, i))
            i = j
    toks.append(_Tok("EOF", "", n))
    return toks


class _Parser:
    """Recursive descent, at most :data:`MAX_QUERY_DEPTH` levels deep (parentheses and NOTs). Grammar::

    group  := clause ((OR)? clause)*          # adjacency = OR; bare NOT clause = group-wide exclusion
    clause := unary (AND unary)*
    unary  := NOT unary | near
    near   := scoped (NEAR scoped)?            # both sides a term or phrase
    scoped := FIELD primary | primary          # title:x, lead:"a b", title:(a OR b)
    primary:= TERM | PHRASE | '(' group ')'
    """

    def __init__(self, q: str):
        self.q = q
        self.toks = _tokenize(q)
        self.i = 0
        self.depth = 0  # open parentheses + pending NOTs (<= MAX_QUERY_DEPTH)
        self.field: str | None = None  # field scope in force (title:(...))

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
            name = "NEAR" if after.kind == "NEAR" else after.value
            return ValueError(f"dangling operator {name!r} at position {after.pos}: expected a term, phrase or '(' but found {what}")
        if t.kind in ("AND", "OR"):
            return ValueError(f"dangling operator {t.value!r} at position {t.pos}: nothing before it")
        if t.kind == "NEAR":
            return ValueError(f"dangling operator NEAR at position {t.pos}: nothing before it")
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
            if t.kind in ("AND", "OR", "NEAR") and not clauses:
                raise self._operand_error(None)
            node = self.clause()
            clauses.append([node, explicit_next])
            explicit_next = False
            t = self.peek()
            if t.kind == "OR":
                op = self.take()
                if self.peek().kind in ("EOF", "RP", "AND", "OR", "NEAR"):
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
            if self.peek().kind in ("EOF", "RP", "AND", "OR", "NEAR"):
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
            if self.peek().kind in ("EOF", "RP", "AND", "OR", "NEAR"):
                raise self._operand_error(op)
        node = self.near()
        self.depth -= nots
        for _ in range(nots):
            node = Not(node)
        return node

    def near(self) -> Node:
        left_tok = self.peek()
        left = self.primary()
        if self.peek().kind != "NEAR":
            return left
        op = self.take()
        if self.peek().kind in ("EOF", "RP", "AND", "OR", "NOT", "NEAR"):
            raise self._operand_error(op)
        right_tok = self.peek()
        right = self.primary()
        for side, at in ((left, left_tok.pos), (right, right_tok.pos)):
            if not isinstance(side, Term):
                raise ValueError(f"NEAR at position {op.pos} joins two terms or phrases; the operand at position {at} "
                                 "is a group (write (a OR b) NEAR/5 c as a NEAR/5 c OR b NEAR/5 c)")
        if self.peek().kind == "NEAR":
            raise ValueError(f"chained NEAR at position {self.peek().pos}: NEAR joins exactly two terms "
                             "(combine several with AND)")
        return Near(left, right, int(op.value), op.pos)

    def primary(self) -> Node:
        t = self.take()
        if t.kind == "FIELD":
            if self.field is not None:
                raise ValueError(f"field scope {t.value + ':'!r} at position {t.pos} inside another field scope")
            if self.peek().kind not in ("TERM", "PHRASE", "LP"):
                nxt = self.peek()
                what = "end of query" if nxt.kind == "EOF" else repr(nxt.value)
                raise ValueError(f"field scope {t.value + ':'!r} at position {t.pos} needs a term, phrase or '(' "
                                 f"right after it, found {what}")
            self.field = t.value
            try:
                return self.primary()
            finally:
                self.field = None
        if t.kind == "TERM":
            return _term_from(t.value, t.pos, phrase=False, field=self.field)
        if t.kind == "PHRASE":
            return _term_from(t.value, t.pos, phrase=True, field=self.field)
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
