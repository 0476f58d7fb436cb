"""Ports: what the stages need from the outside world, as protocols.

The stages (:mod:`mediamon.stages`) only talk to these interfaces, reached through a
:class:`mediamon.runtime.Runtime`; :mod:`mediamon.runtime` plugs in today's adapters (the
DuckDB file store, JSON-lines staging files, the system clock, :class:`mediamon.acquire.http.Fetcher`).
A DuckLake store, an object-store staging or a test double plugs in the same way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from mediamon.records import (ArticleRecord, FetchLogRow, Record, SentimentRow, StoryRow, TakedownRow,
                              TopicMatchRow)

__all__ = ["HttpClient", "StoreSession", "ArticleStore", "Staging", "Clock"]


@runtime_checkable
class HttpClient(Protocol):
    """Polite HTTP client of one source (what :class:`mediamon.acquire.http.Fetcher` offers). Never
    raises for network or HTTP errors: each request gives a FetchResult whose ``outcome``
    says what happened and whose ``log_row()`` is a :class:`FetchLogRow`."""

    def fetch(self, url: str, *, source_id: str | None = None, kind: str = "article",
              validators: dict | None = None, max_retries: int | None = None) -> Any:
        """One URL (robots.txt, politeness, retries, SSRF guard) -> FetchResult."""
        ...

    def fetch_many(self, urls: list[str], *, source_id: str | None = None, kind: str = "article",
                   max_retries: Sequence[int | None] | int | None = None) -> list[Any]:
        """Many URLs, concurrently across hosts, politely per host; results in input order."""
        ...

    def pop_robots_results(self) -> list[Any]:
        """The robots.txt fetches made since the last call (to log), emptied."""
        ...

    def close(self) -> None:
        """Release connections and flush the WARC archive."""
        ...


class StoreSession(Protocol):
    """One unit of work on the article store (a transaction: committed on normal exit of
    :meth:`ArticleStore.session`, rolled back on an exception)."""

    def upsert_sources(self, sources: Sequence[Any]) -> None:
        """Insert or update the configured outlets (``config.Source``)."""
        ...

    def ensure_sources(self, source_ids: Iterable[str]) -> None:
        """Placeholder ``sources`` rows for ids not configured (imported WARC hosts)."""
        ...

    def upsert_topics(self, topics: Sequence[Any]) -> None:
        """Insert or update the tracked topics (``config.Topic``)."""
        ...

    def replace_fetch_log(self, run_id: str, rows: Iterable[FetchLogRow]) -> int:
        """Replace the run's fetch_log rows; returns the count written."""
        ...

    def upsert_articles(self, records: Iterable[ArticleRecord]) -> dict[str, int]:
        """Upsert by canonical URL; returns ``{"inserted", "updated", "new_versions"}``."""
        ...

    def site_boilerplate(self, records: Sequence[ArticleRecord]) -> dict[str, frozenset[str]]:
        """Count the body lines of ``records`` per source (site boilerplate learning; a source
        seen for the first time is first backfilled from its stored articles) and return the
        learned boilerplate line keys per source (``mediamon.extract.siteboiler``)."""
        ...

    def record_takedown(self, takedown: TakedownRow) -> bool:
        """Record a 404/410 of a stored article as a new version; False when not stored."""
        ...

    def known_urls(self, urls: Sequence[str]) -> dict[str, dict]:
        """Stored ones of ``urls``: ``{url: {"article_id", "first_seen_at", "fetched_at"}}``."""
        ...

    def fetch_history(self, urls: Sequence[str]) -> dict[str, dict]:
        """Past article fetches of ``urls`` (see ``store.fetch_history``)."""
        ...

    def refresh_candidates(self, since: datetime) -> list[dict]:
        """Stored articles first seen at or after ``since`` (UTC)."""
        ...

    def articles_to_enrich(self, *, run_id: str | None = None, days: Sequence[date] | None = None) -> list[dict]:
        """Articles loaded by ``run_id`` or published on one of ``days``."""
        ...

    def articles_without_sentiment(self, languages: Sequence[str]) -> list[dict]:
        """Stored articles in ``languages`` lacking a sentiment row."""
        ...

    def articles_in_window(self, start_day: date, end_day: date) -> list[dict]:
        """Articles with ``start_day <= day <= end_day``."""
        ...

    def replace_sentiment(self, rows: Sequence[SentimentRow]) -> None:
        """Write sentiment rows (replacing those of the same articles)."""
        ...

    def replace_topics(self, article_ids: Sequence[str], rows: Sequence[TopicMatchRow]) -> None:
        """Replace the topic matches of ``article_ids`` with ``rows``."""
        ...

    def replace_stories(self, rows: Sequence[StoryRow]) -> None:
        """Write story rows (replacing those of the same articles)."""
        ...

    def build_daily_coverage(self, day: date) -> int:
        """Rebuild the daily coverage of ``day``; returns the rows written."""
        ...

    def report_data(self, day: date, tz: str) -> dict:
        """Everything the daily report shows for ``day`` (times in the IANA zone ``tz``)."""
        ...

    def run_counts(self, run_id: str) -> dict[str, int]:
        """fetch_log outcomes of one run: ``{outcome: count}``."""
        ...


class ArticleStore(Protocol):
    """The article database."""

    def exists(self) -> bool:
        """True when the store holds data already (a new store has nothing to look up)."""
        ...

    def session(self, *, read_only: bool = False) -> contextlib.AbstractContextManager[StoreSession]:
        """A unit of work (see :class:`StoreSession`). Raises ``store.StoreError`` naming the
        database when it cannot be opened."""
        ...


class Staging(Protocol):
    """Typed record batches of a run, handed from one task to the next by reference.

    A reference (``ref``) is a short string, JSON-safe (it travels by XCom); only the
    staging that made it can read it."""

    def write_batch(self, run_id: str, name: str, records: Iterable[Record]) -> str:
        """Store ``records`` as the batch ``name`` of ``run_id`` (replacing a batch of that
        name atomically: a retried task never leaves half a batch). Returns its ref."""
        ...

    def read_batch(self, ref: str) -> list[Record]:
        """The records of a batch, in the order written. Raises ``FileNotFoundError`` naming the
        ref for a missing batch, and ``staging.StagingError`` naming the ref (and line) for a
        ref this staging did not make or a batch that does not parse."""
        ...

    def list_refs(self, run_id: str) -> list[str]:
        """Refs of every batch of ``run_id``, sorted by name."""
        ...

    def clean(self, *, keep_s: float) -> int:
        """Remove the batches of runs not written to for ``keep_s`` seconds (wall clock).
        Returns the number of runs removed."""
        ...


@runtime_checkable
class Clock(Protocol):
    """The clock of the polling, retry and refresh decisions."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...
