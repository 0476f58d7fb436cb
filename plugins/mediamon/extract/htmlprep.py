"""HTML preparation before body extraction: per-source XPath pruning, widget pruning, loose-text wrapping.

All functions change the lxml tree in place (:func:`drop` keeps an element's tail text).
``text_of`` is the whitespace-normalised text of an element, shared with the metadata and
page-type steps.
"""

from __future__ import annotations

import re

from lxml import etree

from mediamon.extract.rules import PRUNE_RE, PRUNE_TAGS

__all__ = ["drop", "prune_widgets", "prune_xpaths", "text_of", "wrap_loose_text"]


def prune_xpaths(root, xpaths: list[str]) -> str | None:
    """Remove the elements matched by each per-source XPath (``SourceRules.prune_xpaths``).

    An expression that does not compile or evaluate is skipped; returns the message of the
    last such failure (``"prune_xpath '<expr>': <error>"``, for ``methods['rules_error']``)
    or None. Results that are not elements (strings, numbers) are ignored."""
    error = None
    for xp in xpaths:
        try:
            found = root.xpath(xp)
        except etree.XPathError as e:
            error = f"prune_xpath {xp!r}: {e}"
            continue
        for el in found if isinstance(found, list) else []:
            if isinstance(el, etree._Element):
                drop(el)
    return error


_CLASS_OR_ID = etree.XPath("//*[@class or @id]")


def prune_widgets(root) -> list[str]:
    """Remove related-content / share widgets recognised by class or id tokens (< 3000 chars of
    text). Returns the texts of short elements whose class/id names an editor (credit candidates)."""
    hits, editors = [], []
    for el in _CLASS_OR_ID(root):
        key = ((el.get("class") or "") + " " + (el.get("id") or "")).lower()
        if el.tag in PRUNE_TAGS and PRUNE_RE.search(key):
            hits.append(el)
        elif "editor" in key and el.tag not in ("meta", "script", "style", "body", "html") and len(editors) < 3:
            t = text_of(el)
            if 3 < len(t) < 100:
                editors.append(t)
    for el in hits:
        if el.getparent() is not None and len(el.text_content()) < 3000:
            drop(el)
    return editors


def drop(el) -> None:
    """Remove an element but keep its tail text (which belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def text_of(el) -> str:
    """All text inside element ``el`` (descendants included), whitespace runs collapsed to
    one space, stripped."""
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


_INLINE = {"a", "b", "strong", "i", "em", "span", "font", "u", "small", "sup", "sub", "abbr", "cite", "q", "mark",
           "time", "code", "br", "img", "big", "s", "strike", "ins", "del", "label"}


def wrap_loose_text(root) -> None:
    """Wrap runs of text sitting directly in a block container next to block children into <p>.

    Many CMS templates put the lead paragraph as bare text (``<div>Jakarta - lead...<p>...</p>``)
    or separate paragraphs with ``<br>`` only; trafilatura skips such text runs. Only containers
    with at least 80 characters of direct text are changed.
    """
    for el in list(root.iter("div", "article", "section", "td", "main")):
        direct = len((el.text or "").strip()) + sum(len((c.tail or "").strip()) for c in el)
        if direct < 80:
            continue
        if not any(isinstance(c.tag, str) and c.tag not in _INLINE for c in el):
            continue  # inline-only container: trafilatura handles it as one block
        if el.xpath("./*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][.//a] | ancestor::aside | ancestor::nav | ancestor::footer"):
            continue  # teaser card (linked headline + blurb) or page chrome
        children = list(el)
        cur = etree.Element("p")
        cur.text, el.text = el.text, None
        items = []
        for c in children:
            el.remove(c)
            if isinstance(c.tag, str) and c.tag in _INLINE:
                cur.append(c)
                continue
            tail, c.tail = c.tail, None
            items.append(cur)
            items.append(c)
            cur = etree.Element("p")
            cur.text = tail
        items.append(cur)
        for it in items:
            if it.tag == "p" and it.get("class") is None and not (it.text or "").strip() and len(it) == 0:
                continue
            el.append(it)
