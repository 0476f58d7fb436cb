"""Acquisition: everything between a source's configuration and the bytes of its pages.

One job per module (imports run down this list only, never up):

- :mod:`~mediamon.acquire.encoding`: Content-Encoding with bounded output, charsets, ``decode_body``
- :mod:`~mediamon.acquire.politeness`: per-host gate shared by threads and processes, per-host scheduling
- :mod:`~mediamon.acquire.guard`: SSRF guard (``check_url``, ``allowlist_for_source``)
- :mod:`~mediamon.acquire.result`: ``FetchResult``, its outcomes and ``fetch_log`` row
- :mod:`~mediamon.acquire.robots`: robots.txt rules and their on-disk cache
- :mod:`~mediamon.acquire.archive`: WARC writing and reading
- :mod:`~mediamon.acquire.http`: ``Fetcher`` (transport, retries, timeouts, caps)
- :mod:`~mediamon.acquire.pages`: multi-page articles
- :mod:`~mediamon.acquire.urls`: canonical URLs and link filters
- :mod:`~mediamon.acquire.feeds`, :mod:`~mediamon.acquire.sitemaps`: parsers
- :mod:`~mediamon.acquire.polling`: adaptive polling state, refresh policy
- :mod:`~mediamon.acquire.discovery`: ``discover_source``

The names below are re-exported lazily (PEP 562), so importing one light module (say
``mediamon.acquire.encoding``) does not load the HTTP client. Code inside ``mediamon``
imports from the specific module.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Fetcher": "http", "FetchResult": "result", "OUTCOMES": "result", "LOG_KEYS": "result",
    "allowlist_for_source": "guard", "decode_body": "encoding", "gunzip_capped": "encoding",
    "DecompressionBomb": "encoding", "HostGate": "politeness", "LocalHostGate": "politeness",
    "FileHostGate": "politeness", "shared_gate": "politeness",
    "fetch_article_pages": "pages", "follow_pages": "pages", "find_next_page": "pages", "with_query_param": "pages",
    "canonicalize_url": "urls", "prefer_canonical": "urls", "page_canonical": "urls", "section_links": "urls",
    "url_allowed": "urls", "TRACKING_PARAMS": "urls",
    "Entry": "feeds", "ParsedFeed": "feeds", "parse_feed": "feeds",
    "ParsedSitemap": "sitemaps", "parse_sitemap": "sitemaps",
    "PollPolicy": "polling", "FeedState": "polling", "FeedStateStore": "polling", "is_due": "polling",
    "feed_validators": "polling", "update_feed_state": "polling", "due_for_refresh": "polling",
    "Discovery": "discovery", "discover_source": "discovery",
    "WarcArchive": "archive", "WarcError": "archive", "WarcResponse": "archive",
    "iter_warc_responses": "archive", "warc_files_since": "archive",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Load the module that defines ``name`` on first access. Raises AttributeError for other names."""
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{mod}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
