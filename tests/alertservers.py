"""Real local servers that receive alerts, for the notifier tests.

``SmtpSink``: an SMTP server (aiosmtpd ``Controller``, its own asyncio loop in a thread) on a free
loopback port; ``.messages`` holds each received message as an :class:`email.message.EmailMessage`
with its envelope (``.envelopes``: ``(mail_from, rcpt_tos)``). With ``users={name: password}`` it
requires AUTH (PLAIN/LOGIN, allowed without TLS on loopback).

``WebhookSink``: an ``http.server`` on a free loopback port; ``.requests`` holds
``(path, headers, body_bytes)`` per POST; ``status`` is the HTTP status it answers.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    def __init__(self, users: dict[str, str] | None = None):
        self.messages: list = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.users = users
        self.port = free_port()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"

    def _auth(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = (isinstance(auth_data, LoginPassword) and self.users is not None
              and self.users.get(auth_data.login.decode()) == auth_data.password.decode())
        return AuthResult(success=ok)

    def __enter__(self) -> "SmtpSink":
        from aiosmtpd.controller import Controller

        kw = {}
        if self.users is not None:
            kw = {"authenticator": self._auth, "auth_required": True, "auth_require_tls": False}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **kw)
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()


class WebhookSink:
    def __init__(self, status: int = 200):
        self.status = status
        self.requests: list[tuple[str, dict, bytes]] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                sink.requests.append((self.path, dict(self.headers.items()), body))
                self.send_response(sink.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *a):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "WebhookSink":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
