"""Configuration loading: outlets (sources), tracked topics and run settings, validated on load.

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
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from mediamon.config.checks import ConfigError, FieldError
from mediamon.config.models import DEFAULT_CONFIG_DIR, Config, Settings, Source, Topic, _Model


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

    def construct_yaml_timestamp(self, node):
        """A plain scalar that looks like a date but is none (``2022-13-01``) is an error naming
        its line and column, not a bare ValueError."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as e:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date or time ({e}); quote it if it is meant as text",
                node.start_mark) from None

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



_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _UniqueKeyLoader.construct_yaml_timestamp)

def _yaml_problem(e: yaml.YAMLError) -> str:
    """One line for a PyYAML error: context, problem and 1-based line/column."""
    problem = getattr(e, "problem", None)
    if not problem:
        return " ".join(str(e).split())
    ctx = getattr(e, "context", None)
    mark = getattr(e, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{ctx + ': ' if ctx else ''}{problem}{where}"


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
        raise ConfigError(path, None, None, f"invalid YAML: {_yaml_problem(e)}") from None
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
    known_topics = {t.id for t in topics}
    for name, ids in settings.comparison_sets.items():  # share of voice compares configured topics only
        unknown = [t for t in ids if t not in known_topics]
        if not ids or unknown:
            raise ConfigError(settings_path, "comparison_sets", name,
                              f"unknown topic id(s) {', '.join(map(repr, unknown))}" if ids else "lists no topic")
    return Config(sources=sources, topics=topics, settings=settings, config_dir=str(cdir))
