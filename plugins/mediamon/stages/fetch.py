"""Host-sharded stages: ``discovery_groups`` / ``discover_group`` discover the sources in groups
that own their hosts, ``plan_shards`` groups the planned URLs by host, ``fetch_shard`` fetches
one shard (see :mod:`mediamon.stages` and docs/throughput.md)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from mediamon import planning
from mediamon.fetching import fetch_shard as _fetch_shard
from mediamon.pagepool import PagePool
from mediamon.records import Candidate
from mediamon.runtime import Runtime

from mediamon.stages.common import _rt
from mediamon.stages.ingest import discover, fetch_extract, page_pool

__all__ = ["discovery_groups", "discover_group", "plan_shards", "fetch_shard", "shard_label"]

MAX_PARALLEL_SOURCES = 64  # sources discovered (or fetched) at once by one task


def discovery_groups(sources: list[str], config_dir: str | None = None, *, runtime: Runtime | None = None) -> list[list[str]]:
    """The source ids ``sources`` (a :func:`validate_config` result) in at most
    ``settings.fetch.shards`` groups whose discovery hosts do not overlap
    (:func:`mediamon.planning.group_sources_by_host`); ``discover_group`` is mapped over them.
    Never an empty list when ``sources`` is not empty."""
    rt = _rt(config_dir, runtime)
    wanted = set(sources)
    return planning.group_sources_by_host([s for s in rt.config.sources if s.id in wanted], rt.config.settings.fetch.shards)


def discover_group(sources: list[str], run_id: str, config_dir: str | None = None, *, force: bool = False,
                   reprocess_since: str | date | None = None, runtime: Runtime | None = None) -> list[dict]:
    """:func:`discover` for each of ``sources`` at once (threads, up to
    :data:`MAX_PARALLEL_SOURCES`; politeness per host as ever). Returns their results in the
    order of ``sources``. Raises KeyError for an unknown source id."""
    rt = _rt(config_dir, runtime)
    if not sources:
        return []
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_SOURCES, len(sources)), thread_name_prefix="mediamon-discover") as ex:
        return list(ex.map(lambda sid: discover(sid, run_id, force=force, reprocess_since=reprocess_since, runtime=rt),
                           sources))


def shard_label(shard: dict, max_hosts: int = 3) -> str:
    """A short name of a :func:`plan_shards` result for the Airflow UI (``map_index_template``):
    ``'shard-03: a.example:443, b.example:443 +5 hosts'``, or ``'warc: <source>'``."""
    hosts = shard.get("hosts") or []
    if not hosts:
        return f"{shard.get('shard')}: {', '.join(shard.get('sources') or []) or 'nothing to fetch'}"
    more = f" +{len(hosts) - max_hosts} hosts" if len(hosts) > max_hosts else ""
    return f"{shard.get('shard')}: {', '.join(hosts[:max_hosts])}{more}"


def plan_shards(run_id: str, config_dir: str | None = None, *, planned: list[dict],
                reprocess_since: str | date | None = None, runtime: Runtime | None = None) -> list[dict]:
    """Group the run's planned URLs (the ``plan`` batches named by ``planned``, the :func:`plan`
    results) by host into at most ``settings.fetch.shards`` shards
    (:func:`mediamon.planning.shard_by_host`) and write one batch ``shard-NN`` of Candidates
    each. No DB. Returns one ``{"shard", "hosts", "sources", "plan": ref | None, "to_fetch"}``
    per shard, never an empty list (a run with nothing to fetch gets one empty shard, so the
    mapped fetch task and the load after it still run). With ``reprocess_since``: one shard per
    source, ``{"shard": "warc-<source>", "hosts": [], "sources": [source], "plan": None,
    "to_fetch": 0}`` (its archived responses are re-extracted). Raises FileNotFoundError for a
    named batch that is missing."""
    rt = _rt(config_dir, runtime)
    if reprocess_since is not None:
        return [{"shard": f"warc-{p['source_id']}", "hosts": [], "sources": [p["source_id"]], "plan": None, "to_fetch": 0}
                for p in planned]
    todo = [c for p in planned if p.get("plan") for c in rt.staging.read_batch(p["plan"]) if isinstance(c, Candidate)]
    shards = planning.shard_by_host(todo, rt.config.settings.fetch.shards)
    if not shards:
        return [{"shard": "shard-00", "hosts": [], "sources": [], "plan": None, "to_fetch": 0}]
    return [{"shard": s.name, "hosts": s.hosts, "sources": list(dict.fromkeys(c.source_id for c in s.todo)),
             "plan": rt.staging.write_batch(run_id, s.name, s.todo), "to_fetch": len(s.todo)} for s in shards]


def fetch_shard(shard: dict, run_id: str, config_dir: str | None = None, *, reprocess_since: str | date | None = None,
                runtime: Runtime | None = None, pool: PagePool | None = None) -> dict:
    """Stage 3, host-sharded (parallel, one per :func:`plan_shards` result; no DB): fetch the
    shard's planned URLs politely (this task is the only one requesting its hosts), every
    source of the shard at once, each with its own HTTP client (its SSRF allowlist), while
    a process pool extracts and scores the pages (:mod:`mediamon.pagepool`; ``pool``: use
    this one instead of :func:`page_pool`, not closed here). Writes the batch
    ``fetched-<shard>`` (FetchLogRows, ArticleRecords with their scores, TakedownRows; each
    record keeps its source id). Returns ``{"shard", "hosts", "sources", "batch": ref | None,
    "fetched", "articles", "skipped", "failed"}``. With ``reprocess_since`` the shard's one
    source is re-extracted from the WARC archive (:func:`fetch_extract`) instead. Raises
    KeyError for a source id that is not configured."""
    rt = _rt(config_dir, runtime)
    cfg = rt.config
    head = {"shard": shard.get("shard"), "hosts": list(shard.get("hosts") or [])}
    if reprocess_since is not None:
        out: dict[str, Any] = {**head, "sources": list(shard.get("sources") or []), "batch": None, "fetched": 0,
                               "articles": 0, "skipped": 0, "failed": 0}
        for sid in out["sources"]:
            r = fetch_extract(sid, run_id, reprocess_since=reprocess_since, runtime=rt)
            out["batch"] = r.get("batch")  # reprocess shards hold one source each
            for k in ("articles", "skipped", "failed"):
                out[k] += r.get(k, 0)
        return out
    todo = [c for c in rt.staging.read_batch(shard["plan"]) if isinstance(c, Candidate)] if shard.get("plan") else []
    sources = {s.id: s for s in cfg.sources}
    own = pool is None
    pool = pool if pool is not None else page_pool(rt, run_id)
    try:
        rows, counts = _fetch_shard(sources, todo, run_id, http_for=rt.http_for, pool=pool, tz=cfg.settings.timezone,
                                    clock=rt.clock)
    finally:
        if own:
            pool.close()
    batch = rt.staging.write_batch(run_id, f"fetched-{head['shard']}", rows) if rows else None
    return {**head, "batch": batch, **counts}
