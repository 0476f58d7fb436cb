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
    """Wrap runs of text sitting directly in a block container into <p>, one <p> per paragraph.

    Many CMS templates put the lead paragraph as bare text (``<div>Jakarta - lead...<p>...</p>``)
    or separate paragraphs with ``<br>`` only; trafilatura skips or merges such text runs. A
    container with at least 80 characters of direct text is rebuilt: a block child ends the
    current paragraph, and so does a run of two or more ``<br>`` (or a single ``<br>`` when the
    container holds mostly text and ``<br>``: at least 3 ``<br>`` children, and they are at
    least half of its children). A container of inline content only is rebuilt only when it
    has such paragraph breaks (else trafilatura handles it as one block).
    """
    text_divs = []
    for el in list(root.iter("div", "article", "section", "td", "main")):
        direct = len((el.text or "").strip()) + sum(len((c.tail or "").strip()) for c in el)
        if direct < 80:
            continue
        children = list(el)
        brk = _br_breaks(children)
        has_block = any(isinstance(c.tag, str) and c.tag not in _INLINE for c in children)
        if not has_block and not brk:
            if el.tag == "div":
                text_divs.append(el)
            continue  # inline-only container without paragraph breaks: trafilatura handles it as one block
        if el.xpath("ancestor::aside | ancestor::nav | ancestor::footer"):
            continue  # page chrome
        if len(brk) < 2 and el.xpath("./*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][.//a]"):
            continue  # teaser card (linked headline + blurb), not a <br>-separated body
        cur = etree.Element("p")
        cur.text, el.text = el.text, None
        items = []
        for k, c in enumerate(children):
            el.remove(c)
            if k in brk:  # paragraph break: the <br> itself is dropped, its tail starts the next paragraph
                items.append(cur)
                cur = etree.Element("p")
                cur.text = c.tail
                continue
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
            if it.tag == "p" and it.get("class") is None and not (it.text or "").strip() and all(
                    isinstance(x.tag, str) and x.tag == "br" and not (x.tail or "").strip() for x in it):
                continue
            el.append(it)
    _wrap_text_divs(text_divs)


def _wrap_text_divs(divs: list) -> None:
    """Paragraph-per-<div> bodies (``<div>Para one.</div><div><br></div><div>Para two.<br><br>
    Para three.</div>``): the content of each inline-only text <div> (``divs``) becomes one <p>
    when its parent holds at least 3 such <div>s, or also a <p>, so that these paragraphs are not
    dropped next to their <p> siblings (nor lost when a sibling was rebuilt into <p>s)."""
    groups: dict = {}  # parent element -> its text <div>s (lxml elements hash by identity)
    for el in divs:
        parent = el.getparent()
        if parent is not None and not el.xpath("ancestor::aside | ancestor::nav | ancestor::footer"):
            groups.setdefault(parent, []).append(el)
    for parent, group in groups.items():
        if len(group) < 3 and not any(c.tag == "p" for c in parent):
            continue
        for el in group:
            p = etree.Element("p")
            p.text, el.text = el.text, None
            for c in list(el):
                p.append(c)
            el.append(p)


def _br_breaks(children: list) -> set[int]:
    """Indexes (into ``children``) of the ``<br>`` elements that end a paragraph: every <br> of a
    run of two or more (only whitespace between them), or every <br> when the container is
    mostly text and <br> (at least 3 <br>, at least half of the element children) and has no
    such run. Empty when the container has no <br> paragraph breaks."""
    brs = [k for k, c in enumerate(children) if c.tag == "br"]
    if not brs:
        return set()
    runs = set()
    for k in brs:
        if not (children[k].tail or "").strip() and k + 1 < len(children) and children[k + 1].tag == "br":
            runs.update((k, k + 1))
    if runs:
        return runs
    if len(brs) >= 3 and 2 * len(brs) >= len(children):
        return set(brs)
    return set()
