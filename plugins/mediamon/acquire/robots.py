"""robots.txt per RFC 9309: the rules for one fetcher, and the on-disk cache shared by processes.

Parsed with protego, cached per ``scheme://host:port`` for ``robots_ttl_s`` (on disk in
``<state_dir>/robots/`` by :class:`RobotsStore`, shared by stages and processes, when the
fetcher has a ``state_dir``). 2xx: rules apply; 4xx: no restrictions (RFC 9309 2.3.1.3);
5xx or network error: complete disallow (RFC 9309 2.3.1.4), cached for at most 10 minutes.
``Crawl-delay`` for our product token raises that host's delay (capped at
``max_crawl_delay_s``), recorded in the shared host gate so every process honours it.

:class:`RobotsPolicy` does not fetch by itself: it is given the fetcher's ``fetch`` (so this
module does not import the HTTP client) and keeps the robots.txt FetchResults it caused for
``fetch_log``.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

from protego import Protego

from mediamon.acquire.politeness import HostGate, host_file_stem, host_key
from mediamon.acquire.result import FetchResult
from mediamon.util.atomic import write_text

try:  # POSIX only; elsewhere the cache lock is a no-op
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["RobotsPolicy", "RobotsStore"]

log = logging.getLogger(__name__)


@dataclass
class _Robots:
    """Rules of one host: ``parser`` (None when unavailable), ``status``, ``expires`` (wall
    clock), ``note`` (why unavailable), ``net_outcome`` (the robots fetch's network outcome)."""

    parser: Protego | None
    status: str  # 'ok' | 'unavailable_allow' | 'unavailable_disallow'
    expires: float  # wall clock (time.time())
    note: str = ""
    net_outcome: str | None = None


class RobotsStore:
    """On-disk robots.txt cache shared by the processes using one state directory.

    ``RobotsStore(root)``: one JSON file per ``scheme://host:port``,
    ``<root>/<host_file_stem(key)>.json`` = ``{"key", "fetched_at", "expires", "status",
    "note", "net_outcome", "text"}`` (wall-clock seconds). :meth:`locked` serialises the
    fetch of one host's robots.txt across processes (``flock`` on a sibling ``.lock`` file),
    so it is fetched once per TTL, by one process."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / f"{host_file_stem(key)}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The unexpired entry for ``key``, or None (missing, expired or unreadable)."""
        p = self._path(key)
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            log.warning("robots cache %s unreadable (%s): refetching", p, e)
            return None
        if not isinstance(d, dict) or d.get("key") != key or float(d.get("expires") or 0) <= time.time():
            return None
        return d

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Write ``entry`` (plus ``key``) atomically (:func:`mediamon.util.atomic.write_text`). Raises ``OSError``."""
        write_text(self._path(key), json.dumps({**entry, "key": key}, ensure_ascii=False))

    def locked(self, key: str):
        """Context manager holding an exclusive ``flock`` for ``key``'s robots fetch."""
        return _FileLock(self.root / f"{host_file_stem(key)}.lock")


class _FileLock:
    def __init__(self, path: Path):
        self.path, self.fd = path, -1

    def __enter__(self) -> "_FileLock":
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(self.fd)
                raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if fcntl is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)


class RobotsPolicy:
    """robots.txt decisions for one fetcher (thread-safe).

    ``RobotsPolicy(fetch, robots_ttl_s, gate, product_token, max_crawl_delay_s, store)``:
    ``fetch(url) -> FetchResult`` fetches a robots.txt URL (the fetcher's ``fetch`` with
    ``kind='robots'``); ``robots_ttl_s`` seconds; ``gate`` receives the host's Crawl-delay;
    ``store``: the shared :class:`RobotsStore`, or None for an in-memory cache only.
    """

    def __init__(self, fetch: Callable[[str], FetchResult], robots_ttl_s: float, gate: HostGate,
                 product_token: str, max_crawl_delay_s: float, store: RobotsStore | None = None):
        self._fetch_url, self.ttl_s, self.gate = fetch, robots_ttl_s, gate
        self.product_token, self.max_crawl_delay_s, self.store = product_token, max_crawl_delay_s, store
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._robots_results: list[FetchResult] = []

    def cached(self, url: str) -> _Robots | None:
        """The in-memory rules of ``url``'s host (expired or not), or None when never read."""
        return self._robots.get(f"{urlsplit(url).scheme}://{host_key(url)}")

    def rules_for(self, url: str) -> _Robots:
        """The rules of ``url``'s host: from memory, else the shared store, else fetched (one
        fetch per host per TTL; concurrent callers for one host wait for it)."""
        u = urlsplit(url)
        key = f"{u.scheme}://{host_key(url)}"
        with self._lock:
            lk = self._robots_locks.setdefault(key, threading.Lock())
        with lk:
            r = self._robots.get(key)
            if r is not None and r.expires > time.time():
                return r
            if self.store is None:
                r = self._fetch_robots(url, key)
            else:
                with self.store.locked(key):  # one process fetches, the others read its result
                    entry = self.store.get(key)
                    if entry is not None:
                        r = self._robots_from_entry(url, entry)
                    else:
                        r = self._fetch_robots(url, key)
            self._robots[key] = r
            return r

    def _robots_from_entry(self, url: str, e: dict) -> _Robots:
        """A cached robots entry (see :meth:`_fetch_robots`) as :class:`_Robots`; re-applies its Crawl-delay."""
        expires = float(e["expires"])
        if e.get("status") == "ok":
            try:
                r = _Robots(Protego.parse(e.get("text") or ""), "ok", expires)
            except Exception as ex:  # noqa: BLE001 - never let robots sink the host
                r = _Robots(None, "unavailable_allow", expires, f"unparsable robots.txt: {ex}")
            self._apply_crawl_delay(url, r)
            return r
        return _Robots(None, str(e.get("status") or "unavailable_allow"), expires, str(e.get("note") or ""),
                       e.get("net_outcome"))

    def _apply_crawl_delay(self, url: str, r: _Robots) -> None:
        cd = r.parser.crawl_delay(self.product_token) if r.parser is not None else None
        try:
            self.gate.set_crawl_delay(host_key(url), min(float(cd), self.max_crawl_delay_s) if cd else None, r.expires)
        except OSError as e:  # the state file is unwritable: still honoured in this process
            log.warning("cannot share Crawl-delay of %s: %s", host_key(url), e)

    def _fetch_robots(self, url: str, key: str) -> _Robots:
        """Fetch and parse ``url``'s robots.txt; records the FetchResult for
        :meth:`pop_results` and, with a state directory, shares the outcome on disk."""
        u = urlsplit(url)
        robots_url = urlunsplit((u.scheme, u.netloc, "/robots.txt", "", ""))
        res = self._fetch_url(robots_url)
        ttl = self.ttl_s
        now = time.time()
        text = None
        if res.outcome == "ok":
            text = res.text or ""
            try:
                r = _Robots(Protego.parse(text), "ok", now + ttl)
            except Exception as e:  # protego is lenient, but never let robots sink the host
                r = _Robots(None, "unavailable_allow", now + ttl, f"unparsable robots.txt: {e}")
            self._apply_crawl_delay(url, r)
        elif res.status is not None and 400 <= res.status < 500:
            r = _Robots(None, "unavailable_allow", now + ttl, f"robots.txt HTTP {res.status}: no restrictions (RFC 9309 2.3.1.3)")
        elif res.outcome in ("blocked_address", "blocked_scheme"):
            r = _Robots(None, "unavailable_allow", now + 60, "robots.txt not fetched")
        else:
            r = _Robots(None, "unavailable_disallow", now + min(ttl, 600.0),
                        f"robots.txt unreachable ({res.outcome} {res.status or ''}".strip() + "): complete disallow (RFC 9309 2.3.1.4)",
                        res.outcome)
        # a refusal by this fetcher's SSRF allowlist says nothing about the host: not shared
        if self.store is not None and res.outcome not in ("blocked_address", "blocked_scheme") and ttl > 0:
            try:
                self.store.put(key, {"fetched_at": now, "expires": r.expires, "status": r.status,
                                     "note": r.note, "net_outcome": r.net_outcome, "text": text})
            except OSError as e:
                res.error = (res.error + "; " if res.error else "") + f"robots cache write failed: {e}"
        with self._lock:
            self._robots_results.append(res)
        return r

    def decision(self, url: str) -> tuple[str, str | None]:
        """``('allowed'|'disallowed'|'unavailable', reason|None)`` for ``url`` (fetches robots.txt once per TTL)."""
        r = self.rules_for(url)
        if r.status == "unavailable_allow":
            return "unavailable", None
        if r.status == "unavailable_disallow":
            return "unavailable", r.note
        if r.parser.can_fetch(url, self.product_token):
            return "allowed", None
        return "disallowed", f"disallowed by robots.txt for {self.product_token}"

    def sitemaps(self, url: str) -> list[str]:
        """``Sitemap:`` URLs listed in the robots.txt of ``url``'s host (absolute, in file order)."""
        r = self.rules_for(url)
        if r.parser is None:
            return []
        base = urlunsplit((urlsplit(url).scheme, urlsplit(url).netloc, "/robots.txt", "", ""))
        return [urljoin(base, s) for s in r.parser.sitemaps]

    def pop_results(self) -> list[FetchResult]:
        """Return and forget the robots.txt FetchResults made implicitly so far (for fetch_log)."""
        with self._lock:
            out, self._robots_results = self._robots_results, []
        return out

