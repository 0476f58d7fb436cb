"""Multi-page articles: pagination links, the single-page view, and following a pager.

:func:`find_next_page` finds the next page of an article (``rel=next``, ``?page=N``,
``/N``, Indonesian "Halaman" pagers, "Selanjutnya" links); :func:`fetch_article_pages` and
:func:`follow_pages` fetch the pages with a :class:`~mediamon.acquire.http.Fetcher`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from mediamon.acquire.result import FetchResult
from mediamon.config import SourceRules

if TYPE_CHECKING:
    from mediamon.acquire.http import Fetcher

__all__ = ["fetch_article_pages", "find_next_page", "follow_pages", "with_query_param"]

_PAGE_PARAMS = ("page", "p", "halaman", "hal", "pg", "pagenum", "paged", "pagina")
# ``/page/N``, ``/halaman/N``, or ``/N`` as its own segment after a slug (a segment with a
# letter, not a date part such as ``/2019/09/28``); a slug ending ``-2``
# (``/berita/banjir-jakarta-2``) is another article, not page 2.
_PAGE_PATH_RE = re.compile(r"^(.*?)(?:(?P<kw>/page/|/halaman/)|/)(\d{1,3})/?$")
#: Page parameters that are also used for other things (WordPress ``?p=123`` is a post id):
#: they count only on a link that looks like a pager (number or "next" text, pager container).
_WEAK_PAGE_PARAMS = ("p",)
_PAGER_CTX_RE = re.compile(r"pag|halaman|hal-|nav", re.I)
_NEXT_TEXT_RE = re.compile(r"^\s*(selanjutnya|berikutnya|next|halaman\s+selanjutnya|lanjut|›|»|>)\s*$", re.I)


def with_query_param(url: str, param: str) -> str:
    """``url`` with the query pair(s) in ``param`` (``'page=all'`` or ``'single=1&x=y'``) set,
    replacing existing values of the same names."""
    u = urlsplit(url)
    add = parse_qsl(param.lstrip("?&"), keep_blank_values=True)
    names = {k for k, _ in add}
    q = [(k, v) for k, v in parse_qsl(u.query, keep_blank_values=True) if k not in names] + add
    return urlunsplit((u.scheme, u.netloc, u.path, urlencode(q), ""))


def _page_split(url: str, weak_ok: bool = True) -> tuple[str, int | None]:
    """(url without its page marker, page number or None). ``weak_ok=False``: an ambiguous
    parameter (``?p=N``, :data:`_WEAK_PAGE_PARAMS`) is not a page marker."""
    u = urlsplit(url)
    q = parse_qsl(u.query, keep_blank_values=True)
    for k, v in q:
        if k.lower() in _PAGE_PARAMS and v.isdigit() and (weak_ok or k.lower() not in _WEAK_PAGE_PARAMS):
            rest = urlencode([(a, b) for a, b in q if a != k])
            return urlunsplit((u.scheme, u.netloc.lower(), u.path.rstrip("/"), rest, "")), int(v)
    m = _PAGE_PATH_RE.match(u.path)
    if m and m.group(1) and (m.group("kw") or re.search(r"[A-Za-z]", m.group(1).rsplit("/", 1)[-1])):
        return urlunsplit((u.scheme, u.netloc.lower(), m.group(1).rstrip("/"), u.query, "")), int(m.group(3))
    return urlunsplit((u.scheme, u.netloc.lower(), u.path.rstrip("/"), u.query, "")), None


def _pager_context(a) -> bool:
    """True when the link ``a`` looks like part of a pager: its text is a page number or a
    "next" word, or an ancestor's class/id names a pager (``pagination``, ``halaman``, ``nav``)."""
    t = (a.text_content() or "").strip()
    if t.isdigit() or _NEXT_TEXT_RE.match(t):
        return True
    for anc in a.iterancestors():
        if _PAGER_CTX_RE.search(f"{anc.get('class') or ''} {anc.get('id') or ''}"):
            return True
    return False


def find_next_page(html: str | bytes, url: str, first_url: str | None = None) -> str | None:
    """URL of the next page of a multi-page article, or None.

    Looks for ``<link rel=next>`` / ``<a rel=next>``, then links whose URL differs from the
    article's only by a page marker (``?page=N``, ``?halaman=N``, ``/N`` after a slug,
    ``/page/N``; ``?p=N`` only on a pager-looking link) with N = current page + 1 (a slug
    ending ``-N`` is another article) — this covers Indonesian "Halaman: 1 2 3" pagers —
    then a "Selanjutnya"/"Berikutnya"/"Next" link to such a URL. Same host only.
    """
    from lxml import etree as _et
    from lxml import html as _lh

    try:
        doc = _lh.fromstring(html)
    except (_et.ParserError, ValueError, TypeError):
        return None
    base, cur = _page_split(url)
    first_base, _ = _page_split(first_url or url)
    cur = cur or 1
    host = urlsplit(url).hostname
    for el in list(doc.iter("link")) + list(doc.iter("a")):
        if "next" in (el.get("rel") or "").lower().split() and el.get("href"):
            nxt = urljoin(url, el.get("href").strip())
            if urlsplit(nxt).hostname == host and nxt.split("#")[0] != url:
                return nxt.split("#")[0]
    by_text = None
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        nxt = urljoin(url, href).split("#")[0]
        if urlsplit(nxt).hostname != host:
            continue
        b, n = _page_split(nxt, weak_ok=_pager_context(a))
        if n is None or b not in (base, first_base):
            continue
        if n == cur + 1:
            return nxt
        if by_text is None and n > cur and _NEXT_TEXT_RE.match(a.text_content() or ""):
            by_text = nxt
    return by_text


def fetch_article_pages(fetcher: "Fetcher", url: str, rules: SourceRules | None = None, max_pages: int = 10, *,
                        source_id: str | None = None, max_retries: int | None = None) -> tuple[list[FetchResult], list[str]]:
    """Fetch all pages of a (possibly multi-page) article.

    If ``rules.single_page_param`` is set (e.g. ``'page=all'``), the single-page view
    ``with_query_param(url, param)`` is fetched first and, when it succeeds, is the only page.
    Otherwise (or when it fails) ``url`` is fetched and :func:`find_next_page` followed up to
    ``max_pages`` pages (loop-safe). Returns ``(results, html_pages)``: every FetchResult (to
    log) and the decoded HTML of each successful page in order (empty when the first page
    failed). Stitching (caller, e.g. the pipeline): ``extract_article`` on each page, keep the
    first page's metadata, and join the page texts with ``'\\n'``.
    """
    results: list[FetchResult] = []
    if rules is not None and rules.single_page_param:
        r = fetcher.fetch(with_query_param(url, rules.single_page_param), source_id=source_id, kind="article",
                          max_retries=max_retries)
        results.append(r)
        if r.ok and r.text is not None:
            return results, [r.text]
    first = fetcher.fetch(url, source_id=source_id, kind="article", max_retries=max_retries)
    more, pages = follow_pages(fetcher, first, url, source_id=source_id, max_pages=max_pages)
    return results + more, pages


def follow_pages(fetcher: "Fetcher", first: FetchResult, url: str, *, source_id: str | None = None,
                 max_pages: int = 10) -> tuple[list[FetchResult], list[str]]:
    """Given the already-fetched first page ``first`` of the article at ``url``, follow its
    pager (:func:`find_next_page`: ``rel=next``, ``?page=N``, ``Halaman`` links) up to
    ``max_pages`` pages, loop-safe. Returns ``(results, html_pages)`` including ``first``;
    ``html_pages`` is empty when the first page failed."""
    results, pages = [first], []
    if not first.ok or first.text is None:
        return results, pages
    pages.append(first.text)
    seen = {url, first.final_url}
    nxt = find_next_page(first.text, first.final_url, url)
    while nxt and nxt not in seen and len(pages) < max_pages:
        seen.add(nxt)
        r = fetcher.fetch(nxt, source_id=source_id, kind="article")
        results.append(r)
        if not r.ok or r.text is None:
            break
        pages.append(r.text)
        seen.add(r.final_url)
        nxt = find_next_page(r.text, r.final_url, url)
    return results, pages
