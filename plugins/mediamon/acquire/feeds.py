"""Feeds: RSS 0.9x/1.0/2.0, Atom, CDF (feedparser) and JSON Feed 1.0/1.1 into :class:`Entry` lists.

feedparser 6.0 has no JSON Feed support, so :func:`parse_feed` reads it with :mod:`json`
per https://www.jsonfeed.org/version/1.1/. :func:`mediamon.util.dates.parse_feed_date` reads the dates of feeds and
sitemaps (W3C datetime, RFC 822, feedparser's struct_time) as aware UTC datetimes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

import feedparser

from mediamon.util.dates import parse_feed_date

__all__ = ["Entry", "ParsedFeed", "looks_json", "parse_feed"]


@dataclass
class Entry:
    """One item of a feed or sitemap: ``url`` (absolute, as published), ``title``,
    ``published_at`` and ``lastmod`` (aware UTC datetimes or None)."""

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


def looks_json(body: bytes) -> bool:
    """True when ``body`` (after a BOM and whitespace) starts like a JSON object or array."""
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
                         parse_feed_date(it.get("date_published")), parse_feed_date(it.get("date_modified"))))
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
    if looks_json(body) or (content_type and "json" in content_type.lower()):
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
        upd = parse_feed_date(dict.get(e, "updated_parsed"))
        pub = parse_feed_date(dict.get(e, "published_parsed")) or upd
        out.append(Entry(link, title if isinstance(title, str) else None, pub, upd))
    err = None
    exc = d.get("bozo_exception")
    benign = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    if d.get("bozo") and not isinstance(exc, benign):
        err = f"ill-formed feed: {type(exc).__name__}: {exc}"[:300] if exc is not None else "ill-formed feed"
    if not d.get("version") and not out:
        err = err or "not a recognised feed"
    return ParsedFeed(d.get("version") or "unknown", out, err)

