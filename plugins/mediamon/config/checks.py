"""Configuration field checks: validators shared by the pydantic models, and the config error types.

One job: say whether one value is acceptable (URL, regex, XPath, id, cron schedule, no lone surrogates)
and how a configuration problem is reported (:class:`ConfigError` naming file, entry and field;
:class:`FieldError` for cross-field checks). Imports nothing from mediamon.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")

# sentiment backend names (mediamon.enrich.sentiment.get_backend; a test checks they stay in sync)
SENTIMENT_BACKENDS = ("vader-pattern", "vader", "lexicon-id", "onnx", "trained")
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
