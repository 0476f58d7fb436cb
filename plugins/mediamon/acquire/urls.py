"""Article URLs: canonical form (before any dedup), the page's own canonical, and link filters.

:func:`canonicalize_url` before any dedup; :func:`prefer_canonical` after fetching (with
:func:`page_canonical` of the page); :func:`url_allowed` applies a source's include/exclude
patterns; :func:`section_links` picks article links off a section/listing page (courlan
filters plus a URL-shape heuristic).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_plus, urljoin, urlsplit, urlunsplit

import courlan
from lxml import etree
from lxml import html as lxml_html

from mediamon.config import Source

__all__ = ["TRACKING_PARAMS", "canonicalize_url", "page_canonical", "prefer_canonical", "section_links", "url_allowed"]

#: Query parameters dropped by :func:`canonicalize_url` (exact names, lower case); plus any
#: ``utm_*`` parameter. Sources: Google Analytics/Ads, Meta, Microsoft, Yandex, Mailchimp,
#: HubSpot, Marketo, Adobe, common CMS share/referrer parameters.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "gclsrc", "msclkid", "yclid", "ysclid", "mc_cid", "mc_eid",
    "_ga", "_gl", "igshid", "igsh", "ref", "ref_src", "ref_url", "referrer", "referer", "cmpid", "ocid", "icid",
    "ito", "spm", "share", "sr_share", "at_medium", "at_campaign", "at_custom1", "s_cid", "_hsenc", "_hsmi",
    "mkt_tok", "trk", "ncid", "soc_src", "soc_trk", "smid", "__twitter_impression", "tpcc", "twclid",
    "ttclid", "li_fat_id", "wt_mc", "wt.mc_id", "cid_source", "xtor", "rss", "from_rss", "amp",
    "_branch_match_id", "mbid", "cmp", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
    "ns_fee", "src_trk", "utm",
})
_AMP_QUERY_VALUES = {"outputtype": {"amp"}}


# RFC 3986 2.2/2.3/3.3/3.4: characters that may appear unencoded in a path segment / a query
# parameter name or value. Sub-delimiters (!$&'()*+,;=) are data in many CMS slugs and are
# not equivalent to their percent-encoded form (RFC 3986 6.2.2.2), so they are kept as written;
# '&' and '=' never reach the query part helper (they split the query).
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_QUERY_SAFE = _UNRESERVED | frozenset("!$'()*+,;:@/?")
_HEX = frozenset("0123456789abcdefABCDEF")


def _normalize_pct(part: str, safe: frozenset[str]) -> str:
    """RFC 3986 6.2.2 percent-encoding normalisation of one URL part: escapes of unreserved
    characters decoded, other escapes upper-cased, characters outside ``safe`` (space,
    non-ASCII as UTF-8, ``"<>\\^`{|}``, a stray ``%``) encoded; characters in ``safe`` kept."""
    out = []
    i, n = 0, len(part)
    while i < n:
        ch = part[i]
        if ch == "%" and i + 2 < n and part[i + 1] in _HEX and part[i + 2] in _HEX:
            dec = chr(int(part[i + 1:i + 3], 16))
            out.append(dec if dec in _UNRESERVED else "%" + part[i + 1:i + 3].upper())
            i += 3
            continue
        if ch in safe:
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", errors="surrogatepass")))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 on an absolute path, plus runs of ``/`` collapsed (as courlan does)."""
    path = re.sub(r"/{2,}", "/", path)
    if "." not in path:
        return path
    out: list[str] = []
    segs = path.split("/")[1:]
    for i, seg in enumerate(segs):
        last = i == len(segs) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    return "/" + "/".join(out)


def canonicalize_url(url: str) -> str:
    """Canonical form of an article URL, used before any dedup.

    Scheme and host lower-cased, default port dropped, punycode host decoded (courlan
    ``normalize_url``); path: dot segments removed, repeated ``/`` collapsed, percent-encoding
    normalised per RFC 3986 6.2.2 (escapes of unreserved characters decoded, other escapes
    upper-case hex, spaces/non-ASCII encoded) while RFC 3986 sub-delimiters
    (``!$&'()*+,;=``) and ``:@`` are kept as written, so the URL requested is the one the site
    published; query: parameters sorted by name (stable), empty values dropped (as courlan
    does), the same normalisation per name/value; then fragment dropped; tracking parameters
    dropped (``utm_*``, :data:`TRACKING_PARAMS` and courlan's tracker list); AMP variants
    mapped to the regular URL by path/query rules (``/amp``, ``/amp/`` suffix, ``/amp/``
    prefix, ``.amp`` / ``.amp.html``, ``?amp=1``, ``?outputType=amp``). AMP on a separate host
    (``amp.example.com``) cannot be mapped by rule: :func:`prefer_canonical` handles it after
    fetching. Returns ``url`` stripped when it is not an absolute http(s) URL. Raises nothing.

    Why not courlan ``normalize_url(strict=True)`` (evaluated, courlan 1.4.0): strict mode is
    an allowlist, not a tracker list: it keeps only 14 query names (``id``, ``p``, ``page``,
    ``article_id``, ...) and drops every other parameter, so ``read.php?news_id=3`` and
    ``read.php?news_id=4`` would both become ``read.php`` (two articles deduplicated into
    one); and it re-encodes sub-delimiters (path ``'()`` and ``;`` to ``%27%28%29%3B``, query
    ``'()!`` too), which the requested URL must keep. Only courlan's default (non-strict)
    tracker list is used, for the query names it drops.
    """
    url = (url or "").strip()
    if not re.match(r"^https?://", url, re.I):
        return url
    raw = urlsplit(url)
    try:
        norm = urlsplit(courlan.normalize_url(url))
        netloc, kept_keys = norm.netloc, {k for k, _ in parse_qsl(norm.query, keep_blank_values=True)}
    except Exception:  # courlan raises on odd input (ports, IDNA): keep a plain parse
        netloc, kept_keys = raw.netloc.lower(), None
    q = []
    for pair in raw.query.split("&"):
        if not pair:
            continue
        k, sep, v = pair.partition("=")
        dk, dv = unquote_plus(k), unquote_plus(v)
        kl = dk.lower()
        if not dv or (kept_keys is not None and dk not in kept_keys):
            continue  # empty value, or a tracker courlan drops
        if kl.startswith("utm_") or kl in TRACKING_PARAMS or dv.lower() in _AMP_QUERY_VALUES.get(kl, ()):
            continue
        q.append((dk, _normalize_pct(k, _QUERY_SAFE) + sep + _normalize_pct(v, _QUERY_SAFE)))
    q.sort(key=lambda kv: kv[0])
    raw_path = raw.path or "/"
    path = _normalize_pct(_remove_dot_segments(raw_path), _PATH_SAFE)
    path = re.sub(r"/amp/?$", "/", path)
    path = re.sub(r"^/amp(?=/)", "", path)
    path = re.sub(r"\.amp(\.html?)?$", lambda m: m.group(1) or "", path)
    if path != "/" and path.endswith("/") and not raw_path.endswith("/"):
        path = path.rstrip("/")
    if (raw.scheme.lower() == "http" and netloc.endswith(":80")) or (raw.scheme.lower() == "https" and netloc.endswith(":443")):
        netloc = netloc.rsplit(":", 1)[0]
    return urlunsplit((raw.scheme.lower(), netloc, path, "&".join(p for _, p in q), ""))


def _site(url: str) -> str:
    try:
        return (courlan.extract_domain(url) or urlsplit(url).hostname or "").lower()
    except Exception:
        return (urlsplit(url).hostname or "").lower()


def prefer_canonical(fetched_url: str, page_canonical: str | None) -> str:
    """Canonical URL to store for a fetched article.

    ``fetched_url``: the URL after redirects; ``page_canonical``: the page's
    ``<link rel=canonical>`` or ``og:url`` (absolute or relative; None when absent). The
    page's value wins when it is http(s), on the same registered domain (courlan
    ``extract_domain``, so ``amp.example.com`` -> ``www.example.com`` is accepted) and not
    the site's home page (a common CMS bug); otherwise ``fetched_url``. Both are passed
    through :func:`canonicalize_url`.
    """
    fetched = canonicalize_url(fetched_url)
    if not page_canonical or not page_canonical.strip():
        return fetched
    cand = canonicalize_url(urljoin(fetched_url, page_canonical.strip()))
    if not re.match(r"^https?://", cand):
        return fetched
    if _site(cand) != _site(fetched):
        return fetched
    if urlsplit(cand).path in ("", "/") and urlsplit(fetched).path not in ("", "/"):
        return fetched
    return cand


def page_canonical(html: str | bytes) -> str | None:
    """``<link rel=canonical href>`` or else ``<meta property=og:url content>`` of a page, as written (maybe relative)."""
    try:
        doc = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError, TypeError):
        return None
    for el in doc.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            return el.get("href").strip()
    for el in doc.iter("meta"):
        if (el.get("property") or el.get("name") or "").lower() == "og:url" and el.get("content"):
            return el.get("content").strip()
    return None


_NON_ARTICLE_EXT = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|mp[34]|avi|mov|zip|css|js|xml|rss|json|ico)$", re.I)
_NON_ARTICLE_PATH = re.compile(r"/(tag|tags|topik|topic|category|kategori|author|penulis|indeks|index|search|cari|"
                               r"login|register|about|tentang|contact|kontak|privacy|redaksi|pedoman|video|foto|"
                               r"gallery|galeri|page|feed|rss)(/|$)", re.I)


def _looks_like_article(url: str) -> bool:
    path = urlsplit(url).path
    if _NON_ARTICLE_EXT.search(path) or _NON_ARTICLE_PATH.search(path):
        return False
    segs = [s for s in path.split("/") if s]
    if not segs:
        return False
    last = segs[-1]
    return bool(re.search(r"\d{4,}", path)) or last.count("-") >= 3 or (len(segs) >= 3 and len(last) > 20)


def url_allowed(url: str, source: Source) -> bool:
    """True when ``url`` matches one of ``source.include_patterns`` (if any) and none of
    ``source.exclude_patterns`` (Python regexes, ``re.search``)."""
    if source.include_patterns and not any(re.search(p, url) for p in source.include_patterns):
        return False
    return not any(re.search(p, url) for p in source.exclude_patterns)


def section_links(html: str | bytes, base_url: str, source: Source | None = None) -> list[str]:
    """Article links on a section/listing page, canonicalised, deduplicated, in page order.

    A link is kept when it resolves to http(s) on the same registered domain as
    ``base_url``, passes courlan ``check_url(strict=True)`` and is not a navigation or
    non-crawlable page (courlan), and matches the source's include/exclude patterns; when the
    source has no include patterns, it must also look like an article URL (a 4+ digit run in
    the path, a slug with 3+ hyphens, or a long last segment 3+ levels deep).
    """
    try:
        doc = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError, TypeError):
        return []
    site = _site(base_url)
    out, seen = [], set()
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = canonicalize_url(urljoin(base_url, href))
        if url in seen or not url.startswith(("http://", "https://")) or _site(url) != site:
            continue
        seen.add(url)
        u = urlsplit(url)
        portless = urlunsplit((u.scheme, u.hostname or "", u.path, u.query, "")) if u.port else url  # courlan rejects ports
        try:
            if courlan.check_url(portless, strict=True) is None or courlan.is_navigation_page(url) or courlan.is_not_crawlable(url):
                continue
        except Exception:
            continue
        if source is not None and not url_allowed(url, source):
            continue
        if (source is None or not source.include_patterns) and not _looks_like_article(url):
            continue
        out.append(url)
    return out

