"""Body-text candidates and the choice between them by agreement, not by length.

Candidates (each one paragraph per line):

- ``precision``: trafilatura 2.3.1 ``favor_precision=True`` (its own readability/jusText
  comparison included, i.e. without ``fast``);
- ``balanced``: trafilatura default mode (without ``fast``);
- ``readability``: readability-lxml 0.9 (arc90 Readability port), its ``summary()`` turned
  into one line per block element.

The choice (:func:`choose`) works like the comparers of news-please (Hamborg et al. 2017,
"news-please: A Generic News Crawler and Extractor") and the voting ensembles of the web
content extraction benchmark (Bevendorff et al. 2023, "An Empirical Comparison of Web Content
Extraction Algorithms", SIGIR): a candidate's *agreement* with another is the Dice
coefficient of their 4-token shingle multisets; the candidate with the highest mean agreement
wins (ties: precision, then readability, then balanced). Length never decides. Then the
winner's lines are voted on: a run of lines at the **end** of the chosen text whose shingles no
other candidate has (polls, teasers after the body) is cut, as is a link-dominated line no
other candidate supports; and a trailing related-article block (link-dominated lines: headline
lists, dated headline lists, "most read" blocks) is cut by :func:`cut_link_tail`, which also
runs on pages that are not escalated (``extract.core``).
"""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from functools import lru_cache

__all__ = ["CANDIDATES", "agreement", "candidate_texts", "choose", "cut_link_tail", "ensemble_text", "link_dominated",
           "page_link_texts", "readability_text", "shingles", "support", "tail_is_links"]

#: Candidate names, in tie-break order.
CANDIDATES = ("precision", "readability", "balanced")

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_URL_TEXT_RE = re.compile(r"https?://|www\.|\.(?:com|net|org|id)/")
_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt",
                         "figcaption", "td", "th", "div", "section", "article", "table", "ul", "ol", "tr"})

#: A trailing line run needs at least this many tokens before the cut is considered, and the
#: kept part must keep at least this share of the chosen text's tokens (a cut never empties
#: a page). Chosen leave-one-outlet-out (benchmarks/extraction.py, docs/extraction.md).
TAIL_MIN_KEEP = 0.5
#: A line is "supported" when at least this share of its 4-shingles occur in another candidate
#: (lines under 4 tokens: the whole token sequence must occur in one).
LINE_SUPPORT = 0.5


def shingles(text: str, n: int = 4) -> Counter:
    """Multiset of the lower-cased ``\\w+`` token n-grams (tuples) of ``text`` (the AEB metric's unit)."""
    t = [w.lower() for w in _TOKEN_RE.findall(text or "")]
    if len(t) < n:
        return Counter([tuple(t)]) if t else Counter()
    return Counter(tuple(t[i:i + n]) for i in range(len(t) - n + 1))


def support(a: Counter, b: Counter) -> float:
    """Share (0..1) of ``a``'s shingles (with multiplicity) also in ``b``; 0.0 when ``a`` is empty."""
    total = sum(a.values())
    if not total:
        return 0.0
    return sum(min(c, b[k]) for k, c in a.items()) / total


def agreement(a: Counter, b: Counter) -> float:
    """Symmetric agreement (0..1) of two shingle multisets: their Dice coefficient
    ``2|a & b| / (|a| + |b|)`` (= the AEB F1 of one against the other). Unlike containment,
    a short candidate that is a subset of a long one does not score 1: a teaser-only text
    agrees little with a full body, and a body padded with a related-headline list agrees
    less with the body-only candidates."""
    total = sum(a.values()) + sum(b.values())
    if not total:
        return 0.0
    return 2 * sum(min(c, b[k]) for k, c in a.items()) / total


def page_link_texts(tree, min_tokens: int = 3) -> frozenset[str]:
    """Normalised texts (lower-cased, whitespace collapsed) of the ``<a>`` elements of ``tree``
    with at least ``min_tokens`` ``\\w+`` tokens: the headline links a related-article or
    "most read" block is made of. A link whose text is a URL (``http://...``, ``www....``) is
    not a headline (product and source lists show their URLs) and is left out."""
    out = set()
    for a in tree.iter("a"):
        s = " ".join(a.text_content().split()).lower()
        if len(_TOKEN_RE.findall(s)) >= min_tokens and not _URL_TEXT_RE.search(s):
            out.add(s)
    return frozenset(out)


#: A line is *link-dominated* when one link text of the page covers at least this share of
#: its tokens (a headline link, alone or with its date or a short label).
LINK_DOMINATED = 0.6
#: A trailing block is a related-article block when it holds at least TAIL_LINK_MIN
#: link-dominated lines making up at least TAIL_LINK_SHARE of its lines. Chosen
#: leave-one-outlet-out (benchmarks/extraction.py).
TAIL_LINK_MIN = 3
TAIL_LINK_SHARE = 0.4
#: A link-tail cut keeps at least this share of the text's tokens (a "most read" block with
#: teaser sentences can be longer than a short article, so this is below TAIL_MIN_KEEP).
LINK_TAIL_MIN_KEEP = 0.25


def _norm_line(line: str) -> str:
    return " ".join(line.split()).lower()


def link_dominated(line: str, link_texts: frozenset[str]) -> bool:
    """True when a link text of the page (``link_texts``, see :func:`page_link_texts`) covers
    at least :data:`LINK_DOMINATED` of ``line``'s tokens."""
    if not link_texts:
        return False
    s = _norm_line(line)
    if s in link_texts:
        return True
    n = len(_TOKEN_RE.findall(s))
    if n == 0:
        return False
    need = LINK_DOMINATED * n
    return any(_ntok(lt) >= need and lt in s for lt in link_texts if len(lt) <= len(s))


@lru_cache(maxsize=65536)
def _ntok(s: str) -> int:
    return len(_TOKEN_RE.findall(s))


def tail_is_links(text: str, link_texts: frozenset[str], last: int = 3) -> bool:
    """True when one of the ``last`` lines of ``text`` is link-dominated (:func:`link_dominated`):
    the cue that a headline list follows the body (the trigger for the ensemble)."""
    if not link_texts:
        return False
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return any(link_dominated(ln, link_texts) for ln in lines[-last:])


def cut_link_tail(lines: list[str], link_texts: frozenset[str]) -> list[str]:
    """``lines`` without a trailing related-article block: the longest trailing run starting
    at a link-dominated line in which at least :data:`TAIL_LINK_MIN` lines, and at least
    :data:`TAIL_LINK_SHARE` of the lines, are link-dominated (headline lists, "most read"
    blocks with teaser sentences, dated headline lists), plus a short heading line right
    before it ("BERITA LAINNYA", "Most read": at most 4 tokens, no final full stop). Never
    cuts below 2 lines or :data:`LINK_TAIL_MIN_KEEP` of the tokens."""
    if not link_texts or len(lines) < TAIL_LINK_MIN:
        return lines
    dom = [link_dominated(ln, link_texts) for ln in lines]
    if sum(dom) < TAIL_LINK_MIN:
        return lines
    ntok = [len(_TOKEN_RE.findall(ln)) for ln in lines]
    total = sum(ntok) or 1
    cut = None
    n_dom = 0
    for i in range(len(lines) - 1, -1, -1):
        n_dom += dom[i]
        if dom[i] and n_dom >= TAIL_LINK_MIN and n_dom >= TAIL_LINK_SHARE * (len(lines) - i):
            cut = i
    if cut is None:
        return lines
    if cut > 0 and ntok[cut - 1] <= 4 and not lines[cut - 1].rstrip().endswith((".", "!", "?", '"', "”")):
        cut -= 1
    if cut < 2 or sum(ntok[:cut]) < LINK_TAIL_MIN_KEEP * total:
        return lines
    return lines[:cut]


def readability_text(tree, url: str | None = None) -> str:
    """readability-lxml's main content of ``tree`` (an lxml HTML tree; copied, not changed) as
    one paragraph per line ('' when it finds nothing or fails: readability raises on some
    documents, e.g. ``Unparseable``, which must not sink the page)."""
    try:
        from readability import Document
        from lxml import html as lhtml

        doc = Document(deepcopy(tree), url=url)
        summary = doc.summary(html_partial=True)
        root = lhtml.fragment_fromstring(summary, create_parent="div") if summary else None
    except Exception:  # noqa: BLE001 - a failing candidate is simply absent
        return ""
    if root is None:
        return ""
    return "\n".join(_block_lines(root))


def _block_lines(root) -> list[str]:
    """Text of ``root`` split at block elements (and ``<br>``), whitespace collapsed."""
    out: list[str] = []
    buf: list[str] = []

    def flush():
        s = re.sub(r"\s+", " ", "".join(buf)).strip()
        if s:
            out.append(s)
        buf.clear()

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if tag == "br":
            flush()
        elif tag in ("script", "style", "noscript"):
            if el.tail:
                buf.append(el.tail)
            return
        if block:
            flush()
        if el.text and tag != "br":
            buf.append(el.text)
        for ch in el:
            walk(ch)
        if block:
            flush()
        if el.tail:
            buf.append(el.tail)

    walk(root)
    flush()
    return out


def candidate_texts(tree, traf_kw: dict, names=CANDIDATES) -> dict[str, str]:
    """``{name: text}`` for the candidates in ``names`` on ``tree`` (not changed; trafilatura
    copies it, readability gets a copy). ``traf_kw``: keyword arguments for
    ``trafilatura.bare_extraction`` (url, include_tables, ...). A candidate that finds nothing
    is ''."""
    from trafilatura import bare_extraction

    out: dict[str, str] = {}
    for name in names:
        if name == "readability":
            out[name] = readability_text(tree, traf_kw.get("url"))
            continue
        doc = bare_extraction(tree, favor_precision=(name == "precision"), **traf_kw)
        out[name] = ((doc.text if doc is not None else "") or "").strip()
    return out


#: When trafilatura precision and readability-lxml agree at least this much (Dice of their
#: shingles), the balanced candidate is not run (it could not outvote them; saves its cost).
PAIR_AGREEMENT = 0.9


def ensemble_text(tree, traf_kw: dict, link_texts: frozenset[str] = frozenset()) -> tuple[str, str, dict]:
    """Run the candidates lazily on ``tree`` and :func:`choose` between them: precision and
    readability first; balanced only when those two disagree (agreement < :data:`PAIR_AGREEMENT`)
    or precision found nothing. Returns :func:`choose`'s ``(name, text, info)``; ``info['ran']``
    lists the candidates run."""
    texts = candidate_texts(tree, traf_kw, ("precision", "readability"))
    if not texts["precision"] or agreement(shingles(texts["precision"]), shingles(texts["readability"])) < PAIR_AGREEMENT:
        texts.update(candidate_texts(tree, traf_kw, ("balanced",)))
    name, text, info = choose(texts, link_texts)
    info["ran"] = list(texts)
    return name, text, info


def choose(texts: dict[str, str], link_texts: frozenset[str] = frozenset()) -> tuple[str, str, dict]:
    """Pick the body among candidate texts by agreement, then cut unsupported lines.

    Args:
        texts: ``{candidate name: text}`` (one paragraph per line; '' = nothing found).
        link_texts: normalised (lower-cased, whitespace-collapsed) texts of the page's ``<a>``
            elements (:func:`page_link_texts`); a link-dominated chosen line that no other
            candidate supports is dropped, and a trailing related-article block is cut
            (:func:`cut_link_tail`).

    Returns:
        ``(name, text, info)``: the winning candidate, its text after the line vote, and
        ``info`` with ``support`` (name -> mean Dice agreement with the others, 3 decimals),
        ``cut`` (lines cut) and, when a prose-rich loser replaced the winner, ``switched_from``.
        ``('none', '', info)`` when every candidate is empty.
    """
    sh = {k: shingles(v) for k, v in texts.items() if v and v.strip()}
    info: dict = {"support": {}, "cut": 0}
    if not sh:
        return "none", "", info
    names = [n for n in CANDIDATES if n in sh] + [n for n in sh if n not in CANDIDATES]
    if len(names) == 1:
        return names[0], texts[names[0]], info
    scores = {}
    for a in names:
        others = [agreement(sh[a], sh[b]) for b in names if b != a]
        scores[a] = sum(others) / len(others)
    info["support"] = {k: round(v, 3) for k, v in scores.items()}
    best = max(names, key=lambda n: (round(scores[n], 3), -names.index(n)))
    # the winner may be a fragment two correlated candidates agree on (both readability ports
    # can lock onto one teaser block): another candidate whose extra lines are prose (long
    # sentence lines, not link texts) has body text the winner lacks
    for other in names:
        if other != best and _extra_is_prose(texts[other], sh[best], link_texts):
            info["switched_from"] = best
            best = other
            break
    lines = [ln for ln in texts[best].split("\n") if ln.strip()]
    others = [sh[b] for b in names if b != best]
    kept = cut_link_tail(_vote_lines(lines, others, link_texts), link_texts)
    info["cut"] = len(lines) - len(kept)
    kept_set = set(kept)
    info["cut_lines"] = [ln for ln in lines if ln not in kept_set]  # credits in them still count (core.py)
    return best, "\n".join(kept), info


#: Extra lines of a losing candidate are "prose" when they hold at least this many tokens, their
#: lines average at least PROSE_LINE_TOKENS tokens, and at most PROSE_LINK_SHARE of their
#: tokens are in link-dominated lines. PROSE_LINE_TOKENS is chosen leave-one-outlet-out
#: (benchmarks/extraction_loo.py); the other two are fixed.
PROSE_MIN_TOKENS = 60
PROSE_LINE_TOKENS = 15
PROSE_LINK_SHARE = 0.2


def _extra_is_prose(text: str, best: Counter, link_texts: frozenset[str]) -> bool:
    """True when the lines of ``text`` that ``best`` does not support are prose (see PROSE_*)."""
    extra = [ln for ln in text.split("\n") if ln.strip() and support(shingles(ln), best) < LINE_SUPPORT]
    ntok = [len(_TOKEN_RE.findall(ln)) for ln in extra]
    total = sum(ntok)
    if total < PROSE_MIN_TOKENS or total / len(extra) < PROSE_LINE_TOKENS:
        return False
    linked = sum(n for ln, n in zip(extra, ntok) if link_dominated(ln, link_texts))
    return linked <= PROSE_LINK_SHARE * total


def _supported(line: str, others: list[Counter]) -> bool:
    ls = shingles(line)
    if not ls:
        return True
    return any(support(ls, o) >= LINE_SUPPORT for o in others)


def _vote_lines(lines: list[str], others: list[Counter], link_texts: frozenset[str]) -> list[str]:
    """``lines`` without the unsupported trailing run and unsupported headline-link lines."""
    sup = [_supported(ln, others) for ln in lines]
    ntok = [len(_TOKEN_RE.findall(ln)) for ln in lines]
    total = sum(ntok) or 1
    end = len(lines)
    while end > 0 and not sup[end - 1]:
        end -= 1
    if end < len(lines) and sum(ntok[:end]) < TAIL_MIN_KEEP * total:
        end = len(lines)  # the unsupported part is most of the text: keep it, no cut
    kept = []
    for i, ln in enumerate(lines[:end]):
        if not sup[i] and link_dominated(ln, link_texts):
            continue
        kept.append(ln)
    return kept
