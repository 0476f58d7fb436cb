"""Discovery: candidate article URLs from feeds, sitemaps and section pages, plus URL canonicalisation.

Entry point: :func:`discover_source` (one source, one :class:`~mediamon.fetch.Fetcher`) ->
:class:`Discovery` ``(items, fetches, errors)``. Never raises for a broken feed, sitemap or
page: the problem is recorded in ``errors`` (and its fetch in ``fetches``) and the other
inputs are still used.

- Feeds: RSS 0.9x/1.0/2.0, Atom, CDF (feedparser) and JSON Feed 1.0/1.1 (feedparser 6.0
  has no JSON Feed support, so :func:`parse_feed` reads it with :mod:`json` per
  https://www.jsonfeed.org/version/1.1/).
- Sitemaps (sitemaps.org protocol, Google News sitemap extension): index files, urlsets,
  gzip, plain-text; ``news:publication_date`` / ``news:title`` used. When a source has
  neither feeds nor sitemaps configured, or lists a ``.../robots.txt`` URL among its sitemaps,
  sitemap URLs come from robots.txt ``Sitemap:`` lines, else common paths are probed.
- Section/listing pages: links on the page, filtered by courlan and the source's
  include/exclude patterns, and (without include patterns) a URL-shape heuristic.
- :func:`canonicalize_url` before any dedup; :func:`prefer_canonical` after fetching.
- Conditional GET and adaptive polling per feed/sitemap URL with :class:`FeedState`,
  persisted as JSON by :class:`FeedStateStore` under ``<state_dir>/feeds/<source_id>.json``
  (one file per source so parallel source tasks never write the same file).
- Request budget is per host: after dedup by canonical URL across all feeds/sitemaps/sections
  of the source, at most ``source.max_articles_per_run`` candidates per host are kept (newest
  first).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Callable, Container, Iterable
from urllib.parse import parse_qsl, unquote_plus, urljoin, urlsplit, urlunsplit

import courlan
import feedparser
from lxml import etree
from lxml import html as lxml_html

from mediamon.config import Source
from mediamon.fetch import DecompressionBomb, Fetcher, FetchResult, gunzip_capped

__all__ = [
    "Candidate", "Discovery", "FeedState", "FeedStateStore", "ParsedFeed", "ParsedSitemap", "PollPolicy",
    "canonicalize_url", "prefer_canonical", "page_canonical", "parse_feed", "parse_sitemap", "section_links",
    "discover_source", "due_for_refresh", "update_feed_state", "feed_validators", "is_due", "url_allowed",
    "TRACKING_PARAMS",
]

# ----------------------------------------------------------------------------- canonical URLs

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


# ----------------------------------------------------------------------------- data classes


@dataclass
class Candidate:
    """A candidate article URL. ``url`` canonical; ``via`` the feed/sitemap/section URL;
    ``published_at`` UTC datetime or None; ``lastmod`` (sitemaps) UTC datetime or None."""

    url: str
    source_id: str
    via: str
    title: str | None = None
    published_at: datetime | None = None
    lastmod: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (datetimes as ISO 8601 UTC strings)."""
        d = dataclasses.asdict(self)
        for k in ("published_at", "lastmod"):
            if d[k] is not None:
                d[k] = d[k].isoformat()
        return d


@dataclass
class Discovery:
    """Result of :func:`discover_source`: ``items`` (deduplicated, canonical, within budget),
    ``fetches`` (every feed/sitemap/section/robots FetchResult, to log), ``errors`` (one
    readable line per broken input). Extensions: ``skipped_not_due`` (feeds not polled because
    their adaptive interval has not elapsed), ``n_known`` (candidates dropped as already
    stored), ``n_over_budget`` (dropped by the per-host budget), ``n_filtered`` (by patterns),
    ``refused`` (``(item_url, via)`` of feed/sitemap items whose scheme is not http(s), e.g.
    ``file:`` or ``javascript:``: never fetched, to log as ``blocked_scheme``)."""

    items: list[Candidate] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped_not_due: list[str] = field(default_factory=list)
    n_known: int = 0
    n_over_budget: int = 0
    n_filtered: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Entry:
    url: str
    title: str | None = None
    published_at: datetime | None = None
    lastmod: datetime | None = None


@dataclass
class ParsedFeed:
    """``kind`` ('rss20', 'atom10', 'json', ... from feedparser's ``version``), ``entries``,
    ``error`` (None, or why the feed is broken; entries recovered from an ill-formed feed are kept)."""

    kind: str
    entries: list[Entry]
    error: str | None = None


@dataclass
class ParsedSitemap:
    """``kind``: 'index' | 'urlset' | 'text' | 'feed' | 'unknown'; ``entries`` (article URLs);
    ``sitemaps`` (child sitemap URLs of an index, with lastmod); ``error``."""

    kind: str
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[Entry] = field(default_factory=list)
    error: str | None = None


# ----------------------------------------------------------------------------- dates


def _parse_dt(value: Any) -> datetime | None:
    """W3C datetime / RFC 822 / feedparser struct_time -> aware UTC datetime, or None."""
    if value is None or value == "":
        return None
    if hasattr(value, "tm_year"):
        try:
            return datetime(*value[:6], tzinfo=timezone.utc)
        except (ValueError, TypeError):
            return None
    s = str(value).strip()
    try:
        d = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        try:
            d = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    try:
        return d.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


# ----------------------------------------------------------------------------- feeds


def _looks_json(body: bytes) -> bool:
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head in (b"{", b"[")


def _parse_json_feed(body: bytes, base_url: str | None) -> ParsedFeed:
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError as e:
        return ParsedFeed("json", [], f"invalid JSON: {e}")
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return ParsedFeed("json", [], "not a JSON Feed (no 'items' list)")
    out = []
    for it in data["items"]:
        if not isinstance(it, dict):
            continue
        link = it.get("url") or it.get("external_url") or (it.get("id") if str(it.get("id", "")).startswith("http") else None)
        if not isinstance(link, str) or not link.strip():
            continue
        out.append(Entry(urljoin(base_url or "", link.strip()), it.get("title") if isinstance(it.get("title"), str) else None,
                         _parse_dt(it.get("date_published")), _parse_dt(it.get("date_modified"))))
    return ParsedFeed("json" + str(data.get("version", "")).rsplit("/", 1)[-1], out)


def parse_feed(body: bytes | str, base_url: str | None = None, content_type: str | None = None) -> ParsedFeed:
    """Parse an RSS/Atom/CDF feed (feedparser) or a JSON Feed into entries.

    ``body``: raw bytes (feedparser does its own XML encoding detection) or text.
    ``base_url``: resolves relative links. Entry URL = ``link`` (else an http ``id``/guid);
    ``published_at`` = published, else updated (UTC). Never raises: a feed feedparser cannot
    read gives ``entries=[]`` and ``error`` set; an ill-formed feed (bozo) keeps the entries
    recovered and sets ``error``.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    if _looks_json(body) or (content_type and "json" in content_type.lower()):
        return _parse_json_feed(body, base_url)
    try:
        d = feedparser.parse(body, response_headers={"content-location": base_url or "",
                                                      **({"content-type": content_type} if content_type else {})})
    except Exception as e:  # feedparser is defensive, but never let one feed sink the run
        return ParsedFeed("unknown", [], f"feedparser failed: {type(e).__name__}: {e}")
    out = []
    for e in d.entries:
        link = e.get("link")
        if not link:
            for ln in e.get("links", []) or []:
                if ln.get("href") and ln.get("rel", "alternate") == "alternate":
                    link = ln["href"]
                    break
        if not link and str(e.get("id", "")).startswith(("http://", "https://")):
            link = e["id"]
        if not link or not isinstance(link, str):
            continue
        link = urljoin(base_url or "", link.strip())
        title = e.get("title")
        # dict.get: bypass feedparser's deprecated updated->published key fallback (and its warning)
        upd = _parse_dt(dict.get(e, "updated_parsed"))
        pub = _parse_dt(dict.get(e, "published_parsed")) or upd
        out.append(Entry(link, title if isinstance(title, str) else None, pub, upd))
    err = None
    exc = d.get("bozo_exception")
    benign = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    if d.get("bozo") and not isinstance(exc, benign):
        err = f"ill-formed feed: {type(exc).__name__}: {exc}"[:300] if exc is not None else "ill-formed feed"
    if not d.get("version") and not out:
        err = err or "not a recognised feed"
    return ParsedFeed(d.get("version") or "unknown", out, err)


# ----------------------------------------------------------------------------- sitemaps


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_sitemap(body: bytes | str, base_url: str | None = None, *, max_bytes: int = 50_000_000) -> ParsedSitemap:
    """Parse a sitemap (sitemaps.org XML urlset or index, Google News extension, gzip, plain text,
    or an RSS/Atom feed used as a sitemap).

    ``body``: bytes (gzip detected by magic bytes and decompressed with at most ``max_bytes``
    output: 50 MB is the protocol's uncompressed limit) or text. Entries get ``lastmod`` and,
    from ``news:news``, ``published_at`` (``news:publication_date``) and ``title``
    (``news:title``). XML is parsed by lxml without entity resolution or network access
    (XXE-safe) and in recover mode. Never raises: problems go to ``error``.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip_capped(body, max_bytes)
        except DecompressionBomb as e:
            return ParsedSitemap("unknown", error=f"gzip sitemap too large: {e}")
        except Exception as e:
            return ParsedSitemap("unknown", error=f"bad gzip sitemap: {type(e).__name__}: {e}")
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return ParsedSitemap("unknown", error="empty sitemap")
    if _looks_json(stripped):
        pf = parse_feed(stripped, base_url)
        return ParsedSitemap("feed", pf.entries, error=pf.error)
    if not stripped.startswith(b"<"):
        # plain-text sitemap: one URL per line (sitemaps.org "Text file")
        entries = []
        for line in stripped.decode("utf-8", errors="replace").splitlines():
            line = line.strip().lstrip("\ufeff")
            if re.match(r"^https?://\S+$", line):
                entries.append(Entry(line))
        return ParsedSitemap("text", entries, error=None if entries else "no URLs in text sitemap")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(stripped, parser)
    except (etree.XMLSyntaxError, ValueError) as e:
        return ParsedSitemap("unknown", error=f"unparsable XML: {e}")
    if root is None:
        return ParsedSitemap("unknown", error="unparsable XML (no root element)")
    rname = _local(root.tag)
    if rname in ("rss", "feed", "rdf"):
        pf = parse_feed(body, base_url)
        return ParsedSitemap("feed", pf.entries, error=pf.error)
    err = None
    if parser.error_log and len(parser.error_log):
        err = f"ill-formed XML, recovered: {parser.error_log[0].message}"[:300]
    if rname == "sitemapindex":
        maps = []
        for sm in root:
            if _local(sm.tag) != "sitemap":
                continue
            loc = lastmod = None
            for ch in sm:
                n = _local(ch.tag)
                if n == "loc" and ch.text:
                    loc = ch.text.strip()
                elif n == "lastmod" and ch.text:
                    lastmod = _parse_dt(ch.text)
            if loc:
                maps.append(Entry(urljoin(base_url or "", loc), lastmod=lastmod))
        return ParsedSitemap("index", sitemaps=maps, error=err)
    if rname == "urlset":
        entries = []
        for u in root:
            if _local(u.tag) != "url":
                continue
            e = Entry("")
            for ch in u:
                n = _local(ch.tag)
                if n == "loc" and ch.text:
                    e.url = urljoin(base_url or "", ch.text.strip())
                elif n == "lastmod" and ch.text:
                    e.lastmod = _parse_dt(ch.text)
                elif n == "news":
                    for nn in ch.iter():
                        ln = _local(nn.tag)
                        if ln == "publication_date" and nn.text:
                            e.published_at = _parse_dt(nn.text)
                        elif ln == "title" and nn.text:
                            e.title = nn.text.strip()
            if e.url:
                entries.append(e)
        return ParsedSitemap("urlset", entries, error=err)
    return ParsedSitemap("unknown", error=f"root element <{rname}> is not a sitemap")


COMMON_SITEMAP_PATHS = ("/sitemap_news.xml", "/news-sitemap.xml", "/sitemap-news.xml", "/sitemap.xml", "/sitemap_index.xml")


# ----------------------------------------------------------------------------- section pages

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


# ----------------------------------------------------------------------------- feed state / polling


@dataclass(frozen=True)
class PollPolicy:
    """Adaptive polling bounds (seconds). After a poll with new items the interval is
    multiplied by ``speedup``, after one without by ``slowdown``, after an error by
    ``error_backoff``; always clamped to ``[min_interval_s, max_interval_s]``.

    Verification of validators (a feed may answer ``304 Not Modified`` while its items
    change): a poll is unconditional (no ETag/If-Modified-Since) after ``verify_first``
    conditional polls; each verification that finds the feed honest doubles that spacing, up
    to ``verify_every`` polls; a poll is also unconditional when the last unconditional one is
    older than ``verify_max_age_s`` or another signal asked for it (a sitemap listing new
    URLs while the feed answers 304). A feed caught lying is polled without validators; after
    ``retrust_after_s`` (doubled each time it is caught again, at most ``max_retrust_s``) its
    validators are tried again, with verification starting over at ``verify_first``."""

    min_interval_s: float = 300.0
    max_interval_s: float = 86_400.0
    initial_interval_s: float = 900.0
    speedup: float = 0.5
    slowdown: float = 1.5
    error_backoff: float = 2.0
    verify_every: int = 12
    verify_first: int = 2
    verify_max_age_s: float = 43_200.0
    retrust_after_s: float = 30 * 86_400.0
    max_retrust_s: float = 365 * 86_400.0
    max_seen: int = 2000


@dataclass
class FeedState:
    """Per feed/sitemap URL polling state (JSON-serialisable via ``to_dict``/``from_dict``).

    ``etag``/``last_modified``: validators last received; ``validators_trusted``: False once
    the feed returned the same validator with different items (then ``untrusted_at`` (ISO
    8601 UTC), ``untrusted_reason`` and ``times_untrusted`` say when and why; see
    :class:`PollPolicy` for re-trust); ``poll_interval_s``;
    ``next_poll_at``/``last_polled_at``: ISO 8601 UTC strings; ``last_new_items``: new item
    URLs seen on the last poll; ``items_hash``: SHA-1 of the sorted item URLs last seen;
    ``seen``: recently seen item URLs (bounded); ``polls_since_verify``: conditional polls
    since the last unconditional one; ``verify_spacing``: conditional polls allowed between
    verifications (0: ``PollPolicy.verify_first``); ``last_verified_at``: last unconditional
    poll answered 200 (ISO 8601 UTC); ``verify_requested``: why the next poll must be
    unconditional, or None; ``consecutive_errors``; ``last_outcome``.
    """

    feed_url: str
    etag: str | None = None
    last_modified: str | None = None
    validators_trusted: bool = True
    poll_interval_s: float = 900.0
    next_poll_at: str | None = None
    last_polled_at: str | None = None
    last_new_items: int = 0
    items_hash: str | None = None
    seen: list[str] = field(default_factory=list)
    polls_since_verify: int = 0
    consecutive_errors: int = 0
    last_outcome: str | None = None
    verify_spacing: int = 0
    last_verified_at: str | None = None
    verify_requested: str | None = None
    untrusted_at: str | None = None
    untrusted_reason: str | None = None
    times_untrusted: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "FeedState":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def _iso(d: datetime) -> str:
    return d.astimezone(timezone.utc).isoformat(timespec="seconds")


def is_due(state: FeedState | None, now: datetime) -> bool:
    """True when the feed should be polled at ``now`` (UTC): no state, or ``next_poll_at`` reached."""
    if state is None or not state.next_poll_at:
        return True
    nxt = _parse_dt(state.next_poll_at)
    return nxt is None or now >= nxt


def feed_validators(state: FeedState | None, policy: PollPolicy = PollPolicy(),
                    now: datetime | None = None) -> dict[str, str] | None:
    """Validators for a conditional GET (``{'etag': str, 'last_modified': str}``, either may be
    absent), or None for an unconditional GET: no state or no validators stored, validators
    distrusted, a verification requested, ``polls_since_verify`` reached the verification
    spacing (:class:`PollPolicy`), or (with ``now``, aware UTC) the last unconditional poll is
    older than ``policy.verify_max_age_s`` seconds. Pure; raises nothing."""
    if state is None or not state.validators_trusted or state.verify_requested:
        return None
    spacing = min(state.verify_spacing or policy.verify_first, policy.verify_every)
    if state.polls_since_verify >= spacing:
        return None
    if now is not None and state.last_verified_at:
        last = _parse_dt(state.last_verified_at)
        if last is None or (now - last).total_seconds() >= policy.verify_max_age_s:
            return None
    v = {k: getattr(state, k) for k in ("etag", "last_modified") if getattr(state, k)}
    return v or None


def _retrust_due(st: FeedState, now: datetime, policy: PollPolicy) -> bool:
    since = _parse_dt(st.untrusted_at) if st.untrusted_at else None
    if since is None:
        return False
    wait = min(policy.max_retrust_s, policy.retrust_after_s * 2 ** max(0, st.times_untrusted - 1))
    return (now - since).total_seconds() >= wait


def update_feed_state(state: FeedState | None, feed_url: str, result: FetchResult, item_urls: Iterable[str] | None,
                      now: datetime, policy: PollPolicy = PollPolicy()) -> tuple[FeedState, list[str]]:
    """Pure update after polling ``feed_url`` at ``now`` (aware UTC): returns ``(new_state, new_item_urls)``.

    ``state``: the state the poll was made with (its validators were those of
    :func:`feed_validators` ``(state, policy, now)``); ``result``: the poll's FetchResult;
    ``item_urls``: canonical item URLs parsed from a 200 response (None for 304/errors).
    Lying validators: a 200 carrying the *same* ETag (or Last-Modified, when no ETag) as
    stored but a different set of items means the validators do not track content (a
    conditional poll with them would have answered 304, as it may have done before): the feed
    becomes untrusted (``validators_trusted`` False, ``untrusted_at``, ``untrusted_reason``)
    and is polled without validators until re-trusted (:class:`PollPolicy`). An
    unconditional 200 that finds no lie widens the verification spacing. The interval adapts
    as described in :class:`PollPolicy`.
    """
    st = dataclasses.replace(state) if state is not None else FeedState(feed_url, poll_interval_s=policy.initial_interval_s)
    st.seen = list(st.seen)
    conditional = feed_validators(state, policy, now) is not None
    new: list[str] = []
    st.last_polled_at = _iso(now)
    prev_outcome = st.last_outcome
    st.last_outcome = result.outcome
    interval = st.poll_interval_s
    if result.outcome == "ok" and item_urls is not None:
        urls = list(dict.fromkeys(item_urls))
        h = hashlib.sha1("\n".join(sorted(urls)).encode()).hexdigest()
        etag = result.headers.get("ETag") or result.headers.get("etag")
        lm = result.headers.get("Last-Modified") or result.headers.get("last-modified")
        seen = set(st.seen)
        new = [u for u in urls if u not in seen]
        lied = st.items_hash is not None and h != st.items_hash and (
            (etag and etag == st.etag) or (not etag and lm and lm == st.last_modified))
        if lied and st.validators_trusted:
            what = f"ETag {etag}" if etag else f"Last-Modified {lm}"
            st.validators_trusted = False
            st.untrusted_at = _iso(now)
            st.times_untrusted += 1
            st.untrusted_reason = (f"{what} unchanged but the item list changed ({len(new)} new item(s))"
                                   + (" after a 304 Not Modified" if prev_outcome == "not_modified" else "")
                                   + (" on a verification poll" if not conditional else ""))
        st.seen = (st.seen + new)[-policy.max_seen:]
        st.items_hash, st.etag, st.last_modified = h, etag, lm
        st.consecutive_errors = 0
        if conditional:
            st.polls_since_verify += 1
        else:
            if state is not None and state.polls_since_verify > 0 and not lied and st.validators_trusted:
                st.verify_spacing = min(policy.verify_every, 2 * (st.verify_spacing or policy.verify_first))
            st.polls_since_verify = 0
            st.last_verified_at = _iso(now)
            st.verify_requested = None
        if not st.validators_trusted and not st.untrusted_at:  # state file from before untrusted_at existed
            st.untrusted_at, st.times_untrusted = _iso(now), max(1, st.times_untrusted)
        if not st.validators_trusted and not lied and _retrust_due(st, now, policy):
            st.validators_trusted = True
            st.verify_spacing, st.polls_since_verify = policy.verify_first, 0
        interval = interval * (policy.speedup if new else policy.slowdown)
    elif result.outcome == "not_modified":
        st.consecutive_errors = 0
        st.polls_since_verify += 1
        interval = interval * policy.slowdown
    else:
        st.consecutive_errors += 1
        interval = interval * policy.error_backoff
    st.last_new_items = len(new)
    st.poll_interval_s = float(min(policy.max_interval_s, max(policy.min_interval_s, interval)))
    st.next_poll_at = _iso(now + timedelta(seconds=st.poll_interval_s))
    return st, new


class FeedStateStore:
    """JSON persistence of :class:`FeedState` per source: ``<state_dir>/feeds/<source_id>.json``
    (``{"version": 1, "feeds": {feed_url: state_dict}}``), written atomically (temp file +
    ``os.replace``). A corrupt file is reported by :meth:`load` raising ValueError naming it."""

    def __init__(self, state_dir: str | Path, source_id: str):
        self.path = Path(state_dir) / "feeds" / f"{source_id}.json"

    def load(self) -> dict[str, FeedState]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {u: FeedState.from_dict(d) for u, d in data.get("feeds", {}).items()}
        except (ValueError, TypeError, AttributeError) as e:
            raise ValueError(f"{self.path}: corrupt feed state file: {e}") from None

    def save(self, states: dict[str, FeedState]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": 1, "feeds": {u: s.to_dict() for u, s in sorted(states.items())}}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".feeds-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=1)
        os.replace(tmp, self.path)


# ----------------------------------------------------------------------------- refresh policy


def due_for_refresh(first_seen_at: datetime, last_fetched_at: datetime | None, now: datetime,
                    schedule_s: tuple[float, ...] = (86_400.0, 604_800.0)) -> bool:
    """True when a stored article should be re-fetched to record edits or takedowns.

    A re-fetch is due when some point ``first_seen_at + s`` (``s`` in ``schedule_s``,
    seconds; default +24 h and +7 days) has been reached (``<= now``) and the article was not
    fetched at or after that point. All datetimes are aware (UTC) or all naive. Pure.
    """
    last = last_fetched_at or first_seen_at
    for s in sorted(schedule_s):
        due_at = first_seen_at + timedelta(seconds=s)
        if due_at <= now and last < due_at:
            return True
    return False


# ----------------------------------------------------------------------------- discover


def _add(found: dict[str, Candidate], e: Entry, source: Source, via: str,
         refused: list[tuple[str, str]] | None = None) -> None:
    url = canonicalize_url(e.url)
    if not url.startswith(("http://", "https://")):
        if refused is not None and (e.url or "").strip():
            refused.append(((e.url or "").strip(), via))
        return
    c = found.get(url)
    if c is None:
        found[url] = Candidate(url, source.id, via, (e.title or "").strip() or None, e.published_at, e.lastmod)
    else:
        c.title = c.title or ((e.title or "").strip() or None)
        c.published_at = c.published_at or e.published_at
        c.lastmod = c.lastmod or e.lastmod


def _fmt_err(what: str, url: str, r: FetchResult) -> str:
    return f"{what} {url}: {r.outcome}" + (f" HTTP {r.status}" if r.status else "") + (f" ({r.error})" if r.error else "")


def discover_source(source: Source, fetcher: Fetcher, *, state_dir: str | Path | None = None,
                    now: datetime | None = None, policy: PollPolicy = PollPolicy(), force: bool = False,
                    known_urls: Container[str] | None = None, max_sitemap_age_s: float = 3 * 86_400.0,
                    max_child_sitemaps: int = 10, max_sitemap_depth: int = 3) -> Discovery:
    """Discover candidate article URLs of one source (feeds, then sitemaps, then section pages).

    ``state_dir``: enables conditional GET + adaptive polling with :class:`FeedStateStore`
    (feeds/sitemaps whose ``next_poll_at`` is in the future are skipped unless ``force``).
    ``known_urls``: canonical URLs already stored (they are dropped: no refetch; the refresh
    policy is applied by the caller with :func:`due_for_refresh`). Sitemap entries whose
    publication date/lastmod is older than ``max_sitemap_age_s`` are ignored; at most
    ``max_child_sitemaps`` children of an index (newest lastmod first) are read, to
    ``max_sitemap_depth`` levels. Returns :class:`Discovery`; never raises for network, HTTP
    or parse problems (see ``Discovery.errors``). A corrupt state file is reported in
    ``errors`` and replaced.
    """
    now = now or datetime.now(timezone.utc)
    disc = Discovery()
    found: dict[str, Candidate] = {}
    store = FeedStateStore(state_dir, source.id) if state_dir is not None else None
    states: dict[str, FeedState] = {}
    if store is not None:
        try:
            states = store.load()
        except ValueError as e:
            disc.errors.append(str(e))

    def poll(url: str, kind: str) -> FetchResult | None:
        st = states.get(url)
        if store is not None and not force and not is_due(st, now):
            disc.skipped_not_due.append(url)
            return None
        r = fetcher.fetch(url, source_id=source.id, kind=kind, validators=feed_validators(st, policy, now) if store else None)
        disc.fetches.append(r)
        return r

    def record(url: str, r: FetchResult, items: list[str] | None) -> list[str]:
        new: list[str] = []
        if store is not None:
            states[url], new = update_feed_state(states.get(url), url, r, items, now, policy)
        return new

    feeds_304: list[str] = []  # feeds that answered 304 Not Modified in this run
    sitemap_new: dict[str, list[str]] = {}  # sitemap URL -> items new since its previous poll

    # feeds, deduplicated by normalised URL
    for feed in dict.fromkeys(canonicalize_url(f) for f in source.feeds):
        try:
            r = poll(feed, "feed")
            if r is None:
                continue
            if r.outcome == "not_modified":
                record(feed, r, None)
                feeds_304.append(feed)
                continue
            if not r.ok:
                disc.errors.append(_fmt_err("feed", feed, r))
                record(feed, r, None)
                continue
            pf = parse_feed(r.body or b"", r.final_url, r.content_type)
            if pf.error and not pf.entries:
                disc.errors.append(f"feed {feed}: {pf.error}")
            for e in pf.entries:
                _add(found, e, source, feed, disc.refused)
            record(feed, r, [canonicalize_url(e.url) for e in pf.entries])
        except Exception as e:  # one broken feed never stops the others
            disc.errors.append(f"feed {feed}: unexpected {type(e).__name__}: {e}")

    # sitemaps (configured; robots.txt-listed; or probed)
    sitemap_urls: list[str] = []
    auto = not source.feeds and not source.sitemaps
    for sm in source.sitemaps:
        if urlsplit(sm).path.rstrip("/").endswith("robots.txt"):
            auto_list = fetcher.robots_sitemaps(sm)
            disc.fetches.extend(fetcher.pop_robots_results())
            sitemap_urls.extend(auto_list)
        else:
            sitemap_urls.append(sm)
    if auto:
        listed = fetcher.robots_sitemaps(source.homepage)
        disc.fetches.extend(fetcher.pop_robots_results())
        if listed:
            sitemap_urls.extend(listed)
        else:
            base = urlunsplit(urlsplit(source.homepage)[:2] + ("", "", ""))
            for p in COMMON_SITEMAP_PATHS:
                r = fetcher.fetch(base + p, source_id=source.id, kind="sitemap")
                disc.fetches.append(r)
                if r.ok and r.body and parse_sitemap(r.body, r.final_url).kind in ("index", "urlset", "text"):
                    sitemap_urls.append(base + p)
                    break
    cutoff = now - timedelta(seconds=max_sitemap_age_s)
    queue = [(u, 0) for u in dict.fromkeys(sitemap_urls)]
    done: set[str] = set()
    while queue:
        sm, depth = queue.pop(0)
        if sm in done:
            continue
        done.add(sm)
        try:
            r = poll(sm, "sitemap")
            if r is None:
                continue
            if r.outcome == "not_modified":
                record(sm, r, None)
                continue
            if not r.ok:
                disc.errors.append(_fmt_err("sitemap", sm, r))
                record(sm, r, None)
                continue
            ps = parse_sitemap(r.body or b"", r.final_url, max_bytes=max(fetcher.settings.max_bytes, 50_000_000))
            if ps.error and not (ps.entries or ps.sitemaps):
                disc.errors.append(f"sitemap {sm}: {ps.error}")
            if ps.kind == "index":
                kids = sorted(ps.sitemaps, key=lambda e: e.lastmod or datetime.min.replace(tzinfo=timezone.utc), reverse=True)
                kids = [k for k in kids if k.lastmod is None or k.lastmod >= cutoff] or kids[:1]
                if depth + 1 <= max_sitemap_depth:
                    queue.extend((k.url, depth + 1) for k in kids[:max_child_sitemaps])
            kept = []
            for e in ps.entries:
                when = e.published_at or e.lastmod
                if when is not None and when < cutoff:
                    continue
                _add(found, e, source, sm, disc.refused)
                kept.append(canonicalize_url(e.url))
            had_state = sm in states
            fresh = record(sm, r, kept if ps.kind != "index" else [k.url for k in ps.sitemaps])
            if had_state and ps.kind != "index" and fresh:
                sitemap_new[sm] = fresh
        except Exception as e:
            disc.errors.append(f"sitemap {sm}: unexpected {type(e).__name__}: {e}")

    # a sitemap showing new article URLs that no feed listed while a feed answered 304: the
    # next poll of that feed is unconditional (a verification, see PollPolicy)
    if store is not None and feeds_304 and sitemap_new:
        listed = {u for f in source.feeds for u in (states.get(canonicalize_url(f)) or FeedState(f)).seen}
        for sm, fresh in sitemap_new.items():
            unlisted = [u for u in fresh if u not in listed and url_allowed(u, source)]
            if unlisted:
                for feed in feeds_304:
                    st = states.get(feed)
                    if st is not None and st.validators_trusted and not st.verify_requested:
                        st.verify_requested = (f"sitemap {sm} listed {len(unlisted)} new URL(s) not in the feed while "
                                               f"it answered 304 (e.g. {unlisted[0]})")[:500]

    # section / listing pages
    for page in dict.fromkeys(source.section_pages):
        try:
            r = fetcher.fetch(page, source_id=source.id, kind="section")
            disc.fetches.append(r)
            if not r.ok:
                disc.errors.append(_fmt_err("section", page, r))
                continue
            for link in section_links(r.text or "", r.final_url, source):
                _add(found, Entry(link), source, page)
        except Exception as e:
            disc.errors.append(f"section {page}: unexpected {type(e).__name__}: {e}")

    disc.fetches.extend(fetcher.pop_robots_results())
    if store is not None:
        try:
            store.save(states)
        except OSError as e:
            disc.errors.append(f"cannot save feed state {store.path}: {e}")

    # filter, drop known, budget per host (newest first)
    cands = []
    for c in found.values():
        if not url_allowed(c.url, source):
            disc.n_filtered += 1
            continue
        if known_urls is not None and c.url in known_urls:
            disc.n_known += 1
            continue
        cands.append(c)
    epoch = datetime.min.replace(tzinfo=timezone.utc)
    cands.sort(key=lambda c: c.published_at or c.lastmod or epoch, reverse=True)
    per_host: dict[str, int] = {}
    for c in cands:
        h = (urlsplit(c.url).hostname or "").lower()
        if per_host.get(h, 0) >= source.max_articles_per_run:
            disc.n_over_budget += 1
            continue
        per_host[h] = per_host.get(h, 0) + 1
        disc.items.append(c)
    return disc
