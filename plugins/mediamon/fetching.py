"""Fetching planned article pages with extraction overlapping: one source's pages
(:func:`fetch_and_extract`) or one host shard's, all sources at once (:func:`fetch_shard`).

Each article is a job on the fetcher's threads, scheduled politely per host
(:meth:`mediamon.acquire.http.Fetcher.map_per_host`): fetch the first page (or the source's
single-page view) and take the next host's URL; a few follower threads meanwhile look for the
article's pager, fetch its next pages (through the same per-host gate) and hand the pages to the
:class:`~mediamon.pagepool.PagePool`. Extraction (and per-article scoring) runs in the pool's worker
processes meanwhile; the records are collected in plan order at the end.
"""

from __future__ import annotations

import logging
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from mediamon.articles import error_row
from mediamon.pagepool import PageContext, PageJob, PagePool
from mediamon.ports import Clock, HttpClient
from mediamon.records import Candidate, Record, TakedownRow

__all__ = ["fetch_and_extract", "fetch_shard"]

log = logging.getLogger(__name__)


def fetch_and_extract(fetcher: HttpClient, src: Any, run_id: str, todo: list[Candidate], *, tz: str,
                      clock: Clock, pool: PagePool | None = None) -> tuple[list[Record], dict]:
    """Fetch the planned pages ``todo`` of source ``src`` with ``fetcher`` (articles concurrently
    across hosts, politely per host; each article's next pages fetched by a few follower threads
    through the same per-host gate, or the source's single-page view) and extract them in ``pool`` while the fetching goes on (None: a
    pool extracting in this thread, without scoring). Returns ``(records, counts)``:
    FetchLogRows (robots.txt fetches included), ArticleRecords (``day`` in the report timezone
    ``tz``) with, when the pool scores, their SentimentRow/TopicMatchRows/ArticleScored, and
    TakedownRows (a refreshed article answering 404/410); counts ``{"source_id", "fetched",
    "articles", "skipped", "failed"}``. Pages that are not articles (listing, paywall, bot
    wall, empty) get a ``skip_reason`` on their fetch_log row (and the extractor's exception in
    ``error_class``/``error``). An exception around one page, or its extraction crashing or
    timing out in the pool, becomes that page's fetch_log row (``outcome='error'``) and the
    others go on. Does not close ``fetcher``."""
    from mediamon.acquire.pages import fetch_article_pages, follow_pages

    own = pool is None
    pool = pool if pool is not None else PagePool(PageContext(tz=tz, run_id=run_id, score=False), workers=0)
    source_id = src.id

    def finish(c: Candidate, results: list, pages: list[str]) -> tuple:
        first = results[0]
        handle = None
        if first.outcome == "ok" and pages:
            handle = pool.submit(PageJob(source=src, cand=c, final_url=first.final_url, fetched_at=first.fetched_at,
                                         replacement_chars=first.replacement_chars, pages=pages))
        return results, handle, None

    def follow(c: Candidate, first: Any = None, fetched: tuple | None = None) -> tuple:
        # off the host's scheduling slot: parsing for the pager and handing over never delay the next URL
        try:
            results, pages = fetched if fetched is not None else follow_pages(fetcher, first, c.url, source_id=source_id)
            return finish(c, results, pages)
        except Exception as e:  # noqa: BLE001 - one broken page never sinks the run
            log.warning("page failed %s: %s\n%s", c.url, e, traceback.format_exc())
            return [], None, e

    def job(i: int, url: str) -> Future:
        c = todo[i]
        try:
            if src.rules.single_page_param:
                results, pages = fetch_article_pages(fetcher, url, src.rules, source_id=source_id,
                                                     max_retries=c.max_retries)
                return followers.submit(follow, c, fetched=(results, pages))
            first = fetcher.fetch(url, source_id=source_id, kind="article", max_retries=c.max_retries)
            return followers.submit(follow, c, first)
        except Exception as e:  # noqa: BLE001 - one broken page never sinks the run
            log.warning("page failed %s: %s\n%s", url, e, traceback.format_exc())
            f: Future = Future()
            f.set_result(([], None, e))
            return f

    rows: list[Record] = []
    counts = {"source_id": source_id, "fetched": 0, "articles": 0, "skipped": 0, "failed": 0}
    followers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="mediamon-follow")
    try:
        done = [f.result() for f in fetcher.map_per_host([c.url for c in todo], job)]
        for cand, (results, handle, exc) in zip(todo, done):
            counts["fetched"] += 1
            url = cand.url
            if exc is not None:
                counts["failed"] += 1
                rows.append(error_row(run_id, source_id, url, "article", exc, clock.now()))
                continue
            first = results[0]
            log_rows = [r.log_row(source_id, run_id) for r in results]
            if handle is None:
                counts["failed"] += 1
                rows.extend(log_rows)
                if cand.refresh and first.status in (404, 410):
                    rows.append(TakedownRow(url=url, status=first.status, fetched_at=first.fetched_at))
                continue
            out = pool.outcome(handle)
            if out.kind == "error":
                counts["failed"] += 1
                log.warning("page failed %s: %s: %s", url, out.error_class, out.error)
                row = error_row(run_id, source_id, url, "article", RuntimeError(out.error or ""), clock.now())
                row.error_class = out.error_class
                rows.append(row)
                continue
            if out.kind == "not_article":
                counts["skipped"] += 1
                log_rows[0].skip_reason = out.skip_reason
                if out.error_class and log_rows[0].error is None:
                    log_rows[0].error_class, log_rows[0].error = out.error_class, out.error
                rows.extend(log_rows)
                continue
            rows.extend(log_rows)
            rows.extend(out.records)
            counts["articles"] += 1
    finally:
        followers.shutdown(wait=True)
        if own:
            pool.close()
    rows.extend(r.log_row(source_id, run_id) for r in fetcher.pop_robots_results())
    return rows, counts


def fetch_shard(sources: dict[str, Any], todo: list[Candidate], run_id: str, *,
                http_for: Callable[[Any], HttpClient], pool: PagePool, tz: str, clock: Clock,
                max_parallel_sources: int = 64) -> tuple[list[Record], dict]:
    """Fetch one host shard's planned URLs ``todo`` (several sources; each record keeps its
    ``source_id``): the URLs of each source with its own client (``http_for(source)``, its SSRF
    allowlist), the sources concurrently (up to ``max_parallel_sources`` at once), all
    extracting into the one ``pool``. ``sources``: source id -> ``config.Source``. Returns
    ``(records, counts)``: the records of :func:`fetch_and_extract` in source order (order of
    first appearance in ``todo``), counts summed plus ``"sources"`` (ids). A source id not in
    ``sources`` raises KeyError before anything is fetched."""
    groups: dict[str, list[Candidate]] = {}
    for c in todo:
        groups.setdefault(c.source_id, []).append(c)
    srcs = [sources[sid] for sid in groups]

    def one(src: Any) -> tuple[list[Record], dict]:
        fetcher = http_for(src)
        try:
            return fetch_and_extract(fetcher, src, run_id, groups[src.id], tz=tz, clock=clock, pool=pool)
        finally:
            fetcher.close()

    rows: list[Record] = []
    counts: dict[str, Any] = {"sources": list(groups), "fetched": 0, "articles": 0, "skipped": 0, "failed": 0}
    if not srcs:
        return rows, counts
    with ThreadPoolExecutor(max_workers=max(1, min(max_parallel_sources, len(srcs))),
                            thread_name_prefix="mediamon-source") as ex:
        for r, c in ex.map(one, srcs):
            rows.extend(r)
            for k in ("fetched", "articles", "skipped", "failed"):
                counts[k] += c[k]
    return rows, counts
