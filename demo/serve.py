"""Serve the fictional demo news site (``demo/site/``) on a local port.

Usage::

    python demo/serve.py [--port 8765] [--host 127.0.0.1] [--root demo/site]

Text files (HTML, XML feeds/sitemaps, robots.txt, CSS, SVG) contain the placeholder ``{{BASE}}``
wherever an absolute URL is needed; it is replaced on the fly with the server's base URL
(``http://<host>:<port>``), so the site works on any port. Feeds are served as
``application/rss+xml`` / ``application/atom+xml``, sitemaps as ``application/xml``, pages as
``text/html``, all ``charset=utf-8``. The query string is ignored when mapping a URL to a file,
so ``...article.html?utm_source=rss`` and ``...?page=2`` serve the article page. The month of
history before the demo day (``demo/history.py``; ``<outlet>/arsip/...`` paths) is rendered on
request by ``demo/build_site.py`` (not stored under ``demo/site/``).

From Python (tests, ``make demo``), load this file by path — ``demo/`` is not a package::

    import importlib.util
    spec = importlib.util.spec_from_file_location("demo_serve", "demo/serve.py")
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    server, thread, base_url = mod.start_server()          # port 0 = any free port
    ...
    server.shutdown(); server.server_close()

Uses only the standard library (http.server.ThreadingHTTPServer).
"""

from __future__ import annotations

import argparse
import posixpath
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

SITE_DIR = Path(__file__).resolve().parent / "site"
PLACEHOLDER = b"{{BASE}}"

_TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}


def content_type_for(path: Path) -> str:
    """MIME type (with charset for text) for a file of the demo site, by name and extension."""
    name, ext = path.name.lower(), path.suffix.lower()
    if ext == ".xml":
        if "atom" in name:
            return "application/atom+xml; charset=utf-8"
        if "rss" in name or name.startswith("feed"):
            return "application/rss+xml; charset=utf-8"
        return "application/xml; charset=utf-8"
    return _TEXT_TYPES.get(ext, "application/octet-stream")


_HISTORY: dict[str, str] = {}
_HISTORY_LOCK = threading.Lock()


def _history() -> dict[str, str]:
    """Site path -> HTML of the history pages (demo/build_site.py), built on first use."""
    with _HISTORY_LOCK:
        if not _HISTORY:
            import sys

            sys.path.insert(0, str(Path(__file__).resolve().parent))
            import build_site

            _HISTORY.update({k: v[0] for k, v in build_site.history_pages().items()})
        return _HISTORY


class DemoHandler(SimpleHTTPRequestHandler):
    """GET/HEAD handler serving ``root`` with ``{{BASE}}`` substituted; 404 for anything else."""

    server_version = "mediamon-demo/1.0"

    def __init__(self, *args, root: Path, **kwargs):
        self.root = root
        super().__init__(*args, directory=str(root), **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _resolve(self) -> Path | None:
        path = posixpath.normpath(unquote(urlsplit(self.path).path))
        parts = [p for p in path.split("/") if p and p not in (".", "..")]
        target = self.root.joinpath(*parts) if parts else self.root
        if target.is_dir():
            target = target / "index.html"
        try:
            target.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None
        return target if target.is_file() else None

    def _history_page(self) -> bytes | None:
        """A page of the month of history (``build_site.history_pages``, rendered once), or None."""
        path = posixpath.normpath(unquote(urlsplit(self.path).path)).lstrip("/")
        if "/arsip/" not in path:
            return None
        pages = _history()
        return pages[path].encode("utf-8") if path in pages else None

    def _send(self, head_only: bool) -> None:
        target = self._resolve()
        page = self._history_page() if target is None else None
        if page is not None:
            data = page.replace(PLACEHOLDER, self.server.base_url.encode("ascii"))
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if not head_only:
                self.wfile.write(data)
            return
        if target is None:
            body = b"<!DOCTYPE html><html><body><h1>404 Halaman tidak ditemukan</h1></body></html>"
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head_only:
                self.wfile.write(body)
            return
        ctype = content_type_for(target)
        data = target.read_bytes()
        if "charset=utf-8" in ctype:
            data = data.replace(PLACEHOLDER, self.server.base_url.encode("ascii"))
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", "Wed, 02 Feb 2022 14:00:00 GMT")
        self.end_headers()
        if not head_only:
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._send(head_only=False)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._send(head_only=True)


def start_server(host: str = "127.0.0.1", port: int = 0, root: Path | str = SITE_DIR,
                 verbose: bool = False) -> tuple[ThreadingHTTPServer, threading.Thread, str]:
    """Start the demo site server in a daemon thread.

    ``port=0`` picks a free port. Returns ``(server, thread, base_url)`` where ``base_url`` is
    ``http://<host>:<port>`` without a trailing slash. Stop with ``server.shutdown();
    server.server_close()``. Raises ``FileNotFoundError`` if ``root`` is not a directory and
    ``OSError`` if the address is in use.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"demo site root not found: {root}")
    server = ThreadingHTTPServer((host, port), partial(DemoHandler, root=root))
    server.daemon_threads = True
    server.verbose = verbose
    h, p = server.server_address[:2]
    server.base_url = f"http://{'[' + h + ']' if ':' in h else h}:{p}"
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    return server, thread, server.base_url


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Serve the mediamon demo news site.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--root", default=str(SITE_DIR), help="site directory (default: demo/site)")
    ap.add_argument("--quiet", action="store_true", help="do not log requests")
    args = ap.parse_args(argv)
    server, thread, base = start_server(args.host, args.port, args.root, verbose=not args.quiet)
    print(f"mediamon demo site at {base}/ (Ctrl-C to stop)", flush=True)
    try:
        thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
