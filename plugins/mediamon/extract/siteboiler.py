"""Site boilerplate learned per outlet: body lines that recur across many articles of one source.

Reader appeals, disclaimers, "republished from" notes, promo lines inside the body container
and copyright footers of one outlet are the same line on many of its articles, while a real
paragraph is on one article (or a few, when a story is followed up). So a source's
boilerplate is learned from its own stored articles without a phrase list, for any outlet:

- every body line is reduced to a *line key* (:func:`line_key`: lower-cased, digits mapped to
  ``0`` so "© 2024" and "© 2025" are one line, punctuation and whitespace collapsed, sha1
  of that, 16 hex digits);
- the store keeps one row per (source, line key, article) over a rolling window of the
  source's recent articles (``source_line_seen``, ``sql/site_lines_*.sql``);
- a key is boilerplate for the source when it was seen on at least :data:`MIN_ARTICLES`
  distinct articles **and** on at least :data:`MIN_SHARE` of the source's articles in the
  window (:func:`is_boilerplate`);
- :func:`strip_lines` drops those lines from an article's text (never all of it).

Where it is applied: at load time (``mediamon.stages.ingest.load``, which holds the DuckDB
session; the fetch stage never opens the database), so fetched articles, ``reprocess`` and
``import-warc`` all go through it. Counts are taken from the text as extracted (before the
learned lines are dropped), so a learned line keeps being counted and stays learned.

Thresholds: chosen leave-one-outlet-out on the corpora that have several pages per outlet
(``benchmarks/extraction.py --boilerplate``; ``docs/extraction.md`` has the figures).
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["MIN_ARTICLES", "MIN_SHARE", "WINDOW_DAYS", "is_boilerplate", "line_key", "line_keys", "strip_lines"]

#: A line is boilerplate for a source when seen on at least this many distinct articles ...
MIN_ARTICLES = 3
#: ... and on at least this share of the source's articles in the window.
MIN_SHARE = 0.3
#: Rolling window (days, by the article's fetch time, back from the source's latest article).
WINDOW_DAYS = 30

_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def line_key(line: str) -> str | None:
    """The key of one body line: sha1 (first 16 hex digits) of the line lower-cased, with digit
    runs replaced by ``0`` and non-word characters collapsed to one space; None for a line
    without a letter (numbers and punctuation only: nothing to learn)."""
    s = _NON_WORD.sub(" ", _DIGITS.sub("0", line.lower())).strip()
    if not s or not re.search(r"[^\W\d_]", s):
        return None
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:16]


def line_keys(text: str) -> set[str]:
    """The distinct line keys of ``text`` (paragraphs separated by ``'\\n'``)."""
    return {k for k in (line_key(ln) for ln in (text or "").split("\n")) if k}


def is_boilerplate(n_articles_with_line: int, n_articles: int, *, min_articles: int = MIN_ARTICLES,
                   min_share: float = MIN_SHARE) -> bool:
    """True when a line seen on ``n_articles_with_line`` of the source's ``n_articles``
    recent articles is boilerplate (both thresholds met)."""
    return n_articles > 0 and n_articles_with_line >= min_articles and n_articles_with_line >= min_share * n_articles


def strip_lines(text: str, keys: set[str] | frozenset[str]) -> tuple[str, list[str]]:
    """``text`` without its lines whose :func:`line_key` is in ``keys``; returns ``(text,
    dropped_lines)``. When every line would go, nothing is dropped (a page made only of the
    site's recurring lines is a page-type question, not a boilerplate one)."""
    if not keys or not text:
        return text, []
    lines = text.split("\n")
    kept, dropped = [], []
    for ln in lines:
        (dropped if line_key(ln) in keys else kept).append(ln)
    if not dropped or not any(ln.strip() for ln in kept):
        return text, []
    return "\n".join(kept), dropped
