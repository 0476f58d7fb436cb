"""Page type: is a page an article, a listing (home/section/tag/index), a paywall, a bot wall, or empty?

Decided from the cues in :mod:`mediamon.extract.rules` (bot-wall and paywall phrases,
listing URLs and titles, schema.org types), the extracted body text and the link density
of the page.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from mediamon.extract.cards import card_evidence
from mediamon.extract.htmlprep import text_of
from mediamon.extract.rules import (ARTICLE_ID_QUERY_KEYS, BOTWALL_RE, LISTING_TITLE_RE, LISTING_TYPES, LISTING_URL_RE,
                                    PAYWALL_RE)

__all__ = ["PAGE_TYPES", "classify_page"]

#: The values of ``Extraction.page_type``.
PAGE_TYPES = ("article", "listing", "paywall", "botwall", "empty")

#: Under this many words, a page flagged ``isAccessibleForFree: false`` that shows barrier
#: wording is a paywall teaser; longer flagged pages keep their text (typed article).
PAYWALL_TEASER_WORDS = 150
_ROOT_PATH_RE = re.compile(r"/*(?:(?:index|default|home)\.\w+)?/*")


def article_id_query(url: str | None) -> bool:
    """True when ``url``'s query names one post/article (a key in
    :data:`mediamon.extract.rules.ARTICLE_ID_QUERY_KEYS` with a non-empty value, e.g.
    WordPress ``/?p=123``). None or an unparseable URL gives False."""
    if not url:
        return False
    try:
        pairs = parse_qsl(urlsplit(url).query, keep_blank_values=False)
    except ValueError:
        return False
    return any(k.lower() in ARTICLE_ID_QUERY_KEYS and v.strip() for k, v in pairs)


def classify_page(tree, meta, url, text, raw) -> tuple[str, str]:
    """``(page_type, reason)`` of a parsed page; ``page_type`` is one of :data:`PAGE_TYPES`.

    ``tree``: the parsed page; ``meta``: :func:`mediamon.extract.metadata.page_metadata`;
    ``url``: the page URL or None; ``text``: the cleaned body text (lines joined by
    ``'\\n'``); ``raw``: the body text before line rules (not used). ``reason`` names the
    deciding cue, e.g. ``'paywall-phrases'``, ``'url-pattern'``, ``'article-markup'``."""
    title_txt = " ".join(text_of(t) for t in tree.iter("title"))[:200]
    body = tree.find(".//body")
    n_words = len(text.split())
    if BOTWALL_RE.search(title_txt.lower()):
        return "botwall", "botwall-phrases"
    barrier = False  # barrier wording in the <title>, the body (short pages) or the text's tail
    if n_words < 250 and body is not None:
        body_text = re.sub(r"\s+", " ", body.text_content()).lower()
        if len(body_text) < 3000 and n_words < 150 and BOTWALL_RE.search(body_text):
            return "botwall", "botwall-phrases"
        barrier = bool(PAYWALL_RE.search(body_text) or PAYWALL_RE.search(title_txt.lower()))
        if barrier:
            return "paywall", "json-ld-isAccessibleForFree+paywall-phrases" if meta.get("ld_paywalled") else "paywall-phrases"
    note = ""  # the flag alone does not drop a page whose text was extracted
    if meta.get("ld_paywalled"):
        barrier = barrier or bool(PAYWALL_RE.search(text[-600:].lower()))
        if barrier and n_words < PAYWALL_TEASER_WORDS:
            return "paywall", "json-ld-isAccessibleForFree+paywall-phrases"
        note = f";json-ld-isAccessibleForFree=false-but-text-kept({n_words} words)"
    ptype, reason = _structure(tree, body, meta, url, text, title_txt)
    return ptype, reason + note


def _structure(tree, body, meta, url, text, title_txt) -> tuple[str, str]:
    """``(page_type, reason)`` from the page's structure: listing, empty or article."""
    n_words = len(text.split())
    ld_types = meta.get("ld_types", set())
    articleish = bool(meta.get("ld_article")) or meta["og_type"] == "article" or bool(
        [v for v, how in meta.get("published", []) if how.startswith("meta:article")])
    paras = [ln for ln in text.split("\n") if len(ln.split()) >= 15]
    # listing cues (only computed when needed): link density of the body and headline-link count
    link_text = headline_links = n_links = 0
    density = 0.0
    listing_title = bool(LISTING_TITLE_RE.search(title_txt))
    if body is not None and (len(paras) < 8 or (listing_title and len(paras) < 20)):
        links = body.xpath(".//a[@href]")
        texts = [a.text_content() for a in links]
        n_links = len(links)
        link_text = sum(len(t.strip()) for t in texts)
        headline_links = sum(1 for t in texts if len(t.split()) >= 5)
        density = link_text / max(1, len(re.sub(r"\s+", " ", body.text_content())))
    page_url = url or meta.get("canonical") or meta.get("og_url")
    path = urlsplit(page_url).path if page_url else None
    # a root or index.php URL with an article-id query (WordPress /?p=123) is one post, not the home page
    if path is not None and _ROOT_PATH_RE.fullmatch(path) and article_id_query(page_url):
        path = None
    url_listing = bool(path is not None and LISTING_URL_RE.search(path))
    if path is not None and path.strip("/") == "" and not meta.get("ld_article"):
        return "listing", "root-url"
    if not text.strip():
        if url_listing or headline_links >= 15 or (n_links >= 20 and density > 0.7):
            return "listing", f"no-body+headline-links={headline_links}"
        return "empty", "no-body-text"
    if ld_types & LISTING_TYPES and not meta.get("ld_article"):
        return "listing", "json-ld-listing-type"
    if listing_title and len(paras) < 20 and headline_links >= 10:
        return "listing", f"listing-title+headline-links={headline_links}"
    # repeated card structure (headline link + teaser), unless an article body stands beside the
    # cards (a related-stories block) or the extracted text does not come from the cards
    cards = card_evidence(body, text)
    if cards.story_words < 50 and (
            (cards.n_cards >= 6 and cards.coverage >= 0.5 and cards.text_share >= 0.5)
            or (cards.largest_group >= 4 and cards.coverage >= 0.8 and cards.text_share >= 0.8
                and (url_listing or not meta.get("ld_article")))):
        return "listing", f"cards={cards.n_cards},coverage={cards.coverage:.2f},text-in-cards={cards.text_share:.2f}"
    if articleish and headline_links >= 60 and density > 0.5 and len(paras) < 3:
        return "listing", f"article-markup-but-link-density={density:.2f},headline-links={headline_links}"
    if not articleish:
        if url_listing and len(paras) < 8:
            return "listing", "url-pattern"
        if headline_links >= 25 and density > 0.45 and len(paras) < 5:
            return "listing", f"link-density={density:.2f},headline-links={headline_links}"
        if headline_links >= 40 and len(paras) < 3:
            return "listing", f"headline-links={headline_links}"
        if n_links >= 20 and density > 0.7 and len(paras) < 3:
            return "listing", f"link-density={density:.2f},links={n_links}"
    if n_words < 30 and not paras and len(text) < 200:
        return "empty", "too-little-text"
    return "article", "default" if not articleish else "article-markup"
