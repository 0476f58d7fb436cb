"""Stage functions: one per Airflow task (``dags/``), plus ``run``, ``reprocess`` and
``import_warc`` for the CLI.

Every stage takes the run id, the configuration directory, its keyword parameters and an
optional :class:`mediamon.runtime.Runtime` (built from the configuration when None: the
DuckDB store, file staging, system clock and one Fetcher per source). Stages hold no SQL, no
file naming and no parsing: the store, staging, HTTP and clock are ports
(:mod:`mediamon.ports`); the decisions live in :mod:`mediamon.planning`,
:mod:`mediamon.articles`, :mod:`mediamon.enrichment` and :mod:`mediamon.replay`.

Contract between tasks (every value is small JSON; Airflow passes it by XCom). Records go
through the run's staging as typed batches (:mod:`mediamon.records`); a task passes on the
*references* of the batches it wrote, and the next task reads exactly those:

* ``validate_config`` -> ``{"sources": [source_id, ...], "topics": [topic_id, ...]}``.
* ``discover(source_id)`` -> ``{"source_id", "batch": ref | None, "candidates", "fetches",
  "errors": [str], "not_due", "inputs", "inputs_failed"}``; the batch holds the source's
  :class:`~mediamon.records.Candidate` and :class:`~mediamon.records.FetchLogRow` records
  (None with ``reprocess_since``: nothing is fetched).
* ``plan(discovered=[discover results])`` -> one ``{"source_id", "plan": ref | None,
  "capped": ref | None, "to_fetch", "known", "refresh", "not_retried", "retry_capped",
  "backing_off"}`` per selected source: ``plan`` holds the Candidates to fetch, ``capped`` the
  FetchLogRows of URLs given up (None when there are none).
* ``fetch_extract(source_id, planned=<its plan result>)`` -> ``{"source_id", "batch": ref |
  None, "fetched", "articles", "skipped", "failed"}``; the batch holds FetchLogRows,
  ArticleRecords and TakedownRows.
* ``load(discovered=[...], planned=[...], fetched=[...])`` reads the discover batches, the
  capped batches and the fetch batches named there (each group in source id order), nothing
  else: a stale batch of another run, or of this run not named, is ignored.
* ``enrich`` -> counts; ``build_report(day)`` -> ``{"day", "coverage_rows", "files", "summary", "text"}``.

Stages that run in parallel (``discover``, ``fetch_extract``) never open the store; the
others (``plan``, ``load``, ``enrich``, ``build_report``) run in the 1-slot pool
:data:`DUCKDB_POOL`, so one process writes the DuckDB file at a time. A failure on one page,
feed or source is recorded (``fetch_log``) and the run goes on; only an invalid configuration
stops a run, before anything is fetched.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mediamon import config as config_mod
from mediamon import planning
from mediamon.articles import error_row, fetch_and_extract, refused_scheme_row
from mediamon.enrichment import SENTIMENT_LANGUAGES, score_article, story_rows, story_window
from mediamon.records import ArticleRecord, Candidate, FetchLogRow, TakedownRow
from mediamon.replay import extract_warc_files
from mediamon.config.checks import check_id
from mediamon.runcalendar import (DateBeforeStartError, RunParamError, check_report_day, check_writable_paths, parse_since,
                                  report_day, schedules)
from mediamon.runtime import Runtime, build_runtime
from mediamon.staging import STAGING_KEEP_S, promote_feed_state, safe_name, stage_feed_state

__all__ = ["DUCKDB_POOL", "ASSET_URI", "ASSET_NAME", "load_config", "schedules", "report_day", "validate_config",
           "discover", "discovery_failed", "plan", "fetch_extract", "load", "enrich", "DateBeforeStartError", "RunParamError",
           "check_report_day", "build_report", "run", "reprocess", "import_warc"]

log = logging.getLogger("mediamon.stages")

DUCKDB_POOL = "mediamon_duckdb"
ASSET_URI = "mediamon://duckdb/articles"
ASSET_NAME = "mediamon_articles"
_DISCOVERY_KINDS = ("feed", "sitemap", "section", "discovery")

Progress = Callable[[str, dict], None]


def load_config(config_dir: str | None = None) -> config_mod.Config:
    """Load and validate the configuration (raises config.ConfigError naming file/entry/field)."""
    return config_mod.load_config(config_dir)


def _rt(config_dir: str | None, runtime: Runtime | None) -> Runtime:
    return runtime if runtime is not None else build_runtime(load_config(config_dir))


def _selected(cfg: config_mod.Config, sources: list[str] | None) -> list[config_mod.Source]:
    """The configured sources named in ``sources`` (None or empty = all), in config order."""
    return [s for s in cfg.sources if not sources or s.id in sources]


# --------------------------------------------------------------------------- stages

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
        rows, counts = fetch_and_extract(fetcher, src, run_id, todo, tz=cfg.settings.timezone, clock=rt.clock)
    finally:
        fetcher.close()
    return {"source_id": source_id, "batch": rt.staging.write_batch(run_id, f"fetch-{source_id}", rows), **counts}


def _refs(results: list[dict], key: str) -> list[str]:
    """The ``key`` refs of ``results`` in source id order (None skipped)."""
    return [r[key] for r in sorted(results, key=lambda r: r.get("source_id") or "") if r.get(key)]


def load(run_id: str, config_dir: str | None = None, *, discovered: list[dict] = (), planned: list[dict] = (),
         fetched: list[dict] = (), runtime: Runtime | None = None) -> dict:
    """Stage 4 (DuckDB pool): load the batches named by the run's results into the store.

    Reads the ``batch`` of each :func:`discover` result, the ``capped`` batch of each
    :func:`plan` result and the ``batch`` of each :func:`fetch_extract` result, nothing else.
    Upserts sources and topics, replaces the run's ``fetch_log`` rows, upserts articles by
    canonical URL (a changed content hash becomes a new version; the same canonical URL twice:
    the first wins), records takedowns, then makes the run's feed polling state current.
    Idempotent: loading the same run twice leaves the same rows. Returns counts
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
    with rt.store.session() as s:
        s.upsert_sources(cfg.sources)
        s.ensure_sources({a.source_id for a in uniq.values()})
        s.upsert_topics(cfg.topics)
        n_log = s.replace_fetch_log(run_id, fetch_rows)
        counts = s.upsert_articles(uniq.values())
        for t in takedowns:
            s.record_takedown(t)
        outcomes = s.run_counts(run_id)
    promote_feed_state(rt.data_dir, rt.state_dir, run_id)
    return {"run_id": run_id, "fetch_log_rows": n_log, "articles": len(uniq), **counts,
            "takedowns": len(takedowns), "outcomes": outcomes}


def enrich(run_id: str, config_dir: str | None = None, *, runtime: Runtime | None = None) -> dict:
    """Stage 5 (DuckDB pool): exact/near-duplicate stories, sentiment and topic matches.

    Sentiment and topics are computed for the run's articles and for any stored article
    still lacking them. Stories are re-clustered over the days the run touched
    (± :data:`mediamon.enrichment.STORY_WINDOW_DAYS`); story ids are deterministic (earliest
    article), so reruns leave the same rows. An article whose sentiment, topics or story
    preparation fails is logged (id, URL, exception) and counted in ``failed``; the others go
    on. Days outside the plausible range (a year-1 day stored by an older extractor) never
    widen the window. Returns counts."""
    from mediamon.enrich import sentiment, topics

    rt = _rt(config_dir, runtime)
    cfg = rt.config
    scfg = sentiment.SentimentConfig.from_settings(cfg.settings)  # passed to every call, no process-global state
    matchers = [topics.TopicMatcher.from_topic(t) for t in cfg.topics]
    with rt.store.session() as s:
        todo = s.articles_to_enrich(run_id=run_id)
        # self-healing: stored articles in a supported language that still lack sentiment
        ids = {a["article_id"] for a in todo}
        todo.extend(r for r in s.articles_without_sentiment(SENTIMENT_LANGUAGES) if r["article_id"] not in ids)
        sent_rows, topic_rows, failed, unsupported = [], [], 0, 0
        for a in todo:
            try:
                sent, matches = score_article(a, matchers, scfg)
            except Exception as e:  # noqa: BLE001 - one article's enrichment never sinks the run
                log.exception("enrichment (sentiment/topics) failed for article %s %s: %s: %s",
                              a["article_id"], a.get("canonical_url"), type(e).__name__, e)
                failed += 1
                continue
            if sent is None:
                unsupported += 1  # no sentiment backend for this language: no row, not a guess
            else:
                sent_rows.append(sent)
            topic_rows.extend(matches)
        s.replace_sentiment(sent_rows)
        s.replace_topics([a["article_id"] for a in todo], topic_rows)
        days = sorted({a["day"] for a in todo})
        stories: list = []
        span = story_window(days, rt.clock.now())
        if days:
            window = s.articles_in_window(*span) if span else []
            # articles stored with an implausible day (an older extractor kept 0001-01-01): clustered
            # with the window instead of stretching it over centuries
            in_window = {a["article_id"] for a in window}
            window += [a for a in todo if a["article_id"] not in in_window and not (span and span[0] <= a["day"] <= span[1])]
            stories, n_bad = story_rows(window, cfg.settings.near_duplicate_threshold)
            failed += n_bad
            s.replace_stories(stories)
    return {"run_id": run_id, "articles": len(todo), "sentiment": len(sent_rows), "topic_matches": len(topic_rows),
            "stories": len({r.story_id for r in stories}), "clustered_articles": len(stories), "failed": failed,
            "no_sentiment_backend": unsupported, "days": [d.isoformat() for d in days]}


def build_report(day: str | date, config_dir: str | None = None, *, runtime: Runtime | None = None) -> dict:
    """Daily report stage (DuckDB pool): rebuild ``daily_coverage`` for ``day`` and render
    ``<reports_dir>/<day>/coverage.html`` plus CSV files. Idempotent.

    Returns ``{"day", "coverage_rows", "files": {name: path}, "summary": {...}, "text": summary}``.
    Raises :class:`DateBeforeStartError` for a day before ``settings.start_date`` and
    ValueError for a ``day`` string that is not ``YYYY-MM-DD``."""
    from mediamon import report

    rt = _rt(config_dir, runtime)
    cfg = rt.config
    d = date.fromisoformat(day) if isinstance(day, str) else day
    check_report_day(cfg, d)
    with rt.store.session() as s:
        s.upsert_sources(cfg.sources)
        s.upsert_topics(cfg.topics)
        n = s.build_daily_coverage(d)
        data = s.report_data(d, cfg.settings.timezone)
    files = report.render_report(d, data, cfg.settings.path(cfg.settings.reports_dir))
    return {"day": d.isoformat(), "coverage_rows": n, "files": {k: str(v) for k, v in files.items()},
            "summary": data["summary"], "text": report.summary_text(data)}


def run(day: str | date | None = None, config_dir: str | None = None, *, run_id: str | None = None,
        progress: Progress | None = None, runtime: Runtime | None = None) -> dict:
    """The whole job without Airflow (the CLI's ``mediamon run``): every stage in order,
    sources one after another, then the daily report for ``day`` (default: the runtime
    clock's day, UTC).

    ``progress(stage, info)`` is called after each stage step. The runtime's clock is the
    clock of the polling and retry decisions (discover, plan). Returns a dict with each
    stage's result, the report, and ``discovery_failed``: None, or a one-line reason when
    discovery failed for every source (:func:`discovery_failed`)."""
    progress = progress or (lambda stage, info: None)
    rt = _rt(config_dir, runtime)
    d = date.fromisoformat(day) if isinstance(day, str) else (day or rt.clock.now().date())
    check_report_day(rt.config, d)  # a report day the DAGs cannot run fails before anything is fetched
    run_id = run_id or f"cli__{rt.clock.now().strftime('%Y%m%dT%H%M%S')}_{os.getpid()}"
    t0 = time.monotonic()
    cfgd = validate_config(runtime=rt)
    progress("config", cfgd)
    out: dict[str, Any] = {"run_id": run_id, "discover": [], "fetch": []}
    for sid in cfgd["sources"]:
        r = discover(sid, run_id, runtime=rt)
        out["discover"].append(r)
        progress("discover", r)
    out["discovery_failed"] = discovery_failed(out["discover"])
    out["plan"] = plan(run_id, discovered=out["discover"], runtime=rt)
    progress("plan", {"to_fetch": sum(p["to_fetch"] for p in out["plan"]),
                      "retry_capped": sum(p.get("retry_capped", 0) for p in out["plan"])})
    for p in out["plan"]:
        r = fetch_extract(p["source_id"], run_id, planned=p, runtime=rt)
        out["fetch"].append(r)
        progress("fetch", r)
    out["load"] = load(run_id, discovered=out["discover"], planned=out["plan"], fetched=out["fetch"], runtime=rt)
    progress("load", out["load"])
    out["enrich"] = enrich(run_id, runtime=rt)
    progress("enrich", out["enrich"])
    out["report"] = build_report(d, runtime=rt)
    progress("report", out["report"])
    out["elapsed_s"] = round(time.monotonic() - t0, 2)
    return out


def _load_replayed(rt: Runtime, run_id: str, extracted: dict) -> dict:
    out: dict[str, Any] = {"run_id": run_id, "extract": extracted}
    fetched = [{"source_id": sid, "batch": ref} for sid, ref in extracted["batches"].items()]
    out["load"] = load(run_id, fetched=fetched, runtime=rt)
    out["enrich"] = enrich(run_id, runtime=rt)
    return out


def reprocess(since: str | date, config_dir: str | None = None, *, run_id: str | None = None,
              progress: Progress | None = None, runtime: Runtime | None = None) -> dict:
    """Re-extract articles from the WARC archive (``<data_dir>/warc/<day>/<source>/``) for
    days >= ``since``, without refetching, then load and enrich them. Articles whose text
    changed with a newer extractor get a new version. Returns ``{"run_id", "extract",
    "load", "enrich"}``. Raises ValueError for a ``since`` that is not ``YYYY-MM-DD``."""
    from mediamon.acquire.archive import warc_files_since

    progress = progress or (lambda stage, info: None)
    rt = _rt(config_dir, runtime)
    since_s = since.isoformat() if isinstance(since, date) else date.fromisoformat(since).isoformat()
    run_id = run_id or f"reprocess__{rt.clock.now().strftime('%Y%m%dT%H%M%S')}_{os.getpid()}"
    files = warc_files_since(rt.data_dir / "warc", since_s)
    extracted = extract_warc_files(files, run_id, rt.config, rt.staging, rt.clock.now(), source_id=None,
                                   source_from_path=True, progress=progress)
    return _load_replayed(rt, run_id, extracted)


def import_warc(path: str | Path, source_id: str | None = None, config_dir: str | None = None, *,
                run_id: str | None = None, progress: Progress | None = None, runtime: Runtime | None = None) -> dict:
    """Run an existing WARC/ARC file (e.g. a CC-NEWS file) through extraction, loading and
    enrichment. Each record is filed under ``source_id`` if given, else the configured source
    whose host matches, else a source named after the host. Raises FileNotFoundError naming
    the path and :class:`mediamon.acquire.archive.WarcError` when the file is not a WARC/ARC file; a
    file that breaks part-way (truncated, bad record) loads what it could and reports the rest
    in ``extract.errors``."""
    progress = progress or (lambda stage, info: None)
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"WARC file not found: {p}")
    if source_id is not None:
        try:
            check_id(source_id)
        except ValueError as e:
            raise RunParamError(f"import-warc source id {source_id!r}: {e}") from None
    rt = _rt(config_dir, runtime)
    from mediamon.acquire.archive import iter_warc_responses

    next(iter(iter_warc_responses(p, max_bytes=rt.config.settings.fetch.max_bytes)), None)  # not a WARC/ARC at all: WarcError naming the file, nothing loaded
    run_id = run_id or f"import__{safe_name(p.name)}__{rt.clock.now().strftime('%Y%m%dT%H%M%S')}_{os.getpid()}"
    extracted = extract_warc_files([p], run_id, rt.config, rt.staging, rt.clock.now(), source_id=source_id,
                                   source_from_path=False, progress=progress)
    return _load_replayed(rt, run_id, extracted)
