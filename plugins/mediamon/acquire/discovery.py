"""Discovery: candidate article URLs of one source from its feeds, sitemaps and section pages.

Entry point: :func:`discover_source` (one source, one :class:`~mediamon.acquire.http.Fetcher`) ->
:class:`Discovery` ``(items, fetches, errors)``. Never raises for a broken feed, sitemap or
page: the problem is recorded in ``errors`` (and its fetch in ``fetches``) and the other
inputs are still used.

- Feeds (:mod:`mediamon.acquire.feeds`): RSS, Atom, CDF and JSON Feed.
- Sitemaps (:mod:`mediamon.acquire.sitemaps`): when a source has neither feeds nor sitemaps
  configured, or lists a ``.../robots.txt`` URL among its sitemaps, sitemap URLs come from
  robots.txt ``Sitemap:`` lines, else common paths are probed.
- Section/listing pages: :func:`mediamon.acquire.urls.section_links`.
- :func:`mediamon.acquire.urls.canonicalize_url` before any dedup.
- Conditional GET and adaptive polling per feed/sitemap URL (:mod:`mediamon.acquire.polling`).
- Request budget is per host: after dedup by canonical URL across all feeds/sitemaps/sections
  of the source, at most ``source.max_articles_per_run`` candidates per host are kept (newest
  first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Container
from urllib.parse import urlsplit, urlunsplit

from mediamon.acquire.feeds import Entry, parse_feed
from mediamon.acquire.http import Fetcher
from mediamon.acquire.polling import FeedState, FeedStateStore, PollPolicy, feed_validators, is_due, update_feed_state
from mediamon.acquire.result import FetchResult
from mediamon.acquire.sitemaps import COMMON_SITEMAP_PATHS, parse_sitemap
from mediamon.acquire.urls import canonicalize_url, section_links, url_allowed
from mediamon.config import Source
from mediamon.records import Candidate

__all__ = ["Discovery", "discover_source"]


@dataclass
class Discovery:
    """Result of :func:`discover_source`: ``items`` (deduplicated, canonical, within budget),
    ``fetches`` (every feed/sitemap/section/robots FetchResult, to log), ``errors`` (one
    readable line per broken input). Extensions: ``skipped_not_due`` (feeds not polled because
    their adaptive interval has not elapsed), ``n_known`` (candidates dropped as already
    stored), ``n_over_budget`` (dropped by the per-host budget), ``n_filtered`` (by patterns),
    ``refused`` (``(item_url, via)`` of feed/sitemap items whose scheme is not http(s), e.g.
    ``file:`` or ``javascript:``: never fetched, to log as ``blocked_scheme``), ``poll_items``
    (feed/sitemap URL polled with a 200 that parsed -> ``(entries, overlap)``: distinct entries, and
    how many of them earlier polls had seen (None without an earlier poll's state); overlap 0 with
    entries > 0 means the feed's window rotated completely between polls)."""

    items: list[Candidate] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped_not_due: list[str] = field(default_factory=list)
    not_due_failing: list[str] = field(default_factory=list)
    n_known: int = 0
    n_over_budget: int = 0
    n_filtered: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    poll_items: dict[str, tuple[int, int | None]] = field(default_factory=dict)



def _add(found: dict[str, Candidate], e: Entry, source: Source, via: str,
         refused: list[tuple[str, str]] | None = None) -> None:
    url = canonicalize_url(e.url)
    if not url.startswith(("http://", "https://")):
        if refused is not None and (e.url or "").strip():
            refused.append(((e.url or "").strip(), via))
        return
    c = found.get(url)
    if c is None:
        found[url] = Candidate(url=url, source_id=source.id, via=via, title=(e.title or "").strip() or None,
                               published_at=e.published_at, lastmod=e.lastmod)
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
            if st is not None and st.consecutive_errors > 0:
                disc.not_due_failing.append(url)  # backing off after a failed poll: still failing
            return None
        r = fetcher.fetch(url, source_id=source.id, kind=kind, validators=feed_validators(st, policy, now) if store else None)
        disc.fetches.append(r)
        return r

    def record(url: str, r: FetchResult, items: list[str] | None) -> list[str]:
        new: list[str] = []
        if items is not None:
            uniq = list(dict.fromkeys(items))
            prev = states.get(url)
            seen = set(prev.seen) if prev is not None else set()
            disc.poll_items[url] = (len(uniq), sum(u in seen for u in uniq) if seen else None)
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
                record(feed, r, None)  # a 200 that is no feed is a failed poll: it backs off like an error
                continue
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
