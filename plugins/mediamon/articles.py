"""The records of one fetched page (fetching and extracting: :mod:`mediamon.fetching`): the article record (dates reconciled with the feed), the
stitching of multi-page articles, and the fetch_log rows of pages that did not become articles.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from mediamon.records import ArticleRecord, Candidate, FetchLogRow, parse_time
from mediamon.util.dates import parse_loose, to_utc

__all__ = ["article_day", "article_record", "stitch_pages", "strip_site_boilerplate", "error_row", "refused_scheme_row",
           "mark_skipped", "extraction_error"]

log = logging.getLogger(__name__)


def article_day(published_at: str | None, fetched_at: str, tz: str) -> date:
    """Calendar day of an article in the report timezone ``tz``: its publication time,
    or its fetch time when the publication time is unknown. Both ISO 8601 (naive = UTC;
    :func:`mediamon.util.dates.to_utc`). Raises ValueError naming the value when it does not parse."""
    ts = published_at or fetched_at
    dt = to_utc(ts)
    if dt is None:
        raise ValueError(f"article time {ts!r} is not an ISO 8601 timestamp")
    return dt.astimezone(ZoneInfo(tz)).date()


def _same_local_day(page_iso: str, feed_iso: str) -> bool:
    """True when ``feed_iso`` (a full timestamp) falls on the calendar day of the date-only
    ``page_iso``, in the page date's own UTC offset."""
    page, feed = parse_loose(page_iso or ""), parse_loose(feed_iso or "")
    if page is None or feed is None:
        return False
    if page.tzinfo is None or feed.tzinfo is None:
        return page.date() == feed.date()
    return feed.astimezone(page.tzinfo).date() == page.date()


# A page date this many days or more after the feed/sitemap date cannot be the first publication
# (the feed announced the article before the page says it was published): the feed date wins.
PAGE_AFTER_FEED_MAX_DAYS = 2


def _days_after(page_iso: str, feed_iso: str) -> float | None:
    """Days (fractional) by which the page date ``page_iso`` is later than the feed date ``feed_iso``
    (both ISO 8601, naive = UTC; negative when earlier), or None when either does not parse."""
    page, feed = to_utc(page_iso), to_utc(feed_iso)
    if page is None or feed is None:
        return None
    return (page - feed).total_seconds() / 86400


def article_record(src: Any, cand: Candidate, fetched: Any, ext: Any, tz: str, run_id: str) -> ArticleRecord:
    """The :class:`ArticleRecord` of an extracted page.

    ``src``: the ``config.Source``; ``cand``: the planned candidate (its feed title and date);
    ``fetched``: anything with ``final_url``, ``fetched_at`` (aware UTC) and
    ``replacement_chars`` (a FetchResult, or an archived response); ``ext``: the Extraction;
    ``tz``: the report timezone (the article's ``day``). A page date rejected as implausible
    falls back to the feed date, else the fetch time (``methods`` says which); a date-only page
    date takes the feed's time of the same day. A page date more than
    :data:`PAGE_AFTER_FEED_MAX_DAYS` days after the feed date gives way to the feed date
    (``methods['published_at']``: ``'<page method> -> feed (page date N days after feed pubDate)'``). Raises ValueError for a URL that does not
    canonicalise."""
    from mediamon.enrich.dedup import content_hash, signature
    from mediamon.acquire.urls import canonicalize_url, prefer_canonical
    from mediamon.util.dates import plausible_date
    from mediamon.store import article_id_for

    canonical = canonicalize_url(prefer_canonical(fetched.final_url or cand.url, ext.canonical_url))
    published, methods = ext.published_at, dict(ext.methods or {})
    date_only = "date only" in str(methods.get("published_at", ""))
    # the page's dates were rejected as implausible (extract.plausible_date): say what replaced them
    rejected = published is None and str(methods.get("published_at", "")).startswith("rejected:")
    feed_time = cand.published_at.isoformat() if cand.published_at else None
    if feed_time and not plausible_date(feed_time, fetched.fetched_at):
        methods["feed_published_at"] = f"rejected:implausible(feed={str(feed_time)[:40]})"
        feed_time = None
    if published is None and feed_time:
        published = feed_time
        methods["published_at"] = f"{methods['published_at']} -> feed" if rejected else "feed"
        date_only = False
    elif feed_time and (lag := _days_after(published, feed_time)) is not None and lag > PAGE_AFTER_FEED_MAX_DAYS:
        # a page date days after the feed announced the article (a rewritten published_time): not the first publication
        published, date_only = feed_time, False
        methods["published_at"] = f"{methods.get('published_at', 'page')} -> feed (page date {round(lag)} days after feed pubDate)"
    elif rejected:
        # no date left: published_at stays unknown, the day and story order come from the fetch time
        methods["published_at"] += " -> fetched_at"
    elif date_only and feed_time and _same_local_day(published, feed_time):
        # the page gives only a date; the feed has the time of the same day
        published, methods["published_at"] = feed_time, methods["published_at"] + ", time from feed"
        date_only = False
    fetched_at = fetched.fetched_at.isoformat()
    # a date without a time is the day as printed, whatever the report timezone
    day = published[:10] if (date_only and published) else article_day(published, fetched_at, tz).isoformat()
    sig = signature(ext.text)
    return ArticleRecord(
        article_id=article_id_for(canonical), canonical_url=canonical, url=cand.url, source_id=src.id,
        title=ext.title or cand.title, text=ext.text, authors=list(ext.authors or []), editor=ext.editor,
        published_at=parse_time(published, name="published_at"), modified_at=parse_time(ext.modified_at, name="modified_at"),
        day=date.fromisoformat(day), language=ext.language or src.language, tags=list(ext.tags or []),
        categories=list(ext.categories or []), image=ext.image, syndication=ext.syndication,
        credits=ext.credits or {}, methods=methods, content_hash=content_hash(ext.text),
        minhash=bytes(sig) if sig else None, n_chars=len(ext.text), replacement_chars=fetched.replacement_chars,
        fetched_at=fetched.fetched_at, extractor_version=ext.extractor_version, run_id=run_id,
    )


def strip_site_boilerplate(rec: ArticleRecord, keys: frozenset[str]) -> ArticleRecord:
    """``rec`` without the body lines learned as its source's boilerplate (``keys``: line keys,
    :mod:`mediamon.extract.siteboiler`), with ``content_hash``, ``minhash`` and ``n_chars``
    recomputed and ``methods['site_boilerplate']`` = ``'dropped N lines'``; ``rec`` itself
    when no line matches (or every line would go)."""
    from dataclasses import replace

    from mediamon.enrich.dedup import content_hash, signature
    from mediamon.extract.siteboiler import strip_lines

    text, dropped = strip_lines(rec.text, keys)
    if not dropped:
        return rec
    sig = signature(text)
    return replace(rec, text=text, content_hash=content_hash(text), minhash=bytes(sig) if sig else None,
                   n_chars=len(text), methods={**rec.methods, "site_boilerplate": f"dropped {len(dropped)} lines"})


def stitch_pages(texts: list[str]) -> tuple[str, int]:
    """Join the extracted texts of a multi-page article's pages (first page first).

    Paragraphs already seen on an earlier page are dropped, and a page adding nothing new
    (a pager link that serves the same page again) is not counted. Returns
    ``(text, pages_used)``."""
    seen: set[str] = set()
    parts: list[str] = []
    for t in texts:
        new = [p for p in (t or "").split("\n") if p.strip() and p.strip() not in seen]
        if not new:
            continue
        seen.update(p.strip() for p in new)
        parts.append("\n".join(new))
    return "\n".join(parts), len(parts)


def extraction_error(ext: Any) -> tuple[str, str] | None:
    """``(error_class, message)`` of an extraction that failed inside the extractor, else None.

    Read from ``ext.error`` (``"<ExceptionClass>: <message>"``), or from ``ext.methods['error']``
    where older extractors put it. A message without a class prefix gets ``ExtractionError``."""
    err = getattr(ext, "error", None) or (getattr(ext, "methods", None) or {}).get("error")
    if not err:
        return None
    err = str(err)
    head, sep, rest = err.partition(": ")
    if sep and head.isidentifier():
        return head, err[:2000]
    return "ExtractionError", err[:2000]


def mark_skipped(row: FetchLogRow, ext: Any) -> FetchLogRow:
    """``row`` (the fetch_log row of a page fetched ``ok`` that did not become an article) with
    ``skip_reason`` = the page type (``'empty'`` for an article without text) and, when the
    extractor failed, its exception in ``error_class``/``error`` (``outcome`` stays ``'ok'``)."""
    row.skip_reason = ext.page_type if ext.page_type != "article" else "empty"
    failed = extraction_error(ext)
    if failed is not None and row.error is None:
        row.error_class, row.error = failed
    return row


def error_row(run_id: str, source_id: str, url: str, kind: str, exc: BaseException, now: datetime) -> FetchLogRow:
    """fetch_log row of an exception raised while handling ``url`` (``outcome='error'``,
    the exception's class and message, at most 2000 characters); ``now``: UTC."""
    return FetchLogRow(run_id=run_id, source_id=source_id, url=url, host=urlsplit(url).hostname, kind=kind,
                       outcome="error", error_class=type(exc).__name__, error=str(exc)[:2000], fetched_at=now)


def refused_scheme_row(run_id: str, source_id: str, url: str, via: str, now: datetime) -> FetchLogRow:
    """fetch_log row for a feed/sitemap item whose scheme is not http(s): refused, never fetched."""
    try:
        scheme = urlsplit(url).scheme or "none"
    except ValueError:
        scheme = "unparsable"
    return FetchLogRow(run_id=run_id, source_id=source_id, url=url[:2000], kind="article", outcome="blocked_scheme",
                       error_class="BlockedScheme",
                       error=f"scheme {scheme!r} not allowed (http/https only); listed in {via}"[:2000],
                       fetched_at=now)
