"""What to fetch: candidates de-duplicated across sources, stored URLs refreshed on schedule,
failed ones retried with backoff between runs up to a per-URL request budget.

Pure decisions over the discovered candidates and what the store knows
(:func:`collect_candidates`, :func:`look_up`, :func:`select`); the ``plan`` stage
(:func:`mediamon.stages.plan`) reads and writes the batches around them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from mediamon import config as config_mod
from mediamon.ports import StoreSession
from mediamon.records import Candidate, FetchLogRow, Record

__all__ = ["MAX_ATTEMPTS", "retry_decision", "retry_worthwhile", "retry_cap_row", "collect_candidates",
           "StoreFacts", "look_up", "SourcePlan", "select", "HostShard", "shard_by_host", "group_sources_by_host"]

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


def retry_cap_row(run_id: str, source_id: str, url: str, hist: dict, now: datetime, cap: int) -> FetchLogRow:
    """The fetch_log row recording that ``url`` is given up (no request is made): ``outcome``
    ``'not_fetched'``, ``skip_reason`` ``'retry_cap'``; ``now``: UTC."""
    last = f"{hist.get('outcome')}" + (f" HTTP {hist['status']}" if hist.get("status") else "")
    return FetchLogRow(run_id=run_id, source_id=source_id, url=url, host=urlsplit(url).hostname, kind="article",
                       outcome="not_fetched", skip_reason="retry_cap",
                       error=f"gave up: {hist.get('attempts')} requests over {hist.get('runs')} runs reached "
                             f"fetch.max_total_attempts={cap} (last: {last})",
                       fetched_at=now)


def collect_candidates(cfg: config_mod.Config, batches: dict[str, Iterable[Record]]) -> dict[str, list[Candidate]]:
    """Candidates per configured source (config order), canonicalised and de-duplicated
    across feeds and sources: the first source in config order keeps a URL. ``batches``:
    source id -> the records of its discovery batch (other record types are ignored). A URL
    that does not canonicalise is dropped."""
    from mediamon.acquire.urls import canonicalize_url

    per_source: dict[str, list[Candidate]] = {}
    seen: set[str] = set()
    for s in cfg.sources:
        items = []
        for r in batches.get(s.id, ()):
            if not isinstance(r, Candidate):
                continue
            try:
                u = canonicalize_url(r.url)
            except Exception:  # noqa: BLE001 - a malformed URL is dropped, not fatal
                continue
            if u in seen:
                continue
            seen.add(u)
            items.append(replace(r, url=u))
        per_source[s.id] = items
    return per_source


@dataclass
class StoreFacts:
    """What the store knows about the discovered URLs: ``known`` (stored articles,
    :meth:`StoreSession.known_urls`), ``history`` (past fetches of the others), ``refresh``
    (stored articles due for refresh), ``schedule`` (``settings.refresh_after_s``)."""

    known: dict[str, dict] = field(default_factory=dict)
    history: dict[str, dict] = field(default_factory=dict)
    refresh: list[dict] = field(default_factory=list)
    schedule: tuple[float, ...] = ()


def look_up(session: StoreSession | None, urls: Sequence[str], now: datetime, schedule: tuple[float, ...]) -> StoreFacts:
    """:class:`StoreFacts` for ``urls`` at ``now`` (UTC); ``session`` None: a new store, nothing known."""
    from mediamon.acquire.polling import due_for_refresh

    facts = StoreFacts(schedule=schedule)
    if session is None:
        return facts
    facts.known = session.known_urls(urls)
    facts.history = session.fetch_history([u for u in urls if u not in facts.known])
    if schedule:
        since = now - timedelta(seconds=max(schedule) + 86400)
        facts.refresh = [r for r in session.refresh_candidates(since)
                         if due_for_refresh(r["first_seen_at"], r["fetched_at"], now, schedule)]
    return facts


@dataclass
class SourcePlan:
    """The plan of one source: ``todo`` (candidates to fetch, at most ``max_articles_per_run``),
    ``capped`` (fetch_log rows of URLs given up now) and the counts the stage returns."""

    source_id: str
    todo: list[Candidate]
    capped: list[FetchLogRow]
    counts: dict[str, Any]


def select(cfg: config_mod.Config, sources: Sequence[Any], per_source: dict[str, list[Candidate]], facts: StoreFacts,
           now: datetime, run_id: str) -> list[SourcePlan]:
    """Choose what each of ``sources`` fetches (see :func:`mediamon.stages.plan`): stored URLs
    only when due for refresh (``refresh=True``), failed ones per :func:`retry_decision`
    (each new URL carries ``max_retries``, what is left of its request budget), stored
    articles due for refresh that the feeds no longer list, capped per source. ``now``: UTC."""
    from mediamon.acquire.polling import due_for_refresh

    fs, schedule, known = cfg.settings.fetch, facts.schedule, facts.known
    seen = {c.url for items in per_source.values() for c in items}
    out = []
    for s in sources:
        todo: list[Candidate] = []
        n_known = n_refresh = n_skipped = n_capped = n_backoff = 0
        capped_rows: list[FetchLogRow] = []
        for i in per_source.get(s.id, []):
            hist = facts.history.get(i.url) if i.url not in known else None
            why = retry_decision(hist, now, max_attempts=fs.max_total_attempts, backoff_base_s=fs.rerun_backoff_base_s)
            if why is not None:
                n_skipped += 1
                n_capped += why == "retry_cap"
                n_backoff += why == "backoff"
                if why == "retry_cap" and not hist.get("capped"):  # the decision is logged once
                    capped_rows.append(retry_cap_row(run_id, s.id, i.url, hist, now, fs.max_total_attempts))
                continue
            if i.url not in known:
                # what is left of the URL's request budget bounds the fetcher's in-run retries
                i = replace(i, max_retries=max(0, fs.max_total_attempts - (hist or {}).get("attempts", 0) - 1))
            k = known.get(i.url)
            if k is not None:
                n_known += 1
                if not schedule or not due_for_refresh(k["first_seen_at"], k["fetched_at"], now, schedule):
                    continue
                n_refresh += 1
                i = replace(i, refresh=True)
            todo.append(i)
        # stored articles due for refresh that the feeds no longer list
        listed = {i.url for i in todo} | {i.url for i in per_source.get(s.id, [])}
        for r in facts.refresh:
            if r["source_id"] == s.id and r["canonical_url"] not in listed and r["canonical_url"] not in seen:
                todo.append(Candidate(url=r["canonical_url"], source_id=s.id, via="refresh", refresh=True))
                n_refresh += 1
        todo = todo[: s.max_articles_per_run]
        out.append(SourcePlan(s.id, todo, capped_rows, {
            "to_fetch": len(todo), "known": n_known, "refresh": n_refresh, "not_retried": n_skipped,
            "retry_capped": n_capped, "backing_off": n_backoff}))
    return out


@dataclass
class HostShard:
    """One unit of fetching work: every planned URL of ``hosts`` (host keys, ``hostname:port``,
    sorted), in plan order (source config order, then each source's plan order). ``index``:
    0-based, in the order :func:`shard_by_host` returns the shards."""

    index: int
    hosts: list[str]
    todo: list[Candidate]

    @property
    def name(self) -> str:
        """``shard-NN`` (NN = index, two digits at least): the shard's batch and task label."""
        return f"shard-{self.index:02d}"


def shard_by_host(todo: Sequence[Candidate], max_shards: int) -> list[HostShard]:
    """Group the planned URLs ``todo`` (all sources) by host into at most ``max_shards`` shards, so
    that every request to one host is made by one fetch task: per-host politeness then needs no
    lock shared between tasks or machines.

    Hosts are the politeness gate's keys (:func:`mediamon.acquire.politeness.host_key`; a URL
    without one goes to host ``'?'``). Balancing is the longest-processing-time-first rule
    (Graham 1969, "Bounds on multiprocessing timing anomalies"): hosts by descending URL count
    (ties by host name) each go to the shard with the fewest URLs so far (ties: lowest index),
    a 4/3-approximation of the smallest largest shard. Deterministic: the same ``todo`` gives the
    same shards. A host is never split; every URL is in exactly one shard; empty shards are not
    returned (fewer hosts than ``max_shards``: one shard per host). Records keep their
    ``source_id``. Raises ValueError when ``max_shards`` < 1."""
    from mediamon.acquire.politeness import host_key

    if max_shards < 1:
        raise ValueError(f"shard_by_host: max_shards must be >= 1, got {max_shards!r}")
    by_host: dict[str, list[int]] = {}
    for i, c in enumerate(todo):
        try:
            h = host_key(c.url)
        except ValueError:
            h = "?"
        by_host.setdefault(h, []).append(i)
    n = min(max_shards, len(by_host))
    loads = [0] * n
    hosts: list[list[str]] = [[] for _ in range(n)]
    for h in sorted(by_host, key=lambda h: (-len(by_host[h]), h)):
        k = min(range(n), key=lambda j: (loads[j], j))
        hosts[k].append(h)
        loads[k] += len(by_host[h])
    shards = []
    for k in range(n):
        idx = sorted(i for h in hosts[k] for i in by_host[h])
        shards.append(HostShard(index=k, hosts=sorted(hosts[k]), todo=[todo[i] for i in idx]))
    return shards


def group_sources_by_host(sources: Sequence[Any], max_groups: int) -> list[list[str]]:
    """The ids of ``sources`` (``config.Source``, config order) in at most ``max_groups`` groups
    for discovery, so that every request to one host during discovery is made by one task:
    sources whose homepage, feeds, sitemaps or section pages share a host (politeness key,
    :func:`mediamon.acquire.politeness.host_key`) are in the same group (connected
    components), and the components are balanced by their number of discovery URLs with the
    rule of :func:`shard_by_host`. Deterministic; each group keeps config order; no empty
    group. Raises ValueError when ``max_groups`` < 1."""
    from mediamon.acquire.politeness import host_key

    if max_groups < 1:
        raise ValueError(f"group_sources_by_host: max_groups must be >= 1, got {max_groups!r}")
    parent = list(range(len(sources)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    weight = [0] * len(sources)
    for i, s in enumerate(sources):
        urls = [str(u) for u in (*s.feeds, *s.sitemaps, *s.section_pages)]
        weight[i] = max(1, len(urls))
        for u in [str(s.homepage), *urls]:
            try:
                h = host_key(u)
            except ValueError:
                continue
            if h in owner:
                a, b = find(owner[h]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[h] = i
    comps: dict[int, list[int]] = {}
    for i in range(len(sources)):
        comps.setdefault(find(i), []).append(i)
    n = min(max_groups, len(comps))
    loads = [0] * n
    groups: list[list[int]] = [[] for _ in range(n)]
    for root in sorted(comps, key=lambda r: (-sum(weight[i] for i in comps[r]), r)):
        k = min(range(n), key=lambda j: (loads[j], j))
        groups[k].extend(comps[root])
        loads[k] += sum(weight[i] for i in comps[root])
    return [[sources[i].id for i in sorted(g)] for g in groups]
