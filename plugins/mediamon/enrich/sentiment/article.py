"""Article sentiment from weighted sentences, and sentiment toward a target (person, org, topic).

Our own method (weights chosen a priori from how news is written -- inverted pyramid: the
headline and lead carry the story's framing -- then checked on the tune half of the news dev
sets; no weight is fitted per item):

- :func:`article_weights`: title x :data:`TITLE_WEIGHT`, the first :data:`LEAD_SENTENCES`
  sentences x :data:`LEAD_WEIGHT`, then 1.0; *boilerplate* lines (widgets and furniture that
  extraction kept: 'Most popular', 'Baca juga', 'Read more', share/follow prompts, copyright,
  bylines) weigh 0 and never count, nor do the short headline-like lines that follow such a marker.
- :func:`target_sentiment`: only sentences mentioning a target term; inside each, the clause
  that mentions the target counts fully and the other clauses x :data:`OTHER_CLAUSE_WEIGHT`
  (clauses split at ';', ':', dashes, and before 'but', 'while', 'whereas', 'although',
  'tetapi', 'namun', 'sedangkan', 'padahal', 'meskipun'...).
"""

from __future__ import annotations

import re

TITLE_WEIGHT = 2.0
LEAD_WEIGHT = 1.5
LEAD_SENTENCES = 2
OTHER_CLAUSE_WEIGHT = 0.3

BOILERPLATE = re.compile(
    r"^\W*(?:most popular|most read|popular now|trending|read more|read also|see also|related(?: articles?| stories| news)?|"
    r"recommended|you may also like|more from|sponsored|advertisement|advertorial|share (?:this|on)|follow us|"
    r"subscribe|sign up for|newsletter|all rights reserved|copyright|©|click here|watch:|video:|photo:|foto:|"
    r"baca juga|baca selengkapnya|berita terkait|terpopuler|paling populer|populer|terkini|lihat juga|simak juga|"
    r"simak video|tonton juga|artikel terkait|rekomendasi|bagikan|ikuti kami|iklan|scroll to continue|"
    r"gulir untuk|tag:|tags:|editor:|reporter:|penulis:|sumber:|source:|by [A-Z][a-z]+ [A-Z][a-z]+$)",
    re.IGNORECASE)
# after a list marker ('Most popular', 'Terpopuler'), short lines are list items of the widget
_LIST_MARKER = re.compile(r"^\W*(?:most popular|most read|popular now|trending|related|recommended|terpopuler|"
                          r"paling populer|populer|berita terkait|artikel terkait|rekomendasi|baca juga|read more|"
                          r"more from|lihat juga)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…\"”']\s*$")

CLAUSE_SPLIT = re.compile(
    r"\s*[;:–—]\s+|\s+-\s+|,?\s+(?=(?:but|while|whereas|although|though|however|yet|tetapi|tapi|namun|sedangkan|"
    r"padahal|meskipun|walaupun|sementara|sebaliknya)\b)", re.IGNORECASE)


def content_lines(text: str) -> list[str]:
    """Lines of ``text`` that are not boilerplate (see module doc), in order; blank lines dropped."""
    out = []
    in_list = False
    for line in text.splitlines():
        s = line.strip()
        if not s:
            in_list = False
            continue
        if BOILERPLATE.match(s):
            in_list = bool(_LIST_MARKER.match(s))
            continue
        if in_list and len(s.split()) <= 14 and not _SENTENCE_END.search(s):
            continue  # an item of a 'most popular' list
        in_list = False
        out.append(s)
    return out


def article_weights(n_sentences: int, has_title: bool) -> list[float]:
    """Position weights for ``[title] + sentences``: title :data:`TITLE_WEIGHT`, first
    :data:`LEAD_SENTENCES` body sentences :data:`LEAD_WEIGHT`, the rest 1.0."""
    w = [TITLE_WEIGHT] if has_title else []
    return w + [LEAD_WEIGHT if i < LEAD_SENTENCES else 1.0 for i in range(n_sentences)]


def clauses(sentence: str) -> list[str]:
    """Clauses of one sentence (see :data:`CLAUSE_SPLIT`); empty pieces dropped."""
    return [c for c in CLAUSE_SPLIT.split(sentence) if c and c.strip()]


def term_pattern(terms: list[str]) -> re.Pattern | None:
    """A case-insensitive whole-word pattern for ``terms`` (a trailing ``*`` matches a prefix;
    whitespace inside a term matches any whitespace); None when no usable term is given."""
    alts = []
    for t in terms:
        if not isinstance(t, str) or not t.strip():
            continue
        t = t.strip()
        prefix = t.endswith("*")
        body = r"\s+".join(re.escape(p) for p in t.rstrip("*").split())
        if body:
            alts.append(body + (r"\w*" if prefix else ""))
    if not alts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
