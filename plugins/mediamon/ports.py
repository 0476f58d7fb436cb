"""Ports: what the stages need from the outside world, as protocols.

The stages (:mod:`mediamon.stages`) only talk to these interfaces, reached through a
:class:`mediamon.runtime.Runtime`; :mod:`mediamon.runtime` plugs in today's adapters (the
DuckDB file store, JSON-lines staging files, the system clock, :class:`mediamon.acquire.http.Fetcher`).
A DuckLake store, an object-store staging or a test double plugs in the same way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar, runtime_checkable

from mediamon.records import (ArticleRecord, FetchLogRow, Record, SentimentRow, StoryRow, TakedownRow,
                              TopicMatchRow)

__all__ = ["HttpClient", "StoreSession", "ArticleStore", "Staging", "Clock"]

T = TypeVar("T")


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

    def map_per_host(self, urls: list[str], job: Any) -> list[Any]:
        """``job(i, urls[i])`` for every URL on the client's threads, scheduled politely per
        host like :meth:`fetch_many` (the job fetches); results in input order."""
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

    def config_stale(self, sources: Sequence[Any], topics: Sequence[Any], source_ids: Iterable[str]) -> bool:
        """True when upserting ``sources``/``topics`` and ensuring ``source_ids`` would change a row."""
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

    def clustered_stories(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Stories of those of ``article_ids`` already clustered incrementally."""
        ...

    def story_candidates(self, bands: Sequence[dict], window_days: int) -> list[tuple[str, str]]:
        """Stored articles sharing a band key with a new one within ``window_days``: ``[(new_id, stored_id)]``."""
        ...

    def story_members(self, article_ids: Sequence[str]) -> list[dict]:
        """Stored articles with their story, its first_seen and their text."""
        ...

    def write_story_assignment(self, rows: Sequence[dict], bands: Sequence[dict], merges: Sequence[tuple[str, str, str]],
                               touched: Sequence[str], *, run_id: str | None = None) -> None:
        """Write a run's placements, band keys, merges, and refresh the touched stories."""
        ...

    def write_story_links(self, links: Sequence[dict]) -> None:
        """Upsert story-level links (translations)."""
        ...

    def link_candidates(self, entities: Sequence[dict], window_days: int, min_shared: int) -> list[tuple[str, str]]:
        """Stored articles in another language sharing >= ``min_shared`` fingerprint tokens with a new one."""
        ...

    def write_entities(self, entities: Sequence[dict]) -> None:
        """Replace the stored fingerprint tokens of those articles."""
        ...

    def write_lines(self, lines: Sequence[dict]) -> None:
        """Replace the stored body line hashes of those articles."""
        ...

    def common_lines(self, lines: Sequence[dict], min_articles: int) -> set[tuple[str, int]]:
        """The (source_id, line_hash) of ``lines`` stored for >= ``min_articles`` articles of the source."""
        ...

    def build_daily_coverage(self, day: date) -> int:
        """Rebuild the daily coverage of ``day``; returns the rows written."""
        ...

    def build_analytics(self, start: date, end: date, tz: str) -> dict[str, int]:
        """Rebuild the daily analytics tables (coverage, source stats) for ``start..end``
        (days in the IANA zone ``tz``); returns rows written per table."""
        ...

    def refresh_analytics(self, day: date, tz: str) -> dict[str, int]:
        """Build the daily analytics a report of ``day`` needs: the recent days, and history days
        never built (see :func:`mediamon.store.refresh_analytics`); rows written per table."""
        ...

    def replace_comparison_sets(self, sets: dict[str, list[str]]) -> int:
        """Replace the share-of-voice comparison sets (``{name: [topic id, ...]}``)."""
        ...

    def analytics_data(self, day: date, days: int, tz: str) -> dict:
        """Trends, share of voice, top stories and source health of ``day`` and the ``days``
        days up to it (``pyarrow.Table`` values; see :func:`mediamon.store.analytics_data`)."""
        ...

    def report_data(self, day: date, tz: str) -> dict:
        """Everything the daily report shows for ``day`` (times in the IANA zone ``tz``)."""
        ...

    def run_counts(self, run_id: str) -> dict[str, int]:
        """fetch_log outcomes of one run: ``{outcome: count}``."""
        ...

    # versioned topics (mediamon.topicsync; store.topics)
    def latest_article_day(self, today: date) -> date | None:
        """The newest stored article day not after ``today``."""
        ...

    def topic_versions_in_force(self) -> dict[str, str]:
        """``{topic_id: version}`` in force (newest applied)."""
        ...

    def record_topic_version(self, *, topic_id: str, version: str, definition: str, applied_at: datetime,
                             backfill_since: date | None, articles_scanned: int, matches: int, reason: str) -> None:
        """Record one applied topic version."""
        ...

    def articles_for_topic_match(self, *, since: date | None, after: str | None, limit: int) -> list[dict]:
        """A page of stored articles (article_id order) with day >= since, id > after."""
        ...

    def replace_topic_matches(self, article_ids: Sequence[str], topic_ids: Sequence[str],
                              rows: Sequence[TopicMatchRow]) -> None:
        """Replace the matches of ``topic_ids`` for ``article_ids``."""
        ...

    def coverage_days_since(self, since: date | None) -> list[date]:
        """Days with daily_coverage rows from ``since`` on."""
        ...

    def topic_version_history(self) -> list[dict]:
        """Every applied topic version, newest first."""
        ...

    def period_report_data(self, start: date, end: date, tz: str, *, trend_days: int = 30, top_stories: int = 5) -> dict:
        """The report tables of the days ``start``..``end`` (see :func:`mediamon.store.reporting.period_report_data`)."""
        ...

    def fired_alerts(self, keys: Sequence[tuple[str, str, date]]) -> set[tuple[str, str, date]]:
        """Those ``(rule_id, subject, day)`` keys already recorded in the alerts table."""
        ...

    def record_alerts(self, rows: Sequence[dict]) -> int:
        """Record fired alerts (a key already recorded is kept as it was); returns the rows given."""
        ...


    def quality_inputs(self, run_id: str, baseline_runs: int) -> dict:
        """Inputs of the data-quality checks of ``run_id`` (see ``store.quality.quality_inputs``)."""
        ...

    def record_quality(self, run_id: str, rows: Sequence[dict]) -> int:
        """Replace the quality_checks rows of ``run_id``; returns the count written."""
        ...

    def record_runs(self, run_id: str, rows: Sequence[dict]) -> int:
        """Replace the per-stage ``runs`` metrics of ``run_id``; returns the count written."""
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

    def transact(self, work: Callable[[StoreSession], T], *, locks: Sequence[str] = ()) -> T:
        """Run ``work(session)`` as one unit of work and return its result.

        ``locks``: names (``namespace:value``, e.g. ``host:example.com``) covering every key the work
        may insert or replace. A store with several concurrent writers (DuckLake) holds them from
        before the unit's first read until after its commit, so two writers never both insert one key,
        and reruns ``work`` on a fresh snapshot when the commit conflicts with another writer's (so
        ``work`` must only read and write through the session). The DuckDB file, one writer at a
        time, ignores them. Raises what ``work`` raises, and ``store.StoreError`` when the store
        cannot be opened or a conflict outlasts the retries."""
        ...

    def maintain(self, *, older_than_s: float) -> dict:
        """Storage upkeep (DuckLake: merge small files, expire snapshots older than ``older_than_s``
        seconds, delete unneeded files; DuckDB file: CHECKPOINT). Returns counts."""
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
