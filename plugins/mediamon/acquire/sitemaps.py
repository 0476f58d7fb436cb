"""Sitemaps (sitemaps.org protocol, Google News sitemap extension) into :class:`~mediamon.acquire.feeds.Entry` lists.

Index files, urlsets, gzip, plain-text sitemaps, and RSS/Atom/JSON feeds used as sitemaps;
``news:publication_date`` / ``news:title`` used. :data:`COMMON_SITEMAP_PATHS` are probed by
discovery when a source has neither feeds nor sitemaps and robots.txt lists none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from mediamon.acquire.encoding import DecompressionBomb, gunzip_capped
from mediamon.acquire.feeds import Entry, looks_json, parse_feed
from mediamon.util.dates import parse_feed_date

__all__ = ["COMMON_SITEMAP_PATHS", "ParsedSitemap", "parse_sitemap"]


@dataclass
class ParsedSitemap:
    """``kind``: 'index' | 'urlset' | 'text' | 'feed' | 'unknown'; ``entries`` (article URLs);
    ``sitemaps`` (child sitemap URLs of an index, with lastmod); ``error``."""

    kind: str
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[Entry] = field(default_factory=list)
    error: str | None = None


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
            body = gunzip_capped(body, max_bytes, allow_truncated=True)
        except DecompressionBomb as e:
            return ParsedSitemap("unknown", error=f"gzip sitemap too large: {e}")
        except Exception as e:
            return ParsedSitemap("unknown", error=f"bad gzip sitemap: {type(e).__name__}: {e}")
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return ParsedSitemap("unknown", error="empty sitemap")
    if looks_json(stripped):
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
                    lastmod = parse_feed_date(ch.text)
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
                    e.lastmod = parse_feed_date(ch.text)
                elif n == "news":
                    for nn in ch.iter():
                        ln = _local(nn.tag)
                        if ln == "publication_date" and nn.text:
                            e.published_at = parse_feed_date(nn.text)
                        elif ln == "title" and nn.text:
                            e.title = nn.text.strip()
            if e.url:
                entries.append(e)
        return ParsedSitemap("urlset", entries, error=err)
    return ParsedSitemap("unknown", error=f"root element <{rname}> is not a sitemap")


COMMON_SITEMAP_PATHS = ("/sitemap_news.xml", "/news-sitemap.xml", "/sitemap-news.xml", "/sitemap.xml", "/sitemap_index.xml")
