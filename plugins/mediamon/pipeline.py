"""Stage functions called by the Airflow tasks (``dags/``) and by the CLI.

Each stage takes plain, JSON-serialisable arguments and returns a small JSON-serialisable
dict (Airflow passes it by XCom). Stages that run in parallel (``discover``,
``fetch_extract``) never open DuckDB: they hand records over as JSON-lines files in the
run's staging directory ``<data_dir>/staging/<run_id>/``. Stages that open DuckDB
(``plan``, ``load``, ``enrich``, ``build_report``) run in the 1-slot pool
:data:`DUCKDB_POOL`, so only one process writes the file at a time.

A failure on one page, feed or source is recorded (``fetch_log``) and the run goes on;
only an invalid configuration stops a run, before anything is fetched.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import shutil
import time
import traceback
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from mediamon import config as config_mod
from mediamon import store

log = logging.getLogger("mediamon.pipeline")

DUCKDB_POOL = "mediamon_duckdb"
ASSET_URI = "mediamon://duckdb/articles"
ASSET_NAME = "mediamon_articles"
STORY_WINDOW_DAYS = 3  # near-duplicate clustering looks this many days around the run's articles

Progress = Callable[[str, dict], None]


# --------------------------------------------------------------------------- helpers

def load_config(config_dir: str | None = None) -> config_mod.Config:
    """Load and validate the configuration (raises config.ConfigError naming file/entry/field)."""
    return config_mod.load_config(config_dir)


def schedules(config_dir: str | None = None) -> dict[str, str]:
    """Ingest and report schedules from ``settings.yaml`` (defaults ``@hourly`` / ``@daily``;
    ``report_cron`` is the report schedule as a cron expression, for a data-interval timetable;
    ``start_date``: ``settings.start_date`` as ``YYYY-MM-DD``, midnight in ``timezone`` is the
    DAGs' start date).

    Used at DAG-parse time, so it never raises: an unreadable settings file falls back to
    the defaults (the ``validate_config`` task then fails the run with a clear error)."""
    try:
        s = load_config(config_dir).settings
    except Exception:  # noqa: BLE001 - parse time must not fail
        s = config_mod.Settings()
    return {"ingest": s.ingest_schedule, "report": s.report_schedule, "timezone": s.timezone,
            "report_cron": config_mod.SCHEDULE_PRESETS.get(s.report_schedule, s.report_schedule),
            "start_date": s.start_date.isoformat()}


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]


def run_dir(cfg: config_mod.Config, run_id: str) -> Path:
    """Staging directory of one run: ``<data_dir>/staging/<run_id>/`` (created)."""
    d = cfg.settings.path(cfg.settings.data_dir) / "staging" / _safe(run_id)
    d.mkdir(parents=True, exist_ok=True)
    return d


def db_path(cfg: config_mod.Config) -> Path:
    return cfg.settings.path(cfg.settings.db_path)


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    tmp.replace(path)  # atomic: a retried task never leaves half a file


def _read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _error_row(run_id: str, source_id: str, url: str, kind: str, exc: BaseException) -> dict:
    return {
        "run_id": run_id, "source_id": source_id, "url": url, "final_url": None, "host": urlsplit(url).hostname,
        "kind": kind, "status": None, "outcome": "error", "n_bytes": 0, "elapsed_s": 0.0, "retries": 0,
        "error_class": type(exc).__name__, "error": str(exc)[:2000], "robots": "not_checked",
        "skip_reason": None, "fetched_at": _now().isoformat(), "content_type": None, "encoding": None,
        "replacement_chars": None,
    }


def make_fetcher(cfg: config_mod.Config, source: config_mod.Source | None = None):
    """A :class:`mediamon.fetch.Fetcher` for one source (one fetcher per source task, so one
    source's SSRF allowlist never admits another source's URLs). Hosts of a source with
    ``allow_private_network: true`` are allowlisted; responses are archived as WARC under
    ``<data_dir>/warc``. Politeness is shared through ``<data_dir>/state/`` (per-host gate in
    ``hosts/``, robots.txt cache in ``robots/``): the discovery and fetch stages, mapped task
    processes and concurrent runs on one machine see one gate per host and fetch robots.txt
    once per host per ``robots_ttl_s`` (:mod:`mediamon.politeness`). Raises ``OSError`` when
    the state directory cannot be created."""
    from mediamon.fetch import Fetcher, allowlist_for_source

    allow = frozenset(allowlist_for_source(source)) if source is not None else frozenset()
    return Fetcher(cfg.settings.fetch, allow_private_hosts=allow, warc_dir=cfg.settings.path(cfg.settings.data_dir) / "warc",
                   state_dir=state_dir(cfg))


def state_dir(cfg: config_mod.Config) -> Path:
    """Feed polling state (conditional GET validators, adaptive intervals) and politeness state
    (per-host gate ``hosts/``, robots.txt cache ``robots/``): ``<data_dir>/state``."""
    return cfg.settings.path(cfg.settings.data_dir) / "state"


def article_day(published_at: str | None, fetched_at: str, tz: str) -> date:
    """Calendar day of an article in the report timezone ``tz``: its publication time,
    or its fetch time when the publication time is unknown."""
    ts = published_at or fetched_at
    dt = datetime.fromisoformat(ts)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(ZoneInfo(tz)).date()


def report_day(tz: str, *, logical_date: datetime | None = None, data_interval_start: datetime | None = None,
               run_after: datetime | None = None) -> date:
    """The day a report run covers, as a calendar day in the report timezone ``tz``.

    Scheduled (data-interval) runs: their logical date, the start of the completed day
    they run after. Manual runs with a logical date: that date. Runs without a logical
    date or data interval (asset-triggered runs; manual runs triggered without a date):
    ``run_after``, which for an asset-triggered run is when the latest articles-asset
    event queued it, i.e. today in ``tz``. Datetimes must be timezone-aware (naive ones
    are taken as UTC). Raises ValueError when all three are None."""
    when = logical_date or data_interval_start or run_after
    if when is None:
        raise ValueError("report_day: the run has no logical date, data interval or run_after")
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(ZoneInfo(tz)).date()


def _parse_since(reprocess_since: str | date) -> str:
    """``reprocess_since`` as ``YYYY-MM-DD``; ValueError naming the run parameter otherwise."""
    if isinstance(reprocess_since, date):
        return reprocess_since.isoformat()
    if not isinstance(reprocess_since, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", reprocess_since):
        raise ValueError(f"run parameter 'reprocess_since': {reprocess_since!r} is not a date YYYY-MM-DD")
    try:
        return date.fromisoformat(reprocess_since).isoformat()
    except ValueError as e:
        raise ValueError(f"run parameter 'reprocess_since': {reprocess_since!r} is not a valid date ({e})") from None


def _selected(cfg: config_mod.Config, sources: list[str] | None) -> list[config_mod.Source]:
    """The configured sources named in ``sources`` (None or empty = all), in config order."""
    return [s for s in cfg.sources if not sources or s.id in sources]


# --------------------------------------------------------------------------- stages

def validate_config(config_dir: str | None = None, *, sources: list[str] | None = None,
                    reprocess_since: str | date | None = None) -> dict:
    """Stage 0: validate the configuration (and a run's parameters) before anything is fetched.

    ``sources``: source ids to run (None or empty = all configured), returned in config
    order. ``reprocess_since``: optional ``YYYY-MM-DD`` (see :func:`fetch_extract`).
    Returns ``{"sources": [source_id, ...], "topics": [topic_id, ...]}``.
    Raises config.ConfigError (file, entry, field) when the configuration is invalid, and
    ValueError naming the run parameter for unknown source ids or a malformed date."""
    cfg = load_config(config_dir)
    if isinstance(sources, str) or (sources is not None and not all(isinstance(x, str) for x in sources)):
        raise ValueError(f"run parameter 'sources': expected a list of source ids, got {sources!r}")
    known = [s.id for s in cfg.sources]
    unknown = [x for x in dict.fromkeys(sources or []) if x not in known]
    if unknown:
        raise ValueError(f"run parameter 'sources': unknown source id(s) {', '.join(map(repr, unknown))} "
                         f"(configured: {', '.join(known)})")
    if reprocess_since is not None:
        _parse_since(reprocess_since)
    return {"sources": [s.id for s in _selected(cfg, sources)], "topics": [t.id for t in cfg.topics]}


def discover(source_id: str, run_id: str, config_dir: str | None = None, *, force: bool = False,
             now: datetime | None = None, reprocess_since: str | date | None = None) -> dict:
    """Stage 1 (parallel, per source; no DB): find candidate article URLs in the source's
    feeds, sitemaps and section pages.

    Writes ``discover-<source_id>.jsonl`` (``{"type": "candidate", ...}`` and
    ``{"type": "fetch", ...}`` fetch_log rows) in the run directory. Never raises for a
    broken feed or host: the failure is a fetch_log row. Feeds are polled adaptively with
    conditional GET (state in ``<data_dir>/state``); ``force`` polls feeds that are not due.
    With ``reprocess_since`` (a run that re-extracts the WARC archive) nothing is fetched.
    Returns ``{"source_id", "candidates", "fetches", "errors", "not_due"}``."""
    cfg = load_config(config_dir)
    src = cfg.source(source_id)
    if reprocess_since is not None:
        return {"source_id": src.id, "candidates": 0, "fetches": 0, "errors": [], "not_due": 0}
    rows: list[dict] = []
    errors: list[str] = []
    not_due = 0
    try:
        from mediamon.discover import PollPolicy, discover_source

        fetcher = make_fetcher(cfg, src)
        # feed polling state is staged in the run and promoted by load() once the articles are
        # in the database: a run that fails before loading does not mark feed items as seen
        run_state = run_dir(cfg, run_id) / "state"
        main_file = state_dir(cfg) / "feeds" / f"{source_id}.json"
        if main_file.exists():
            (run_state / "feeds").mkdir(parents=True, exist_ok=True)
            shutil.copy2(main_file, run_state / "feeds" / f"{source_id}.json")
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
            if problem and row.get("outcome") == "ok":
                row["skip_reason"] = "unparsable"
                row["error"] = row.get("error") or problem[:2000]
            rows.append({"type": "fetch", **row})
        for item_url, via in d.refused:
            rows.append({"type": "fetch", **_refused_scheme_row(run_id, source_id, item_url, via)})
        for c in d.items:
            rows.append({"type": "candidate", **c.to_dict()})
        errors.extend(d.errors)
        not_due = len(d.skipped_not_due)
        fetcher.close()
    except Exception as e:  # noqa: BLE001 - one source never sinks the run
        log.exception("discovery failed for source %s", source_id)
        rows.append({"type": "fetch", **_error_row(run_id, source_id, src.homepage, "discovery", e)})
        errors.append(f"{type(e).__name__}: {e}")
    _write_jsonl(run_dir(cfg, run_id) / f"discover-{_safe(source_id)}.jsonl", rows)
    n_c = sum(r["type"] == "candidate" for r in rows)
    inputs = [r for r in rows if r["type"] == "fetch" and r.get("kind") in _DISCOVERY_KINDS]
    n_failed = sum(r.get("outcome") not in ("ok", "not_modified") or r.get("skip_reason") == "unparsable" for r in inputs)
    return {"source_id": source_id, "candidates": n_c, "fetches": len(rows) - n_c, "errors": errors,
            "not_due": not_due, "inputs": len(inputs), "inputs_failed": n_failed}


_DISCOVERY_KINDS = ("feed", "sitemap", "section", "discovery")


def _refused_scheme_row(run_id: str, source_id: str, url: str, via: str) -> dict:
    """fetch_log row for a feed/sitemap item whose scheme is not http(s): refused, never fetched."""
    try:
        scheme = urlsplit(url).scheme or "none"
    except ValueError:
        scheme = "unparsable"
    return {
        "run_id": run_id, "source_id": source_id, "url": url[:2000], "final_url": None, "host": None,
        "kind": "article", "status": None, "outcome": "blocked_scheme", "n_bytes": 0, "elapsed_s": 0.0, "retries": 0,
        "error_class": "BlockedScheme", "error": f"scheme {scheme!r} not allowed (http/https only); listed in {via}"[:2000],
        "robots": "not_checked", "skip_reason": None, "fetched_at": _now().isoformat(), "content_type": None,
        "encoding": None, "replacement_chars": None,
    }


def discovery_failed(results: list[dict]) -> str | None:
    """One-line reason when discovery failed for every source of a run, else None.

    ``results``: the :func:`discover` results of the run. A source failed when it polled at
    least one feed/sitemap/section page and every one of those failed (connection or HTTP
    error, or a body that did not parse); a 304 Not Modified is not a failure, and a source
    whose feeds were all not due yet did not fail. Partial failure gives None."""
    if not results or not all(r.get("inputs", 0) > 0 and r.get("inputs_failed", 0) >= r["inputs"] for r in results):
        return None
    n = sum(r["inputs"] for r in results)
    first = next((e for r in results for e in r.get("errors", [])), "")
    return (f"discovery failed for every source: all {n} feed/sitemap/section fetches of {len(results)} "
            f"source(s) failed" + (f" (first: {first[:200]})" if first else "") + "; see fetch_log")


STAGING_KEEP_S = 7 * 86400  # staging directories of finished runs are removed after a week


def clean_staging(cfg: config_mod.Config, *, keep_s: float = STAGING_KEEP_S, now: datetime | None = None) -> int:
    """Remove run staging directories not modified for ``keep_s`` seconds. Returns the count."""
    root = cfg.settings.path(cfg.settings.data_dir) / "staging"
    if not root.is_dir():
        return 0
    cutoff = (now or _now()).timestamp() - keep_s
    n = 0
    for d in root.iterdir():
        if d.is_dir() and d.stat().st_mtime < cutoff:
            shutil.rmtree(d, ignore_errors=True)
            n += 1
    return n


MAX_ATTEMPTS = config_mod.FetchSettings().max_total_attempts  # default cap; settings.fetch.max_total_attempts rules
_FINAL_OUTCOMES = {"robots_disallowed", "blocked_address", "blocked_scheme", "non_html", "too_large",
                   "decompression_bomb", "redirect_loop", "unsupported_encoding"}


def retry_decision(hist: dict | None, now: datetime, *, recheck_after_s: float = 86400.0,
                   max_attempts: int = MAX_ATTEMPTS, backoff_base_s: float = 3600.0) -> str | None:
    """Why a discovered URL that is not stored should NOT be fetched now, or None to fetch it.

    ``hist``: :func:`mediamon.store.fetch_history` entry, or None (never fetched: fetch).
    Reasons: ``'done'`` (it became an article), ``'recheck'`` (not an article: listing,
    paywall, bot wall; fetched again after ``recheck_after_s`` seconds), ``'final'`` (final
    refusal: robots, SSRF guard, non-HTML, too large, unsupported Content-Encoding; HTTP 4xx other than 408/429),
    ``'retry_cap'`` (a transient failure, but ``max_attempts`` requests, in-run retries
    included, were already made, or the cap was logged before), ``'backoff'`` (a transient
    failure not yet due: the next attempt waits ``backoff_base_s * 2 ** (runs - 1)`` seconds
    after the last one, ``runs`` = runs that already requested the URL). ``now``: UTC."""
    if not hist:
        return None
    outcome, status = hist.get("outcome"), hist.get("status")
    if outcome is None and hist.get("capped"):
        return "retry_cap"
    if outcome == "ok" and not hist.get("skip_reason"):
        return "done"  # it became an article (stored under its canonical URL): not again
    if hist.get("skip_reason"):
        last = hist.get("fetched_at")
        return None if last is None or (now - last).total_seconds() >= recheck_after_s else "recheck"
    if outcome in _FINAL_OUTCOMES:
        return "final"
    if outcome == "http_error" and status is not None and 400 <= status < 500 and status not in (408, 429):
        return "final"
    if hist.get("capped") or hist.get("attempts", 0) >= max_attempts:
        return "retry_cap"
    last, runs = hist.get("fetched_at"), max(1, int(hist.get("runs") or 1))
    if last is not None and (now - last).total_seconds() < backoff_base_s * 2 ** (runs - 1):
        return "backoff"
    return None


def retry_worthwhile(hist: dict | None, now: datetime, *, recheck_after_s: float = 86400.0,
                     max_attempts: int = MAX_ATTEMPTS, backoff_base_s: float = 3600.0) -> bool:
    """Should a discovered URL that is not stored be fetched (again)? True when
    :func:`retry_decision` gives no reason not to (same arguments)."""
    return retry_decision(hist, now, recheck_after_s=recheck_after_s, max_attempts=max_attempts,
                          backoff_base_s=backoff_base_s) is None


def _retry_cap_row(run_id: str, source_id: str, url: str, hist: dict, now: datetime, cap: int) -> dict:
    """The fetch_log row recording that ``url`` is given up (no request is made)."""
    last = f"{hist.get('outcome')}" + (f" HTTP {hist['status']}" if hist.get("status") else "")
    return {
        "run_id": run_id, "source_id": source_id, "url": url, "final_url": None, "host": urlsplit(url).hostname,
        "kind": "article", "status": None, "outcome": "not_fetched", "n_bytes": 0, "elapsed_s": 0.0, "retries": 0,
        "error_class": None, "robots": "not_checked", "skip_reason": "retry_cap",
        "error": f"gave up: {hist.get('attempts')} requests over {hist.get('runs')} runs reached "
                 f"fetch.max_total_attempts={cap} (last: {last})",
        "fetched_at": now.isoformat(), "content_type": None, "encoding": None, "replacement_chars": None,
    }


def plan(run_id: str, config_dir: str | None = None, *, now: datetime | None = None,
         sources: list[str] | None = None, reprocess_since: str | date | None = None) -> list[dict]:
    """Stage 2 (DuckDB pool): choose which candidates to fetch.

    Canonicalises and de-duplicates candidate URLs across feeds and sources (the first
    source in config order keeps a URL), drops URLs already stored unless due for refresh
    (``settings.refresh_after_s``, default +24 h and +7 days after first seen;
    :func:`mediamon.discover.due_for_refresh`), adds stored articles due for refresh that
    the feeds no longer list, caps each source at
    ``max_articles_per_run``. URLs that failed before are retried per :func:`retry_decision`:
    at most ``fetch.max_total_attempts`` requests per URL over all runs (in-run retries
    included; each planned URL carries ``max_retries``, what is left of that budget), and not
    before ``fetch.rerun_backoff_base_s * 2 ** (runs - 1)`` seconds after the last attempt. A
    URL reaching the cap gets one fetch_log row (``outcome='not_fetched'``,
    ``skip_reason='retry_cap'``, written to ``capped-<source_id>.jsonl`` and loaded by
    :func:`load`). ``now``: UTC clock for these decisions (default: the current time).
    Writes ``plan-<source_id>.json`` per source. Returns one ``{"source_id", "to_fetch",
    "known", "refresh", "not_retried", "retry_capped", "backing_off"}`` per source. ``sources``: only these
    source ids (None/empty = all). With ``reprocess_since`` nothing is planned for fetching
    (every selected source gets ``to_fetch`` 0; :func:`fetch_extract` re-extracts the archive)."""
    from mediamon.discover import canonicalize_url, due_for_refresh

    cfg = load_config(config_dir)
    if reprocess_since is not None:
        return [{"source_id": s.id, "to_fetch": 0, "known": 0, "refresh": 0, "not_retried": 0}
                for s in _selected(cfg, sources)]
    now = now or _now()
    rdir = run_dir(cfg, run_id)
    clean_staging(cfg, keep_s=STAGING_KEEP_S)  # file ages are wall-clock: never the injected ``now``
    per_source: dict[str, list[dict]] = {}
    seen: set[str] = set()
    for s in cfg.sources:
        items = []
        for r in _read_jsonl(rdir / f"discover-{_safe(s.id)}.jsonl"):
            if r.get("type") != "candidate":
                continue
            try:
                u = canonicalize_url(r["url"])
            except Exception:  # noqa: BLE001 - a malformed URL is dropped, not fatal
                continue
            if u in seen:
                continue
            seen.add(u)
            items.append({**r, "url": u})
        per_source[s.id] = items
    all_urls = [i["url"] for items in per_source.values() for i in items]
    known: dict[str, dict] = {}
    history: dict[str, dict] = {}
    refresh: list[dict] = []
    schedule = tuple(cfg.settings.refresh_after_s)
    path = db_path(cfg)
    if path.exists():
        with store.connect(path) as con:  # plan runs in the DuckDB pool; writing applies the schema
            known = store.known_urls(con, all_urls)
            history = store.fetch_history(con, [u for u in all_urls if u not in known])
            if schedule:
                since = now - timedelta(seconds=max(schedule) + 86400)
                refresh = [r for r in store.refresh_candidates(con, since)
                           if due_for_refresh(r["first_seen_at"], r["fetched_at"], now, schedule)]
    fs = cfg.settings.fetch
    out = []
    for s in _selected(cfg, sources):
        todo, n_known, n_refresh = [], 0, 0
        n_skipped, n_capped, n_backoff, capped_rows = 0, 0, 0, []
        for i in per_source[s.id]:
            hist = history.get(i["url"]) if i["url"] not in known else None
            why = retry_decision(hist, now, max_attempts=fs.max_total_attempts, backoff_base_s=fs.rerun_backoff_base_s)
            if why is not None:
                n_skipped += 1
                n_capped += why == "retry_cap"
                n_backoff += why == "backoff"
                if why == "retry_cap" and not hist.get("capped"):  # the decision is logged once
                    capped_rows.append({"type": "fetch", **_retry_cap_row(run_id, s.id, i["url"], hist, now, fs.max_total_attempts)})
                continue
            if i["url"] not in known:
                # what is left of the URL's request budget bounds the fetcher's in-run retries
                i = {**i, "max_retries": max(0, fs.max_total_attempts - (hist or {}).get("attempts", 0) - 1)}
            k = known.get(i["url"])
            if k is not None:
                n_known += 1
                if not schedule or not due_for_refresh(k["first_seen_at"], k["fetched_at"], now, schedule):
                    continue
                n_refresh += 1
                i = {**i, "refresh": True}
            todo.append(i)
        # stored articles due for refresh that the feeds no longer list
        listed = {i["url"] for i in todo} | {i["url"] for i in per_source[s.id]}
        for r in refresh:
            if r["source_id"] == s.id and r["canonical_url"] not in listed and r["canonical_url"] not in seen:
                todo.append({"type": "candidate", "url": r["canonical_url"], "source_id": s.id, "via": "refresh", "refresh": True})
                n_refresh += 1
        todo = todo[: s.max_articles_per_run]
        (rdir / f"plan-{_safe(s.id)}.json").write_text(json.dumps(todo, ensure_ascii=False, default=str), encoding="utf-8")
        _write_jsonl(rdir / f"capped-{_safe(s.id)}.jsonl", capped_rows)
        out.append({"source_id": s.id, "to_fetch": len(todo), "known": n_known, "refresh": n_refresh,
                    "not_retried": n_skipped, "retry_capped": n_capped, "backing_off": n_backoff})
    return out


def _same_local_day(page_iso: str, feed_iso: str) -> bool:
    """True when ``feed_iso`` (a full timestamp) falls on the calendar day of the date-only
    ``page_iso``, in the page date's own UTC offset."""
    try:
        page = datetime.fromisoformat(page_iso)
        feed = datetime.fromisoformat(feed_iso)
    except ValueError:
        return False
    if page.tzinfo is None or feed.tzinfo is None:
        return page.date() == feed.date()
    return feed.astimezone(page.tzinfo).date() == page.date()


def _article_record(src, cand: dict, fetched, ext, cfg, run_id: str) -> dict:
    from mediamon.enrich.dedup import content_hash, signature
    from mediamon.discover import canonicalize_url, prefer_canonical
    from mediamon.extract import plausible_date

    canonical = canonicalize_url(prefer_canonical(fetched.final_url or cand["url"], ext.canonical_url))
    published, methods = ext.published_at, dict(ext.methods or {})
    date_only = "date only" in str(methods.get("published_at", ""))
    # the page's dates were rejected as implausible (extract.plausible_date): say what replaced them
    rejected = published is None and str(methods.get("published_at", "")).startswith("rejected:")
    feed_time = cand.get("published_at")
    if feed_time and not plausible_date(feed_time, fetched.fetched_at):
        methods["feed_published_at"] = f"rejected:implausible(feed={str(feed_time)[:40]})"
        feed_time = None
    if published is None and feed_time:
        published = feed_time
        methods["published_at"] = f"{methods['published_at']} -> feed" if rejected else "feed"
        date_only = False
    elif rejected:
        # no date left: published_at stays unknown, the day and story order come from the fetch time
        methods["published_at"] += " -> fetched_at"
    elif date_only and feed_time and _same_local_day(published, feed_time):
        # the page gives only a date; the feed has the time of the same day
        published, methods["published_at"] = feed_time, methods["published_at"] + ", time from feed"
        date_only = False
    fetched_at = fetched.fetched_at.isoformat()
    # a date without a time is the day as printed, whatever the report timezone
    day = published[:10] if (date_only and published) else article_day(published, fetched_at, cfg.settings.timezone).isoformat()
    return {
        "type": "article",
        "article_id": store.article_id_for(canonical),
        "canonical_url": canonical,
        "url": cand["url"],
        "source_id": src.id,
        "title": ext.title or cand.get("title"),
        "text": ext.text,
        "authors": list(ext.authors or []),
        "editor": ext.editor,
        "published_at": published,
        "modified_at": ext.modified_at,
        "day": day,
        "language": ext.language or src.language,
        "tags": list(ext.tags or []),
        "categories": list(ext.categories or []),
        "image": ext.image,
        "syndication": ext.syndication,
        "credits": ext.credits or {},
        "methods": methods,
        "content_hash": content_hash(ext.text),
        "minhash": base64.b64encode(sig).decode("ascii") if (sig := signature(ext.text)) else None,
        "n_chars": len(ext.text),
        "replacement_chars": fetched.replacement_chars,
        "fetched_at": fetched_at,
        "extractor_version": ext.extractor_version,
        "run_id": run_id,
    }


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


def fetch_extract(source_id: str, run_id: str, config_dir: str | None = None, *,
                  reprocess_since: str | date | None = None) -> dict:
    """Stage 3 (parallel, per source; no DB): fetch the planned article URLs politely and
    extract each page.

    First pages are fetched concurrently across hosts (politely per host); multi-page
    articles are followed (:func:`mediamon.fetch.follow_pages`, or the source's single-page view) and
    stitched (:func:`stitch_pages`).
    Pages that are not articles (listing, paywall, bot wall, empty) are recorded with a
    ``skip_reason``. Writes ``fetch-<source_id>.jsonl`` (fetch rows and article records).
    Returns ``{"source_id", "fetched", "articles", "skipped", "failed"}``.

    With ``reprocess_since`` (``YYYY-MM-DD``) nothing is fetched: the source's archived
    responses (``<data_dir>/warc/<day>/<source_id>/``, days >= ``reprocess_since``) are
    re-extracted instead, as ``mediamon reprocess`` does; ``failed`` counts unreadable
    records and ``errors`` lists them."""
    from mediamon.extract import extract_article
    from mediamon.fetch import fetch_article_pages, follow_pages

    cfg = load_config(config_dir)
    src = cfg.source(source_id)
    rdir = run_dir(cfg, run_id)
    if reprocess_since is not None:
        from mediamon.warc import warc_files_since

        files = [f for f in warc_files_since(cfg.settings.path(cfg.settings.data_dir) / "warc", _parse_since(reprocess_since))
                 if f.parent.name == src.id]
        c = _extract_warc_files(files, run_id, cfg, source_id=src.id, source_from_path=False, progress=lambda stage, info: None)
        return {"source_id": src.id, "fetched": 0, "articles": c["articles"], "skipped": c["skipped"],
                "failed": len(c["errors"]), "errors": c["errors"][:20], "warc_files": c["files"]}
    plan_path = rdir / f"plan-{_safe(source_id)}.json"
    todo = json.loads(plan_path.read_text(encoding="utf-8")) if plan_path.exists() else []
    fetcher = make_fetcher(cfg, src)
    rows: list[dict] = []
    counts = {"source_id": source_id, "fetched": 0, "articles": 0, "skipped": 0, "failed": 0}
    # first pages concurrently across hosts (politely per host), then each article's next pages
    if src.rules.single_page_param:
        fetched = [fetch_article_pages(fetcher, c["url"], src.rules, source_id=source_id, max_retries=c.get("max_retries"))
                   for c in todo]
    else:
        firsts = fetcher.fetch_many([c["url"] for c in todo], source_id=source_id, kind="article",
                                    max_retries=[c.get("max_retries") for c in todo])
        fetched = [follow_pages(fetcher, r, c["url"], source_id=source_id) for r, c in zip(firsts, todo)]
    for cand, (results, pages) in zip(todo, fetched):
        url = cand["url"]
        try:
            counts["fetched"] += 1
            first = results[0]
            log_rows = [r.log_row(source_id, run_id) for r in results]
            if first.outcome != "ok" or not pages:
                counts["failed"] += 1
                rows.extend({"type": "fetch", **lr} for lr in log_rows)
                if cand.get("refresh") and first.status in (404, 410):
                    rows.append({"type": "takedown", "url": url, "status": first.status, "fetched_at": first.fetched_at.isoformat()})
                continue
            exts = [extract_article(h, first.final_url or url, source_language=src.language, rules=src.rules,
                                    fetched_at=first.fetched_at) for h in pages]
            ext = exts[0]
            if len(exts) > 1 and ext.page_type == "article":
                ext.text, n_pages = stitch_pages([e.text for e in exts])
                ext.methods = {**ext.methods, "pages": str(n_pages)}
            if ext.page_type != "article" or not ext.text.strip():
                counts["skipped"] += 1
                log_rows[0]["skip_reason"] = ext.page_type if ext.page_type != "article" else "empty"
                rows.extend({"type": "fetch", **lr} for lr in log_rows)
                continue
            rows.extend({"type": "fetch", **lr} for lr in log_rows)
            rows.append(_article_record(src, cand, first, ext, cfg, run_id))
            counts["articles"] += 1
        except Exception as e:  # noqa: BLE001 - one broken page never sinks the run
            log.warning("page failed %s: %s\n%s", url, e, traceback.format_exc())
            counts["failed"] += 1
            rows.append({"type": "fetch", **_error_row(run_id, source_id, url, "article", e)})
    rows.extend({"type": "fetch", **r.log_row(source_id, run_id)} for r in fetcher.pop_robots_results())
    fetcher.close()
    _write_jsonl(rdir / f"fetch-{_safe(source_id)}.jsonl", rows)
    return counts


def _promote_feed_state(cfg: config_mod.Config, rdir: Path) -> None:
    """Make the run's feed polling state (validators, intervals, seen items) the current one."""
    staged = rdir / "state" / "feeds"
    if not staged.is_dir():
        return
    dest = state_dir(cfg) / "feeds"
    dest.mkdir(parents=True, exist_ok=True)
    for f in staged.glob("*.json"):
        tmp = dest / f".{f.name}.tmp"
        shutil.copy2(f, tmp)
        tmp.replace(dest / f.name)


def load(run_id: str, config_dir: str | None = None) -> dict:
    """Stage 4 (DuckDB pool): load the run's staging files into DuckDB.

    Upserts sources and topics, replaces the run's ``fetch_log`` rows, upserts articles by
    canonical URL (a changed content hash becomes a new version), records takedowns.
    Idempotent: loading the same run twice leaves the same rows. Returns counts."""
    cfg = load_config(config_dir)
    rdir = run_dir(cfg, run_id)
    fetch_rows, articles, takedowns = [], [], []
    for f in sorted(rdir.glob("discover-*.jsonl")) + sorted(rdir.glob("capped-*.jsonl")) + sorted(rdir.glob("fetch-*.jsonl")):
        for r in _read_jsonl(f):
            t = r.pop("type", None)
            if t == "fetch":
                fetch_rows.append(r)
            elif t == "article":
                r["minhash"] = base64.b64decode(r["minhash"]) if r.get("minhash") else None
                articles.append(r)
            elif t == "takedown":
                takedowns.append(r)
    # the same canonical URL reached through two feed URLs: keep the first
    uniq: dict[str, dict] = {}
    for a in articles:
        uniq.setdefault(a["canonical_url"], a)
    with store.connect(db_path(cfg)) as con:
        store.upsert_sources(con, cfg.sources)
        store.ensure_sources(con, {a["source_id"] for a in uniq.values()})
        store.upsert_topics(con, cfg.topics)
        n_log = store.replace_fetch_log(con, run_id, fetch_rows)
        counts = store.upsert_articles(con, uniq.values())
        for t in takedowns:
            store.record_takedown(con, t["url"], t["status"], t["fetched_at"])
        outcomes = store.run_counts(con, run_id)
    _promote_feed_state(cfg, rdir)
    return {"run_id": run_id, "fetch_log_rows": n_log, "articles": len(uniq), **counts,
            "takedowns": len(takedowns), "outcomes": outcomes}


SENTIMENT_LANGUAGES = ("en", "id", "ms")


def _sentiment_supports(sentiment_mod, lang: str, config=None) -> bool:
    try:
        sentiment_mod.get_backend(lang, config=config)
        return True
    except sentiment_mod.UnsupportedLanguageError:
        return False


def _story_window(days: list[date]) -> tuple[date, date] | None:
    """Days to re-cluster for a run touching ``days`` (sorted): ``(first - STORY_WINDOW_DAYS,
    last + STORY_WINDOW_DAYS)`` over the plausible days only (1990-01-01 .. today + 1, UTC; see
    :func:`mediamon.extract.plausible_date`), or None when no day is plausible. Never raises:
    a stored year-1 day is left out (logged) instead of overflowing the date arithmetic."""
    from mediamon.extract import EARLIEST_PLAUSIBLE_DATE, FUTURE_TOLERANCE

    lo, hi = EARLIEST_PLAUSIBLE_DATE.date(), (_now() + FUTURE_TOLERANCE).date()
    ok = [d for d in days if lo <= d <= hi]
    if len(ok) < len(days):
        log.warning("story window: implausible article days left out: %s", [d.isoformat() for d in days if d not in ok])
    if not ok:
        return None
    return ok[0] - timedelta(days=STORY_WINDOW_DAYS), ok[-1] + timedelta(days=STORY_WINDOW_DAYS)


def enrich(run_id: str, config_dir: str | None = None) -> dict:
    """Stage 5 (DuckDB pool): exact/near-duplicate stories, sentiment and topic matches.

    Sentiment and topics are computed for the run's articles and for any stored article
    still lacking them. Stories are re-clustered over the days the run touched
    (± :data:`STORY_WINDOW_DAYS`); story ids are deterministic (earliest article), so
    reruns leave the same rows. An article whose sentiment, topics or story preparation fails
    is logged (id, URL, exception) and counted in ``failed``; the others go on. Days outside
    the plausible range (a year-1 day stored by an older extractor) never widen the window.
    Returns counts."""
    from mediamon.analytics import stories
    from mediamon.enrich import sentiment, topics

    cfg = load_config(config_dir)
    scfg = sentiment.SentimentConfig.from_settings(cfg.settings)  # passed to every call, no process-global state
    matchers = [topics.TopicMatcher.from_topic(t) for t in cfg.topics]
    with store.connect(db_path(cfg)) as con:
        todo = store.articles_to_enrich(con, run_id=run_id)
        # self-healing: stored articles in a supported language that still lack sentiment
        ids = {a["article_id"] for a in todo}
        extra = [r for r in store.articles_without_sentiment(con, SENTIMENT_LANGUAGES) if r["article_id"] not in ids]
        todo.extend(extra)
        sent_rows, topic_rows, failed, unsupported = [], [], 0, 0
        for a in todo:
            lang = a["language"] or "und"
            try:
                scorable = _sentiment_supports(sentiment, lang, scfg)
                if scorable:
                    res = sentiment.score_text(a["text"], lang, config=scfg)
                    sent_rows.append({"article_id": a["article_id"], "label": res.label, "score": res.score,
                                      "method": res.method, "version": res.version, "n_sentences": res.n_sentences})
                else:
                    unsupported += 1  # no sentiment backend for this language: no row, not a guess
                for m in topics.match_topics(matchers, a["text"], a["title"], lang):
                    # topic-targeted sentiment: only the sentences that mention the topic
                    ts = sentiment.score_text("\n".join(m.sentences), lang, config=scfg) if (m.sentences and scorable) else None
                    topic_rows.append({"article_id": a["article_id"], "topic_id": m.topic_id, "matched_terms": m.terms,
                                       "mentions": m.count,
                                       "sentiment_label": ts.label if ts else None,
                                       "sentiment_score": ts.score if ts else None,
                                       "sentiment_method": ts.method if ts else None})
            except Exception as e:  # noqa: BLE001 - one article's enrichment never sinks the run
                log.exception("enrichment (sentiment/topics) failed for article %s %s: %s: %s",
                              a["article_id"], a.get("canonical_url"), type(e).__name__, e)
                failed += 1
        store.replace_sentiment(con, sent_rows)
        store.replace_topics(con, [a["article_id"] for a in todo], topic_rows)
        days = sorted({a["day"] for a in todo})
        story_rows: list[dict] = []
        span = _story_window(days)
        if days:
            window = store.articles_in_window(con, *span) if span else []
            # articles stored with an implausible day (an older extractor kept 0001-01-01): clustered
            # with the window instead of stretching it over centuries
            in_window = {a["article_id"] for a in window}
            window += [a for a in todo if a["article_id"] not in in_window and not (span and span[0] <= a["day"] <= span[1])]
            ready = []
            for a in window:
                try:
                    a["signature"] = a.pop("minhash")
                    for k in ("published_at", "fetched_at"):
                        if isinstance(a[k], datetime):
                            a[k] = a[k].astimezone(timezone.utc).isoformat()
                    ready.append(a)
                except Exception as e:  # noqa: BLE001 - one article's story never sinks the run
                    log.exception("story clustering skipped article %s %s: %s: %s",
                                  a["article_id"], a.get("canonical_url"), type(e).__name__, e)
                    failed += 1
            window = ready
            story_of = stories.cluster_stories(window, threshold=cfg.settings.near_duplicate_threshold)
            exact: dict[str, str] = {}
            order = sorted(window, key=lambda a: (a["published_at"] or a["fetched_at"] or "", a["fetched_at"] or "", a["article_id"]))
            for a in order:
                exact.setdefault(a["content_hash"], a["article_id"])
            sizes: dict[str, int] = {}
            for sid in story_of.values():
                sizes[sid] = sizes.get(sid, 0) + 1
            for a in window:
                sid = story_of.get(a["article_id"], a["article_id"])
                first = exact[a["content_hash"]]
                story_rows.append({"article_id": a["article_id"], "story_id": sid,
                                   "exact_duplicate_of": first if first != a["article_id"] else None,
                                   "story_size": sizes.get(sid, 1)})
            store.replace_stories(con, story_rows)
    return {"run_id": run_id, "articles": len(todo), "sentiment": len(sent_rows), "topic_matches": len(topic_rows),
            "stories": len({r["story_id"] for r in story_rows}), "clustered_articles": len(story_rows), "failed": failed,
            "no_sentiment_backend": unsupported,
            "days": [d.isoformat() for d in days]}


class DateBeforeStartError(config_mod.ConfigError):
    """A report day before ``settings.start_date`` (the DAGs have no runs before it)."""


def check_report_day(cfg: config_mod.Config, day: date) -> None:
    """Raise :class:`DateBeforeStartError` (a ConfigError naming ``settings.yaml`` and the
    ``start_date`` field) when ``day`` is before ``settings.start_date``."""
    start = cfg.settings.start_date
    if day < start:
        raise DateBeforeStartError(
            Path(cfg.config_dir or config_mod.config_dir_from_env()) / "settings.yaml", None, "start_date",
            f"report day {day.isoformat()} is before start_date {start.isoformat()}: the DAGs have no runs before "
            f"that day (`airflow dags test` for it creates no task instances); set start_date to "
            f"{day.isoformat()} or earlier to report on it")


def build_report(day: str | date, config_dir: str | None = None) -> dict:
    """Daily report stage (DuckDB pool): rebuild ``daily_coverage`` for ``day`` and render
    ``<reports_dir>/<day>/coverage.html`` plus CSV files. Idempotent.

    Returns ``{"day", "coverage_rows", "files": {name: path}, "summary": {...}, "text": summary}``.
    Raises :class:`DateBeforeStartError` for a day before ``settings.start_date`` and
    ValueError for a ``day`` string that is not ``YYYY-MM-DD``."""
    from mediamon import report

    cfg = load_config(config_dir)
    d = date.fromisoformat(day) if isinstance(day, str) else day
    check_report_day(cfg, d)
    with store.connect(db_path(cfg)) as con:
        store.upsert_sources(con, cfg.sources)
        store.upsert_topics(con, cfg.topics)
        n = store.build_daily_coverage(con, d)
        data = store.report_data(con, d, cfg.settings.timezone)
    files = report.render_report(d, data, cfg.settings.path(cfg.settings.reports_dir))
    return {"day": d.isoformat(), "coverage_rows": n, "files": {k: str(v) for k, v in files.items()},
            "summary": data["summary"], "text": report.summary_text(data)}


def run(day: str | date | None = None, config_dir: str | None = None, *, run_id: str | None = None,
        progress: Progress | None = None, now: datetime | None = None) -> dict:
    """The whole job without Airflow (the CLI's ``mediamon run``): every stage in order,
    sources one after another, then the daily report for ``day`` (default: today, UTC).

    ``progress(stage, info)`` is called after each stage step. ``now`` (UTC): the clock of the
    polling and retry decisions (discover, plan); default the current time. Returns a dict
    with each stage's result, the report, and ``discovery_failed``: None, or a one-line
    reason when discovery failed for every source (:func:`discovery_failed`)."""
    progress = progress or (lambda stage, info: None)
    d = date.fromisoformat(day) if isinstance(day, str) else (day or (now or _now()).date())
    run_id = run_id or f"cli__{_now().strftime('%Y%m%dT%H%M%S')}_{os.getpid()}"
    t0 = time.monotonic()
    cfgd = validate_config(config_dir)
    progress("config", cfgd)
    out: dict[str, Any] = {"run_id": run_id, "discover": [], "fetch": []}
    for sid in cfgd["sources"]:
        r = discover(sid, run_id, config_dir, now=now)
        out["discover"].append(r)
        progress("discover", r)
    out["discovery_failed"] = discovery_failed(out["discover"])
    out["plan"] = plan(run_id, config_dir, now=now)
    progress("plan", {"to_fetch": sum(p["to_fetch"] for p in out["plan"]),
                      "retry_capped": sum(p.get("retry_capped", 0) for p in out["plan"])})
    for p in out["plan"]:
        r = fetch_extract(p["source_id"], run_id, config_dir)
        out["fetch"].append(r)
        progress("fetch", r)
    out["load"] = load(run_id, config_dir)
    progress("load", out["load"])
    out["enrich"] = enrich(run_id, config_dir)
    progress("enrich", out["enrich"])
    out["report"] = build_report(d, config_dir)
    progress("report", out["report"])
    out["elapsed_s"] = round(time.monotonic() - t0, 2)
    return out


# --------------------------------------------------------------------------- WARC re-extraction

class _ArchivedFetch:
    """The parts of a FetchResult that :func:`_article_record` reads, for an archived response."""

    def __init__(self, url: str, fetched_at: datetime | None, replacement_chars: int):
        self.final_url = url
        self.fetched_at = fetched_at or _now()
        self.replacement_chars = replacement_chars


def _source_for_url(cfg: config_mod.Config, url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    for s in cfg.sources:
        for u in [s.homepage, *s.feeds, *s.sitemaps, *s.section_pages]:
            if (urlsplit(u).hostname or "").lower().removeprefix("www.") == host:
                return s.id
    return None


def _extract_warc_files(files: list[Path], run_id: str, cfg: config_mod.Config, *, source_id: str | None,
                        source_from_path: bool, progress: Progress) -> dict:
    """Extract every HTML 200 response of ``files`` into the run's staging directory, one
    ``fetch-<source>.jsonl`` per source, as fetch_extract would. A record whose payload inflates
    past ``settings.fetch.max_bytes`` is skipped and reported (``too_large``, ``errors``).
    Returns counts ``{files, responses, articles, skipped, too_large, errors: [str]}``."""
    from mediamon.extract import extract_article
    from mediamon.fetch import decode_body
    from mediamon.warc import WarcError, iter_warc_responses

    rows: dict[str, list[dict]] = {}
    counts = {"files": 0, "responses": 0, "articles": 0, "skipped": 0, "too_large": 0, "errors": []}
    for f in files:
        counts["files"] += 1
        sid_path = f.parent.name if source_from_path else None
        try:
            for resp in iter_warc_responses(f, max_bytes=cfg.settings.fetch.max_bytes):
                counts["responses"] += 1
                if resp.skipped:  # over the fetcher's byte cap: reported, the other records go on
                    counts["skipped"] += 1
                    counts["too_large"] += 1
                    counts["errors"].append(f"{f}: {resp.url}: {resp.skipped}")
                    continue
                ctype = resp.headers.get("Content-Type") or resp.headers.get("content-type") or ""
                if resp.status != 200 or ("html" not in ctype.lower() and not resp.body.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html"))):
                    counts["skipped"] += 1
                    continue
                sid = source_id or sid_path or _source_for_url(cfg, resp.url) or _safe((urlsplit(resp.url).hostname or "warc").lower())
                try:
                    src = cfg.source(sid)
                except KeyError:
                    # not a configured outlet (e.g. a CC-NEWS file): file it under its host
                    src = config_mod.Source(id=re.sub(r"[^a-z0-9_-]", "-", sid.lower())[:64] or "warc", name=sid,
                                            homepage=f"https://{urlsplit(resp.url).hostname or 'unknown'}/",
                                            language="und", feeds=[resp.url])
                try:
                    text, _enc, _src, n_bad = decode_body(resp.body, ctype)
                    ext = extract_article(text, resp.url, source_language=None if src.language == "und" else src.language, rules=src.rules,
                                          fetched_at=resp.fetched_at)
                    if ext.page_type != "article" or not ext.text.strip():
                        counts["skipped"] += 1
                        continue
                    rec = _article_record(src, {"url": resp.url}, _ArchivedFetch(resp.url, resp.fetched_at, n_bad), ext, cfg, run_id)
                    rows.setdefault(src.id, []).append(rec)
                    counts["articles"] += 1
                except Exception as e:  # noqa: BLE001 - one bad record never sinks the file
                    counts["errors"].append(f"{resp.url}: {type(e).__name__}: {e}")
        except WarcError as e:
            counts["errors"].append(str(e))
        progress("warc", {"file": str(f), **{k: v for k, v in counts.items() if k != "errors"}})
    rdir = run_dir(cfg, run_id)
    for sid, rs in rows.items():
        _write_jsonl(rdir / f"fetch-{_safe(sid)}.jsonl", rs)
    return counts


def reprocess(since: str | date, config_dir: str | None = None, *, run_id: str | None = None,
              progress: Progress | None = None) -> dict:
    """Re-extract articles from the WARC archive (``<data_dir>/warc/<day>/<source>/``) for
    days >= ``since``, without refetching, then load and enrich them. Articles whose text
    changed with a newer extractor get a new version. Returns counts per stage."""
    from mediamon.warc import warc_files_since

    progress = progress or (lambda stage, info: None)
    cfg = load_config(config_dir)
    since_s = since.isoformat() if isinstance(since, date) else date.fromisoformat(since).isoformat()
    run_id = run_id or f"reprocess__{_now().strftime('%Y%m%dT%H%M%S')}_{os.getpid()}"
    files = warc_files_since(cfg.settings.path(cfg.settings.data_dir) / "warc", since_s)
    out: dict[str, Any] = {"run_id": run_id, "extract": _extract_warc_files(files, run_id, cfg, source_id=None,
                                                                            source_from_path=True, progress=progress)}
    out["load"] = load(run_id, config_dir)
    out["enrich"] = enrich(run_id, config_dir)
    return out


def import_warc(path: str | Path, source_id: str | None = None, config_dir: str | None = None, *,
                run_id: str | None = None, progress: Progress | None = None) -> dict:
    """Run an existing WARC/ARC file (e.g. a CC-NEWS file) through extraction, loading and
    enrichment. Each record is filed under ``source_id`` if given, else the configured source
    whose host matches, else a source named after the host. Raises FileNotFoundError naming
    the path and :class:`mediamon.warc.WarcError` when the file is not a WARC/ARC file; a
    file that breaks part-way (truncated, bad record) loads what it could and reports the rest
    in ``extract.errors``."""
    progress = progress or (lambda stage, info: None)
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"WARC file not found: {p}")
    cfg = load_config(config_dir)
    from mediamon.warc import iter_warc_responses

    next(iter(iter_warc_responses(p, max_bytes=cfg.settings.fetch.max_bytes)), None)  # not a WARC/ARC at all: WarcError naming the file, nothing loaded
    run_id = run_id or f"import__{_safe(p.name)}__{_now().strftime('%Y%m%dT%H%M%S')}_{os.getpid()}"
    out: dict[str, Any] = {"run_id": run_id, "extract": _extract_warc_files([p], run_id, cfg, source_id=source_id,
                                                                            source_from_path=False, progress=progress)}
    out["load"] = load(run_id, config_dir)
    out["enrich"] = enrich(run_id, config_dir)
    return out
