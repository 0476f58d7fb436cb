"""The record of one fetch: :class:`FetchResult`, its outcomes and its ``fetch_log`` row.

Every acquire module that handles a fetch (robots, pages, polling, discovery) uses this
record without depending on the HTTP client itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mediamon.records import FetchLogRow, columns

__all__ = ["FetchResult", "LOG_KEYS", "OUTCOMES"]

OUTCOMES = (
    "ok", "not_modified", "http_error", "robots_disallowed", "blocked_address", "blocked_scheme",
    "timeout", "connection_error", "too_large", "non_html", "decompression_bomb", "redirect_loop", "error",
    "unsupported_encoding",
)
LOG_KEYS = columns(FetchLogRow)



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
