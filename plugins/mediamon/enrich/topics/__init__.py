"""Tracked topics: a boolean keyword-query parser (:mod:`.query`) and a fast per-article matcher (:mod:`.match`).

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
- ``a NEAR/k b``: a mention of ``a`` and one of ``b`` (terms or phrases, either order) with at
  most ``k`` words between them (0..100), within one sentence or within the title; ``NEAR`` alone
  is ``NEAR/5``. It binds tighter than ``NOT``/``AND``/``OR``; a group or a chain
  (``a NEAR b NEAR c``) as an operand is a syntax error.
- Field scopes: ``title:term``, ``lead:"a phrase"``, ``title:(a OR b)``: the term must occur in
  the title, or in the lead paragraph (first non-empty line of the text). Only ``title`` and
  ``lead`` are fields; another ``word:word`` stays an ordinary term.
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

Performance: one word index per (topic, language) (:mod:`.index`): the text is split into word runs once per
article, the runs are looked up in a dict of the terms' first words (and first word pairs), and
only those candidates are verified with the term's own regex, so the cost of a text does not grow
with the number of terms (see :mod:`.match`; 20,000 terms, 3,000 characters: ~15 ms).
"""

from mediamon.enrich.topics.match import TopicMatch, TopicMatcher, is_acronym, match_topics, split_sentences
from mediamon.config.query import MAX_QUERY_DEPTH, And, Not, Or, Query, Term, parse_query

__all__ = [
    "Query",
    "Term",
    "And",
    "Or",
    "Not",
    "parse_query",
    "MAX_QUERY_DEPTH",
    "TopicMatch",
    "TopicMatcher",
    "match_topics",
    "split_sentences",
    "is_acronym",
]
