"""Polite, robust HTTP fetching: robots.txt, per-host delay, retries, byte caps, SSRF guard, WARC.

:class:`Fetcher` is what the ingest stage uses for every request (feeds, sitemaps, section
pages, articles, robots.txt). It never raises for network or HTTP errors: each call returns
a :class:`FetchResult` whose ``outcome`` says what happened and whose :meth:`FetchResult.log_row`
is one ``fetch_log`` row.

Politeness (per host = ``hostname:port``):

- robots.txt per RFC 9309, parsed with protego, cached per ``scheme://host:port`` for
  ``robots_ttl_s`` (on disk in ``<state_dir>/robots/``, shared by stages and processes, when
  the fetcher has a ``state_dir``). 2xx: rules apply; 4xx: no restrictions (RFC 9309 2.3.1.3);
  5xx or network error: complete disallow (RFC 9309 2.3.1.4), cached for at most 10 minutes.
  ``Crawl-delay`` for our product token raises that host's delay (capped at ``max_crawl_delay_s``),
  recorded in the shared gate so every process honours it.
- a minimum gap of ``per_host_delay_s`` (default 1 s) plus a margin between the end of one
  request's exchange (response headers received) and the sending of the next one to that
  host, so the *server* never sees two arrivals closer than the delay (see
  :mod:`mediamon.politeness`, which also shares the gate across stages and processes); at
  most ``max_per_host`` requests in flight per host per fetcher; different hosts are fetched
  concurrently (:meth:`Fetcher.fetch_many`). ``Retry-After`` on 429/503 also pushes back
  every other request to that host.
- User-Agent naming the product and a contact URL (``FetchSettings.user_agent``/``contact_url``).
- conditional GET: pass ``validators={'etag':..., 'last_modified':...}``; a 304 yields
  ``outcome='not_modified'``.

Robustness: connect/read timeouts (requests) plus a total deadline per attempt enforced
while streaming; up to ``retries`` retries with exponential backoff and jitter ("equal
jitter", AWS Architecture Blog 2015) on timeouts, connection errors, 429 and 5xx, honouring
``Retry-After`` (seconds or HTTP date; a wait above ``backoff_max_s`` is not retried); no
retry on other 4xx; at most ``max_redirects`` redirects, redirect loops detected. The body is
read with a byte cap (``max_bytes``) while streaming; Content-Encoding gzip/deflate is
decoded by us with bounded output (decompression-bomb guard); stacked (``gzip, gzip``) or
unadvertised codings give ``outcome='unsupported_encoding'`` (permanent: not retried). For ``kind='article'``,
non-HTML content types (PDF, images, audio, video, archives) are skipped unread.

Decoding (:func:`decode_body`): HTTP header charset, then BOM, then ``<meta charset>`` /
XML declaration, then detection with charset-normalizer. The first declared charset that
decodes the bytes without error wins; U+FFFD characters in the result are counted
(``replacement_chars``) as a quality figure.

Security: URLs whose scheme is not http/https are refused (``blocked_scheme``); hosts that
resolve to any private, loopback, link-local, multicast, reserved or otherwise non-global
address are refused (``blocked_address``), re-checked at every redirect hop, unless the host
is in ``allow_private_hosts`` (``"host"`` or ``"host:port"``; see :func:`allowlist_for_source`).
Known gap: the address check resolves the name and requests resolves it again (a DNS
rebinding window remains).
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import random
import re
import socket
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO, Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
import urllib3
from protego import Protego

from mediamon.config import FetchSettings, Source, SourceRules
from mediamon.politeness import HostGate, LocalHostGate, RobotsStore, shared_gate
from mediamon.records import FetchLogRow, columns

log = logging.getLogger(__name__)

__all__ = [
    "FetchResult", "Fetcher", "allowlist_for_source", "decode_body", "gunzip_capped",
    "fetch_article_pages", "find_next_page", "with_query_param", "OUTCOMES", "DecompressionBomb",
]

OUTCOMES = (
    "ok", "not_modified", "http_error", "robots_disallowed", "blocked_address", "blocked_scheme",
    "timeout", "connection_error", "too_large", "non_html", "decompression_bomb", "redirect_loop", "error",
    "unsupported_encoding",
)
LOG_KEYS = columns(FetchLogRow)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
_FEED_TYPES_OK = ("xml", "rss", "atom", "json", "text/", "gzip", "x-gzip", "octet-stream", "html")
_NON_HTML_PREFIXES = ("image/", "video/", "audio/", "font/", "model/")
_NON_HTML_TYPES = (
    "application/pdf", "application/zip", "application/x-zip", "application/msword", "application/vnd.",
    "application/x-rar", "application/x-7z", "application/x-tar", "application/gzip", "application/x-gzip",
    "application/postscript", "application/x-shockwave-flash", "application/epub", "application/ogg",
)
_MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
          (b"GIF8", "image/gif"), (b"PK\x03\x04", "application/zip"))
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XMLDECL_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)["']""", re.I)
# WHATWG Encoding Standard: these labels mean windows-1252 in browsers.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
                   "ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252", "x-sjis": "shift_jis"}
_UTF8_MB_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_LATIN_SINGLE_BYTE = {"cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "cp1125", "cp437", "cp850", "cp852", "cp858",
                      "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-9", "iso8859-10", "iso8859-13", "iso8859-14",
                      "iso8859-15", "iso8859-16", "latin_1", "mac-roman", "mac-latin2", "hp-roman8", "cp1140", "cp273"}
_BOMB_RATIO = 100  # decoded/compressed ratio above which exceeding the cap is called a bomb


class DecompressionBomb(ValueError):
    """Decoded size exceeded the cap at a suspicious compression ratio."""


@dataclass
class FetchResult:
    """Outcome of one :meth:`Fetcher.fetch` call (all retries and redirects included).

    Units: ``n_bytes`` decoded body bytes read (also when cut), ``elapsed_s`` wall seconds
    including waits, ``fetched_at`` UTC. ``status`` is the last HTTP status seen (None when no
    response). ``outcome`` is one of :data:`OUTCOMES`. ``robots``: 'allowed' | 'disallowed' |
    'unavailable' | 'not_checked'. ``body``/``text`` are set for ``ok`` and ``http_error``
    (with a body) only. ``history``: one dict per attempt/hop (url, status, outcome,
    error_class, wait_s). Extensions over the architecture contract: ``kind``,
    ``skip_reason``, ``encoding_source`` ('header'|'bom'|'meta'|'detected'|'fallback'),
    ``history``, ``warc_path``.
    """

    url: str
    final_url: str
    host: str
    status: int | None = None
    outcome: str = "error"
    content_type: str | None = None
    encoding: str | None = None
    body: bytes | None = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    n_bytes: int = 0
    elapsed_s: float = 0.0
    retries: int = 0
    error_class: str | None = None
    error: str | None = None
    robots: str = "not_checked"
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    replacement_chars: int = 0
    kind: str = "article"
    skip_reason: str | None = None
    encoding_source: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    warc_path: str | None = None

    @property
    def ok(self) -> bool:
        """True when ``outcome == 'ok'`` (2xx with a body)."""
        return self.outcome == "ok"

    def log_row(self, source_id: str | None, run_id: str | None) -> FetchLogRow:
        """One ``fetch_log`` row (:class:`mediamon.records.FetchLogRow`, fields :data:`LOG_KEYS`);
        ``fetched_at`` in UTC, to the millisecond."""
        at = self.fetched_at.astimezone(timezone.utc)
        return FetchLogRow(
            run_id=run_id, source_id=source_id, url=self.url, final_url=self.final_url,
            host=self.host, kind=self.kind, status=self.status, outcome=self.outcome,
            n_bytes=int(self.n_bytes), elapsed_s=round(float(self.elapsed_s), 4), retries=int(self.retries),
            error_class=self.error_class, error=self.error, robots=self.robots,
            skip_reason=self.skip_reason, fetched_at=at.replace(microsecond=at.microsecond // 1000 * 1000),
            content_type=self.content_type, encoding=self.encoding,
            replacement_chars=int(self.replacement_chars),
        )


# ----------------------------------------------------------------------------- helpers


def host_key(url: str) -> str:
    """``hostname:port`` of an http(s) URL (effective port), the unit of politeness."""
    u = urlsplit(url)
    port = u.port or (443 if u.scheme == "https" else 80)
    return f"{(u.hostname or '').lower()}:{port}"


def allowlist_for_source(source: Source) -> set[str]:
    """``host:port`` strings of a source's homepage, feeds, sitemaps and section pages when
    ``source.allow_private_network`` is true, else an empty set. Pass it as
    ``Fetcher(allow_private_hosts=...)`` for that source's fetcher (one fetcher per source
    task keeps one source's allowlist from admitting another source's URLs)."""
    if not source.allow_private_network:
        return set()
    return {host_key(u) for u in [source.homepage, *source.feeds, *source.sitemaps, *source.section_pages]}


def _blocked_ip(ip: ipaddress._BaseAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def gunzip_capped(data: bytes | BinaryIO, max_bytes: int, *, chunk_size: int = 1 << 16) -> bytes:
    """Decompress gzip/zlib ``data`` (multi-member gzip allowed) producing at most ``max_bytes``.

    ``data``: the compressed bytes, or a binary file object read ``chunk_size`` bytes at a
    time (a local ``.gz`` file), so memory stays within ``max_bytes`` plus one chunk whatever
    the input and output sizes. Trailing NUL padding after the last member is ignored.
    Raises :class:`DecompressionBomb` when the output would exceed ``max_bytes`` and
    ``zlib.error`` on corrupt or non-gzip/zlib input. Used for ``.gz`` sitemaps, local ``.gz``
    pages and Content-Encoding.
    """
    read = getattr(data, "read", None)
    buf, n_in = (b"", 0) if read else (data, len(data))
    out = bytearray()
    d = zlib.decompressobj(47)  # 32+15: auto-detect gzip or zlib header
    while True:
        if not buf:
            buf = read(chunk_size) if read else b""
            if not buf:
                break
            n_in += len(buf)
        if d.eof:  # the previous member ended: NUL padding, or the next member
            if not buf.strip(b"\x00"):
                buf = b""
                continue
            d = zlib.decompressobj(47)
        out += d.decompress(buf, max_bytes - len(out) + 1)
        if len(out) > max_bytes:
            raise DecompressionBomb(f"decompressed size exceeds {max_bytes} bytes (from {n_in} compressed)")
        buf = d.unconsumed_tail or (d.unused_data if d.eof else b"")
    return bytes(out)


def _norm_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    name = _WHATWG_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return m.group(1) if m else None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str, str, int]:
    """Decode response bytes to text: HTTP header charset, then BOM, then ``<meta charset>`` /
    ``<?xml encoding?>`` (first 4 KB), then charset-normalizer detection.

    Returns ``(text, encoding, encoding_source, replacement_chars)``: the codec name (Python),
    where it came from ('header'|'bom'|'meta'|'detected'|'fallback') and the number of U+FFFD
    characters in ``text``. The first declared charset that decodes ``body`` strictly wins; if
    none does, detection is tried, and last the first declared charset (or UTF-8) with
    replacement characters.
    """
    if not body:
        return "", "utf-8", "fallback", 0
    cands: list[tuple[str, str]] = []
    h = _norm_charset(_header_charset(content_type))
    if h:
        cands.append((h, "header"))
    bom_len = 0
    for bom, enc in _BOMS:
        if body.startswith(bom):
            cands.append((enc, "bom"))
            bom_len = len(bom)
            break
    head = body[:4096]
    m = _XMLDECL_RE.search(head) or _META_RE.search(head)
    if m:
        mc = _norm_charset(m.group(1).decode("ascii", "ignore"))
        if mc and not mc.startswith("utf-16") and not mc.startswith("utf-32"):
            cands.append((mc, "meta"))
    for enc, src in cands:
        data = body[bom_len:] if bom_len and (src == "bom" or enc.startswith("utf")) else body
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        return text, enc, src, text.count("\ufffd")
    for enc, src in cands:
        # Declared UTF-8 that holds real multi-byte sequences is UTF-8 with a few bad bytes:
        # keep it and count the U+FFFD (quality figure) rather than guess another codec.
        if enc == "utf-8" and _UTF8_MB_RE.search(body):
            data = body[bom_len:] if bom_len else body
            text = data.decode("utf-8", errors="replace")
            return text, enc, src, text.count("\ufffd")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
    except Exception:  # detection must never sink a fetch
        best = None
    if best is not None and best.encoding:
        enc = _norm_charset(best.encoding) or "utf-8"
        if enc in _LATIN_SINGLE_BYTE and enc != "cp1252":
            # charset-normalizer often picks a sibling code page on short Latin-script text;
            # windows-1252 is the WHATWG default for Latin-script locales (en, id): prefer it
            # when it decodes cleanly.
            try:
                text = body.decode("cp1252")
                return text, "cp1252", "detected", text.count("\ufffd")
            except UnicodeDecodeError:
                pass
        text = body.decode(enc, errors="replace")
        return text, enc, "detected", text.count("\ufffd")
    enc = cands[0][0] if cands else "utf-8"
    text = body.decode(enc, errors="replace")
    return text, enc, "fallback", text.count("\ufffd")


def _retry_after_s(value: str | None, now: float | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


# ----------------------------------------------------------------------------- politeness


@dataclass
class _Robots:
    parser: Protego | None
    status: str  # 'ok' | 'unavailable_allow' | 'unavailable_disallow'
    expires: float  # wall clock (time.time())
    note: str = ""
    net_outcome: str | None = None


# ----------------------------------------------------------------------------- fetcher


class _Slot:
    """A held :class:`~mediamon.politeness.HostGate` slot, released (stamped) exactly once."""

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
    :func:`allowlist_for_source`). ``warc_dir``: when set, every response read is archived
    (:class:`mediamon.warc.WarcArchive`). Robots.txt fetches made implicitly are kept and
    returned by :meth:`pop_robots_results` so they can be logged too (only by the fetcher
    that actually fetched robots.txt, not by one that read it from the shared cache).

    Politeness scope (keyword-only ``state_dir``, ``gate``): with ``state_dir`` (the
    pipeline passes ``<data_dir>/state``) the per-host gate is
    :func:`mediamon.politeness.shared_gate` (``<state_dir>/hosts/``: every fetcher of every
    process using that directory shares it, Crawl-delay included) and robots.txt is cached
    on disk in ``<state_dir>/robots/`` for ``robots_ttl_s``, so it is fetched once per host
    per TTL, whichever stage or process asks. Without it, the gate and the robots cache are
    this fetcher's own (in memory). ``gate``: any :class:`mediamon.politeness.HostGate`
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
        self._robots_store = RobotsStore(Path(state_dir) / "robots") if state_dir is not None else None
        self._inflight: dict[str, threading.BoundedSemaphore] = {}
        self._local = threading.local()
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._robots_results: list[FetchResult] = []
        self._shared: requests.Session | None = None
        self.product_token = re.split(r"[/\s(]", self.settings.user_agent.strip(), maxsplit=1)[0] or "mediamon"
        ua = self.settings.user_agent
        if self.settings.contact_url and self.settings.contact_url not in ua:
            ua = f"{ua} (+{self.settings.contact_url})"
        self.user_agent = ua
        self.warc = None
        if warc_dir is not None:
            from mediamon.warc import WarcArchive

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
        ``url`` may not be fetched (SSRF guard); return None when it may."""
        u = urlsplit(url)
        if u.scheme not in ("http", "https"):
            raise _Stop("blocked_scheme", "BlockedScheme", f"scheme {u.scheme!r} not allowed (http/https only)")
        host = (u.hostname or "").lower()
        if not host:
            raise _Stop("error", "InvalidURL", f"no host in URL {url!r}")
        try:
            hk = host_key(url)
        except ValueError as e:
            raise _Stop("error", "InvalidURL", f"bad port in {url!r}: {e}") from None
        if host in self.allow_private_hosts or hk in self.allow_private_hosts:
            return
        try:
            ips = {ipaddress.ip_address(host.strip("[]"))}
        except ValueError:
            try:
                infos = socket.getaddrinfo(host, u.port or (443 if u.scheme == "https" else 80), type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError, OSError) as e:
                raise _Stop("connection_error", "NameResolutionError", f"cannot resolve {host!r}: {e}") from None
            ips = {ipaddress.ip_address(i[4][0].split("%")[0]) for i in infos}
        bad = sorted(str(i) for i in ips if _blocked_ip(i))
        if bad:
            raise _Stop("blocked_address", "BlockedAddress",
                        f"{host} resolves to non-public address {', '.join(bad)} (source not allowlisted)")

    # -- robots --------------------------------------------------------------
    def _robots_for(self, url: str) -> _Robots:
        u = urlsplit(url)
        key = f"{u.scheme}://{host_key(url)}"
        with self._lock:
            lk = self._robots_locks.setdefault(key, threading.Lock())
        with lk:
            r = self._robots.get(key)
            if r is not None and r.expires > time.time():
                return r
            if self._robots_store is None:
                r = self._fetch_robots(url, key)
            else:
                with self._robots_store.locked(key):  # one process fetches, the others read its result
                    entry = self._robots_store.get(key)
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
        :meth:`pop_robots_results` and, with a state directory, shares the outcome on disk."""
        u = urlsplit(url)
        robots_url = urlunsplit((u.scheme, u.netloc, "/robots.txt", "", ""))
        res = self.fetch(robots_url, kind="robots")
        ttl = self.settings.robots_ttl_s
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
        if self._robots_store is not None and res.outcome not in ("blocked_address", "blocked_scheme") and ttl > 0:
            try:
                self._robots_store.put(key, {"fetched_at": now, "expires": r.expires, "status": r.status,
                                             "note": r.note, "net_outcome": r.net_outcome, "text": text})
            except OSError as e:
                res.error = (res.error + "; " if res.error else "") + f"robots cache write failed: {e}"
        with self._lock:
            self._robots_results.append(res)
        return r

    def _defer(self, res: FetchResult, wait_s: float) -> None:
        """Push back every request to ``res.host`` by ``wait_s`` seconds (Retry-After), in all
        processes sharing the gate; a failure to share it is noted in ``res.error``."""
        try:
            self.gate.defer(res.host, time.time() + wait_s)
        except OSError as e:
            res.error = (res.error or "") + f"; Retry-After not shared: {e}"

    def robots_decision(self, url: str) -> tuple[str, str | None]:
        """``('allowed'|'disallowed'|'unavailable', reason|None)`` for ``url`` (fetches robots.txt once per TTL)."""
        r = self._robots_for(url)
        if r.status == "unavailable_allow":
            return "unavailable", None
        if r.status == "unavailable_disallow":
            return "unavailable", r.note
        if r.parser.can_fetch(url, self.product_token):
            return "allowed", None
        return "disallowed", f"disallowed by robots.txt for {self.product_token}"

    def robots_sitemaps(self, url: str) -> list[str]:
        """``Sitemap:`` URLs listed in the robots.txt of ``url``'s host (absolute, in file order)."""
        r = self._robots_for(url)
        if r.parser is None:
            return []
        base = urlunsplit((urlsplit(url).scheme, urlsplit(url).netloc, "/robots.txt", "", ""))
        return [urljoin(base, s) for s in r.parser.sitemaps]

    def pop_robots_results(self) -> list[FetchResult]:
        """Return and forget the robots.txt FetchResults made implicitly so far (for fetch_log)."""
        with self._lock:
            out, self._robots_results = self._robots_results, []
        return out

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
                    r = self._robots.get(f"{urlsplit(current).scheme}://{host}")
                    if r is not None and r.net_outcome in ("connection_error", "timeout"):
                        # host unreachable: report the network failure, not a robots rule
                        raise _Stop(r.net_outcome, "RobotsUnreachable", reason or "robots.txt unreachable")
                    raise _Stop("robots_disallowed", "RobotsDisallowed", reason or "disallowed")
            with self._lock:
                sem = self._inflight.setdefault(host, threading.BoundedSemaphore(s.max_per_host))
            with sem:
                # the gate is held from send to response headers (see mediamon.politeness);
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
        raw_enc = (r.headers.get("Content-Encoding") or "identity").strip()
        # RFC 9110 8.4: a list of codings in the order applied; 'identity' entries are no-ops.
        codings = [c.strip().lower() for c in raw_enc.split(",") if c.strip() and c.strip().lower() != "identity"]
        enc = codings[0] if len(codings) == 1 else ("identity" if not codings else raw_enc.lower())
        if enc in ("gzip", "x-gzip", "deflate"):
            dec = zlib.decompressobj(47 if enc != "deflate" else zlib.MAX_WBITS)
        elif enc == "identity":
            dec = None
        else:
            # stacked codings ('gzip, gzip') or ones we never advertised (br, zstd, compress):
            # the same response comes back on every retry, so this is a permanent outcome
            raise _Stop("unsupported_encoding", "UnsupportedEncoding", f"unsupported Content-Encoding {raw_enc!r}", r.status_code)
        out = bytearray()
        wire = 0
        raw_deflate_tried = False
        try:
            while True:
                # read1: return what is available (<= 64 KiB) so the deadline is checked
                # even when a server drips bytes slower than the read timeout.
                chunk = r.raw.read1(65536, decode_content=False)
                if not chunk:
                    break
                wire += len(chunk)
                if time.monotonic() > deadline:
                    res.n_bytes = len(out)
                    raise _Stop("timeout", "DeadlineExceeded", f"total deadline {s.total_timeout_s}s exceeded while reading ({len(out)} bytes)", r.status_code)
                if dec is None:
                    out += chunk
                else:
                    data = chunk
                    while data:
                        try:
                            piece = dec.decompress(data, s.max_bytes - len(out) + 1)
                        except zlib.error as e:
                            if enc == "deflate" and not raw_deflate_tried and not out:
                                raw_deflate_tried = True
                                dec = zlib.decompressobj(-zlib.MAX_WBITS)
                                continue
                            raise _Stop("error", "ContentDecodingError", f"bad {enc} body: {e}", r.status_code) from None
                        out += piece
                        if len(out) > s.max_bytes:
                            break
                        data = dec.unconsumed_tail
                        if not data and dec.eof and dec.unused_data:
                            data, dec = dec.unused_data, zlib.decompressobj(47)
                if len(out) > s.max_bytes:
                    res.n_bytes = len(out)
                    if dec is not None and len(out) / max(1, wire) > _BOMB_RATIO:
                        res.skip_reason = f"decompression bomb: >{s.max_bytes} bytes from {wire} compressed bytes"
                        raise _Stop("decompression_bomb", "DecompressionBomb", res.skip_reason, r.status_code)
                    res.skip_reason = f"body exceeds max_bytes {s.max_bytes}"
                    raise _Stop("too_large", "TooLarge", res.skip_reason, r.status_code)
        except _Stop:
            raise
        except (urllib3.exceptions.ReadTimeoutError, requests.exceptions.Timeout, socket.timeout) as e:
            res.n_bytes = len(out)
            raise _Stop("timeout", "ReadTimeout", f"read timeout after {len(out)} bytes: {e}"[:300], r.status_code) from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.HTTPError, ConnectionError, OSError) as e:
            res.n_bytes = len(out)
            cls = type(e).__name__
            if "IncompleteRead" in str(e):
                cls = "IncompleteRead"
            raise _Stop("connection_error", cls, f"body truncated after {len(out)} bytes: {e}"[:300], r.status_code) from None
        return bytes(out)

    def fetch_many(self, urls: list[str], *, source_id: str | None = None, kind: str = "article",
                   max_retries: list[int | None] | None = None) -> list[FetchResult]:
        """Fetch ``urls`` concurrently across hosts (``max_workers`` threads), politely per host.
        ``max_retries``: optional per-URL retry limits, parallel to ``urls`` (see :meth:`fetch`).

        Scheduling: each worker takes the next URL of the host whose politeness slot frees
        soonest among hosts with fewer than ``max_per_host`` requests in flight, so one slow
        or broken host never holds back the others. Returns results in input order; never raises.
        """
        n = len(urls)
        results: list[FetchResult | None] = [None] * n
        if not n:
            return []
        queues: dict[str, list[int]] = {}
        for i, u in enumerate(urls):
            try:
                hk = host_key(u)
            except ValueError:
                hk = "?"
            queues.setdefault(hk, []).append(i)
        for q in queues.values():
            q.reverse()  # pop() from the end keeps input order per host
        active: dict[str, int] = {h: 0 for h in queues}
        cond = threading.Condition()
        per_host = self.settings.max_per_host

        def take() -> tuple[str, int] | None:
            with cond:
                while True:
                    ready = [h for h, q in queues.items() if q and active[h] < per_host]
                    if ready:
                        h = min(ready, key=self.gate.next_free)
                        active[h] += 1
                        return h, queues[h].pop()
                    if not any(queues.values()):
                        return None
                    cond.wait(0.5)

        def worker() -> None:
            while True:
                job = take()
                if job is None:
                    return
                h, i = job
                try:
                    results[i] = self.fetch(urls[i], source_id=source_id, kind=kind,
                                            max_retries=max_retries[i] if max_retries is not None else None)
                except Exception as e:  # fetch never raises; belt and braces
                    results[i] = FetchResult(url=urls[i], final_url=urls[i], host=h, kind=kind, outcome="error",
                                             error_class=type(e).__name__, error=str(e)[:500])
                finally:
                    with cond:
                        active[h] -= 1
                        cond.notify_all()

        nworkers = max(1, min(self.settings.max_workers, n, len(queues) * per_host))
        with ThreadPoolExecutor(max_workers=nworkers, thread_name_prefix="mediamon-fetch") as ex:
            futs = [ex.submit(self._with_source, source_id, worker) for _ in range(nworkers)]
            for f in futs:
                f.result()
        return [r for r in results]  # type: ignore[misc]

    def _with_source(self, source_id: str | None, fn) -> None:
        prev = getattr(self._local, "source_id", None)
        self._local.source_id = source_id
        try:
            fn()
        finally:
            self._local.source_id = prev


# ----------------------------------------------------------------------------- multi-page articles

_PAGE_PARAMS = ("page", "p", "halaman", "hal", "pg", "pagenum", "paged", "pagina")
_PAGE_PATH_RE = re.compile(r"^(.*?)(?:/page/|/halaman/|/|-)(\d{1,3})/?$")
_NEXT_TEXT_RE = re.compile(r"^\s*(selanjutnya|berikutnya|next|halaman\s+selanjutnya|lanjut|›|»|>)\s*$", re.I)


def with_query_param(url: str, param: str) -> str:
    """``url`` with the query pair(s) in ``param`` (``'page=all'`` or ``'single=1&x=y'``) set,
    replacing existing values of the same names."""
    u = urlsplit(url)
    add = parse_qsl(param.lstrip("?&"), keep_blank_values=True)
    names = {k for k, _ in add}
    q = [(k, v) for k, v in parse_qsl(u.query, keep_blank_values=True) if k not in names] + add
    return urlunsplit((u.scheme, u.netloc, u.path, urlencode(q), ""))


def _page_split(url: str) -> tuple[str, int | None]:
    """(url without its page marker, page number or None)."""
    u = urlsplit(url)
    q = parse_qsl(u.query, keep_blank_values=True)
    for k, v in q:
        if k.lower() in _PAGE_PARAMS and v.isdigit():
            rest = urlencode([(a, b) for a, b in q if a != k])
            return urlunsplit((u.scheme, u.netloc.lower(), u.path.rstrip("/"), rest, "")), int(v)
    m = _PAGE_PATH_RE.match(u.path)
    if m and m.group(1):
        return urlunsplit((u.scheme, u.netloc.lower(), m.group(1).rstrip("/"), u.query, "")), int(m.group(2))
    return urlunsplit((u.scheme, u.netloc.lower(), u.path.rstrip("/"), u.query, "")), None


def find_next_page(html: str | bytes, url: str, first_url: str | None = None) -> str | None:
    """URL of the next page of a multi-page article, or None.

    Looks for ``<link rel=next>`` / ``<a rel=next>``, then links whose URL differs from the
    article's only by a page marker (``?page=N``, ``?p=N``, ``?halaman=N``, ``/N``, ``-N``,
    ``/page/N``) with N = current page + 1 — this covers Indonesian "Halaman: 1 2 3" pagers —
    then a "Selanjutnya"/"Berikutnya"/"Next" link to such a URL. Same host only.
    """
    from lxml import etree as _et
    from lxml import html as _lh

    try:
        doc = _lh.fromstring(html)
    except (_et.ParserError, ValueError, TypeError):
        return None
    base, cur = _page_split(url)
    first_base, _ = _page_split(first_url or url)
    cur = cur or 1
    host = urlsplit(url).hostname
    for el in list(doc.iter("link")) + list(doc.iter("a")):
        if "next" in (el.get("rel") or "").lower().split() and el.get("href"):
            nxt = urljoin(url, el.get("href").strip())
            if urlsplit(nxt).hostname == host and nxt.split("#")[0] != url:
                return nxt.split("#")[0]
    by_text = None
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        nxt = urljoin(url, href).split("#")[0]
        if urlsplit(nxt).hostname != host:
            continue
        b, n = _page_split(nxt)
        if n is None or b not in (base, first_base):
            continue
        if n == cur + 1:
            return nxt
        if by_text is None and n > cur and _NEXT_TEXT_RE.match(a.text_content() or ""):
            by_text = nxt
    return by_text


def fetch_article_pages(fetcher: "Fetcher", url: str, rules: SourceRules | None = None, max_pages: int = 10, *,
                        source_id: str | None = None, max_retries: int | None = None) -> tuple[list[FetchResult], list[str]]:
    """Fetch all pages of a (possibly multi-page) article.

    If ``rules.single_page_param`` is set (e.g. ``'page=all'``), the single-page view
    ``with_query_param(url, param)`` is fetched first and, when it succeeds, is the only page.
    Otherwise (or when it fails) ``url`` is fetched and :func:`find_next_page` followed up to
    ``max_pages`` pages (loop-safe). Returns ``(results, html_pages)``: every FetchResult (to
    log) and the decoded HTML of each successful page in order (empty when the first page
    failed). Stitching (caller, e.g. the pipeline): ``extract_article`` on each page, keep the
    first page's metadata, and join the page texts with ``'\\n'``.
    """
    results: list[FetchResult] = []
    if rules is not None and rules.single_page_param:
        r = fetcher.fetch(with_query_param(url, rules.single_page_param), source_id=source_id, kind="article",
                          max_retries=max_retries)
        results.append(r)
        if r.ok and r.text is not None:
            return results, [r.text]
    first = fetcher.fetch(url, source_id=source_id, kind="article", max_retries=max_retries)
    more, pages = follow_pages(fetcher, first, url, source_id=source_id, max_pages=max_pages)
    return results + more, pages


def follow_pages(fetcher: "Fetcher", first: FetchResult, url: str, *, source_id: str | None = None,
                 max_pages: int = 10) -> tuple[list[FetchResult], list[str]]:
    """Given the already-fetched first page ``first`` of the article at ``url``, follow its
    pager (:func:`find_next_page`: ``rel=next``, ``?page=N``, ``Halaman`` links) up to
    ``max_pages`` pages, loop-safe. Returns ``(results, html_pages)`` including ``first``;
    ``html_pages`` is empty when the first page failed."""
    results, pages = [first], []
    if not first.ok or first.text is None:
        return results, pages
    pages.append(first.text)
    seen = {url, first.final_url}
    nxt = find_next_page(first.text, first.final_url, url)
    while nxt and nxt not in seen and len(pages) < max_pages:
        seen.add(nxt)
        r = fetcher.fetch(nxt, source_id=source_id, kind="article")
        results.append(r)
        if not r.ok or r.text is None:
            break
        pages.append(r.text)
        seen.add(r.final_url)
        nxt = find_next_page(r.text, r.final_url, url)
    return results, pages
