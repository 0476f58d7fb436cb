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
from typing import Any

from mediamon import config as config_mod
from mediamon import store
from mediamon.ports import ArticleStore, Clock, HttpClient, Staging
from mediamon.records import ArticleRecord, FetchLogRow, SentimentRow, StoryRow, TakedownRow, TopicMatchRow
from mediamon.staging import FileStaging

__all__ = ["Runtime", "build_runtime", "DuckDBStore", "SystemClock", "make_fetcher", "db_path", "data_dir", "state_dir"]


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

    def build_daily_coverage(self, day: date) -> int:
        """See :func:`mediamon.store.build_daily_coverage`."""
        return store.build_daily_coverage(self.con, day)

    def report_data(self, day: date, tz: str) -> dict:
        """See :func:`mediamon.store.report_data`."""
        return store.report_data(self.con, day, tz)

    def run_counts(self, run_id: str) -> dict[str, int]:
        """See :func:`mediamon.store.run_counts`."""
        return store.run_counts(self.con, run_id)


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
    :class:`SystemClock`, :func:`make_fetcher`). Opens nothing."""
    return Runtime(config=cfg,
                   store=store if store is not None else DuckDBStore(db_path(cfg)),
                   staging=staging if staging is not None else FileStaging(data_dir(cfg) / "staging"),
                   clock=clock if clock is not None else SystemClock(),
                   http_factory=http_factory if http_factory is not None else (lambda source: make_fetcher(cfg, source)))
