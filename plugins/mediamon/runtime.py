"""The runtime of the stages: configuration plus the adapters behind the ports.

:func:`build_runtime` wires today's adapters: the DuckDB file store (:class:`DuckDBStore`,
``settings.db_path``), JSON-lines staging files (:class:`mediamon.staging.FileStaging`,
``<data_dir>/staging``), the system clock and one :class:`mediamon.acquire.http.Fetcher` per source.
Another store (e.g. DuckLake) or staging plugs in here, or is passed in by a caller (tests pass
an in-memory staging and a fixed clock).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from mediamon import config as config_mod
from mediamon import store
from mediamon.store import ducklake as store_ducklake
from mediamon.store import topics as store_topics
from mediamon.ports import ArticleStore, Clock, HttpClient, Staging
from mediamon.records import ArticleRecord, FetchLogRow, SentimentRow, StoryRow, TakedownRow, TopicMatchRow
from mediamon.staging import FileStaging

__all__ = ["Runtime", "build_runtime", "DuckDBStore", "DuckLakeStore", "SystemClock", "make_fetcher", "db_path", "data_dir",
           "state_dir", "lake_config", "make_store", "article_locks", "CONFIG_LOCK", "STORY_LOCK"]

T = TypeVar("T")

# Advisory lock names of the writes whose keys several DuckLake writers could insert at once
# (ports.ArticleStore.transact; docs/ducklake.md): the configured outlets/topics, and story clustering,
# which reads a window of every source's articles and rewrites their story rows.
CONFIG_LOCK = "config:sources-topics"
STORY_LOCK = "stories:all"


def article_locks(urls: Iterable[str]) -> list[str]:
    """Lock names of the articles at ``urls`` (canonical URLs): one per host (``host:<host>``), the
    unit that host-sharded fetching gives to one task, so writers of different shards never wait
    for each other. Sorted, distinct."""
    from urllib.parse import urlsplit

    return sorted({f"host:{(urlsplit(u).hostname or '').lower()}" for u in urls})


def db_path(cfg: config_mod.Config) -> Path:
    """The DuckDB file: ``settings.db_path`` resolved against the config directory."""
    return cfg.settings.path(cfg.settings.db_path)


def data_dir(cfg: config_mod.Config) -> Path:
    """``settings.data_dir`` resolved against the config directory."""
    return cfg.settings.path(cfg.settings.data_dir)


def state_dir(cfg: config_mod.Config) -> Path:
    """Feed polling state (conditional GET validators, adaptive intervals) and politeness state
    (per-host gate ``hosts/``, robots.txt cache ``robots/``): ``<data_dir>/state``."""
    return data_dir(cfg) / "state"


def make_fetcher(cfg: config_mod.Config, source: config_mod.Source | None = None):
    """A :class:`mediamon.acquire.http.Fetcher` for one source (one fetcher per source task, so one
    source's SSRF allowlist never admits another source's URLs). Hosts of a source with
    ``allow_private_network: true`` are allowlisted; responses are archived as WARC under
    ``<data_dir>/warc``. Politeness is shared through ``<data_dir>/state/`` (per-host gate in
    ``hosts/``, robots.txt cache in ``robots/``): the discovery and fetch stages, mapped task
    processes and concurrent runs on one machine see one gate per host and fetch robots.txt
    once per host per ``robots_ttl_s`` (:mod:`mediamon.acquire.politeness`). Raises ``OSError`` when
    the state directory cannot be created."""
    from mediamon.acquire.guard import allowlist_for_source
    from mediamon.acquire.http import Fetcher

    allow = frozenset(allowlist_for_source(source)) if source is not None else frozenset()
    return Fetcher(cfg.settings.fetch, allow_private_hosts=allow, warc_dir=data_dir(cfg) / "warc",
                   state_dir=state_dir(cfg))


class SystemClock:
    """:class:`mediamon.ports.Clock` of the machine: ``now()`` is the current UTC time."""

    def now(self) -> datetime:
        """Current time, aware, UTC."""
        return datetime.now(timezone.utc)


class DuckDBSession:
    """:class:`mediamon.ports.StoreSession` on one open DuckDB connection (wraps :mod:`mediamon.store`)."""

    def __init__(self, con):
        self.con = con

    def upsert_sources(self, sources: Sequence[Any]) -> None:
        """See :func:`mediamon.store.upsert_sources`."""
        store.upsert_sources(self.con, sources)

    def ensure_sources(self, source_ids: Iterable[str]) -> None:
        """See :func:`mediamon.store.ensure_sources`."""
        store.ensure_sources(self.con, source_ids)

    def upsert_topics(self, topics: Sequence[Any]) -> None:
        """See :func:`mediamon.store.upsert_topics`."""
        store.upsert_topics(self.con, topics)

    def config_stale(self, sources: Sequence[Any], topics: Sequence[Any], source_ids: Iterable[str]) -> bool:
        """See :func:`mediamon.store.config_stale`."""
        return store.config_stale(self.con, sources, topics, source_ids)

    def replace_fetch_log(self, run_id: str, rows: Iterable[FetchLogRow]) -> int:
        """See :func:`mediamon.store.replace_fetch_log`; returns the count."""
        return store.replace_fetch_log(self.con, run_id, [r.to_row() for r in rows])

    def upsert_articles(self, records: Iterable[ArticleRecord]) -> dict[str, int]:
        """See :func:`mediamon.store.upsert_articles` (a record's unset ``first_seen_at`` is
        its ``fetched_at``; an existing article keeps its own)."""
        rows = []
        for r in records:
            row = r.to_row()
            if row["first_seen_at"] is None:
                del row["first_seen_at"]
            rows.append(row)
        return store.upsert_articles(self.con, rows)

    def site_boilerplate(self, records: Sequence[ArticleRecord]) -> dict[str, frozenset[str]]:
        """See :mod:`mediamon.store.sitelines`: backfill sources without sightings from their
        stored articles, count ``records``' lines (text as extracted), return the learned keys."""
        from mediamon.store import sitelines

        ids = sorted({r.source_id for r in records})
        sitelines.learn_site_lines(self.con, ids)
        sitelines.record_site_lines(self.con, [(r.source_id, r.article_id, r.text, r.fetched_at) for r in records])
        return sitelines.learned_site_lines(self.con, ids)

    def record_takedown(self, takedown: TakedownRow) -> bool:
        """See :func:`mediamon.store.record_takedown`."""
        return store.record_takedown(self.con, takedown.url, takedown.status, takedown.fetched_at)

    def known_urls(self, urls: Sequence[str]) -> dict[str, dict]:
        """See :func:`mediamon.store.known_urls`."""
        return store.known_urls(self.con, urls)

    def fetch_history(self, urls: Sequence[str]) -> dict[str, dict]:
        """See :func:`mediamon.store.fetch_history`."""
        return store.fetch_history(self.con, urls)

    def refresh_candidates(self, since: datetime) -> list[dict]:
        """See :func:`mediamon.store.refresh_candidates`."""
        return store.refresh_candidates(self.con, since)

    def articles_to_enrich(self, *, run_id: str | None = None, days: Sequence[date] | None = None) -> list[dict]:
        """See :func:`mediamon.store.articles_to_enrich`."""
        return store.articles_to_enrich(self.con, run_id=run_id, days=days)

    def articles_without_sentiment(self, languages: Sequence[str]) -> list[dict]:
        """See :func:`mediamon.store.articles_without_sentiment`."""
        return store.articles_without_sentiment(self.con, languages)

    def articles_in_window(self, start_day: date, end_day: date) -> list[dict]:
        """See :func:`mediamon.store.articles_in_window`."""
        return store.articles_in_window(self.con, start_day, end_day)

    def replace_sentiment(self, rows: Sequence[SentimentRow]) -> None:
        """See :func:`mediamon.store.replace_sentiment`."""
        store.replace_sentiment(self.con, [r.to_row() for r in rows])

    def replace_topics(self, article_ids: Sequence[str], rows: Sequence[TopicMatchRow]) -> None:
        """See :func:`mediamon.store.replace_topics`."""
        store.replace_topics(self.con, article_ids, [r.to_row() for r in rows])

    def replace_stories(self, rows: Sequence[StoryRow]) -> None:
        """See :func:`mediamon.store.replace_stories`."""
        store.replace_stories(self.con, [r.to_row() for r in rows])

    def clustered_stories(self, article_ids: Sequence[str]) -> dict[str, str]:
        """See :func:`mediamon.store.clustered_stories`."""
        return store.clustered_stories(self.con, article_ids)

    def story_candidates(self, bands: Sequence[dict], window_days: int) -> list[tuple[str, str]]:
        """See :func:`mediamon.store.story_candidates`."""
        return store.story_candidates(self.con, bands, window_days)

    def story_members(self, article_ids: Sequence[str]) -> list[dict]:
        """See :func:`mediamon.store.story_members`."""
        return store.story_members(self.con, article_ids)

    def write_story_assignment(self, rows: Sequence[dict], bands: Sequence[dict], merges: Sequence[tuple[str, str, str]],
                               touched: Sequence[str], *, run_id: str | None = None) -> None:
        """See :func:`mediamon.store.write_story_assignment`."""
        store.write_story_assignment(self.con, rows, bands, merges, touched, run_id=run_id)

    def write_story_links(self, links: Sequence[dict]) -> None:
        """See :func:`mediamon.store.write_story_links`."""
        store.write_story_links(self.con, links)

    def link_candidates(self, entities: Sequence[dict], window_days: int, min_shared: int) -> list[tuple[str, str]]:
        """See :func:`mediamon.store.link_candidates`."""
        return store.link_candidates(self.con, entities, window_days, min_shared)

    def write_entities(self, entities: Sequence[dict]) -> None:
        """See :func:`mediamon.store.write_entities`."""
        store.write_entities(self.con, entities)

    def write_lines(self, lines: Sequence[dict]) -> None:
        """See :func:`mediamon.store.write_lines`."""
        store.write_lines(self.con, lines)

    def common_lines(self, lines: Sequence[dict], min_articles: int) -> set[tuple[str, int]]:
        """See :func:`mediamon.store.common_lines`."""
        return store.common_lines(self.con, lines, min_articles)

    def build_daily_coverage(self, day: date) -> int:
        """See :func:`mediamon.store.build_daily_coverage`."""
        return store.build_daily_coverage(self.con, day)

    def build_analytics(self, start: date, end: date, tz: str) -> dict[str, int]:
        """See :func:`mediamon.store.build_analytics`."""
        return store.build_analytics(self.con, start, end, tz)

    def refresh_analytics(self, day: date, tz: str) -> dict[str, int]:
        """See :func:`mediamon.store.refresh_analytics`."""
        return store.refresh_analytics(self.con, day, tz)

    def replace_comparison_sets(self, sets: dict[str, list[str]]) -> int:
        """See :func:`mediamon.store.replace_comparison_sets`."""
        return store.replace_comparison_sets(self.con, sets)

    def analytics_data(self, day: date, days: int, tz: str) -> dict:
        """See :func:`mediamon.store.analytics_data`."""
        return store.analytics_data(self.con, day, days=days, tz=tz)

    def report_data(self, day: date, tz: str) -> dict:
        """See :func:`mediamon.store.report_data`."""
        return store.report_data(self.con, day, tz)

    def run_counts(self, run_id: str) -> dict[str, int]:
        """See :func:`mediamon.store.run_counts`."""
        return store.run_counts(self.con, run_id)

    def latest_article_day(self, today: date) -> date | None:
        """See :func:`mediamon.store.topics.latest_article_day`."""
        return store_topics.latest_article_day(self.con, today)

    def topic_versions_in_force(self) -> dict[str, str]:
        """See :func:`mediamon.store.topics.topic_versions_in_force`."""
        return store_topics.topic_versions_in_force(self.con)

    def record_topic_version(self, **row: Any) -> None:
        """See :func:`mediamon.store.topics.record_topic_version`."""
        store_topics.record_topic_version(self.con, **row)

    def articles_for_topic_match(self, *, since: date | None, after: str | None, limit: int) -> list[dict]:
        """See :func:`mediamon.store.topics.articles_for_topic_match`."""
        return store_topics.articles_for_topic_match(self.con, since=since, after=after, limit=limit)

    def replace_topic_matches(self, article_ids: Sequence[str], topic_ids: Sequence[str],
                              rows: Sequence[TopicMatchRow]) -> None:
        """See :func:`mediamon.store.topics.replace_topic_matches`."""
        store_topics.replace_topic_matches(self.con, article_ids, topic_ids, [r.to_row() for r in rows])

    def coverage_days_since(self, since: date | None) -> list[date]:
        """See :func:`mediamon.store.topics.coverage_days_since`."""
        return store_topics.coverage_days_since(self.con, since)

    def topic_version_history(self) -> list[dict]:
        """See :func:`mediamon.store.topics.topic_version_history`."""
        return store_topics.topic_version_history(self.con)

    def period_report_data(self, start: date, end: date, tz: str, *, trend_days: int = 30, top_stories: int = 5) -> dict:
        """See :func:`mediamon.store.reporting.period_report_data`."""
        from mediamon.store import reporting

        return reporting.period_report_data(self.con, start, end, tz, trend_days=trend_days, top_stories=top_stories)

    def fired_alerts(self, keys: Sequence[tuple[str, str, date]]) -> set[tuple[str, str, date]]:
        """See :func:`mediamon.store.alerts.fired_alerts`."""
        from mediamon.store import alerts

        return alerts.fired_alerts(self.con, keys)

    def record_alerts(self, rows: Sequence[dict]) -> int:
        """See :func:`mediamon.store.alerts.record_alerts`."""
        from mediamon.store import alerts

        return alerts.record_alerts(self.con, rows)


    def quality_inputs(self, run_id: str, baseline_runs: int) -> dict:
        """See :func:`mediamon.store.quality.quality_inputs`."""
        from mediamon.store import quality

        return quality.quality_inputs(self.con, run_id, baseline_runs)

    def record_quality(self, run_id: str, rows: Sequence[dict]) -> int:
        """See :func:`mediamon.store.quality.record_quality`."""
        from mediamon.store import quality

        return quality.record_quality(self.con, run_id, rows)

    def record_runs(self, run_id: str, rows: Sequence[dict]) -> int:
        """See :func:`mediamon.store.quality.record_runs`."""
        from mediamon.store import quality

        return quality.record_runs(self.con, run_id, rows)


class DuckDBStore:
    """:class:`mediamon.ports.ArticleStore` on one DuckDB file (``path``)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def exists(self) -> bool:
        """True when the database file exists."""
        return self.path.exists()

    @contextlib.contextmanager
    def session(self, *, read_only: bool = False) -> Iterator[DuckDBSession]:
        """One transaction (:func:`mediamon.store.connect`: waits for the file lock, creates
        the schema when writing). Raises ``store.StoreError`` naming the file."""
        with store.connect(self.path, read_only=read_only) as con:
            yield DuckDBSession(con)

    def transact(self, work: Callable[[DuckDBSession], T], *, locks: Sequence[str] = ()) -> T:
        """``work(session)`` in one :meth:`session`; returns its result. ``locks`` are not needed: the
        file has one writing process at a time (its file lock, and the 1-slot pool)."""
        with self.session() as s:
            return work(s)

    def maintain(self, *, older_than_s: float) -> dict:
        """CHECKPOINT the file (write the WAL into it and reclaim the space of deleted rows);
        ``older_than_s`` is unused (a file keeps no snapshots). Returns ``{"checkpointed": True}``."""
        with store.connect(self.path) as con:
            store.checkpoint(con)
        return {"checkpointed": True}


class DuckLakeStore:
    """:class:`mediamon.ports.ArticleStore` on a DuckLake (:mod:`mediamon.store.ducklake`): catalog in
    PostgreSQL, Parquet files under ``lake.data_path``; several processes may write at once."""

    def __init__(self, lake: "store_ducklake.LakeConfig"):
        self.lake = lake

    def exists(self) -> bool:
        """True: the lake is created on first write (its schema applied by the first session)."""
        return True

    @contextlib.contextmanager
    def session(self, *, read_only: bool = False) -> Iterator[DuckDBSession]:
        """One lake transaction, no locks (reads, or writes of keys no other writer has). Raises
        ``store.StoreError`` naming the catalog when the lake cannot be opened."""
        with store_ducklake.connect(self.lake, read_only=read_only) as con:
            yield DuckDBSession(con)

    def transact(self, work: Callable[[DuckDBSession], T], *, locks: Sequence[str] = ()) -> T:
        """``work(session)`` holding the advisory locks ``locks`` from before the first read to after the
        commit, rerun on a fresh snapshot after a commit conflict (:func:`store.ducklake.transact`)."""
        return store_ducklake.transact(self.lake, lambda con: work(DuckDBSession(con)), locks=locks)

    def maintain(self, *, older_than_s: float) -> dict:
        """Merge small files, expire snapshots older than ``older_than_s`` seconds, delete unneeded
        files (:func:`store.ducklake.maintain`)."""
        return store_ducklake.maintain(self.lake, older_than_s=older_than_s)


def lake_config(cfg: config_mod.Config) -> "store_ducklake.LakeConfig":
    """The :class:`store.ducklake.LakeConfig` of ``settings.ducklake``: ``$VAR`` expanded in the catalog
    (a password from the environment), a data path that is not ``s3://`` resolved like other paths.
    Raises ValueError when the section is missing (the settings model refuses that already)."""
    import os

    dl = cfg.settings.ducklake
    if dl is None:
        raise ValueError("settings: store 'ducklake' needs a `ducklake:` section")
    data = dl.data_path if dl.data_path.startswith("s3://") else str(cfg.settings.path(dl.data_path))
    return store_ducklake.LakeConfig(catalog=os.path.expandvars(dl.catalog), data_path=data, max_retries=dl.max_retries,
                                     retry_wait_s=dl.retry_wait_s, s3_endpoint=dl.s3_endpoint, s3_region=dl.s3_region,
                                     s3_url_style=dl.s3_url_style, s3_use_ssl=dl.s3_use_ssl)


def make_store(cfg: config_mod.Config) -> ArticleStore:
    """The store ``settings.store`` names: the DuckDB file at ``db_path`` (default) or the DuckLake of
    the ``ducklake`` section. Opens nothing."""
    if cfg.settings.store == "ducklake":
        return DuckLakeStore(lake_config(cfg))
    return DuckDBStore(db_path(cfg))


HttpFactory = Callable[["config_mod.Source | None"], HttpClient]


@dataclass
class Runtime:
    """What a stage runs with: the validated ``config``, the article ``store``, the run
    ``staging``, the ``clock``, and ``http_factory(source)`` making one HTTP client per source."""

    config: config_mod.Config
    store: ArticleStore
    staging: Staging
    clock: Clock
    http_factory: HttpFactory

    def http_for(self, source: config_mod.Source | None) -> HttpClient:
        """A new HTTP client for ``source`` (its SSRF allowlist; None: nothing allowlisted).
        The caller closes it."""
        return self.http_factory(source)

    @property
    def data_dir(self) -> Path:
        """``settings.data_dir`` (resolved)."""
        return data_dir(self.config)

    @property
    def state_dir(self) -> Path:
        """``<data_dir>/state`` (feed polling and politeness state)."""
        return state_dir(self.config)


def build_runtime(cfg: config_mod.Config, *, clock: Clock | None = None, store: ArticleStore | None = None,
                  staging: Staging | None = None, http_factory: HttpFactory | None = None) -> Runtime:
    """The runtime for ``cfg``: each adapter not given is today's default (DuckDB file at
    ``settings.db_path``, :class:`FileStaging` under ``<data_dir>/staging``,
    :class:`SystemClock`, :func:`make_fetcher`; the store per ``settings.store``, :func:`make_store`).
    Opens nothing."""
    return Runtime(config=cfg,
                   store=store if store is not None else make_store(cfg),
                   staging=staging if staging is not None else FileStaging(data_dir(cfg) / "staging"),
                   clock=clock if clock is not None else SystemClock(),
                   http_factory=http_factory if http_factory is not None else (lambda source: make_fetcher(cfg, source)))
