"""The HTTP client: :class:`Fetcher` (transport, retries, timeouts, caps) and :class:`FetchResult`.

:class:`Fetcher` is what the ingest stage uses for every request (feeds, sitemaps, section
pages, articles, robots.txt). It never raises for network or HTTP errors: each call returns
a :class:`FetchResult` whose ``outcome`` says what happened and whose :meth:`FetchResult.log_row`
is one ``fetch_log`` row. What it builds on, one module each: :mod:`mediamon.acquire.guard`
(SSRF), :mod:`mediamon.acquire.politeness` (per-host gate: a minimum gap of
``per_host_delay_s`` plus a margin per host, shared across stages and processes; at most
``max_per_host`` requests in flight per host per fetcher, different hosts fetched
concurrently by :meth:`Fetcher.fetch_many`; ``Retry-After`` on 429/503 also pushes back every
other request to that host), :mod:`mediamon.acquire.robots` (RFC 9309),
:mod:`mediamon.acquire.encoding` (Content-Encoding, charsets), :mod:`mediamon.acquire.archive`
(WARC). User-Agent naming the product and a contact URL (``FetchSettings.user_agent``/
``contact_url``). Conditional GET: pass ``validators={'etag':..., 'last_modified':...}``; a 304
yields ``outcome='not_modified'``.

Robustness: connect/read timeouts (requests) plus a total deadline per attempt enforced
while streaming; up to ``retries`` retries with exponential backoff and jitter ("equal
jitter", AWS Architecture Blog 2015) on timeouts, connection errors, 429 and 5xx, honouring
``Retry-After`` (seconds or HTTP date; a wait above ``backoff_max_s`` is not retried); no
retry on other 4xx; at most ``max_redirects`` redirects, redirect loops detected. The body is
read with a byte cap (``max_bytes``) while streaming; Content-Encoding gzip/deflate is
decoded with bounded output (decompression-bomb guard); stacked (``gzip, gzip``) or
unadvertised codings give ``outcome='unsupported_encoding'`` (permanent: not retried). For ``kind='article'``,
non-HTML content types (PDF, images, audio, video, archives) are skipped unread.
"""

from __future__ import annotations

import logging
import random
import re
import socket
import threading
import time
from datetime import datetime, timezone
from mediamon.util.dates import parse_http_date
from pathlib import Path
from typing import Callable, Iterable, TypeVar
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from mediamon.acquire import guard
from mediamon.acquire.encoding import BodyDecoder, ContentDecodingError, UnsupportedEncoding, decode_body
from mediamon.acquire.politeness import HostGate, LocalHostGate, host_key, run_per_host, shared_gate
from mediamon.acquire.result import LOG_KEYS, OUTCOMES, FetchResult
from mediamon.acquire.robots import RobotsPolicy, RobotsStore
from mediamon.config import FetchSettings

T = TypeVar("T")

log = logging.getLogger(__name__)

__all__ = ["FetchResult", "Fetcher", "OUTCOMES", "LOG_KEYS"]

_NON_HTML_PREFIXES = ("image/", "video/", "audio/", "font/", "model/")
_NON_HTML_TYPES = (
    "application/pdf", "application/zip", "application/x-zip", "application/msword", "application/vnd.",
    "application/x-rar", "application/x-7z", "application/x-tar", "application/gzip", "application/x-gzip",
    "application/postscript", "application/x-shockwave-flash", "application/epub", "application/ogg",
)
_MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
          (b"GIF8", "image/gif"), (b"PK\x03\x04", "application/zip"))


def _retry_after_s(value: str | None, now: float | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    when = parse_http_date(value)
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))



# ----------------------------------------------------------------------------- fetcher


class _Slot:
    """A held :class:`~mediamon.acquire.politeness.HostGate` slot, released (stamped) exactly once."""

    def __init__(self, gate: HostGate, host: str):
        self.gate, self.host, self.done = gate, host, False

    def release(self) -> None:
        if not self.done:
            self.done = True
            self.gate.release(self.host)


class _Stop(Exception):
    def __init__(self, outcome: str, error_class: str, error: str, status: int | None = None):
        super().__init__(error)
        self.outcome, self.error_class, self.error, self.status = outcome, error_class, error, status


class Fetcher:
    """Polite, robust HTTP client for one ingest task (thread-safe).

    ``Fetcher(settings: FetchSettings, allow_private_hosts: set[str] = frozenset(),
    warc_dir: Path | None = None, *, max_crawl_delay_s=30.0)``. ``allow_private_hosts``:
    ``"host"`` or ``"host:port"`` strings exempt from the SSRF address check (see
    :func:`mediamon.acquire.guard.allowlist_for_source`). ``warc_dir``: when set, every response
    read is archived (:class:`mediamon.acquire.archive.WarcArchive`). Robots.txt rules are
    :attr:`robots` (:class:`mediamon.acquire.robots.RobotsPolicy`); robots.txt fetches made
    implicitly are kept and returned by :meth:`pop_robots_results` so they can be logged too (only by the fetcher
    that actually fetched robots.txt, not by one that read it from the shared cache).

    Politeness scope (keyword-only ``state_dir``, ``gate``): with ``state_dir`` (the
    pipeline passes ``<data_dir>/state``) the per-host gate is
    :func:`mediamon.acquire.politeness.shared_gate` (``<state_dir>/hosts/``: every fetcher of every
    process using that directory shares it, Crawl-delay included) and robots.txt is cached
    on disk in ``<state_dir>/robots/`` for ``robots_ttl_s``, so it is fetched once per host
    per TTL, whichever stage or process asks. Without it, the gate and the robots cache are
    this fetcher's own (in memory). ``gate``: any :class:`mediamon.acquire.politeness.HostGate`
    (overrides ``state_dir``'s gate; e.g. when work is sharded by host). The
    ``max_per_host`` in-flight cap is per fetcher. Raises ``OSError`` when ``state_dir``
    cannot be created.
    """

    def __init__(self, settings: FetchSettings | None = None, allow_private_hosts: Iterable[str] = frozenset(),
                 warc_dir: str | Path | None = None, *, max_crawl_delay_s: float = 30.0,
                 state_dir: str | Path | None = None, gate: HostGate | None = None):
        self.settings = settings or FetchSettings()
        self.allow_private_hosts = {h.lower() for h in allow_private_hosts}
        self.max_crawl_delay_s = max_crawl_delay_s
        self.gate: HostGate = gate or (shared_gate(state_dir) if state_dir is not None else LocalHostGate())
        self._inflight: dict[str, threading.BoundedSemaphore] = {}
        self._local = threading.local()
        self._lock = threading.Lock()
        self._shared: requests.Session | None = None
        self.product_token = re.split(r"[/\s(]", self.settings.user_agent.strip(), maxsplit=1)[0] or "mediamon"
        self.robots = RobotsPolicy(lambda u: self.fetch(u, kind="robots"), self.settings.robots_ttl_s, self.gate,
                                   self.product_token, max_crawl_delay_s,
                                   RobotsStore(Path(state_dir) / "robots") if state_dir is not None else None)
        ua = self.settings.user_agent
        if self.settings.contact_url and self.settings.contact_url not in ua:
            ua = f"{ua} (+{self.settings.contact_url})"
        self.user_agent = ua
        self.warc = None
        if warc_dir is not None:
            from mediamon.acquire.archive import WarcArchive

            self.warc = WarcArchive(warc_dir)

    # -- session / ssrf ------------------------------------------------------
    def _session(self) -> requests.Session:
        # One session (one urllib3 pool per host) shared by all threads, so keep-alive
        # connections are reused whichever worker fetches a host; urllib3 pools are thread-safe.
        with self._lock:
            if self._shared is None:
                s = requests.Session()
                s.trust_env = False  # no proxies or netrc from the environment
                adapter = requests.adapters.HTTPAdapter(pool_connections=64,
                                                        pool_maxsize=max(4, self.settings.max_per_host), max_retries=0)
                s.mount("http://", adapter)
                s.mount("https://", adapter)
                self._shared = s
            return self._shared

    def close(self) -> None:
        """Close the HTTP connection pools (the fetcher stays usable: a new pool is made on demand)."""
        with self._lock:
            if self._shared is not None:
                self._shared.close()
                self._shared = None

    def check_url(self, url: str) -> None:
        """Raise ``_Stop`` with ``blocked_scheme``/``blocked_address``/``connection_error`` when
        ``url`` may not be fetched (SSRF guard, :func:`mediamon.acquire.guard.check_url`);
        return None when it may."""
        try:
            guard.check_url(url, self.allow_private_hosts)
        except guard.Refused as e:
            raise _Stop(e.outcome, e.error_class, e.error) from None

    # -- robots --------------------------------------------------------------
    def robots_decision(self, url: str) -> tuple[str, str | None]:
        """``('allowed'|'disallowed'|'unavailable', reason|None)`` for ``url`` (fetches robots.txt once per TTL)."""
        return self.robots.decision(url)

    def robots_sitemaps(self, url: str) -> list[str]:
        """``Sitemap:`` URLs listed in the robots.txt of ``url``'s host (absolute, in file order)."""
        return self.robots.sitemaps(url)

    def pop_robots_results(self) -> list[FetchResult]:
        """Return and forget the robots.txt FetchResults made implicitly so far (for fetch_log)."""
        return self.robots.pop_results()

    def _defer(self, res: FetchResult, wait_s: float) -> None:
        """Push back every request to ``res.host`` by ``wait_s`` seconds (Retry-After), in all
        processes sharing the gate; a failure to share it is noted in ``res.error``."""
        try:
            self.gate.defer(res.host, time.time() + wait_s)
        except OSError as e:
            res.error = (res.error or "") + f"; Retry-After not shared: {e}"

    # -- fetching ------------------------------------------------------------
    def _headers(self, kind: str, validators: dict | None) -> dict[str, str]:
        h = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        if kind == "article":
            h["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
        elif kind in ("feed", "sitemap"):
            h["Accept"] = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
        if validators:
            if validators.get("etag"):
                h["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                h["If-Modified-Since"] = validators["last_modified"]
        return h

    def fetch(self, url: str, *, source_id: str | None = None, kind: str = "article",
              validators: dict | None = None, max_retries: int | None = None) -> FetchResult:
        """Fetch one URL politely; never raises for network/HTTP errors.

        ``kind``: 'article' | 'feed' | 'sitemap' | 'robots' | 'section' (affects Accept header,
        robots check — not done for 'robots' — and the non-HTML skip — only for 'article' and
        'section'). ``validators``: ``{'etag': str, 'last_modified': str}`` for a conditional
        GET. ``max_retries``: lower the retry count for this URL (``min(settings.retries,
        max_retries)``; the pipeline's cross-run attempt budget). Returns a :class:`FetchResult`;
        the response is archived to WARC when the fetcher has a ``warc_dir`` and a body was read.
        """
        prev_sid = getattr(self._local, "source_id", None)
        if source_id is not None:
            self._local.source_id = source_id
        try:
            return self._fetch(url, kind, validators, max_retries)
        finally:
            self._local.source_id = prev_sid

    def _fetch(self, url: str, kind: str, validators: dict | None, max_retries: int | None = None) -> FetchResult:
        t0 = time.monotonic()
        res = FetchResult(url=url, final_url=url, host="", kind=kind)
        try:
            res.host = host_key(url) if urlsplit(url).scheme in ("http", "https") else (urlsplit(url).hostname or "")
        except ValueError:
            res.host = ""
        s = self.settings
        retries = s.retries if max_retries is None else max(0, min(s.retries, max_retries))
        attempt = 0
        while True:
            try:
                self._attempt(res, validators, t0)
                retry_status = res.status is not None and (res.status == 429 or res.status >= 500) and res.outcome == "http_error"
                retryable = retry_status
            except _Stop as e:
                res.outcome, res.error_class, res.error = e.outcome, e.error_class, e.error
                if e.status is not None:
                    res.status = e.status
                retryable = e.outcome in ("timeout", "connection_error") and e.error_class != "NameResolutionError"
            except Exception as e:  # a bug or an unexpected library error: record, never raise
                res.outcome, res.error_class, res.error = "error", type(e).__name__, str(e)[:500]
                retryable = False
            res.history.append({"url": res.final_url, "status": res.status, "outcome": res.outcome,
                                "error_class": res.error_class})
            if not retryable or attempt >= retries:
                break
            wait = None
            if res.status in (429, 503) or (res.status and res.status >= 500):
                ra = _retry_after_s(res.headers.get("Retry-After") or res.headers.get("retry-after"))
                if ra is not None:
                    if ra > s.backoff_max_s:
                        res.error = (res.error or "") + f"; Retry-After {ra:.0f}s exceeds backoff_max_s, not retried"
                        self._defer(res, min(ra, 3600.0))
                        break
                    wait = ra
                    self._defer(res, ra)
            if wait is None:
                d = min(s.backoff_max_s, s.backoff_base_s * (2 ** attempt))
                wait = d / 2 + random.uniform(0, d / 2)
            res.history[-1]["wait_s"] = round(wait, 3)
            time.sleep(wait)
            attempt += 1
            res.retries = attempt
            res.body = res.text = None
            res.status = None
            res.error = res.error_class = None
            res.final_url = url
        res.elapsed_s = time.monotonic() - t0
        return res

    def _attempt(self, res: FetchResult, validators: dict | None, t0: float) -> None:
        s = self.settings
        current = res.url
        seen = {current}
        deadline = time.monotonic() + s.total_timeout_s
        for hop in range(s.max_redirects + 1):
            res.final_url = current
            self.check_url(current)
            host = host_key(current)
            res.host = host
            if res.kind != "robots" and s.respect_robots:
                decision, reason = self.robots_decision(current)
                res.robots = decision
                if decision == "disallowed" or reason:
                    res.skip_reason = reason
                    r = self.robots.cached(current)
                    if r is not None and r.net_outcome in ("connection_error", "timeout"):
                        # host unreachable: report the network failure, not a robots rule
                        raise _Stop(r.net_outcome, "RobotsUnreachable", reason or "robots.txt unreachable")
                    raise _Stop("robots_disallowed", "RobotsDisallowed", reason or "disallowed")
            with self._lock:
                sem = self._inflight.setdefault(host, threading.BoundedSemaphore(s.max_per_host))
            with sem:
                # the gate is held from send to response headers (see mediamon.acquire.politeness);
                # time spent waiting for it does not count against this attempt's deadline
                deadline += self.gate.acquire(host, s.per_host_delay_s)
                slot = _Slot(self.gate, host)
                try:
                    res.fetched_at = datetime.now(timezone.utc)
                    location = self._request(res, current, validators, deadline, on_headers=slot.release)
                finally:
                    slot.release()
            if location is None:
                return
            nxt = urljoin(current, location)
            if nxt in seen:
                raise _Stop("redirect_loop", "RedirectLoop", f"redirect loop at {nxt}", res.status)
            seen.add(nxt)
            current = nxt
        raise _Stop("redirect_loop", "TooManyRedirects", f"more than {s.max_redirects} redirects", res.status)

    def _request(self, res: FetchResult, url: str, validators: dict | None, deadline: float,
                 on_headers=None) -> str | None:
        """One HTTP request; fills ``res``; returns a redirect Location or None. ``on_headers()``
        is called once the response headers arrived or the request failed (politeness stamp)."""
        s = self.settings
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Stop("timeout", "DeadlineExceeded", f"total deadline {s.total_timeout_s}s exceeded")
        try:
            try:
                r = self._session().get(
                    url, headers=self._headers(res.kind, validators), stream=True, allow_redirects=False,
                    timeout=(min(s.connect_timeout_s, remaining), min(s.read_timeout_s, remaining)),
                )
            finally:
                if on_headers is not None:
                    on_headers()
        except requests.exceptions.Timeout as e:
            raise _Stop("timeout", type(e).__name__, str(e)[:300]) from None
        except requests.exceptions.InvalidURL as e:
            raise _Stop("error", "InvalidURL", str(e)[:300]) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as e:
            raise _Stop("connection_error", type(e).__name__, str(e)[:300]) from None
        try:
            res.status = r.status_code
            res.headers = {k: v for k, v in r.headers.items()}
            ctype = r.headers.get("Content-Type")
            res.content_type = ctype
            if r.is_redirect and r.headers.get("Location"):
                return r.headers["Location"]
            if r.status_code == 304:
                res.outcome = "not_modified"
                res.body, res.text = b"", None
                return None
            mime = (ctype or "").split(";")[0].strip().lower()
            if res.kind in ("article", "section") and r.status_code < 300 and (
                    mime.startswith(_NON_HTML_PREFIXES) or mime.startswith(_NON_HTML_TYPES)):
                res.skip_reason = f"non-HTML content type {mime}"
                raise _Stop("non_html", "NonHTML", res.skip_reason, r.status_code)
            clen = r.headers.get("Content-Length")
            if clen and clen.isdigit() and int(clen) > s.max_bytes and not r.headers.get("Content-Encoding"):
                res.skip_reason = f"Content-Length {clen} > max_bytes {s.max_bytes}"
                raise _Stop("too_large", "TooLarge", res.skip_reason, r.status_code)
            body = self._read_body(res, r, deadline)
        finally:
            r.close()
        res.body = body
        res.n_bytes = len(body)
        if res.kind in ("article", "section") and r.status_code < 300:
            for magic, mt in _MAGIC:
                if body.startswith(magic):
                    res.skip_reason = f"non-HTML content ({mt} by magic bytes, declared {mime or 'none'})"
                    res.body = None
                    raise _Stop("non_html", "NonHTML", res.skip_reason, r.status_code)
        if not (res.kind == "sitemap" and body[:2] == b"\x1f\x8b"):
            text, enc, src, nrep = decode_body(body, ctype)
            res.text, res.encoding, res.encoding_source, res.replacement_chars = text, enc, src, nrep
        res.outcome = "ok" if 200 <= r.status_code < 300 else "http_error"
        if res.outcome == "http_error":
            res.error_class, res.error = "HTTPError", f"HTTP {r.status_code} {r.reason or ''}".strip()
        if self.warc is not None:
            try:
                res.warc_path = str(self.warc.write_response(
                    url, fetched_at=res.fetched_at, status=r.status_code, reason=r.reason or "",
                    headers=res.headers, body=body, source_id=getattr(self._local, "source_id", None),
                    request_headers=dict(r.request.headers) if r.request is not None else None))
            except OSError as e:  # archive failure is recorded, the fetch result is kept
                res.error = (res.error + "; " if res.error else "") + f"WARC write failed: {e}"
        return None

    def _read_body(self, res: FetchResult, r: requests.Response, deadline: float) -> bytes:
        s = self.settings
        try:
            dec = BodyDecoder(r.headers.get("Content-Encoding"), s.max_bytes)
        except UnsupportedEncoding as e:  # permanent: the same response comes back on every retry
            raise _Stop("unsupported_encoding", "UnsupportedEncoding", str(e), r.status_code) from None
        try:
            while True:
                # read1: return what is available (<= 64 KiB) so the deadline is checked
                # even when a server drips bytes slower than the read timeout.
                chunk = r.raw.read1(65536, decode_content=False)
                if not chunk:
                    break
                if time.monotonic() > deadline:
                    res.n_bytes = len(dec.out)
                    raise _Stop("timeout", "DeadlineExceeded", f"total deadline {s.total_timeout_s}s exceeded while reading ({len(dec.out)} bytes)", r.status_code)
                try:
                    dec.feed(chunk)
                except ContentDecodingError as e:
                    raise _Stop("error", "ContentDecodingError", str(e), r.status_code) from None
                if dec.over_cap:
                    res.n_bytes = len(dec.out)
                    if dec.looks_like_bomb:
                        res.skip_reason = f"decompression bomb: >{s.max_bytes} bytes from {dec.wire} compressed bytes"
                        raise _Stop("decompression_bomb", "DecompressionBomb", res.skip_reason, r.status_code)
                    res.skip_reason = f"body exceeds max_bytes {s.max_bytes}"
                    raise _Stop("too_large", "TooLarge", res.skip_reason, r.status_code)
        except _Stop:
            raise
        except (urllib3.exceptions.ReadTimeoutError, requests.exceptions.Timeout, socket.timeout) as e:
            res.n_bytes = len(dec.out)
            raise _Stop("timeout", "ReadTimeout", f"read timeout after {len(dec.out)} bytes: {e}"[:300], r.status_code) from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.HTTPError, ConnectionError, OSError) as e:
            res.n_bytes = len(dec.out)
            cls = type(e).__name__
            if "IncompleteRead" in str(e):
                cls = "IncompleteRead"
            raise _Stop("connection_error", cls, f"body truncated after {len(dec.out)} bytes: {e}"[:300], r.status_code) from None
        return bytes(dec.out)

    def map_per_host(self, urls: list[str], job: Callable[[int, str], T]) -> list[T]:
        """Run ``job(i, urls[i])`` for every URL on this fetcher's worker threads (``max_workers``),
        scheduled politely per host exactly as :meth:`fetch_many` schedules its fetches
        (:func:`mediamon.acquire.politeness.run_per_host`, at most ``max_per_host`` jobs of one
        host at once). ``job`` does the fetching itself (with :meth:`fetch`) and may do more
        with the result before returning (e.g. hand the page to an extraction pool while the
        other hosts go on). Returns the job results in input order; ``job`` should not raise
        (an exception is re-raised after the other jobs finished)."""
        hosts = []
        for u in urls:
            try:
                hosts.append(host_key(u))
            except ValueError:
                hosts.append("?")
        return run_per_host(hosts, lambda i, h: job(i, urls[i]), per_host=self.settings.max_per_host,
                            max_workers=self.settings.max_workers, next_free=self.gate.next_free,
                            thread_name_prefix="mediamon-fetch")

    def fetch_many(self, urls: list[str], *, source_id: str | None = None, kind: str = "article",
                   max_retries: list[int | None] | None = None) -> list[FetchResult]:
        """Fetch ``urls`` concurrently across hosts (``max_workers`` threads), politely per host.
        ``max_retries``: optional per-URL retry limits, parallel to ``urls`` (see :meth:`fetch`).

        Scheduling (:func:`mediamon.acquire.politeness.run_per_host`): each worker takes the
        next URL of the host whose politeness slot frees soonest among hosts with fewer than
        ``max_per_host`` requests in flight, so one slow or broken host never holds back the
        others. Returns results in input order; never raises.
        """
        hosts = []
        for u in urls:
            try:
                hosts.append(host_key(u))
            except ValueError:
                hosts.append("?")

        def job(i: int, h: str) -> FetchResult:
            try:
                return self.fetch(urls[i], source_id=source_id, kind=kind,
                                  max_retries=max_retries[i] if max_retries is not None else None)
            except Exception as e:  # fetch never raises; belt and braces
                return FetchResult(url=urls[i], final_url=urls[i], host=h, kind=kind, outcome="error",
                                   error_class=type(e).__name__, error=str(e)[:500])

        return run_per_host(hosts, job, per_host=self.settings.max_per_host, max_workers=self.settings.max_workers,
                            next_free=self.gate.next_free, thread_name_prefix="mediamon-fetch")
