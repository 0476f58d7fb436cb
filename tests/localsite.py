"""A tiny threaded HTTP server on 127.0.0.1 serving routes that tests change between requests
(status, body, content type; optional ETag with conditional GET)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Site:
    """``routes[path] = (status, body, content_type)``; ``etags[path]`` answers If-None-Match with 304."""

    def __init__(self):
        self.routes: dict[str, tuple[int, bytes, str]] = {}
        site = self

        self.etags: dict[str, str] = {}

        class H(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                status, body, ctype = site.routes.get(self.path, (404, b"not found", "text/plain"))
                etag = site.etags.get(self.path)
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feed(self, path: str, links: list[str]) -> None:
        items = "".join(f"<item><title>t</title><link>{self.base}{u}</link></item>" for u in links)
        self.routes[path] = (200, f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode(), "application/rss+xml")

    def close(self):
        self.server.shutdown()
        self.server.server_close()
