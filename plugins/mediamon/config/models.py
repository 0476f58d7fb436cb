"""Configuration models (pydantic v2): Source, SourceRules, Topic, FetchSettings, PollSettings, Settings, Config.

One job: the shape and defaults of the configuration and the checks of single entries; reading
YAML files is :mod:`mediamon.config.loader`, field validators are :mod:`mediamon.config.checks`.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from mediamon.config.alerting import AlertSettings
from mediamon.config.query import parse_query
from mediamon.config.quality import QualitySettings
from mediamon.config.reporting import ReportSettings
from mediamon.config.checks import (
    SENTIMENT_BACKENDS,
    EntryId,
    FieldError,
    HttpUrl,
    Regex,
    XPathExpr,
    check_cron,
    find_lone_surrogate,
)

def _project_root() -> Path:
    """The checkout this package runs from (``<root>/plugins/mediamon`` next to ``<root>/pyproject.toml``);
    for an installed wheel, which has no checkout around it, the current working directory."""
    here = Path(__file__).resolve().parents[1]  # plugins/mediamon (this file is mediamon/config/models.py)
    if here.parent.name == "plugins" and (here.parents[1] / "pyproject.toml").is_file():
        return here.parents[1]
    return Path.cwd()


# Base of the default config dir and of relative paths in settings (data_dir, db_path, ...).
PROJECT_ROOT = _project_root()
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)

    @model_validator(mode="before")
    @classmethod
    def _no_lone_surrogates(cls, data: Any) -> Any:
        # one check for every string field of every model (and mapping keys), before field validation
        bad = find_lone_surrogate(data) if isinstance(data, dict) else None
        if bad:
            raise FieldError(*bad)
        return data


class SourceRules(_Model):
    """Per-source extraction rules (see README, "Per-source rules")."""

    extra_boilerplate_patterns: list[Regex] = Field(default_factory=list, description="regexes; a matching body line is dropped")
    prune_xpaths: list[XPathExpr] = Field(default_factory=list, description="XPath expressions removed before extraction")

    single_page_param: str | None = Field(default=None, description="query string giving the single-page view, e.g. 'page=all'")

class Source(_Model):
    """An outlet whose articles we monitor."""

    id: EntryId
    name: str
    homepage: HttpUrl
    language: str = Field(description="ISO 639-1 code of the outlet's main language, e.g. 'id', 'en'")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    feeds: list[HttpUrl] = Field(default_factory=list)
    sitemaps: list[HttpUrl] = Field(default_factory=list)
    section_pages: list[HttpUrl] = Field(default_factory=list)
    include_patterns: list[Regex] = Field(default_factory=list, description="regexes; article URLs must match one (if any given)")
    exclude_patterns: list[Regex] = Field(default_factory=list, description="regexes; matching URLs are skipped")
    allow_private_network: bool = Field(default=False, description="allow loopback/private addresses (demo and tests only)")
    max_articles_per_run: int = Field(default=200, ge=1)
    rules: SourceRules = Field(default_factory=SourceRules)

    @field_validator("language")
    @classmethod
    def _lang_ok(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z]{2,3}", v):
            raise ValueError(f"not an ISO 639 language code: {v!r}")
        return v

    @model_validator(mode="after")
    def _has_discovery(self) -> "Source":
        if not (self.feeds or self.sitemaps or self.section_pages):
            raise FieldError("feeds", "needs at least one of feeds, sitemaps, section_pages")
        return self


class Topic(_Model):
    """A tracked topic: a keyword query, optionally with per-language terms.

    ``terms: {lang: [term, ...]}`` (any term matches, case-insensitive, whole words;
    ``"*"`` key applies to all languages) and/or ``query`` in the boolean syntax of
    :mod:`mediamon.enrich.topics` (``"Ukraine" OR Kyiv AND NOT football``).
    """

    id: EntryId
    name: str
    terms: dict[str, list[str]] = Field(default_factory=dict)
    query: str | None = None

    @field_validator("terms")
    @classmethod
    def _terms_ok(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for lang, terms in v.items():
            if lang != "*" and not re.fullmatch(r"[a-z]{2,3}", lang):
                raise ValueError(f"language key {lang!r} is not an ISO 639 code (e.g. 'id', 'en') or '*'")
            for t in terms:
                if not isinstance(t, str) or not t.strip():
                    raise ValueError(f"empty term in terms[{lang!r}]")
                if not any(ch.isalnum() for ch in t):
                    raise ValueError(f"term {t!r} in terms[{lang!r}] has no letter or digit, so it can match nothing")
        return v

    @field_validator("query")
    @classmethod
    def _query_parses(cls, v: str | None) -> str | None:
        if v is not None:
            q = parse_query(v)  # raises ValueError with position
            for t in q.terms():
                if not any(ch.isalnum() for w in t.words for ch in w):
                    raise ValueError(f"query term {' '.join(t.words)!r} has no letter or digit, so it can match nothing")
        return v

    @model_validator(mode="after")
    def _has_terms(self) -> "Topic":
        if not self.query and not any(self.terms.values()):
            raise FieldError("terms", "needs 'terms' or 'query'")
        return self


class FetchSettings(_Model):
    """HTTP politeness and robustness settings (seconds, bytes)."""

    user_agent: str = "mediamon/0.1 (+https://github.com/mediamon/mediamon; media monitoring)"
    contact_url: str = "https://github.com/mediamon/mediamon"
    per_host_delay_s: float = Field(default=1.0, ge=0)
    max_per_host: int = Field(default=1, ge=1)
    max_workers: int = Field(default=8, ge=1)
    connect_timeout_s: float = Field(default=10.0, gt=0)
    read_timeout_s: float = Field(default=20.0, gt=0)
    total_timeout_s: float = Field(default=60.0, gt=0)
    max_bytes: int = Field(default=10_000_000, gt=0)
    retries: int = Field(default=3, ge=0)
    backoff_base_s: float = Field(default=1.0, ge=0)
    backoff_max_s: float = Field(default=60.0, ge=0)
    max_redirects: int = Field(default=5, ge=0)
    robots_ttl_s: float = Field(default=86400.0, ge=0)
    respect_robots: bool = True
    # across runs (pipeline.plan): total requests per article URL, in-run retries included, and the
    # wait before a failed URL is tried again in a later run: base * 2**(runs_so_far - 1) seconds
    max_total_attempts: int = Field(default=5, ge=1)
    rerun_backoff_base_s: float = Field(default=3600.0, ge=0)
    # throughput (docs/throughput.md): the plan groups the URLs to fetch by host into at most
    # ``shards`` shards (one mapped fetch task each, owning its hosts); extraction runs in a
    # process pool of ``extract_workers`` processes (None: one per core, 0: in the fetching
    # process), each page's extraction given at most ``extract_timeout_s`` seconds
    shards: int = Field(default=8, ge=1)
    extract_workers: int | None = Field(default=None, ge=0)
    extract_timeout_s: float = Field(default=60.0, gt=0)


class PollSettings(_Model):
    """Adaptive feed/sitemap polling (seconds): the interval shrinks after polls that bring new
    items and grows after polls that do not, within [min_interval_s, max_interval_s]."""

    min_interval_s: float = Field(default=300.0, gt=0)
    max_interval_s: float = Field(default=86400.0, gt=0)
    initial_interval_s: float = Field(default=900.0, gt=0)
    speedup: float = Field(default=0.5, gt=0, le=1)
    slowdown: float = Field(default=1.5, ge=1)

    @model_validator(mode="after")
    def _bounds(self) -> "PollSettings":
        if not self.min_interval_s <= self.initial_interval_s <= self.max_interval_s:
            raise ValueError("needs min_interval_s <= initial_interval_s <= max_interval_s")
        return self


class DuckLakeSettings(_Model):
    """The DuckLake store (``store: ducklake``; docs/ducklake.md): catalog in PostgreSQL, data files
    (Parquet) in a directory or an S3-compatible bucket.

    ``catalog``: what follows ``ducklake:`` in DuckDB's ATTACH, e.g. ``postgres:dbname=mediamon
    host=127.0.0.1 port=5432 user=mediamon`` (libpq keywords; ``$VAR`` / ``${VAR}`` are expanded
    from the environment when the store opens, so a password stays out of the file). Only a
    ``postgres:`` catalog supports several writers (advisory locks, docs/ducklake.md).
    ``data_path``: directory (relative to the project root) or ``s3://bucket/prefix/``.
    ``max_retries``: reruns of one unit of work after a DuckLake commit conflict (first wait
    ``retry_wait_s``, doubling). ``snapshot_retention_s``: the maintenance DAG expires older snapshots.
    ``s3_*``: endpoint/region/URL style of an ``s3://`` data path (keys from ``$MEDIAMON_S3_KEY_ID``,
    ``$MEDIAMON_S3_SECRET``)."""

    catalog: str = Field(min_length=1)
    data_path: str = "data/lake"
    max_retries: int = Field(default=10, ge=0)
    retry_wait_s: float = Field(default=0.1, ge=0)
    snapshot_retention_s: float = Field(default=604800.0, ge=0,
                                        description="maintenance expires snapshots (time travel) older than this")
    s3_endpoint: str | None = None
    s3_region: str | None = None
    s3_url_style: str | None = Field(default=None, pattern="^(path|vhost)$")
    s3_use_ssl: bool = True


class Settings(_Model):
    """Run settings. Paths are relative to the project root unless absolute."""

    ingest_schedule: Annotated[str, AfterValidator(check_cron)] = "@hourly"
    report_schedule: Annotated[str, AfterValidator(check_cron)] = "@daily"
    maintenance_schedule: Annotated[str, AfterValidator(check_cron)] = "@daily"
    start_date: date = Field(default=date(2022, 1, 1), ge=date(1970, 1, 1),
                             description="first day (in `timezone`) the DAGs have runs for; no report before it")
    data_dir: str = "data"
    db_path: str = "data/mediamon.duckdb"
    store: str = Field(default="duckdb", pattern="^(duckdb|ducklake)$",
                       description="article store: 'duckdb' (the db_path file) or 'ducklake' (the `ducklake` section)")
    ducklake: DuckLakeSettings | None = None
    reports_dir: str = "reports"
    timezone: str = "UTC"
    near_duplicate_threshold: float = Field(default=0.3, gt=0, le=1,
                                            description="exact Jaccard (word 3-shingles) threshold for one story (docs/stories.md)")
    story_containment_threshold: float = Field(default=0.4, gt=0, le=1,
                                               description="containment threshold for trimmed copies (docs/stories.md)")
    story_window_days: int = Field(default=7, ge=0, le=366,
                                   description="copies are matched within this many days of each other's publication")
    topic_backfill_days: int = Field(default=90, ge=0, le=36500,
                                     description="a new or changed topic is applied to stored articles of this many past days "
                                                 "on the next enrich (0: new articles only)")
    refresh_after_s: list[float] = Field(default_factory=lambda: [86400.0, 604800.0],
                                         description="re-fetch stored articles this long after first seen (edits, takedowns)")
    sentiment_profile: str = Field(default="calibrated", pattern="^(calibrated|news)$",
                                   description="label thresholds: 'calibrated' (fitted by benchmarks/calibrate_sentiment.py) or 'news' (VADER's +-0.05)")
    sentiment_backends: dict[str, str] = Field(default_factory=dict, description="language -> backend name")
    onnx_model_dir: str | None = None
    sentiment_model_dir: str | None = Field(default=None, description="directory of a model written by "
                                            "'mediamon sentiment train' (backend 'trained'; or <dir>/<lang>/)")
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    polling: PollSettings = Field(default_factory=PollSettings)
    report: ReportSettings = Field(default_factory=ReportSettings, description="what the HTML report shows (config/reporting.py)")
    alerts: AlertSettings = Field(default_factory=AlertSettings, description="notifier channels and alert rules (config/alerting.py)")
    quality: QualitySettings = Field(default_factory=QualitySettings, description="data-quality check limits (config/quality.py)")
    comparison_sets: dict[str, list[str]] = Field(
        default_factory=dict, description="share of voice: set name -> the topic ids compared within it (e.g. brands)")

    @field_validator("sentiment_backends")
    @classmethod
    def _backends_ok(cls, v: dict[str, str]) -> dict[str, str]:
        for lang, name in v.items():
            if not re.fullmatch(r"[a-z]{2,3}", lang):
                raise ValueError(f"language key {lang!r} is not an ISO 639 code")
            if name not in SENTIMENT_BACKENDS:
                raise ValueError(f"unknown sentiment backend {name!r} for {lang!r} (known: {', '.join(SENTIMENT_BACKENDS)})")
        return v

    @model_validator(mode="after")
    def _onnx_needs_dir(self) -> "Settings":
        if "onnx" in self.sentiment_backends.values() and not self.onnx_model_dir:
            raise FieldError("onnx_model_dir", "the 'onnx' sentiment backend needs onnx_model_dir")
        if "trained" in self.sentiment_backends.values() and not self.sentiment_model_dir:
            raise FieldError("sentiment_model_dir", "the 'trained' sentiment backend needs sentiment_model_dir")
        return self

    @model_validator(mode="after")
    def _ducklake_needs_section(self) -> "Settings":
        if self.store == "ducklake" and self.ducklake is None:
            raise FieldError("ducklake", "store 'ducklake' needs a `ducklake:` section with at least `catalog`")
        return self

    @field_validator("timezone")
    @classmethod
    def _tz_ok(cls, v: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(v)
        except Exception:  # noqa: BLE001
            raise ValueError(f"unknown IANA time zone {v!r} (e.g. 'UTC', 'Asia/Jakarta')") from None
        return v

    def path(self, p: str) -> Path:
        q = Path(os.path.expandvars(p)).expanduser()
        return q if q.is_absolute() else (PROJECT_ROOT / q)


class Config(_Model):
    sources: list[Source]
    topics: list[Topic] = Field(default_factory=list)
    settings: Settings = Field(default_factory=Settings)
    config_dir: str = ""

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(f"unknown source id {source_id!r} (known: {[s.id for s in self.sources]})")
