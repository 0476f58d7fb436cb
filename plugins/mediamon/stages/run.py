"""Whole-job entry points for the CLI: ``run``, ``reprocess`` and ``import_warc`` (see :mod:`mediamon.stages`)."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import date
from pathlib import Path
from typing import Any

from mediamon.replay import extract_warc_files
from mediamon.config.checks import check_id
from mediamon.runcalendar import (RunParamError, check_report_day)
from mediamon.runtime import Runtime
from mediamon.staging import safe_name

from mediamon.stages.common import Progress, _rt
from mediamon.stages.ingest import validate_config, discovery_failed, plan, load, page_pool
from mediamon.stages.fetch import discover_group, fetch_shard, plan_shards
from mediamon.stages.enrich import enrich
from mediamon.stages.report import build_report


def run(day: str | date | None = None, config_dir: str | None = None, *, run_id: str | None = None,
        progress: Progress | None = None, runtime: Runtime | None = None) -> dict:
    """The whole job without Airflow (the CLI's ``mediamon run``): every stage in order
    (the sources discovered at once; fetching by host shard, the shards in parallel:
    :func:`fetch_shards`), then the daily report for ``day`` (default: the runtime
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
    out["discover"] = discover_group(cfgd["sources"], run_id, runtime=rt)  # every source at once
    for r in out["discover"]:
        progress("discover", r)
    out["discovery_failed"] = discovery_failed(out["discover"])
    out["plan"] = plan(run_id, discovered=out["discover"], runtime=rt)
    progress("plan", {"to_fetch": sum(p["to_fetch"] for p in out["plan"]),
                      "retry_capped": sum(p.get("retry_capped", 0) for p in out["plan"])})
    out["shards"] = plan_shards(run_id, planned=out["plan"], runtime=rt)
    out["fetch"] = fetch_shards(rt, run_id, out["shards"], progress)
    out["load"] = load(run_id, discovered=out["discover"], planned=out["plan"], fetched=out["fetch"], runtime=rt)
    progress("load", out["load"])
    out["enrich"] = enrich(run_id, fetched=out["fetch"], runtime=rt)
    progress("enrich", out["enrich"])
    out["report"] = build_report(d, runtime=rt)
    progress("report", out["report"])
    out["elapsed_s"] = round(time.monotonic() - t0, 2)
    return out


def fetch_shards(rt: Runtime, run_id: str, shards: list[dict], progress: Progress | None = None) -> list[dict]:
    """Fetch the host shards of :func:`mediamon.stages.fetch.plan_shards` in parallel, one thread
    per shard (each shard owns its hosts, so per-host politeness holds as in the DAG's mapped
    tasks; the machine-wide file gate still orders requests across processes), extracting in
    one process pool shared by the shards (``settings.fetch.extract_workers``). Returns the
    :func:`mediamon.stages.fetch.fetch_shard` results in shard order; ``progress("fetch",
    result)`` as each shard finishes."""
    progress = progress or (lambda stage, info: None)
    out: list[dict | None] = [None] * len(shards)
    with page_pool(rt, run_id) as pool, ThreadPoolExecutor(max_workers=max(1, len(shards)),
                                                           thread_name_prefix="mediamon-shard") as ex:
        futs = {ex.submit(fetch_shard, sh, run_id, runtime=rt, pool=pool): i for i, sh in enumerate(shards)}
        for f in as_completed(futs):
            out[futs[f]] = f.result()
            progress("fetch", out[futs[f]])
    return [r for r in out if r is not None]


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
