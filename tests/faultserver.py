"""A fault-injecting threaded HTTP/1.1 server on loopback, for tests and benchmarks.

``FaultServer(host='127.0.0.1', port=0, latency_s=0.0)`` starts on ``start()`` (or as a
context manager); ``.url(path)`` gives an absolute URL; ``.log`` holds one
``Hit(t, path, headers)`` per request (``t`` = ``time.monotonic()`` when the request line
was parsed, so it is comparable with client-side clocks in the same process);
``min_gap()`` is the smallest gap between consecutive request starts (server-side
politeness check).

Static routes: ``add(path, body, content_type=..., status=200, headers=None, etag=None,
last_modified=None)``; ``body`` may be a callable returning bytes (evaluated per request).
Conditional GET is honoured for routes with ``etag``/``last_modified`` (304).
``robots_txt`` (str) / ``robots_status`` (int) control ``/robots.txt``.

Built-in fault paths:
``/page/<x>`` small UTF-8 article; ``/status/<code>``; ``/flaky/<key>/<fails>/<code>[?ra=S]``
(first ``fails`` hits answer ``code`` with optional Retry-After S, then 200);
``/slow/<seconds>`` (delay before headers); ``/stall`` (headers and part of the body, then
silence for 30 s); ``/drip/<nbytes>`` (one byte every 50 ms); ``/truncated`` (Content-Length
larger than the body, then close); ``/loop/a`` <-> ``/loop/b``; ``/redirect/<n>`` (n hops then
``/page/final``); ``/redirect-to?u=<url>``; ``/charset/wrong`` (header says UTF-8, body is
windows-1252); ``/charset/meta`` (no header charset, ``<meta charset=windows-1252>``);
``/charset/none`` (no declaration, windows-1252); ``/charset/bom`` (UTF-8 BOM only);
``/charset/latin1-header`` (header windows-1252); ``/gzip-bomb`` (Content-Encoding gzip,
50 MB of zeros in ~50 KB); ``/gzip-ok`` (gzip-encoded page); ``/big`` (11 MB HTML);
``/pdf`` (application/pdf); ``/pdf-as-html`` (PDF bytes labelled text/html); ``/image``.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit

ARTICLE_HTML = (
    "<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
    "<article><h1>{title}</h1><p>Jakarta — Berita tentang {title}. Pemerintah mengumumkan kebijakan baru.</p>"
    "</article></body></html>"
)
_BOMB: bytes | None = None  # see FaultServer.bomb
_BOMB_LOCK = threading.Lock()
CP1252_HTML = "<html><head>{meta}<title>Café</title></head><body><p>Le café était très crème brûlée — “quoted”.</p></body></html>"


@dataclass
class Hit:
    t: float
    path: str
    headers: dict[str, str]


@dataclass
class Route:
    body: bytes | Callable[[], bytes]
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, *a) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str | None = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, length: int | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:  # noqa: C901 - a table of faults
        fs: FaultServer = self.server.owner
        t = time.monotonic()
        u = urlsplit(self.path)
        path, q = u.path, parse_qs(u.query)
        with fs.lock:
            fs.log.append(Hit(t, self.path, {k: v for k, v in self.headers.items()}))
        if fs.latency_s:
            time.sleep(fs.latency_s)
        try:
            self._route(fs, path, q)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _route(self, fs: "FaultServer", path: str, q: dict) -> None:
        full = self.path
        route = fs.routes.get(full) or fs.routes.get(path)
        if route is not None:
            body = route.body() if callable(route.body) else route.body
            hdrs = dict(route.headers)
            if route.etag:
                hdrs["ETag"] = route.etag
            if route.last_modified:
                hdrs["Last-Modified"] = route.last_modified
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if (route.etag and inm == route.etag) or (not inm and route.last_modified and ims == route.last_modified):
                self._send(304, b"", None, hdrs)
                return
            self._send(route.status, body, route.content_type, hdrs)
            return
        parts = [p for p in path.split("/") if p]
        head = parts[0] if parts else ""
        if path == "/robots.txt":
            if fs.robots_status != 200:
                self._send(fs.robots_status, b"error", "text/plain")
            else:
                self._send(200, fs.robots_txt.encode(), "text/plain; charset=utf-8")
        elif head == "page":
            self._send(200, ARTICLE_HTML.format(title="/".join(parts[1:]) or "home").encode())
        elif head == "status":
            code = int(parts[1])
            self._send(code, f"<html><body>status {code}</body></html>".encode())
        elif head == "flaky":
            key, fails, code = parts[1], int(parts[2]), int(parts[3])
            with fs.lock:
                n = fs.counters.get(key, 0)
                fs.counters[key] = n + 1
            if n < fails:
                h = {"Retry-After": q["ra"][0]} if "ra" in q else {}
                self._send(code, b"<html>try later</html>", headers=h)
            else:
                self._send(200, ARTICLE_HTML.format(title=f"flaky {key} ok").encode())
        elif head == "slow":
            time.sleep(float(parts[1]))
            self._send(200, ARTICLE_HTML.format(title="slow").encode())
        elif head == "stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html><body>" + b"x" * 1000)
            self.wfile.flush()
            time.sleep(30)
        elif head == "drip":
            n = int(parts[1])
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(n))
            self.end_headers()
            for _ in range(n):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        elif head == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b"<html><body>" + b"y" * 100)
            self.wfile.flush()
            self.close_connection = True
        elif head == "loop":
            nxt = "/loop/b" if parts[1:] == ["a"] else "/loop/a"
            self._send(302, b"", None, {"Location": nxt})
        elif head == "redirect":
            n = int(parts[1])
            self._send(301, b"", None, {"Location": f"/redirect/{n - 1}" if n > 1 else "/page/final"})
        elif head == "redirect-to":
            self._send(302, b"", None, {"Location": q["u"][0]})
        elif head == "charset":
            kind = parts[1]
            if kind == "wrong":
                self._send(200, CP1252_HTML.format(meta="").encode("cp1252"), "text/html; charset=utf-8")
            elif kind == "meta":
                self._send(200, CP1252_HTML.format(meta='<meta charset="windows-1252">').encode("cp1252"), "text/html")
            elif kind == "none":
                self._send(200, (CP1252_HTML.format(meta="") * 20).encode("cp1252"), "text/html")
            elif kind == "bom":
                self._send(200, b"\xef\xbb\xbf" + CP1252_HTML.format(meta="").encode("utf-8"), "text/html")
            elif kind == "latin1-header":
                self._send(200, CP1252_HTML.format(meta="").encode("cp1252"), "text/html; charset=windows-1252")
            elif kind == "broken-utf8":
                body = ARTICLE_HTML.format(title="rusak").encode("utf-8") + b"\xff\xfe bad \xc3"
                self._send(200, body, "text/html; charset=utf-8")
        elif head == "gzip-bomb":
            self._send(200, fs.bomb(), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        elif head == "gzip-ok":
            self._send(200, gzip.compress(ARTICLE_HTML.format(title="gzip ok").encode()), "text/html; charset=utf-8",
                       {"Content-Encoding": "gzip"})
        elif head == "big":
            n = 11_000_000
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(n)) if q.get("cl") else self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"z" * 65530 + b"</p>"
            sent = 0
            try:
                while sent < n:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif head == "pdf":
            self._send(200, b"%PDF-1.4\n" + b"0" * 5000, "application/pdf")
        elif head == "pdf-as-html":
            self._send(200, b"%PDF-1.4\n" + b"0" * 5000, "text/html")
        elif head == "image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")
        else:
            self._send(404, b"<html>not found</html>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
    owner: "FaultServer"


class FaultServer:
    """Threaded fault-injecting HTTP server on a loopback address (see module docstring)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, latency_s: float = 0.0):
        self.host, self.port, self.latency_s = host, port, latency_s
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        self.counters: dict[str, int] = {}
        self.lock = threading.Lock()
        self.robots_txt = "User-agent: *\nAllow: /\n"
        self.robots_status = 200
        self._srv: _Server | None = None
        self._thread: threading.Thread | None = None

    def bomb(self) -> bytes:
        """The ``/gzip-bomb`` body (50 MB of zeros gzip-compressed to ~50 KB). Built once per
        process (0.25 s idle, over 0.5 s on a loaded machine) and cached; call it before
        fetching ``/gzip-bomb`` so the build never counts against a client's read timeout."""
        global _BOMB
        with _BOMB_LOCK:
            if _BOMB is None:
                _BOMB = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
            return _BOMB

    def start(self) -> "FaultServer":
        self._srv = _Server((self.host, self.port), _Handler)
        self._srv.owner = self
        self.port = self._srv.server_address[1]
        self._thread = threading.Thread(target=self._srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._srv is not None:
            self._srv.shutdown()
            self._srv.server_close()
            self._srv = None

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + (path if path.startswith("/") else "/" + path)

    def add(self, path: str, body: bytes | str | Callable[[], bytes], content_type: str = "text/html; charset=utf-8",
            status: int = 200, headers: dict[str, str] | None = None, etag: str | None = None,
            last_modified: str | None = None) -> str:
        """Serve ``body`` at ``path``; returns the absolute URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body, content_type, status, dict(headers or {}), etag, last_modified)
        return self.url(path)

    def hits(self, prefix: str = "") -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.path.startswith(prefix)]

    def min_gap(self) -> float | None:
        """Smallest gap (s) between consecutive request starts on this server, or None (< 2 requests)."""
        with self.lock:
            ts = sorted(h.t for h in self.log)
        if len(ts) < 2:
            return None
        return min(b - a for a, b in zip(ts, ts[1:]))
