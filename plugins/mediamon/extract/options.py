"""Extraction inputs and outputs: the :class:`ExtractOptions` options object and the :class:`Extraction` result.

``ExtractOptions`` bundles the per-call settings of :func:`mediamon.extract.extract_article`
(as ``trafilatura``'s ``Extractor`` options do), validated when built; ``Extraction`` is the
JSON-safe result, including the error of a page whose extraction failed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from mediamon.config import FetchSettings, SourceRules

__all__ = ["DEFAULT_MAX_BYTES", "EXTRACTOR_VERSION", "ExtractOptions", "Extraction"]

#: Bump when rules change (stored with each article so re-extraction can be targeted).
EXTRACTOR_VERSION = "mediamon-extract/1.3 (trafilatura 2.3.1, readability-lxml 0.9)"

#: Default cap on a decompressed local ``.gz`` page (bytes): ``FetchSettings.max_bytes``.
DEFAULT_MAX_BYTES = FetchSettings().max_bytes

_LANG_RE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?")


@dataclass(frozen=True)
class ExtractOptions:
    """Per-call settings of :func:`mediamon.extract.extract_article` / ``extract_file``.

    ``source_language``: the outlet's declared ISO 639 language ('id', 'en', ...) or None:
    the prior for language detection and the default zone (WIB, +07:00, for 'id') of dates
    written without one. ``rules``: per-source rules (``SourceRules``; a dict is validated
    into one) or None for none. ``fetched_at``: when the page was fetched (aware, or naive =
    UTC, made aware when the options are built) or None for "now" at each call; later
    publication dates are rejected. ``max_bytes``: cap (bytes) on a decompressed ``.gz`` page
    file read by ``extract_file``.

    Raises (when built): TypeError for a wrong type; ValueError when ``source_language`` is
    not an ISO 639 code, ``rules`` is a dict that does not validate, or ``max_bytes`` < 1.
    """

    source_language: str | None = None
    rules: SourceRules | None = None
    fetched_at: datetime | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        lang, rules, fetched_at = self.source_language, self.rules, self.fetched_at
        if lang is not None:
            if not isinstance(lang, str):
                raise TypeError(f"source_language must be str or None, got {type(lang).__name__}")
            if not _LANG_RE.fullmatch(lang):
                raise ValueError(f"source_language must be an ISO 639 code, got {lang!r}")
        if rules is not None and not isinstance(rules, SourceRules):
            if isinstance(rules, dict):
                object.__setattr__(self, "rules", SourceRules.model_validate(rules))
            else:
                raise TypeError(f"rules must be SourceRules or None, got {type(rules).__name__}")
        if fetched_at is not None:
            if not isinstance(fetched_at, datetime):
                raise TypeError(f"fetched_at must be datetime or None, got {type(fetched_at).__name__}")
            if fetched_at.tzinfo is None:
                object.__setattr__(self, "fetched_at", fetched_at.replace(tzinfo=timezone.utc))
        if isinstance(self.max_bytes, bool) or not isinstance(self.max_bytes, int):
            raise TypeError(f"max_bytes must be int, got {type(self.max_bytes).__name__}")
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be at least 1, got {self.max_bytes}")

    def resolved(self) -> ExtractOptions:
        """A copy for one extraction: ``fetched_at`` set to now (UTC) when None and ``rules``
        set to empty ``SourceRules()`` when None."""
        return replace(self, rules=self.rules or SourceRules(),
                       fetched_at=self.fetched_at or datetime.now(timezone.utc))


@dataclass
class Extraction:
    """Result of :func:`extract_article`. All fields JSON-safe via :meth:`to_dict`.

    ``text``: body paragraphs separated by ``'\\n'``. ``published_at``/``modified_at``: ISO 8601
    with UTC offset or None. ``credits``: role -> value, e.g. ``{'editor': 'A', 'source': 'APNews',
    'photo': 'B'}``. ``methods``: field -> method name that produced it (and ``'error'`` on failure).
    ``error``: None, or ``'<ExceptionClass>: <message>'`` (at most 500 characters) when an
    exception inside extraction stopped it; the page then comes back as ``page_type='empty'``
    with ``methods['page_type'] = 'error:<ExceptionClass>'`` (the pipeline logs it in
    ``fetch_log``). Pages that are simply not usable (empty, binary, not HTML) have no
    ``error``; their reason is in ``methods['error']``.
    """

    page_type: str = "empty"
    text: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    published_at: str | None = None
    modified_at: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    image: str | None = None
    syndication: str | None = None
    credits: dict[str, str] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)
    extractor_version: str = EXTRACTOR_VERSION
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of JSON-safe values (str, list, dict, None)."""
        return asdict(self)
