"""WARC replay: archived responses (our own ``<data_dir>/warc`` archive, or any WARC/ARC file
such as CC-NEWS) re-extracted into article batches, without fetching anything.

Used by ``reprocess`` / ``import_warc`` and by ``fetch_extract`` with ``reprocess_since``
(:mod:`mediamon.stages`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from mediamon import config as config_mod
from mediamon.config.checks import check_id
from mediamon.articles import article_record
from mediamon.ports import Staging
from mediamon.records import ArticleRecord, Candidate
from mediamon.staging import safe_name

__all__ = ["ArchivedFetch", "source_for_url", "extract_warc_files", "Progress"]

Progress = Callable[[str, dict], None]


class ArchivedFetch:
    """The parts of a FetchResult that :func:`mediamon.articles.article_record` reads, for an
    archived response: ``final_url``, ``fetched_at`` (UTC; the archive's date, else ``now``),
    ``replacement_chars``."""

    def __init__(self, url: str, fetched_at: datetime | None, replacement_chars: int, now: datetime):
        self.final_url = url
        self.fetched_at = fetched_at or now
        self.replacement_chars = replacement_chars


def _is_id(name: str) -> bool:
    try:
        check_id(name)
        return True
    except ValueError:
        return False


def placeholder_id(name: str) -> str:
    """A valid source id made from ``name`` (a host or a directory name): lowercase, other
    characters as '-', no leading '-'/'_', at most 64 characters; ``'warc'`` when nothing is left."""
    return re.sub(r"[^a-z0-9_-]", "-", name.lower()).lstrip("-_")[:64] or "warc"


def _source_for(cfg: config_mod.Config, sid: str, url: str) -> config_mod.Source:
    """The configured source ``sid``, or a placeholder outlet for records of an unconfigured
    one (e.g. a CC-NEWS file): filed under a valid id made from ``sid``."""
    try:
        return cfg.source(sid)
    except KeyError:
        return config_mod.Source(id=placeholder_id(sid), name=sid, homepage=f"https://{urlsplit(url).hostname or 'unknown'}/",
                                 language="und", feeds=[url])


def source_for_url(cfg: config_mod.Config, url: str) -> str | None:
    """Id of the configured source one of whose URLs (homepage, feeds, sitemaps, section
    pages) is on the host of ``url`` (``www.`` ignored), or None."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    for s in cfg.sources:
        for u in [s.homepage, *s.feeds, *s.sitemaps, *s.section_pages]:
            if (urlsplit(u).hostname or "").lower().removeprefix("www.") == host:
                return s.id
    return None


def _is_html(status: int, ctype: str, body: bytes) -> bool:
    return status == 200 and ("html" in ctype.lower() or body.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")))


def extract_warc_files(files: list[Path], run_id: str, cfg: config_mod.Config, staging: Staging, now: datetime, *,
                       source_id: str | None, source_from_path: bool, progress: Progress) -> dict:
    """Extract every HTML 200 response of ``files`` into article batches of the run, one batch
    ``fetch-<source>`` per source, as fetch_extract would. Each record is filed under
    ``source_id`` if given, else (``source_from_path``) the file's directory name, else the
    configured source of its host, else a source named after the host. A record whose payload
    inflates past ``settings.fetch.max_bytes`` is skipped and reported (``too_large``,
    ``errors``); one bad record never sinks the file. ``now`` (UTC): the fetch time of a
    record without a date. Returns counts ``{files, responses, articles, skipped, too_large,
    errors: [str], batches: {source_id: ref}}``."""
    from mediamon.extract import extract_article
    from mediamon.acquire.encoding import decode_body
    from mediamon.acquire.archive import WarcError, iter_warc_responses

    rows: dict[str, list[ArticleRecord]] = {}
    counts: dict = {"files": 0, "responses": 0, "articles": 0, "skipped": 0, "too_large": 0, "errors": []}
    for f in files:
        counts["files"] += 1
        # our archive files are under warc/<day>/<source_id>/; '_unknown' (a fetch without a
        # source, e.g. `mediamon extract URL`) or a hand-made directory name is no source id
        sid_path = f.parent.name if source_from_path and _is_id(f.parent.name) else None
        try:
            for resp in iter_warc_responses(f, max_bytes=cfg.settings.fetch.max_bytes):
                counts["responses"] += 1
                if resp.skipped:  # over the fetcher's byte cap: reported, the other records go on
                    counts["skipped"] += 1
                    counts["too_large"] += 1
                    counts["errors"].append(f"{f}: {resp.url}: {resp.skipped}")
                    continue
                ctype = resp.headers.get("Content-Type") or resp.headers.get("content-type") or ""
                if not _is_html(resp.status, ctype, resp.body):
                    counts["skipped"] += 1
                    continue
                sid = source_id or sid_path or source_for_url(cfg, resp.url) or safe_name((urlsplit(resp.url).hostname or "warc").lower())
                try:
                    src = _source_for(cfg, sid, resp.url)
                    text, _enc, _src, n_bad = decode_body(resp.body, ctype)
                    ext = extract_article(text, resp.url, source_language=None if src.language == "und" else src.language,
                                          rules=src.rules, fetched_at=resp.fetched_at)
                    if ext.page_type != "article" or not ext.text.strip():
                        counts["skipped"] += 1
                        continue
                    rec = article_record(src, Candidate(url=resp.url, source_id=src.id, via=str(f)),
                                         ArchivedFetch(resp.url, resp.fetched_at, n_bad, now), ext,
                                         cfg.settings.timezone, run_id)
                    rows.setdefault(src.id, []).append(rec)
                    counts["articles"] += 1
                except Exception as e:  # noqa: BLE001 - one bad record never sinks the file
                    counts["errors"].append(f"{resp.url}: {type(e).__name__}: {e}")
        except WarcError as e:
            counts["errors"].append(str(e))
        progress("warc", {"file": str(f), **{k: v for k, v in counts.items() if k != "errors"}})
    counts["batches"] = {sid: staging.write_batch(run_id, f"fetch-{sid}", rs) for sid, rs in rows.items()}
    return counts
