"""Configuration: outlets (sources), tracked topics and run settings, validated on load.

Files (YAML) in a config directory, default ``config/`` at the project root (the checkout;
the current directory for an installed wheel) or ``$MEDIAMON_CONFIG_DIR``:

- ``sources.yaml``: ``sources: [ {id, name, homepage, language, country, feeds, sitemaps, ...} ]``
- ``topics.yaml``: ``topics: [ {id, name, query | terms: {lang: [term, ...]}} ]``
- ``settings.yaml`` (optional): run settings (schedule, fetch politeness, paths).

Validation uses pydantic v2. Any problem raises :class:`ConfigError` naming the file,
the entry (its ``id`` or index) and the field, before anything is fetched.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


def _project_root() -> Path:
    """The checkout this package runs from (``<root>/plugins/mediamon`` next to ``<root>/pyproject.toml``);
    for an installed wheel, which has no checkout around it, the current working directory."""
    here = Path(__file__).resolve().parent
    if here.parent.name == "plugins" and (here.parents[1] / "pyproject.toml").is_file():
        return here.parents[1]
    return Path.cwd()


# Base of the default config dir and of relative paths in settings (data_dir, db_path, ...).
PROJECT_ROOT = _project_root()
DEFAULT_CONFIG_DIR = PROJECT_ROOT / "config"

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")

# sentiment backend names (mediamon.sentiment.get_backend; a test checks they stay in sync)
SENTIMENT_BACKENDS = ("vader-pattern", "vader", "lexicon-id", "onnx")
SCHEDULE_PRESETS = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@weekly": "0 0 * * 0",
                    "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *"}


class FieldError(ValueError):
    """A cross-field check failed; ``field`` names the field to report."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def check_http_url(u: str) -> str:
    """An absolute http(s) URL with a host, a valid port and no whitespace, else ValueError."""
    if not isinstance(u, str) or re.search(r"\s", u):
        raise ValueError(f"not an http(s) URL (contains whitespace): {u!r}")
    try:
        parts = urlsplit(u)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as e:
        raise ValueError(f"not a valid URL: {u!r} ({e})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL with a host: {u!r}")
    return u


def check_regex(p: str) -> str:
    """A Python regular expression that compiles, else ValueError naming it."""
    try:
        re.compile(p)
    except re.error as e:
        raise ValueError(f"invalid regex {p!r}: {e}") from None
    return p


def check_xpath(x: str) -> str:
    """An XPath 1.0 expression lxml compiles, else ValueError naming it."""
    from lxml import etree

    try:
        etree.XPath(x)
    except etree.XPathSyntaxError as e:
        raise ValueError(f"invalid XPath {x!r}: {e}") from None
    return x


def check_id(v: str) -> str:
    """An entry id: lowercase letters, digits, '-' or '_', at most 64 characters."""
    if not _ID_RE.match(v):
        raise ValueError("must be lowercase letters, digits, '-' or '_' (max 64)")
    return v


HttpUrl = Annotated[str, AfterValidator(check_http_url)]
Regex = Annotated[str, AfterValidator(check_regex)]
XPathExpr = Annotated[str, AfterValidator(check_xpath)]
EntryId = Annotated[str, AfterValidator(check_id)]


def check_cron(expr: str) -> str:
    """A schedule: a preset (``@hourly``, ``@daily``, ...) or a 5-field cron expression."""
    if expr in SCHEDULE_PRESETS:
        return expr
    try:
        from croniter import croniter
    except ImportError:  # pragma: no cover - croniter comes with Airflow
        ok = len(expr.split()) == 5
    else:
        ok = len(expr.split()) == 5 and croniter.is_valid(expr)
    if not ok:
        raise ValueError(f"not a schedule: {expr!r} (use {', '.join(SCHEDULE_PRESETS)} or a 5-field cron expression)")
    return expr


class ConfigError(ValueError):
    """A configuration file is invalid.

    Attributes: ``file`` (path), ``entry`` (entry id or ``#index``, or None for the file),
    ``field`` (dotted field path, or None), ``message``.
    """

    def __init__(self, file: str | Path, entry: str | None, field: str | None, message: str):
        # lone surrogates (from YAML escapes or undecodable paths) would make printing the error fail
        file, entry, field, message = (None if x is None else _printable(str(x)) for x in (file, entry, field, message))
        self.file, self.entry, self.field, self.message = file, entry, field, message
        where = str(file)
        if entry is not None:
            where += f": entry {entry}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _printable(s: str) -> str:
    """``s`` with lone UTF-16 surrogates written as ``\\udXXX`` escapes (encodable as UTF-8)."""
    return s.encode("utf-8", "backslashreplace").decode("utf-8") if _SURROGATE_RE.search(s) else s


def find_lone_surrogate(data: Any) -> tuple[str, str] | None:
    """First string (mapping keys included) in nested dicts/lists/tuples of ``data`` holding a
    lone UTF-16 surrogate (``"\\uD800"`` in YAML; not encodable as UTF-8, so DuckDB and JSON
    writers reject it). Returns ``(dotted path, message)`` or None. Iterative."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        v, path = stack.pop()
        if isinstance(v, str):
            m = _SURROGATE_RE.search(v)
            if m:
                return path, (f"contains a lone UTF-16 surrogate U+{ord(m.group()):04X} at character {m.start()} "
                              f"(not valid Unicode text; a stray '\\u' escape?): {v[:200]!r}")
        elif isinstance(v, dict):
            for k, x in reversed(list(v.items())):
                sub = f"{path}.{k}" if path else str(k)
                stack.append((x, sub))
                stack.append((k, sub))
        elif isinstance(v, (list, tuple)):
            stack.extend((x, f"{path}.{i}" if path else str(i)) for i, x in reversed(list(enumerate(v))))
    return None


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
    :mod:`mediamon.topics` (``"Ukraine" OR Kyiv AND NOT football``).
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
        return v

    @field_validator("query")
    @classmethod
    def _query_parses(cls, v: str | None) -> str | None:
        if v is not None:
            from mediamon.topics import parse_query  # local: topics imports nothing from config

            parse_query(v)  # raises ValueError with position
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


class Settings(_Model):
    """Run settings. Paths are relative to the project root unless absolute."""

    ingest_schedule: Annotated[str, AfterValidator(check_cron)] = "@hourly"
    report_schedule: Annotated[str, AfterValidator(check_cron)] = "@daily"
    start_date: date = Field(default=date(2022, 1, 1), ge=date(1970, 1, 1),
                             description="first day (in `timezone`) the DAGs have runs for; no report before it")
    data_dir: str = "data"
    db_path: str = "data/mediamon.duckdb"
    reports_dir: str = "reports"
    timezone: str = "UTC"
    near_duplicate_threshold: float = Field(default=0.5, gt=0, le=1, description="MinHash Jaccard threshold for one story")
    refresh_after_s: list[float] = Field(default_factory=lambda: [86400.0, 604800.0],
                                         description="re-fetch stored articles this long after first seen (edits, takedowns)")
    sentiment_profile: str = Field(default="calibrated", pattern="^(calibrated|news)$",
                                   description="label thresholds: 'calibrated' (fitted by benchmarks/calibrate_sentiment.py) or 'news' (VADER's +-0.05)")
    sentiment_backends: dict[str, str] = Field(default_factory=dict, description="language -> backend name")
    onnx_model_dir: str | None = None
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    polling: PollSettings = Field(default_factory=PollSettings)

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


def config_dir_from_env() -> Path:
    """``$MEDIAMON_CONFIG_DIR`` if set, else ``<project>/config``."""
    return Path(os.environ.get("MEDIAMON_CONFIG_DIR") or DEFAULT_CONFIG_DIR)


# Aliases may add at most this many nodes to a document beyond those written in it: normal
# anchors (shared defaults) stay far below; a "billion laughs" alias bomb is refused while
# composing, before anything is constructed or validated (it took 5.5 GB and 70 s before).
MAX_ALIAS_EXPANSION = 100_000


class _AliasBudgetError(yaml.YAMLError):
    """The document's aliases expand past :data:`MAX_ALIAS_EXPANSION` nodes, or an anchor is used inside itself."""


def _alias_expansion(root: yaml.Node) -> int:
    """Nodes that aliases add to the document rooted at ``root``: its size with every alias
    expanded, minus the nodes written in it. Iterative, O(distinct nodes). Raises
    :class:`_AliasBudgetError` for a recursive alias."""
    size: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        kids = ([n for kv in node.value for n in kv] if isinstance(node, yaml.MappingNode)
                else node.value if isinstance(node, yaml.SequenceNode) else [])
        if done:
            visiting.discard(id(node))
            size[id(node)] = 1 + sum(size[id(k)] for k in kids)
            continue
        if id(node) in size:
            continue
        visiting.add(id(node))
        stack.append((node, True))
        for k in kids:
            if id(k) in visiting:
                m = k.start_mark
                raise _AliasBudgetError(f"recursive alias: an anchor is used inside itself (line {m.line + 1}, column {m.column + 1})")
            if id(k) not in size:
                stack.append((k, False))
    return size[id(root)] - len(size)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys (YAML silently keeps the last one) and
    documents whose aliases expand past :data:`MAX_ALIAS_EXPANSION` nodes."""

    def compose_document(self):
        node = super().compose_document()
        if node is not None:
            extra = _alias_expansion(node)
            if extra > MAX_ALIAS_EXPANSION:
                raise _AliasBudgetError(
                    f"aliases expand the document by {extra:,} nodes, more than the limit of "
                    f"{MAX_ALIAS_EXPANSION:,} (an alias bomb?); write the values out or use fewer aliases")
        return node

    def construct_mapping(self, node, deep=False):
        keys = set()
        for k, _ in node.value:
            if k.tag == "tag:yaml.org,2002:merge":  # '<<: *defaults': merged keys may be overridden
                continue
            key = self.construct_object(k, deep=deep)
            if key in keys:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", k.start_mark)
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, None, None, "file not found") from None
    except IsADirectoryError:
        raise ConfigError(path, None, None, "is a directory, expected a YAML file") from None
    except NotADirectoryError:
        raise ConfigError(path.parent, None, None, "is not a directory (--config / MEDIAMON_CONFIG_DIR names the config directory)") from None
    except UnicodeDecodeError as e:
        raise ConfigError(path, None, None, f"not UTF-8 text: {e}") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except _AliasBudgetError as e:
        raise ConfigError(path, None, None, f"refused YAML: {e}") from None
    except yaml.YAMLError as e:
        raise ConfigError(path, None, None, f"invalid YAML: {e}") from None
    except RecursionError:
        raise ConfigError(path, None, None, "invalid YAML: nested too deeply") from None
    except (ValueError, OverflowError) as e:  # a scalar YAML resolves but cannot build, e.g. the date 2022-13-01
        raise ConfigError(path, None, None, f"invalid YAML value: {e} (quote it if it is not meant as a date or number)") from None


def _yaml_scalar_text(path: Path, loc: tuple) -> str | None:
    """The scalar as written in ``path`` at ``loc`` (mapping keys / list indexes), or None."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except Exception:  # noqa: BLE001 - only for a hint; the file was read once already
        return None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node.value if isinstance(node, yaml.ScalarNode) and not node.style else None


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the (nested) model that holds the field at ``loc``."""
    for part in loc[:-1]:
        f = model.model_fields.get(part) if isinstance(part, str) else None
        if f is not None and isinstance(f.annotation, type) and issubclass(f.annotation, BaseModel):
            model = f.annotation
    return list(model.model_fields)


def _check_top_level(path: Path, data: dict, allowed: list[str]) -> None:
    """ConfigError naming the first top-level key of ``data`` not in ``allowed``."""
    for k in data:
        if k not in allowed:
            raise ConfigError(path, None, str(k), f"unknown top-level key {k!r} (allowed: {', '.join(allowed)})")


def _entry_error(path: Path, entry: str, e: ValidationError, model: type[BaseModel] | None = None,
                 yaml_loc: tuple = ()) -> ConfigError:
    err = e.errors()[0]
    loc = tuple(err.get("loc", ()))
    field = ".".join(str(x) for x in loc if x != "__root__") or None
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):
        field = ".".join(p for p in (field, cause.field) if p)
    msg = err.get("msg", str(e))
    if err.get("type") == "extra_forbidden" and model is not None:
        msg = f"unknown field {loc[-1]!r} (allowed: {', '.join(_allowed_fields(model, loc))})"
    elif err.get("type") == "string_type" and isinstance(err.get("input"), bool):
        # YAML 1.1 reads unquoted yes/no/on/off/true/false as booleans: `country: NO` is False
        written = _yaml_scalar_text(path, yaml_loc + loc) or ("yes" if err["input"] else "no")
        key = str(loc[-1]) if loc and isinstance(loc[-1], str) else None
        example = f'"{written}": ...' if key == "[key]" else f'{key}: "{written}"' if key else f'"{written}"'
        msg = (f"{msg}: YAML read the unquoted {written} as the boolean {str(err['input']).lower()}; "
               f"quote it: {example}")
    extra = f" (and {len(e.errors()) - 1} more problems)" if len(e.errors()) > 1 else ""
    return ConfigError(path, entry, field, msg + extra)


def _load_list(path: Path, key: str, model: type[_Model]) -> list:
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise ConfigError(path, None, key, f"expected a mapping with a list under '{key}'")
    _check_top_level(path, data, [key])
    out, seen = [], set()
    for i, raw in enumerate(data[key]):
        entry = f"'{raw['id']}'" if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{i}"
        if not isinstance(raw, dict):
            raise ConfigError(path, entry, None, "expected a mapping")
        try:
            obj = model.model_validate(raw)
        except ValidationError as e:
            raise _entry_error(path, entry, e, model, (key, i)) from None
        except ValueError as e:  # e.g. topic query parse error raised outside pydantic
            raise ConfigError(path, entry, "query", str(e)) from None
        if obj.id in seen:
            raise ConfigError(path, entry, "id", f"duplicate id {obj.id!r}")
        seen.add(obj.id)
        out.append(obj)
    return out


def load_config(config_dir: str | Path | None = None) -> Config:
    """Load and validate ``sources.yaml``, ``topics.yaml`` and optional ``settings.yaml``.

    Returns a :class:`Config`. Raises :class:`ConfigError` (naming file, entry, field)
    on the first invalid file or entry. Environment overrides: ``MEDIAMON_DB_PATH``,
    ``MEDIAMON_DATA_DIR``, ``MEDIAMON_REPORTS_DIR``.
    """
    cdir = Path(config_dir) if config_dir else config_dir_from_env()
    if cdir.exists() and not cdir.is_dir():
        raise ConfigError(cdir, None, None, "is not a directory (--config / MEDIAMON_CONFIG_DIR names the config directory)")
    sources = _load_list(cdir / "sources.yaml", "sources", Source)
    topics_path = cdir / "topics.yaml"
    topics = _load_list(topics_path, "topics", Topic) if topics_path.exists() else []
    settings_path = cdir / "settings.yaml"
    raw_settings: dict = {}
    if settings_path.exists():
        raw_settings = _read_yaml(settings_path) or {}
        if not isinstance(raw_settings, dict):
            raise ConfigError(settings_path, None, None, "expected a mapping")
        _check_top_level(settings_path, raw_settings, list(Settings.model_fields))
    for env, key in (("MEDIAMON_DB_PATH", "db_path"), ("MEDIAMON_DATA_DIR", "data_dir"), ("MEDIAMON_REPORTS_DIR", "reports_dir")):
        if os.environ.get(env):
            raw_settings[key] = os.environ[env]
    try:
        settings = Settings.model_validate(raw_settings)
    except ValidationError as e:
        raise _entry_error(settings_path, "settings", e, Settings) from None
    if not sources:
        raise ConfigError(cdir / "sources.yaml", None, "sources", "no sources configured")
    return Config(sources=sources, topics=topics, settings=settings, config_dir=str(cdir))
