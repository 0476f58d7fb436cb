"""Typed records that cross stage boundaries: the one place their columns are listed.

Each record is a slotted dataclass; its fields, in order, are the columns of the table it is
written to (``store.ARTICLE_COLUMNS`` and friends are derived from them, and a test checks
them against ``schema.sql``). Records travel between tasks as JSON lines in a run's staging
(:mod:`mediamon.staging`): :meth:`to_json` / :meth:`from_json` round-trip every field
(datetimes as ISO 8601 with offset, dates as ``YYYY-MM-DD``, bytes as base64).
:meth:`to_dict` gives the JSON-safe dict the store's bulk writers take.

Times are aware datetimes in UTC unless said otherwise; durations are seconds; sizes bytes.
"""

from __future__ import annotations

import base64
import json
import types
import typing
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timezone
from typing import Any, ClassVar

__all__ = ["Record", "Candidate", "FetchLogRow", "ArticleRecord", "TakedownRow", "SentimentRow", "TopicMatchRow",
           "StoryRow", "ArticleScored", "RECORD_TYPES", "RecordError", "columns", "record_from_json", "parse_time"]


class RecordError(ValueError):
    """A staged line or dict is not a valid record (message names the record type and field)."""


def parse_time(value: Any, *, name: str = "value") -> datetime | None:
    """``value`` (datetime, ISO 8601 string, or None) as a datetime (naive strings stay naive:
    the store reads them as UTC). Raises :class:`RecordError` naming ``name`` otherwise."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
    raise RecordError(f"{name}: {value!r} is not an ISO 8601 timestamp")


def _base(tp: Any) -> Any:
    """The non-None member of ``X | None`` (or ``tp`` itself)."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


class Record:
    """Mixin of the records: dict/JSON conversion driven by the field annotations."""

    __slots__ = ()
    record_type: ClassVar[str] = ""

    @classmethod
    def _codec(cls) -> tuple[tuple[str, ...], dict[str, type], frozenset[str]]:
        """``(field names, {name: datetime|date|bytes} for the fields converted, names)``,
        computed once per class from the annotations."""
        cache = cls.__dict__.get("_codec_cache")
        if cache is None:
            hints = typing.get_type_hints(cls)
            names = tuple(f.name for f in fields(cls))
            conv = {n: t for n in names if (t := _base(hints[n])) in (datetime, date, bytes)}
            cache = (names, conv, frozenset(names))
            setattr(cls, "_codec_cache", cache)
        return cache

    def _out(self, b64: bool) -> dict[str, Any]:
        names, conv, _ = self._codec()
        out = {n: getattr(self, n) for n in names}
        for n in conv:
            v = out[n]
            if v is None:
                continue
            if isinstance(v, (datetime, date)):
                out[n] = v.isoformat()
            elif isinstance(v, (bytes, bytearray, memoryview)):
                out[n] = base64.b64encode(bytes(v)).decode("ascii") if b64 else bytes(v)
        for n, v in out.items():
            if isinstance(v, list):
                out[n] = list(v)
            elif isinstance(v, dict):
                out[n] = dict(v)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict keyed by the field names, in column order: datetimes and dates as ISO
        8601 text, bytes as base64 text, lists/dicts copied."""
        return self._out(True)

    def to_row(self) -> dict[str, Any]:
        """Dict for the store's bulk writers: as :meth:`to_dict` but bytes stay bytes."""
        return self._out(False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        """Build the record from a dict as :meth:`to_dict` gives (unknown keys are ignored,
        missing keys take the field default). Raises :class:`RecordError` naming the record
        type and field for a missing required field or a value of the wrong shape."""
        if not isinstance(data, dict):
            raise RecordError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
        _, conv, known = cls._codec()
        kw = {k: v for k, v in data.items() if k in known}
        for name, tp in conv.items():
            v = kw.get(name)
            if v is None:
                continue
            try:
                if tp is datetime:
                    kw[name] = parse_time(v, name=f"{cls.__name__}.{name}")
                elif tp is date and isinstance(v, str):
                    kw[name] = date.fromisoformat(v[:10])
                elif tp is bytes and isinstance(v, str):
                    kw[name] = base64.b64decode(v, validate=True)
            except (ValueError, TypeError) as e:
                raise RecordError(f"{cls.__name__}.{name}: {v!r} is not valid ({e})") from None
        try:
            return cls(**kw)
        except TypeError as e:
            raise RecordError(f"{cls.__name__}: {e}") from None

    def to_json(self) -> str:
        """One JSON line (no newline): ``{"type": <record_type>, <field>: <value>, ...}``."""
        return json.dumps({"type": self.record_type, **self.to_dict()}, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str):
        """Inverse of :meth:`to_json`. Raises :class:`RecordError` for a line that is not
        JSON, names another record type, or lacks a required field."""
        data = _json_object(line, f"{cls.__name__}: ")
        t = data.pop("type", cls.record_type)
        if t != cls.record_type:
            raise RecordError(f"{cls.__name__}: line has type {t!r}, expected {cls.record_type!r}")
        return cls.from_dict(data)


@dataclass(slots=True, kw_only=True)
class Candidate(Record):
    """A candidate article URL found by discovery
    (:func:`mediamon.acquire.discovery.discover_source`), plus what ``plan`` adds to a URL it
    selects."""

    record_type: ClassVar[str] = "candidate"
    url: str                              # canonical URL
    source_id: str
    via: str                              # feed / sitemap / section URL, or 'refresh'
    title: str | None = None
    published_at: datetime | None = None  # from the feed, UTC
    lastmod: datetime | None = None       # sitemap <lastmod>, UTC
    max_retries: int | None = None        # plan: in-run retries left of the URL's request budget
    refresh: bool = False                 # plan: a stored article due for refresh


@dataclass(slots=True, kw_only=True)
class FetchLogRow(Record):
    """One ``fetch_log`` row: one URL attempted (feed, sitemap, robots.txt, article...) or a
    decision logged without a request (``outcome='not_fetched'``)."""

    record_type: ClassVar[str] = "fetch"
    run_id: str | None
    source_id: str | None
    url: str
    final_url: str | None = None
    host: str | None = None
    kind: str | None = None                # article | feed | sitemap | robots | section | page | discovery
    status: int | None = None              # last HTTP status, None without a response
    outcome: str = "error"                 # fetch.OUTCOMES, or 'not_fetched'
    n_bytes: int = 0                       # decoded body bytes read
    elapsed_s: float = 0.0                 # wall seconds, waits included
    retries: int = 0                       # in-run retries made
    error_class: str | None = None
    error: str | None = None               # message, at most 2000 characters
    robots: str = "not_checked"            # allowed | disallowed | unavailable | not_checked
    skip_reason: str | None = None         # why a fetched page did not become an article
    fetched_at: datetime | None = None     # UTC
    content_type: str | None = None
    encoding: str | None = None
    replacement_chars: int | None = None   # U+FFFD characters after decoding
    items: int | None = None               # feed/sitemap: entries parsed from a 200 response
    items_overlap: int | None = None       # of those, entries seen in earlier polls (None: first poll)


@dataclass(slots=True, kw_only=True)
class ArticleRecord(Record):
    """One extracted article, as upserted into ``articles`` (by canonical URL)."""

    record_type: ClassVar[str] = "article"
    article_id: str                        # first 16 hex of sha1(canonical_url)
    canonical_url: str
    url: str                               # as discovered
    source_id: str
    title: str | None = None
    text: str                              # paragraphs separated by '\n'
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    published_at: datetime | None = None   # with the page's or feed's UTC offset
    modified_at: datetime | None = None
    day: date                              # publication (else fetch) day in the report timezone
    language: str | None = None            # ISO 639-1
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    image: str | None = None
    syndication: str | None = None         # wire credit: AP, Reuters, ...
    credits: dict[str, str] = field(default_factory=dict)
    methods: dict[str, str] = field(default_factory=dict)  # field -> method that produced it
    content_hash: str                      # sha1 of the normalised text
    minhash: bytes | None = None           # MinHash signature
    n_chars: int = 0                       # characters of text
    replacement_chars: int | None = None   # U+FFFD characters after decoding
    fetched_at: datetime                   # UTC
    first_seen_at: datetime | None = None  # None: fetched_at (an existing row keeps its own)
    extractor_version: str
    version: int = 1                       # bumped by the store when the text changed
    run_id: str | None = None


@dataclass(slots=True, kw_only=True)
class TakedownRow(Record):
    """A stored article that answered 404/410 on refresh (recorded as a new version)."""

    record_type: ClassVar[str] = "takedown"
    url: str                               # canonical URL of the stored article
    status: int                            # HTTP status (404 or 410)
    fetched_at: datetime                   # UTC


@dataclass(slots=True, kw_only=True)
class SentimentRow(Record):
    """One ``article_sentiment`` row (the article's overall sentiment)."""

    record_type: ClassVar[str] = "sentiment"
    article_id: str
    label: str                             # positive | neutral | negative
    score: float                           # [-1, 1]
    method: str                            # backend name
    version: str                           # backend version
    n_sentences: int | None = None
    computed_at: datetime | None = None    # UTC; set by the store when written


@dataclass(slots=True, kw_only=True)
class TopicMatchRow(Record):
    """One ``article_topics`` row: a topic matched in an article."""

    record_type: ClassVar[str] = "topic_match"
    article_id: str
    topic_id: str
    matched_terms: list[str] = field(default_factory=list)
    mentions: int = 0                      # number of matches
    sentiment_label: str | None = None     # sentiment of the sentences mentioning the topic
    sentiment_score: float | None = None   # [-1, 1]
    sentiment_method: str | None = None
    in_title: bool = False                 # prominence: the title mentions the topic
    in_lead: bool = False                  # the lead paragraph does
    body_mentions: int = 0                 # mentions outside the title
    prominence: str | None = None          # 'title' | 'lead' | 'body': the most prominent placement
    topic_version: str | None = None       # version of the topic definition that matched (topic_versions)


@dataclass(slots=True, kw_only=True)
class StoryRow(Record):
    """One ``article_stories`` row: the story (cluster of copies) an article belongs to."""

    record_type: ClassVar[str] = "story"
    article_id: str
    story_id: str                          # stable story id (docs/stories.md)
    exact_duplicate_of: str | None = None  # earliest article with the same content hash, if not itself
    story_size: int = 1                    # articles in the story
    clustered_at: datetime | None = None   # when the incremental clustering assigned it (None: older rows)


@dataclass(slots=True, kw_only=True)
class ArticleScored(Record):
    """Staged with an article by a fetch task that scored it (:mod:`mediamon.pagepool`): its
    SentimentRow (if its language has a backend) and TopicMatchRows (possibly none) are in the
    same batch, for the text of ``content_hash``. Not a table row: the enrich stage uses the
    scores instead of computing them again."""

    record_type: ClassVar[str] = "article_scored"
    article_id: str
    content_hash: str
    sentiment_version: str | None = None   # the SentimentRow's backend version, None: no backend


#: record type tag (the ``type`` of a staged JSON line) -> record class
RECORD_TYPES: dict[str, type[Record]] = {c.record_type: c for c in (
    Candidate, FetchLogRow, ArticleRecord, TakedownRow, SentimentRow, TopicMatchRow, StoryRow, ArticleScored)}


def columns(cls: type[Record]) -> tuple[str, ...]:
    """The field names of a record class, in column order."""
    return tuple(f.name for f in fields(cls))


def _json_object(line: str, who: str = "") -> dict:
    """``line`` parsed as a JSON object; RecordError (prefixed with ``who``) otherwise."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as e:
        raise RecordError(f"{who}not JSON ({e})") from None
    if not isinstance(data, dict):
        raise RecordError(f"{who}expected an object, got {type(data).__name__}")
    return data


def record_from_json(line: str) -> Record:
    """A staged JSON line (``{"type": ..., ...}``) as its record. Raises :class:`RecordError`
    for a line that is not JSON, has an unknown ``type`` or an invalid field."""
    data = _json_object(line)
    cls = RECORD_TYPES.get(data.pop("type", None))
    if cls is None:
        raise RecordError(f"unknown record type {line[:60]!r}")
    return cls.from_dict(data)


def utc(dt: datetime) -> datetime:
    """``dt`` in UTC (naive = UTC)."""
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)
