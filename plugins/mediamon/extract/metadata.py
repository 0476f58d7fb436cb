"""Page metadata: the <meta> index, JSON-LD, title, and people (editor, authors, bylines).

:func:`page_metadata` reads everything the later steps need in one pass (meta tags, JSON-LD
objects incl. ``@graph``, canonical link, language, tags, categories, image, date
candidates); :func:`choose_title` picks the headline; :func:`choose_editor` and
:func:`choose_authors` turn credits, JSON-LD, meta tags and bylines into people's names.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from mediamon.extract.htmlprep import text_of
from mediamon.extract.lines import tokens
from mediamon.extract.rules import ARTICLE_TYPES, CREDIT_LABELS, CREDIT_RE, NOT_PERSON_RE, PLATFORMS
from mediamon.extract.wires import wire_of

__all__ = ["bylines", "choose_authors", "choose_editor", "choose_title", "clean_people", "page_metadata", "split_people"]


def _meta_index(tree) -> dict[str, list[str]]:
    """All <meta> contents keyed by lower-cased property/name/itemprop (one pass over the tree)."""
    idx: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = (el.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            k = el.get(attr)
            if k:
                idx.setdefault(k.strip().lower(), []).append(content)
    return idx


def _meta(idx, *names: str) -> str | None:
    for n in names:
        v = idx.get(n.lower())
        if v:
            return v[0]
    return None


def _meta_all(idx, *names: str) -> list[str]:
    out = []
    for n in dict.fromkeys(x.lower() for x in names):
        out.extend(idx.get(n, ()))
    return out


#: Wrappers around a JSON-LD block: HTML comments and CDATA sections, bare or behind ``//`` / ``/* */``.
_LD_WRAP_HEAD_RE = re.compile(r"^\s*(?:<!--|(?://|/\*)?\s*<!\[CDATA\[(?:\s*\*/)?)\s*")
_LD_WRAP_TAIL_RE = re.compile(r"\s*(?:-->|(?://|/\*)?\s*\]\]>(?:\s*\*/)?)\s*$")


def _drop_trailing_commas(raw: str) -> str:
    """``raw`` with every ``,`` that is followed (after whitespace) by ``}`` or ``]`` removed,
    outside JSON strings (escapes honoured)."""
    out, i, n, in_str = [], 0, len(raw), False
    while i < n:
        c = raw[i]
        if in_str:
            if c == "\\":
                out.append(raw[i:i + 2])
                i += 2
                continue
            in_str = c != '"'
        elif c == '"':
            in_str = True
        elif c == ",":
            j = i + 1
            while j < n and raw[j] in " \t\r\n":
                j += 1
            if j < n and raw[j] in "}]":
                i += 1
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _load_jsonld(raw: str):
    """A JSON-LD block's text -> the decoded value, or None when it is not JSON.

    Tolerates what pages write around and inside it: an HTML comment or CDATA wrapper
    (``<![CDATA[ ... ]]>``, ``//<![CDATA[ ... //]]>``) and trailing commas before ``}``/``]``
    (removed outside strings, then decoding is retried once)."""
    raw = _LD_WRAP_TAIL_RE.sub("", _LD_WRAP_HEAD_RE.sub("", raw, count=1), count=1)
    try:
        return json.loads(raw, strict=False)
    except RecursionError:
        return None
    except ValueError:
        pass
    try:
        return json.loads(_drop_trailing_commas(raw), strict=False)
    except (ValueError, RecursionError):  # broken or absurdly nested JSON-LD: ignore that block only
        return None


def _iter_jsonld(tree):
    for el in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (el.text or "").strip()
        if not raw:
            continue
        data = _load_jsonld(raw)
        if data is None:
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(reversed(obj))
            elif isinstance(obj, dict):
                yield obj
                if "@graph" in obj:
                    stack.append(obj["@graph"])
                if isinstance(obj.get("mainEntity"), (dict, list)):
                    stack.append(obj["mainEntity"])


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    ts = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in ts if x}


def _names(v) -> list[tuple[str, str]]:
    """JSON-LD person/org value -> [(name, type)]."""
    out = []
    for x in v if isinstance(v, list) else [v]:
        if isinstance(x, str):
            out.append((x, "unknown"))
        elif isinstance(x, dict):
            n = x.get("name")
            if isinstance(n, str):
                out.append((n, "person" if "person" in _types(x) else ("organization" if _types(x) & {"organization", "newsmediaorganization"} else "unknown")))
    return out


def split_people(s: str) -> list[str]:
    """A credit value -> the names in it: a leading label (``By``, ``Oleh``, ``Penulis``...)
    removed, split on ``,``, ``;``, ``&``, ``and``/``dan``, ``/`` and ``|``."""
    s = re.sub(r"^\s*(?:by|oleh|penulis|pewarta|reporter|wartawan|kontributor(?:\s+[A-Z][\w]+)?)\s*[:\-]?\s*", "", s, flags=re.I)
    parts = re.split(r"\s*(?:,|;|&|\band\b|\bdan\b|/|\|)\s*", s)
    return [p.strip(" .-–") for p in parts if p and p.strip(" .-–")]


def clean_people(cands: list[str], exclude: set[str]) -> list[str]:
    """The candidates that look like people's names, deduplicated case-insensitively, in
    order: no platforms, initials, organisations/desks (``rules.NOT_PERSON_RE``), wire
    services, digits or URLs, 3..60 characters and at most 5 words; ``exclude`` (any case)
    is left out. A trailing ``' - outlet'`` is cut."""
    out, seen = [], set()
    ex = {e.lower() for e in exclude if e}
    for c in cands:
        c = re.sub(r"\s+", " ", c).strip()
        c = re.split(r"\s+[-–—|]\s+", c)[0].strip()  # "Name - detikinet" -> "Name"
        if c.lower() in PLATFORMS or (c.islower() and " " not in c):  # platform names, initials like "bgs"
            continue
        if not c or len(c) < 3 or len(c) > 60 or len(c.split()) > 5:
            continue
        if NOT_PERSON_RE.search(c) or c.lower() in ex or not re.search(r"[A-Za-zÀ-ÿ]", c):
            continue
        if wire_of(c):
            continue
        k = c.lower()
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def bylines(tree) -> list[str]:
    """Visible byline texts (rel=author, itemprop=author, class *byline*/*author*), outside comments."""
    by = tree.xpath("//*[@rel='author' or @itemprop='author' or contains(@class,'byline') or contains(@class,'author-name')"
                    " or contains(@class,'author') and not(self::body or self::html)][not(self::meta)]")
    out = []
    for el in by[:8]:
        if any("comment" in (a.get("class") or "") for a in el.iterancestors()):
            continue
        t = text_of(el)
        if 2 < len(t) < 80:
            out.append(t)
    return out[:5]


def page_metadata(tree, url) -> dict[str, Any]:
    """Everything the extraction steps read from the page's markup, in one pass.

    Keys: ``html_lang`` (ISO 639-1 or None), ``canonical``, ``og_url``, ``og_title``,
    ``sitename``, ``description``, ``og_type``, ``image``/``image_method``, ``published`` /
    ``modified`` (lists of ``(value, method)`` date candidates from meta and <time>),
    ``ld_pub``/``ld_mod`` (JSON-LD date strings), ``ld_types`` (set of lower-cased
    schema.org types), ``ld_article``, ``ld_paywalled``, ``ld_headline``, ``ld_authors``,
    ``publisher``, ``tags``, ``categories`` (+ ``*_method``), ``meta_authors``. ``url`` is
    not used (kept for the call signature). JSON-LD blocks that are not JSON are skipped."""
    m: dict[str, Any] = {}
    idx = _meta_index(tree)
    html_el = tree if tree.tag == "html" else tree.getroottree().getroot()
    lang = (html_el.get("lang") or html_el.get("xml:lang") or _meta(idx, "og:locale", "language", "content-language") or "").strip()
    m["html_lang"] = lang.lower().replace("_", "-").split("-")[0] if lang else None
    can = tree.xpath('//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href')
    m["canonical"] = can[0].strip() if can and can[0].strip() else None
    m["og_url"] = _meta(idx, "og:url")
    m["og_title"] = _meta(idx, "og:title", "twitter:title")
    m["sitename"] = _meta(idx, "og:site_name", "application-name", "twitter:site")
    if m["sitename"]:
        m["sitename"] = m["sitename"].lstrip("@")
    m["description"] = _meta(idx, "og:description", "description", "twitter:description")
    m["og_type"] = (_meta(idx, "og:type") or "").lower()
    img = _meta(idx, "og:image", "og:image:url", "og:image:secure_url")
    if img:
        m["image"], m["image_method"] = img, "og:image"
    else:
        img = _meta(idx, "twitter:image", "twitter:image:src", "thumbnailUrl", "image")
        if img:
            m["image"], m["image_method"] = img, "meta-image"
    m["published"] = [(v, "meta:" + n) for n in ("article:published_time", "og:published_time", "datePublished", "pubdate",
                                                  "publishdate", "publish-date", "publish_date", "date", "dc.date.issued",
                                                  "DC.date.issued", "dc.date", "dcterms.issued", "dcterms.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
                                                  "content_PublishedDate", "dtk:publishdate", "article:published", "Date",
                                                  "original-publish-date", "OriginalPublicationDate", "publication_date")
                      for v in _meta_all(idx, n)]
    m["modified"] = [(v, "meta:" + n) for n in ("article:modified_time", "og:updated_time", "dateModified", "lastmod",
                                                 "last-modified", "dcterms.modified", "article:updated_time")
                     for v in _meta_all(idx, n)]
    for t in tree.xpath("//time[@datetime][@itemprop='datePublished' or @pubdate or contains(@class,'publish') or contains(@class,'entry-date')]"):
        m["published"].append((t.get("datetime"), "time-element"))
    tags = []
    for v in _meta_all(idx, "article:tag", "news_keywords", "keywords"):
        tags.extend(x.strip() for x in re.split(r"[,;]", v) if x.strip())
    cats = [v for v in _meta_all(idx, "article:section", "section", "category") if v]
    m["tags_method"] = m["categories_method"] = "meta"
    # JSON-LD
    ld_pub, ld_mod, ld_authors, ld_tags, ld_cats, ld_editors = [], [], [], [], [], []
    m["ld_types"] = set()
    for obj in _iter_jsonld(tree):
        ts = _types(obj)
        m["ld_types"] |= ts
        if ts & ARTICLE_TYPES or obj.get("datePublished"):
            if ts & ARTICLE_TYPES:
                m["ld_article"] = True
                if str(obj.get("isAccessibleForFree", "")).lower() == "false":
                    m["ld_paywalled"] = True
                if not m.get("ld_headline") and isinstance(obj.get("headline"), str):
                    m["ld_headline"] = obj["headline"].strip()
            if isinstance(obj.get("datePublished"), str):
                ld_pub.append(obj["datePublished"])
            if isinstance(obj.get("dateModified"), str):
                ld_mod.append(obj["dateModified"])
            for name, typ in _names(obj.get("author")):
                if typ != "organization":
                    ld_authors.append(name)
                else:
                    ld_authors.append(name)  # kept for wire detection; filtered as non-person below
            ld_editors.extend(name for name, typ in _names(obj.get("editor")) if typ != "organization")
            for name, _ in _names(obj.get("publisher")):
                m.setdefault("publisher", name)
            kw = obj.get("keywords")
            if isinstance(kw, str):
                ld_tags.extend(x.strip() for x in kw.split(",") if x.strip())
            elif isinstance(kw, list):
                ld_tags.extend(str(x).strip() for x in kw if str(x).strip())
            sec = obj.get("articleSection")
            if isinstance(sec, str) and sec.strip():
                ld_cats.append(sec.strip())
            elif isinstance(sec, list):
                ld_cats.extend(str(x).strip() for x in sec if str(x).strip())
            if not m.get("image"):
                im = obj.get("image")
                if isinstance(im, list) and im:
                    im = im[0]
                if isinstance(im, dict):
                    im = im.get("url")
                if isinstance(im, str):
                    m["image"], m["image_method"] = im, "json-ld"
    m["ld_pub"], m["ld_mod"], m["ld_authors"], m["ld_editors"] = ld_pub, ld_mod, ld_authors, ld_editors
    if ld_tags and not tags:
        tags, m["tags_method"] = ld_tags, "json-ld"
    if ld_cats and not cats:
        cats, m["categories_method"] = ld_cats, "json-ld"
    m["tags"] = list(dict.fromkeys(t for t in tags if len(t) <= 80))[:50]
    m["categories"] = list(dict.fromkeys(cats))[:20]
    # authors in meta
    m["meta_authors"] = [v for v in _meta_all(idx, "author", "article:author", "dc.creator", "DC.creator", "byl",
                                              "sailthru.author", "parsely-author", "content_author") if not v.startswith("http")]
    return m


_TITLE_SEP_RE = re.compile(r"\s+[|\-–—:·•»«/]\s+|\s*\|\s*|(?<=\w):\s+")


def _strip_site(title: str, sitename: str | None, host: str | None) -> str:
    parts = _TITLE_SEP_RE.split(title)
    if len(parts) < 2:
        return title.strip()
    keys = set()
    if sitename:
        keys.add(re.sub(r"\W", "", sitename.lower()))
    if host:
        h = host.lower().removeprefix("www.").split(".")
        keys.update(x for x in h if len(x) > 2 and x not in ("com", "net", "org", "co"))
        keys.add("".join(h[:-1]))

    def is_site(p):
        q = re.sub(r"\W", "", p.lower())
        return bool(q) and any(k and (q == k or q.startswith(k) or k.startswith(q) and len(q) > 3 or k in q and len(q) <= len(k) + 8) for k in keys)

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    if len(parts) == len(_TITLE_SEP_RE.split(title)):
        return title.strip()
    # re-join with the original separators between kept parts
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else " - ".join(parts)


def choose_title(tree, meta) -> tuple[str | None, str]:
    """The headline and how it was found: an <h1> matching the start of a meta title
    (JSON-LD headline, og:title, <title>), else the first meta title with the site name
    stripped, else the first <h1>; ``(None, 'none')`` when the page has none."""
    host = None
    for u in (meta.get("canonical"), meta.get("og_url")):
        if u and urlsplit(u).hostname:
            host = urlsplit(u).hostname
            break
    h1s = [text_of(h) for h in tree.xpath("//h1")]
    h1s = [h for h in h1s if 10 <= len(h) <= 300]
    cands = []
    if meta.get("ld_headline"):
        cands.append((meta["ld_headline"], "json-ld:headline"))
    if meta.get("og_title"):
        cands.append((meta["og_title"], "og:title"))
    tt = tree.xpath("//title")
    if tt:
        t = text_of(tt[0])
        if t:
            cands.append((t, "title-element"))
    # An <h1> that matches the start of a meta title is the cleanest form of it.
    for c, how in cands:
        for h in h1s:
            if tokens(h) and tokens(c)[: len(tokens(h))] == tokens(h):
                return h, f"h1 (matches {how})"
    for c, how in cands:
        s = _strip_site(c, meta.get("sitename"), host)
        if s:
            return s, how + ("-site-stripped" if s != c.strip() else "")
    if h1s:
        return h1s[0], "h1"
    return None, "none"


def choose_editor(credits: dict[str, str], editor_texts: list[str]) -> str | None:
    """The editor's name from the credit lines, or None.

    ``credits``: role -> value from :func:`mediamon.extract.lines.clean_lines`; when it has
    no ``'editor'``, the first of ``editor_texts`` (texts of elements whose class/id names an
    editor, from :func:`mediamon.extract.htmlprep.prune_widgets`) that is an editor credit
    line is added to ``credits`` as ``'editor'`` (``credits`` is changed in place). The first
    person of the first ``';'``-separated editor credit is returned."""
    if not credits.get("editor"):
        for t in editor_texts:  # credits in dedicated elements outside the body (class/id 'editor')
            m = CREDIT_RE.match(t)
            if m and CREDIT_LABELS[m.group(1).lower()] == "editor" and m.group(2):
                credits["editor"] = m.group(2).strip()
                break
    editor = None
    if credits.get("editor"):
        editor = split_people(credits["editor"].split(";")[0])
        editor = editor[0] if editor else None
    return editor


def choose_authors(tree, meta: dict[str, Any], credits: dict[str, str], exclude: set[str]) -> tuple[list[str], str | None]:
    """The article's authors (people only) and the method that found them.

    Sources in order, the first giving at least one person wins: JSON-LD ``author``
    (``'json-ld'``), author meta tags (``'meta'``), the reporter credit line
    (``'credit-line'``), visible bylines (``'byline'``). Names in ``exclude`` (site name,
    editor, publisher), organisations, platforms and wire services are left out.
    JSON-LD ``editor`` names (``meta['ld_editors']``) are never authors, unless JSON-LD also
    lists them as ``author``. Returns ``([], None)`` when none is found."""
    ld_auth = {a.lower() for a in meta.get("ld_authors") or ()}
    exclude = set(exclude) | {e for e in meta.get("ld_editors") or () if e.lower() not in ld_auth}
    for cand, how in ((meta.get("ld_authors"), "json-ld"), (meta.get("meta_authors"), "meta"),
                      ([credits.get("reporter")] if credits.get("reporter") else None, "credit-line"),
                      (bylines, "byline")):
        if callable(cand):
            cand = cand(tree)
        if not cand:
            continue
        people = clean_people([p for c in cand for p in split_people(c)], exclude)
        if people:
            return people, how
    return [], None
