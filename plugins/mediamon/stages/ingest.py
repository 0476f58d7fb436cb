"""Ingest stages: validate the configuration, discover, plan, fetch and extract, load (see :mod:`mediamon.stages`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from mediamon import planning
from mediamon.articles import error_row, refused_scheme_row, strip_site_boilerplate
from mediamon.fetching import fetch_and_extract
from mediamon.pagepool import PageContext, PagePool
from mediamon.records import ArticleRecord, Candidate, FetchLogRow, TakedownRow
from mediamon.replay import extract_warc_files
from mediamon.runcalendar import (RunParamError, check_writable_paths, parse_since)
from mediamon.runtime import CONFIG_LOCK, Runtime, article_locks
from mediamon.staging import STAGING_KEEP_S, promote_feed_state, stage_feed_state

from mediamon.stages.common import _DISCOVERY_KINDS, load_config, _rt, _selected, log


def validate_config(config_dir: str | None = None, *, sources: list[str] | None = None,
                    reprocess_since: str | date | None = None, runtime: Runtime | None = None) -> dict:
    """Stage 0: validate the configuration (and a run's parameters) before anything is fetched.

    ``sources``: source ids to run (None or empty = all configured), returned in config
    order. ``reprocess_since``: optional ``YYYY-MM-DD`` (see :func:`fetch_extract`).
    Returns ``{"sources": [source_id, ...], "topics": [topic_id, ...]}``.
    Raises config.ConfigError (file, entry, field) when the configuration is invalid, and
    :class:`RunParamError` naming the run parameter for unknown source ids or a malformed
    date. A ``data_dir``, ``db_path`` directory or ``reports_dir`` that cannot be created or
    written is a ConfigError naming the field (before anything is fetched)."""
    cfg = runtime.config if runtime is not None else load_config(config_dir)
    if isinstance(sources, str) or (sources is not None and not all(isinstance(x, str) for x in sources)):
        raise RunParamError(f"run parameter 'sources': expected a list of source ids, got {sources!r}")
    known = [s.id for s in cfg.sources]
    unknown = [x for x in dict.fromkeys(sources or []) if x not in known]
    if unknown:
        raise RunParamError(f"run parameter 'sources': unknown source id(s) {', '.join(map(repr, unknown))} "
                         f"(configured: {', '.join(known)})")
    if reprocess_since is not None:
        parse_since(reprocess_since)
    check_writable_paths(cfg)
    return {"sources": [s.id for s in _selected(cfg, sources)], "topics": [t.id for t in cfg.topics]}


def discover(source_id: str, run_id: str, config_dir: str | None = None, *, force: bool = False,
             reprocess_since: str | date | None = None, runtime: Runtime | None = None) -> dict:
    """Stage 1 (parallel, per source; no DB): find candidate article URLs in the source's
    feeds, sitemaps and section pages.

    Writes the batch ``discover-<source_id>`` (Candidates and FetchLogRows). Never raises for
    a broken feed or host: the failure is a fetch_log row. Feeds are polled adaptively with
    conditional GET at the runtime clock's time (state in ``<data_dir>/state``, staged in the
    run until :func:`load`); ``force`` polls feeds that are not due. With ``reprocess_since``
    nothing is fetched. Returns the discover result of the module contract. Raises KeyError
    for an unknown ``source_id``."""
    rt = _rt(config_dir, runtime)
    cfg, now = rt.config, rt.clock.now()
    src = cfg.source(source_id)
    if reprocess_since is not None:
        return {"source_id": src.id, "batch": None, "candidates": 0, "fetches": 0, "errors": [], "not_due": 0}
    rows: list[Any] = []
    errors: list[str] = []
    not_due = not_due_failing = 0
    try:
        from mediamon.acquire.discovery import discover_source
        from mediamon.acquire.polling import PollPolicy

        fetcher = rt.http_for(src)
        run_state = stage_feed_state(rt.data_dir, rt.state_dir, run_id, source_id)
        poll = cfg.settings.polling
        policy = PollPolicy(min_interval_s=poll.min_interval_s, max_interval_s=poll.max_interval_s,
                            initial_interval_s=poll.initial_interval_s, speedup=poll.speedup, slowdown=poll.slowdown)
        d = discover_source(src, fetcher, state_dir=run_state, force=force, now=now, policy=policy)
        # discovery errors read "<kind> <url>: <message>"
        problems = {m.group(1): m.group(2) for m in (re.match(r"^\w+ (\S+?): (.*)$", e) for e in d.errors) if m}
        for r in [*d.fetches, *fetcher.pop_robots_results()]:
            row = r.log_row(source_id, run_id)
            # a feed/sitemap that answered 200 but did not parse: say so in fetch_log
            problem = problems.get(r.url) or problems.get(r.final_url)
            if problem and row.outcome == "ok":
                row.skip_reason = "unparsable"
                row.error = row.error or problem[:2000]
            if row.kind in ("feed", "sitemap") and r.url in d.poll_items:
                row.items, row.items_overlap = d.poll_items[r.url]  # per-poll entries, for source_health
            rows.append(row)
        rows.extend(refused_scheme_row(run_id, source_id, item_url, via, rt.clock.now()) for item_url, via in d.refused)
        rows.extend(d.items)
        errors.extend(d.errors)
        not_due, not_due_failing = len(d.skipped_not_due), len(d.not_due_failing)
        fetcher.close()
    except Exception as e:  # noqa: BLE001 - one source never sinks the run
        log.exception("discovery failed for source %s", source_id)
        rows.append(error_row(run_id, source_id, src.homepage, "discovery", e, rt.clock.now()))
        errors.append(f"{type(e).__name__}: {e}")
    ref = rt.staging.write_batch(run_id, f"discover-{source_id}", rows)
    n_c = sum(isinstance(r, Candidate) for r in rows)
    inputs = [r for r in rows if isinstance(r, FetchLogRow) and r.kind in _DISCOVERY_KINDS]
    n_failed = sum(r.outcome not in ("ok", "not_modified") or r.skip_reason == "unparsable" for r in inputs)
    return {"source_id": source_id, "batch": ref, "candidates": n_c, "fetches": len(rows) - n_c, "errors": errors,
            "not_due": not_due, "not_due_failing": not_due_failing, "inputs": len(inputs), "inputs_failed": n_failed}


def discovery_failed(results: list[dict]) -> str | None:
    """One-line reason when discovery failed for every source of a run, else None.

    ``results``: the :func:`discover` results of the run. A source failed when every
    feed/sitemap/section page it has either failed this run (connection or HTTP error, or a
    body that did not parse) or was not due because it is backing off after a failed poll
    (``not_due_failing``), and there was at least one such input. A 304 Not Modified is not a
    failure, and a feed not due after a good poll counts as healthy. Partial failure gives None."""
    def failed(r: dict) -> bool:
        polled, bad = r.get("inputs", 0), r.get("inputs_failed", 0)
        nd, ndf = r.get("not_due", 0), r.get("not_due_failing", 0)
        return polled + ndf > 0 and bad >= polled and nd == ndf

    if not results or not all(failed(r) for r in results):
        return None
    n = sum(r.get("inputs", 0) for r in results)
    waiting = sum(r.get("not_due_failing", 0) for r in results)
    first = next((e for r in results for e in r.get("errors", [])), "")
    return (f"discovery failed for every source: {n} feed/sitemap/section fetches of {len(results)} source(s) failed"
            + (f" and {waiting} more are backing off after failing earlier" if waiting else "")
            + (f" (first: {first[:200]})" if first else "") + "; see fetch_log")


def plan(run_id: str, config_dir: str | None = None, *, discovered: list[dict], sources: list[str] | None = None,
         reprocess_since: str | date | None = None, runtime: Runtime | None = None) -> list[dict]:
    """Stage 2 (DuckDB pool): choose which candidates to fetch.

    ``discovered``: the :func:`discover` results of the run (their batches are read). Candidate
    URLs are canonicalised and de-duplicated across feeds and sources (the first source in config
    order keeps a URL); URLs already stored are dropped unless due for refresh
    (``settings.refresh_after_s``; :func:`mediamon.acquire.polling.due_for_refresh`), stored articles
    due for refresh that the feeds no longer list are added, each source is capped at
    ``max_articles_per_run``. URLs that failed before are retried per
    :func:`mediamon.planning.retry_decision` at the runtime clock's time: at most
    ``fetch.max_total_attempts`` requests per URL over all runs (each planned URL carries
    ``max_retries``), not before ``fetch.rerun_backoff_base_s * 2 ** (runs - 1)`` seconds after
    the last attempt; a URL reaching the cap gets one fetch_log row (``outcome='not_fetched'``,
    ``skip_reason='retry_cap'``, in the ``capped`` batch). ``sources``: only these source ids
    (None/empty = all). With ``reprocess_since`` nothing is planned (``to_fetch`` 0).
    Returns the plan results of the module contract. Raises FileNotFoundError when a batch
    named in ``discovered`` is missing."""
    rt = _rt(config_dir, runtime)
    cfg = rt.config
    if reprocess_since is not None:
        return [{"source_id": s.id, "plan": None, "capped": None, "to_fetch": 0, "known": 0, "refresh": 0,
                 "not_retried": 0} for s in _selected(cfg, sources)]
    now = rt.clock.now()
    rt.staging.clean(keep_s=STAGING_KEEP_S)
    batches = {d["source_id"]: rt.staging.read_batch(d["batch"]) for d in discovered if d.get("batch")}
    per_source = planning.collect_candidates(cfg, batches)
    urls = [c.url for items in per_source.values() for c in items]
    schedule = tuple(cfg.settings.refresh_after_s)
    if rt.store.exists():
        with rt.store.session() as session:  # plan runs in the DuckDB pool; writing applies the schema
            facts = planning.look_up(session, urls, now, schedule)
    else:
        facts = planning.look_up(None, urls, now, schedule)
    out = []
    for p in planning.select(cfg, _selected(cfg, sources), per_source, facts, now, run_id):
        out.append({"source_id": p.source_id, "plan": rt.staging.write_batch(run_id, f"plan-{p.source_id}", p.todo),
                    "capped": rt.staging.write_batch(run_id, f"capped-{p.source_id}", p.capped) if p.capped else None,
                    **p.counts})
    return out


def fetch_extract(source_id: str, run_id: str, config_dir: str | None = None, *, planned: dict | None = None,
                  reprocess_since: str | date | None = None, runtime: Runtime | None = None) -> dict:
    """Stage 3 (parallel, per source; no DB): fetch the planned article URLs politely and
    extract each page.

    ``planned``: this source's :func:`plan` result (its ``plan`` batch is read). First pages are
    fetched concurrently across hosts (politely per host); multi-page articles are followed
    (:func:`mediamon.acquire.pages.follow_pages`, or the source's single-page view) and stitched
    (:func:`mediamon.articles.stitch_pages`). Pages that are not articles (listing, paywall,
    bot wall, empty) are recorded with a ``skip_reason`` (and the extractor's exception, if it
    failed, in ``error_class``/``error``). Writes the batch ``fetch-<source_id>``. Returns the
    fetch_extract result of the module contract.

    With ``reprocess_since`` (``YYYY-MM-DD``) nothing is fetched: the source's archived
    responses (``<data_dir>/warc/<day>/<source_id>/``, days >= ``reprocess_since``) are
    re-extracted instead, as ``mediamon reprocess`` does; ``failed`` counts unreadable
    records and ``errors`` lists them. Raises ValueError when ``planned`` is missing or
    belongs to another source (without ``reprocess_since``)."""
    rt = _rt(config_dir, runtime)
    cfg = rt.config
    src = cfg.source(source_id)
    if reprocess_since is not None:
        from mediamon.acquire.archive import warc_files_since

        files = [f for f in warc_files_since(rt.data_dir / "warc", parse_since(reprocess_since)) if f.parent.name == src.id]
        c = extract_warc_files(files, run_id, cfg, rt.staging, rt.clock.now(), source_id=src.id, source_from_path=False,
                               progress=lambda stage, info: None)
        return {"source_id": src.id, "batch": c["batches"].get(src.id), "fetched": 0, "articles": c["articles"],
                "skipped": c["skipped"], "failed": len(c["errors"]), "errors": c["errors"][:20], "warc_files": c["files"]}
    if planned is None or planned.get("source_id") != source_id:
        raise ValueError(f"fetch_extract {source_id!r}: 'planned' must be this source's plan result, got {planned!r}")
    todo = [c for c in rt.staging.read_batch(planned["plan"]) if isinstance(c, Candidate)] if planned.get("plan") else []
    fetcher = rt.http_for(src)
    try:
        with page_pool(rt, run_id) as pool:
            rows, counts = fetch_and_extract(fetcher, src, run_id, todo, tz=cfg.settings.timezone, clock=rt.clock,
                                             pool=pool)
    finally:
        fetcher.close()
    return {"source_id": source_id, "batch": rt.staging.write_batch(run_id, f"fetch-{source_id}", rows), **counts}


def _refs(results: list[dict], key: str) -> list[str]:
    """The ``key`` refs of ``results`` in source id (or shard name) order (None skipped)."""
    return [r[key] for r in sorted(results, key=lambda r: r.get("source_id") or r.get("shard") or "") if r.get(key)]


def page_pool(rt: Runtime, run_id: str) -> PagePool:
    """The extraction pool of one fetch task (:mod:`mediamon.pagepool`): ``settings.fetch.extract_workers``
    processes (None: one per core, 0: in the fetching process), ``extract_timeout_s`` seconds per
    page, scoring each article with the configured sentiment backends and topics. The caller
    closes it."""
    cfg = rt.config
    fs = cfg.settings.fetch
    ctx = PageContext(tz=cfg.settings.timezone, run_id=run_id, settings=cfg.settings, topics=list(cfg.topics))
    return PagePool(ctx, workers=fs.extract_workers, timeout_s=fs.extract_timeout_s)


def load(run_id: str, config_dir: str | None = None, *, discovered: list[dict] = (), planned: list[dict] = (),
         fetched: list[dict] = (), runtime: Runtime | None = None) -> dict:
    """Stage 4 (DuckDB pool): load the batches named by the run's results into the store.

    Reads the ``batch`` of each :func:`discover` result, the ``capped`` batch of each
    :func:`plan` result and the ``batch`` of each :func:`fetch_extract` result, nothing else.
    Upserts sources and topics, replaces the run's ``fetch_log`` rows, counts the articles'
    body lines per source and drops the source's learned boilerplate lines
    (:mod:`mediamon.extract.siteboiler`), upserts articles by
    canonical URL (a changed content hash becomes a new version; the same canonical URL twice:
    the first wins), records takedowns, then makes the run's feed polling state current.
    Idempotent: loading the same run twice leaves the same rows. Writes in two units of work
    (``ArticleStore.transact``): outlets/topics (lock ``config:sources-topics``; skipped when stored
    already), then the run's rows (locks ``run:<id>`` and the articles' ``host:<host>``), so on a
    DuckLake several loads of different hosts run at once (docs/ducklake.md). Returns counts
    ``{"run_id", "fetch_log_rows", "articles", "inserted", "updated", "new_versions",
    "takedowns", "outcomes"}``. Raises FileNotFoundError for a named batch that is missing."""
    rt = _rt(config_dir, runtime)
    cfg = rt.config
    fetch_rows: list[FetchLogRow] = []
    articles: list[ArticleRecord] = []
    takedowns: list[TakedownRow] = []
    for ref in _refs(list(discovered), "batch") + _refs(list(planned), "capped") + _refs(list(fetched), "batch"):
        for r in rt.staging.read_batch(ref):
            if isinstance(r, FetchLogRow):
                fetch_rows.append(r)
            elif isinstance(r, ArticleRecord):
                articles.append(r)
            elif isinstance(r, TakedownRow):
                takedowns.append(r)
    # the same canonical URL reached through two feed URLs: keep the first
    uniq: dict[str, ArticleRecord] = {}
    for a in articles:
        uniq.setdefault(a.canonical_url, a)

    def config_rows(s) -> None:
        s.upsert_sources(cfg.sources)
        s.ensure_sources(ids)
        s.upsert_topics(cfg.topics)

    def run_rows(s) -> tuple:
        n = s.replace_fetch_log(run_id, fetch_rows)
        # site boilerplate learned per source (extract/siteboiler.py): lines counted as
        # extracted, then the source's learned lines dropped before the upsert (here, not in
        # the fetch stage, which never opens the database; reprocess/import-warc load here too)
        learned = s.site_boilerplate(list(uniq.values()))
        stored = [strip_site_boilerplate(a, learned[a.source_id]) if a.source_id in learned else a
                  for a in uniq.values()]
        c = s.upsert_articles(stored)
        for t in takedowns:
            s.record_takedown(t)
        return n, c, s.run_counts(run_id)

    # two units of work: the shared outlet/topic rows (one lock; skipped when they are stored already), then
    # the run's rows under its hosts' locks, so loads of other hosts write into a DuckLake at once
    ids = {a.source_id for a in uniq.values()}
    if rt.store.transact(lambda s: s.config_stale(cfg.sources, cfg.topics, ids)):  # a read: no lock
        rt.store.transact(config_rows, locks=[CONFIG_LOCK])
    n_log, counts, outcomes = rt.store.transact(
        run_rows, locks=[f"run:{run_id}", *article_locks([*uniq, *(t.url for t in takedowns)])])
    promote_feed_state(rt.data_dir, rt.state_dir, run_id)
    return {"run_id": run_id, "fetch_log_rows": n_log, "articles": len(uniq), **counts,
            "takedowns": len(takedowns), "outcomes": outcomes}
