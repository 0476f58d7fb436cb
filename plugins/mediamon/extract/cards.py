"""Card structure: repeated sibling blocks, each a headline link plus a short teaser (listing evidence)

A home, section or index page is a run of *cards*: sibling blocks (``li``, ``div``, ``article``)
each holding one headline link (``h2/h3/h4 > a``, ``a > h2``, or an ``a`` whose class names a
title/headline) and a short summary. :func:`card_evidence` finds them and measures how much of
the page's main text they cover and how much of the extracted body text comes from them, so
that :mod:`mediamon.extract.pagetype` can tell an index page full of teasers from an article
with a related-articles block after its body.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lxml import etree

__all__ = ["CardEvidence", "card_evidence"]

_HEADINGS = {"h2", "h3", "h4"}
_HEADLINE_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:title|headline|judul|heading)(?:$|[\s_-])", re.I)
_BULLET_RE = re.compile(r"^\s*[-–•*·]\s+")  # list-item markers the body extractor puts before <li> text
_CHROME = {"header", "nav", "footer", "aside", "script", "style", "noscript", "form", "template"}
#: A card's whole text (headline + teaser) is at most this many words.
MAX_CARD_WORDS = 90
#: Sibling cards needed for a group to count (a group of 2 is a pair of links, not a list).
MIN_GROUP = 3


@dataclass
class CardEvidence:
    """What :func:`card_evidence` found: ``n_cards`` cards in groups of at least
    :data:`MIN_GROUP` siblings (``largest_group`` the biggest group), ``card_words`` their total
    words, ``main_words`` the words of the page body outside header/nav/footer/aside, and
    ``text_share`` the fraction (0..1) of the extracted body text's words found inside cards,
    ``story_words`` the words of the longest ``<article>``/``itemprop=articleBody`` element that
    holds no headline link (an article's own body beside the cards; 0 when there is none)."""

    n_cards: int = 0
    largest_group: int = 0
    card_words: int = 0
    main_words: int = 0
    text_share: float = 0.0
    story_words: int = 0

    @property
    def coverage(self) -> float:
        """Card words / main words (0..1); 0.0 for a page without main text."""
        return min(1.0, self.card_words / self.main_words) if self.main_words else 0.0


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


# compiled XPath (C speed; one pass each) instead of walking every link's ancestors in Python
_HEADING_LINKS = etree.XPath(".//a[@href][ancestor::h2 or ancestor::h3 or ancestor::h4 or .//h2 or .//h3 or .//h4]")
_CLASSED_LINKS = etree.XPath(".//a[@href][@class]")
_CHROME_LINKS = etree.XPath(".//a[ancestor::header or ancestor::nav or ancestor::footer or ancestor::aside "
                            "or ancestor::form or ancestor::template or ancestor::noscript]")


def _headline_links(body) -> list:
    """Headline links of ``body`` outside page chrome, in document order: an ``a[href]`` inside
    or around an h2/h3/h4, or whose class names a title/headline."""
    heads = set(_HEADING_LINKS(body))
    heads.update(a for a in _CLASSED_LINKS(body) if _HEADLINE_CLASS_RE.search(a.get("class") or ""))
    if not heads:
        return []
    chrome = set(_CHROME_LINKS(body))
    return [a for a in body.iter("a") if a in heads and a not in chrome]


def _main_words(body) -> int:
    """Words of ``body`` outside header/nav/footer/aside/script/style (outermost such elements)."""
    n = len(" ".join(body.itertext()).split())
    for el in body.iter(*_CHROME):
        if not any(anc.tag in _CHROME for anc in el.iterancestors()):
            n -= len(" ".join(el.itertext()).split())
    return max(0, n)


def card_evidence(body, text: str) -> CardEvidence:
    """Cards of the page ``body`` (an lxml element; None gives an empty :class:`CardEvidence`)
    and the share of ``text`` (the extracted body text, lines joined by ``'\\n'``) inside them.

    A card is the highest ancestor of a headline link that holds no other headline link and has
    at most :data:`MAX_CARD_WORDS` words; cards are grouped by their parent and groups smaller
    than :data:`MIN_GROUP` are ignored. Cost: one pass over the links and their ancestors.
    Never raises on page content."""
    ev = CardEvidence()
    if body is None:
        return ev
    heads = _headline_links(body)
    if len(heads) < MIN_GROUP:
        return ev
    count: dict = defaultdict(int)  # element -> headline links inside it
    for a in heads:
        count[a] += 1
        for anc in a.iterancestors():
            count[anc] += 1
            if anc is body:
                break
    groups: dict = defaultdict(list)
    for a in heads:
        card = a
        while card is not body and card.getparent() is not None and count[card.getparent()] == 1 \
                and card.getparent() is not body:
            card = card.getparent()
        if card is body or card.getparent() is None:
            continue
        if len(" ".join(card.itertext()).split()) <= MAX_CARD_WORDS:
            groups[card.getparent()].append(card)
    big = [g for g in groups.values() if len(g) >= MIN_GROUP]
    if not big:
        return ev
    card_texts = [_norm(" ".join(c.itertext())) for g in big for c in g]
    ev.n_cards = len(card_texts)
    ev.largest_group = max(len(g) for g in big)
    ev.card_words = sum(len(t.split()) for t in card_texts)
    ev.main_words = _main_words(body)
    joined = "\n".join(card_texts)
    lines = [_norm(_BULLET_RE.sub("", ln)) for ln in text.split("\n") if ln.strip()]
    total = sum(len(ln.split()) for ln in lines)
    inside = sum(len(ln.split()) for ln in lines if ln[:80] in joined)
    ev.text_share = inside / total if total else 0.0
    for el in body.xpath(".//article | .//*[@itemprop='articleBody']"):
        if count.get(el, 0) == 0:
            ev.story_words = max(ev.story_words, len(" ".join(el.itertext()).split()))
    return ev
