"""Per-host politeness that holds across threads, stages, Airflow tasks and processes.

One host (``hostname:port``) sees one gate, whatever asks: the threads of one
:class:`~mediamon.acquire.http.Fetcher`, the discovery and fetch stages of one run (separate
fetchers), the mapped Airflow tasks of one DAG run (separate processes) and two
``mediamon run`` processes at once on one machine.

Interface (:class:`HostGate`): ``acquire(host, delay_s)`` blocks until a request to ``host``
may be *sent*; the caller sends it, and calls ``release(host)`` as soon as the response
headers have arrived (or the request failed). Two implementations:

- :class:`LocalHostGate`: threads of one process (in memory).
- :class:`FileHostGate`: threads first (a :class:`LocalHostGate`), then a lock file per host
  under ``<state>/hosts/`` (``fcntl.flock``) holding the last request's completion time
  (wall clock ``time.time()``, comparable across processes), any ``Retry-After`` deferral and
  the host's robots.txt ``Crawl-delay``, so every process on the machine honours them.
  :func:`shared_gate` returns one per state directory per process.

Production can replace the file gate by sharding work by host (every request to one host
is made by one worker, whose :class:`LocalHostGate` is then the only gate that host needs;
a later issue shards by host across Celery workers): anything with this interface can be
passed as ``Fetcher(gate=...)``.

What the server observes, and why the gap holds. The server sees the *arrival* of request N
and of request N+1. A gap measured between client-side send times is not enough: under CPU
load request N can leave (or be handled) late while N+1 leaves on time, and the server then
sees less than the delay (measured: 75 % of it). So the slot is stamped at the *end* of a
request's exchange, when its response headers were received (the server must have received
request N before it answered, so ``stamp(N) >= arrival(N)``), and request N+1 is sent no
earlier than ``stamp(N) + delay + margin`` (so ``arrival(N+1) >= send(N+1) >= arrival(N) +
delay``). No other request to the host is sent between N's send and its stamp (the gate is
held through the exchange: the thread lock in-process, the ``flock`` across processes; a
crashed process releases its ``flock`` with its file descriptors). Lateness anywhere on the
client side (a late wake-up, a slow send, a late stamp) only makes the gap longer. The
margin (:func:`margin`: ``max(0.05 s, 5 %)`` of the delay) absorbs what remains: timestamp
jitter on the server (a server that stamps arrival after a scheduling delay) and clock
slewing. Cost: the per-host rate is ``1 / (delay + margin + time to first byte)``, slightly
below ``1 / delay``; body reading overlaps the next request's wait.

A stored completion time in the future (the wall clock stepped back) is treated as "now":
a wait never exceeds one delay plus margin, except for a ``Retry-After`` deferral (capped at
one hour).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlsplit

try:  # POSIX only; elsewhere the gate is in-process (see shared_gate)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["HostGate", "LocalHostGate", "FileHostGate", "host_key", "margin", "run_per_host", "shared_gate",
           "host_file_stem"]

log = logging.getLogger(__name__)

MAX_DEFER_S = 3600.0  # longest Retry-After deferral honoured


def host_key(url: str) -> str:
    """``hostname:port`` of an http(s) URL (effective port), the unit of politeness.
    Raises ValueError on a malformed port."""
    u = urlsplit(url)
    port = u.port or (443 if u.scheme == "https" else 80)
    return f"{(u.hostname or '').lower()}:{port}"


def margin(delay_s: float) -> float:
    """Safety margin (seconds) added to a per-host gap of ``delay_s`` seconds:
    ``max(0.05, 0.05 * delay_s)``, 0 when ``delay_s <= 0`` (no politeness delay asked)."""
    return max(0.05, 0.05 * delay_s) if delay_s > 0 else 0.0


def host_file_stem(key: str) -> str:
    """File-name stem for a host key (``host:port`` or ``scheme://host:port``): a readable
    part plus 16 hex digits of its SHA-256 (distinct keys never share a file)."""
    readable = re.sub(r"[^a-z0-9.-]+", "_", key.lower())[:60]
    return f"{readable}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"


@runtime_checkable
class HostGate(Protocol):
    """Per-host request spacing shared by everything that fetches one host.

    Contract: ``acquire(host, delay_s)`` blocks until a request to ``host`` may be sent and
    returns the seconds waited; the caller then holds the host's slot, sends the request and
    calls ``release(host)`` exactly once, right after the response headers arrived or the
    request failed. The next ``acquire`` for ``host`` (any thread/process sharing the gate)
    returns no earlier than that release plus ``max(delay_s, crawl delay) + margin``, and no
    earlier than a deferral. Times are wall-clock seconds (``time.time()``)."""

    def acquire(self, host: str, delay_s: float) -> float: ...

    def release(self, host: str) -> None: ...

    def defer(self, host: str, until: float) -> None: ...

    def set_crawl_delay(self, host: str, delay_s: float | None, expires: float) -> None: ...

    def crawl_delay(self, host: str) -> float | None: ...

    def next_free(self, host: str) -> float: ...


class _HostState:
    __slots__ = ("lock", "last_end", "defer_until", "crawl_delay", "crawl_expires", "delay")

    def __init__(self) -> None:
        self.lock = threading.Lock()  # held from acquire to release (the request's exchange)
        self.last_end = 0.0
        self.defer_until = 0.0
        self.crawl_delay: float | None = None
        self.crawl_expires = 0.0
        self.delay = 0.0  # delay asked at the last acquire (for next_free)


def _ready_at(last_end: float, defer_until: float, gap: float, now: float) -> float:
    """Wall time at which the next request may be sent (see the module docstring for clamping)."""
    t = min(last_end, now) + gap if last_end > 0 else 0.0
    return max(t, min(defer_until, now + MAX_DEFER_S))


class LocalHostGate:
    """:class:`HostGate` for the threads of one process (in memory).

    ``acquire`` takes the host's thread lock (so one request per host is between send and
    response headers in this process), then sleeps until the host is ready; ``release``
    stamps the completion time and frees the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[str, _HostState] = {}

    def _state(self, host: str) -> _HostState:
        with self._lock:
            st = self._hosts.get(host)
            if st is None:
                st = self._hosts[host] = _HostState()
            return st

    def effective_delay(self, host: str, delay_s: float) -> float:
        """``max(delay_s, crawl delay)`` for ``host`` (a crawl delay past its expiry is ignored)."""
        st = self._state(host)
        cd = st.crawl_delay if st.crawl_delay is not None and st.crawl_expires > time.time() else None
        return max(delay_s, cd or 0.0)

    def acquire(self, host: str, delay_s: float) -> float:
        """Block until ``host`` may be sent a request (see :class:`HostGate`); returns seconds waited."""
        t0 = time.monotonic()
        st = self._state(host)
        st.lock.acquire()
        try:
            self.wait_ready(host, delay_s)
        except BaseException:
            st.lock.release()
            raise
        return time.monotonic() - t0

    def wait_ready(self, host: str, delay_s: float, extra: tuple[float, float, float | None] | None = None) -> None:
        """Sleep (holding the host's slot) until the in-memory state — and ``extra`` =
        ``(last_end, defer_until, crawl_delay)`` read from elsewhere, if given — allows a send."""
        st = self._state(host)
        while True:
            d = self.effective_delay(host, delay_s)
            last_end, defer_until = st.last_end, st.defer_until
            if extra is not None:
                last_end, defer_until = max(last_end, extra[0]), max(defer_until, extra[1])
                d = max(d, extra[2] or 0.0)
            st.delay = d
            now = time.time()
            ready = _ready_at(last_end, defer_until, d + margin(d), now)
            if ready <= now:
                return
            time.sleep(ready - now)

    def release(self, host: str, when: float | None = None) -> None:
        """Stamp ``host``'s last request completion (``when`` or now, wall clock) and free its slot."""
        st = self._state(host)
        st.last_end = max(st.last_end, when if when is not None else time.time())
        st.lock.release()

    def defer(self, host: str, until: float) -> None:
        """No request to ``host`` is sent before wall time ``until`` (``Retry-After``)."""
        st = self._state(host)
        st.defer_until = max(st.defer_until, until)

    def set_crawl_delay(self, host: str, delay_s: float | None, expires: float) -> None:
        """Record ``host``'s robots.txt ``Crawl-delay`` (seconds; None clears it) until wall time ``expires``."""
        st = self._state(host)
        st.crawl_delay, st.crawl_expires = delay_s, expires

    def crawl_delay(self, host: str) -> float | None:
        """The recorded, unexpired ``Crawl-delay`` of ``host`` in seconds, or None."""
        st = self._state(host)
        return st.crawl_delay if st.crawl_delay is not None and st.crawl_expires > time.time() else None

    def next_free(self, host: str) -> float:
        """Estimated wall time at which ``host`` may next be sent a request (scheduling hint)."""
        st = self._state(host)
        return _ready_at(st.last_end, st.defer_until, st.delay + margin(st.delay), time.time())


class FileHostGate(LocalHostGate):
    """:class:`HostGate` shared by all processes using one state directory on one machine.

    ``FileHostGate(root)``: one lock file per host, ``<root>/<host_file_stem(host)>.lock``,
    holding JSON ``{"host", "last_end", "defer_until", "crawl_delay", "crawl_expires"}``
    (wall-clock seconds). ``acquire`` takes the thread-level slot first (so at most one
    thread per process waits on the file), then ``flock(LOCK_EX)`` on the host's file, waits
    until the stored and in-memory state allow a send, and keeps the ``flock`` until
    ``release`` writes the completion time. An unreadable file counts as "a request just
    completed" (one extra delay, never a burst). Raises ``OSError`` when ``root`` cannot be
    created."""

    def __init__(self, root: str | Path):
        super().__init__()
        if fcntl is None:  # pragma: no cover
            raise OSError("fcntl.flock is not available on this platform")
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._fds: dict[str, int] = {}  # host -> fd of the held lock file (one holder per host per process)

    def path(self, host: str) -> Path:
        """The lock/state file of ``host``."""
        return self.root / f"{host_file_stem(host)}.lock"

    @staticmethod
    def _read(fd: int, host: str) -> dict[str, Any]:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = b""
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            raw += chunk
        if not raw.strip():
            return {}
        try:
            d = json.loads(raw)
            if not isinstance(d, dict):
                raise ValueError("not an object")
            return d
        except ValueError as e:
            log.warning("politeness state for %s unreadable (%s): assuming a request just completed", host, e)
            return {"last_end": time.time()}

    @staticmethod
    def _write(fd: int, state: dict[str, Any]) -> None:
        data = json.dumps(state, sort_keys=True).encode("utf-8")
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, data)

    def _open_locked(self, host: str) -> int:
        fd = os.open(self.path(host), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _close(self, fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def acquire(self, host: str, delay_s: float) -> float:
        """Thread slot, then the host's file lock; sleeps (holding both) until the stored
        completion time, deferral and crawl delay allow a send. Returns seconds waited."""
        t0 = time.monotonic()
        st = self._state(host)
        st.lock.acquire()
        fd = -1
        try:
            fd = self._open_locked(host)
            d = self._read(fd, host)
            cd = d.get("crawl_delay") if float(d.get("crawl_expires") or 0) > time.time() else None
            if cd is not None:
                st.crawl_delay, st.crawl_expires = float(cd), float(d["crawl_expires"])
            self.wait_ready(host, delay_s, (float(d.get("last_end") or 0), float(d.get("defer_until") or 0),
                                            float(cd) if cd is not None else None))
        except BaseException:
            if fd >= 0:
                self._close(fd)
            st.lock.release()
            raise
        self._fds[host] = fd
        return time.monotonic() - t0

    def release(self, host: str, when: float | None = None) -> None:
        """Write the completion time (``when`` or now, wall clock) to the host's file, unlock it
        and free the thread slot."""
        when = when if when is not None else time.time()
        fd = self._fds.pop(host)
        try:
            d = self._read(fd, host)
            d["host"] = host
            d["last_end"] = when  # nobody else stamps while we hold the flock
            self._write(fd, d)
        except OSError as e:  # the slot is freed whatever happens; the in-memory stamp still holds in-process
            log.warning("cannot record politeness state for %s: %s", host, e)
        finally:
            self._close(fd)
            super().release(host, when)

    def _update(self, host: str, fn) -> None:
        fd = self._open_locked(host)
        try:
            d = self._read(fd, host)
            d["host"] = host
            fn(d)
            self._write(fd, d)
        finally:
            self._close(fd)

    def defer(self, host: str, until: float) -> None:
        """No request to ``host`` is sent by any process before wall time ``until`` (``Retry-After``).
        Raises ``OSError`` when the host's file cannot be written."""
        super().defer(host, until)
        self._update(host, lambda d: d.__setitem__("defer_until", max(float(d.get("defer_until") or 0), until)))

    def set_crawl_delay(self, host: str, delay_s: float | None, expires: float) -> None:
        """Record ``host``'s ``Crawl-delay`` (seconds, None clears) for every process until
        wall time ``expires``. Raises ``OSError`` when the host's file cannot be written."""
        super().set_crawl_delay(host, delay_s, expires)

        def upd(d: dict) -> None:
            d["crawl_delay"], d["crawl_expires"] = delay_s, expires
        self._update(host, upd)


_SHARED: dict[str, LocalHostGate] = {}
_SHARED_LOCK = threading.Lock()


def shared_gate(state_dir: str | Path) -> LocalHostGate:
    """The process-wide gate rooted at ``<state_dir>/hosts`` (one per directory per process, so
    all fetchers of a process share its thread-level state): a :class:`FileHostGate`, or a
    :class:`LocalHostGate` where ``fcntl`` is unavailable. Raises ``OSError`` when the directory
    cannot be created."""
    root = (Path(state_dir) / "hosts").resolve()
    with _SHARED_LOCK:
        g = _SHARED.get(str(root))
        if g is None:
            if fcntl is None:  # pragma: no cover
                log.warning("fcntl unavailable: per-host politeness is per process only")
                g = LocalHostGate()
            else:
                g = FileHostGate(root)
            _SHARED[str(root)] = g
        return g


T = TypeVar("T")


def run_per_host(hosts: list[str], job: Callable[[int, str], T], *, per_host: int, max_workers: int,
                 next_free: Callable[[str], float], thread_name_prefix: str = "mediamon") -> list[T]:
    """Run ``job(i, hosts[i])`` for every index ``i`` on up to ``max_workers`` threads, with at
    most ``per_host`` jobs of one host (``hosts[i]``, a host key) running at once.

    Scheduling: each worker takes the next job of the host whose slot frees soonest
    (``next_free(host)``: wall time, e.g. :meth:`HostGate.next_free`) among hosts with fewer
    than ``per_host`` jobs running, so one slow or broken host never holds back the others;
    the jobs of one host start in input order. Returns the results in input order. ``job``
    should not raise: an exception is re-raised here after the other workers finished."""
    n = len(hosts)
    results: list[Any] = [None] * n
    if not n:
        return []
    queues: dict[str, list[int]] = {}
    for i, hk in enumerate(hosts):
        queues.setdefault(hk, []).append(i)
    for q in queues.values():
        q.reverse()  # pop() from the end keeps input order per host
    active: dict[str, int] = {h: 0 for h in queues}
    cond = threading.Condition()

    def take() -> tuple[str, int] | None:
        with cond:
            while True:
                ready = [h for h, q in queues.items() if q and active[h] < per_host]
                if ready:
                    h = min(ready, key=next_free)
                    active[h] += 1
                    return h, queues[h].pop()
                if not any(queues.values()):
                    return None
                cond.wait(0.5)

    def worker() -> None:
        while True:
            item = take()
            if item is None:
                return
            h, i = item
            try:
                results[i] = job(i, h)
            finally:
                with cond:
                    active[h] -= 1
                    cond.notify_all()

    nworkers = max(1, min(max_workers, n, len(queues) * per_host))
    with ThreadPoolExecutor(max_workers=nworkers, thread_name_prefix=thread_name_prefix) as ex:
        futs = [ex.submit(worker) for _ in range(nworkers)]
        for f in futs:
            f.result()
    return results
