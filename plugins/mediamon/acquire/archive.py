"""Raw archive: every fetched HTTP response written to WARC files (ISO 28500, via warcio).

Layout: ``<warc_dir>/<YYYY-MM-DD>/<source_id>/mediamon-<YYYYmmddHHMMSS>-<pid>-<n>.warc.gz``
(date = UTC date of the fetch; ``source_id`` ``_unknown`` when the fetch had none). Each
record is its own gzip member, so files are appended record by record and stay valid after
a crash. Per file: one ``warcinfo`` record, then a ``request`` + ``response`` pair per fetch.

The stored payload is the *decoded* body (after Content-Encoding gzip/deflate was removed
while streaming under the byte cap); the stored HTTP headers are rewritten accordingly
(``Content-Encoding``/``Transfer-Encoding`` dropped and kept as ``X-Mediamon-Original-*``,
``Content-Length`` set to the stored length), so warcio and other readers see a consistent
record. Bodies cut by the byte cap are not archived (the fetch outcome is ``too_large``).

Reading: :func:`iter_warc_responses` yields :class:`WarcResponse` tuples from any WARC or
ARC file (gzip or not), raising :class:`WarcError` naming the file on malformed input.
"""

from __future__ import annotations

import io
import os
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone

from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from mediamon.config import FetchSettings
from mediamon.util.dates import parse_feed_date

__all__ = ["WarcArchive", "WarcError", "WarcResponse", "iter_warc_responses", "warc_files_since"]

#: Default payload cap (bytes) when reading: ``FetchSettings.max_bytes``, the fetcher's cap.
DEFAULT_MAX_BYTES = FetchSettings().max_bytes

_HOP_BY_HOP = {"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"}


class WarcError(ValueError):
    """A WARC/ARC file cannot be read. ``path`` names the file; the message says why."""

    def __init__(self, path: str | Path, message: str):
        self.path = str(path)
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class WarcResponse:
    """One archived HTTP response.

    ``url`` (WARC-Target-URI), ``fetched_at`` (UTC datetime from WARC-Date / ARC date, or
    None), ``status`` (HTTP status code, or None when the record has no HTTP headers),
    ``headers`` (HTTP response headers, dict, last value wins), ``body`` (payload bytes with
    transfer/content encoding removed by warcio). ``skipped``: None, or why the payload was not
    kept (``'too_large: ...'`` when it inflates past ``max_bytes``; ``body`` is then ``b""``).
    """

    url: str
    fetched_at: datetime | None
    status: int | None
    headers: dict[str, str]
    body: bytes
    skipped: str | None = None


class WarcArchive:
    """Thread-safe WARC writer partitioned by UTC date and source id.

    ``WarcArchive(warc_dir)``; :meth:`write_response` appends a request/response record pair
    and returns the file path written. Files are opened in append mode per write (one gzip
    member per record), so many fetch threads and crashes are both safe.
    """

    def __init__(self, warc_dir: str | Path, software: str = "mediamon"):
        self.warc_dir = Path(warc_dir)
        self.software = software
        self._lock = threading.Lock()
        self._files: dict[tuple[str, str], Path] = {}
        self._serial = 0

    def _path_for(self, day: str, source_id: str) -> tuple[Path, bool]:
        key = (day, source_id)
        p = self._files.get(key)
        if p is not None:
            return p, False
        d = self.warc_dir / day / source_id
        d.mkdir(parents=True, exist_ok=True)
        self._serial += 1
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        p = d / f"mediamon-{stamp}-{os.getpid()}-{self._serial:05d}.warc.gz"
        self._files[key] = p
        return p, True

    def write_response(
        self,
        url: str,
        *,
        fetched_at: datetime,
        status: int,
        reason: str = "",
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        source_id: str | None = None,
        request_headers: dict[str, str] | None = None,
        http_version: str = "HTTP/1.1",
    ) -> Path:
        """Append one request + response record pair; returns the WARC file path.

        ``fetched_at`` is a timezone-aware UTC datetime; ``body`` the decoded payload bytes.
        Raises OSError when the file cannot be written.
        """
        sid = source_id or "_unknown"
        if fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=timezone.utc)
        fetched_at = fetched_at.astimezone(timezone.utc)
        day = fetched_at.strftime("%Y-%m-%d")
        warc_date = fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        hdrs: list[tuple[str, str]] = []
        for k, v in (headers or {}).items():
            if k.lower() in _HOP_BY_HOP:
                if k.lower() in ("content-encoding", "transfer-encoding"):
                    hdrs.append((f"X-Mediamon-Original-{k}", v))
                continue
            hdrs.append((k, v))
        hdrs.append(("Content-Length", str(len(body))))
        status_line = f"{status} {reason or ''}".strip()
        with self._lock:
            path, new = self._path_for(day, sid)
            buf = io.BytesIO()
            writer = WARCWriter(buf, gzip=True)
            if new:
                info = writer.create_warcinfo_record(
                    path.name, {"software": self.software, "format": "WARC File Format 1.1", "isPartOf": sid}
                )
                writer.write_record(info)
            http_headers = StatusAndHeaders(status_line, hdrs, protocol=http_version)
            resp = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http_headers,
                warc_headers_dict={"WARC-Date": warc_date},
            )
            parsed = url.split("/", 3)
            req_path = "/" + parsed[3] if len(parsed) > 3 else "/"
            req_hdrs = [(k, v) for k, v in (request_headers or {}).items()]
            req = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {req_path} {http_version}", req_hdrs, is_http_request=True),
                warc_headers_dict={"WARC-Date": warc_date,
                                   "WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID")},
            )
            writer.write_record(resp)
            writer.write_record(req)
            with open(path, "ab") as fh:
                fh.write(buf.getvalue())
        return path


def _parse_date(s: str | None) -> datetime | None:
    if not s:
        return None
    s = s.strip()
    if s.isdigit() and len(s) >= 14:  # ARC: YYYYmmddHHMMSS
        try:
            return datetime.strptime(s[:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
        except ValueError:
            return None
    return parse_feed_date(s)  # WARC-Date: W3C datetime (or an RFC 822 date in odd files), as UTC


def _read_capped(stream, max_bytes: int) -> bytes | None:
    """Up to ``max_bytes`` bytes of ``stream`` read in 64 KiB pieces, or None (nothing kept)
    when there are more: memory stays within the cap whatever the payload inflates to."""
    out = bytearray()
    while True:
        chunk = stream.read(min(1 << 16, max_bytes + 1 - len(out)))
        if not chunk:
            return bytes(out)
        out += chunk
        if len(out) > max_bytes:
            return None


def iter_warc_responses(path: str | Path, *, check_digests: bool = False,
                        max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[WarcResponse]:
    """Yield every HTTP ``response`` record of a WARC or ARC file (gzip or plain).

    ``path``: file path. ARC records are converted to WARC by warcio (``arc2warc``).
    ``max_bytes``: the fetcher's byte cap (``FetchSettings.max_bytes``; None = no cap). A payload
    that inflates past it (a gzip bomb in a record or its Content-Encoding, or a huge page) is
    read no further than the cap: it is yielded with ``body=b""`` and ``skipped`` saying why, and
    the next records follow.
    Records of other types (request, warcinfo, resource, metadata, revisit) and responses
    without HTTP headers (e.g. ``dns:`` records) are skipped.
    With ``check_digests=True`` a record whose WARC-Payload/Block-Digest does not match
    raises. Raises :class:`WarcError` naming the file and the record offset on a missing
    file, a non-WARC file, a truncated or corrupt record (records before the error have
    already been yielded).
    """
    p = Path(path)
    try:
        fh = open(p, "rb")
    except OSError as e:
        raise WarcError(p, f"cannot open: {e.strerror or e}") from None
    n = 0
    with fh:
        head = fh.read(64)
        fh.seek(0)
        if head[:2] == b"\x1f\x8b":
            try:
                head = zlib.decompressobj(31).decompress(fh.read(4096), 64)
            except zlib.error as e:
                raise WarcError(p, f"corrupt gzip header: {e}") from None
            fh.seek(0)
        if not head.lstrip(b"\r\n").startswith((b"WARC/", b"filedesc://")):
            raise WarcError(p, f"not a WARC or ARC file (starts with {head[:20]!r})")
        try:
            it = ArchiveIterator(fh, arc2warc=True, check_digests="raise" if check_digests else False)
            for rec in it:
                if rec.rec_type != "response" or rec.http_headers is None:
                    continue  # request/warcinfo/metadata/revisit records and non-HTTP (dns:) responses
                url = rec.rec_headers.get_header("WARC-Target-URI") or ""
                url = url.strip().strip("<>")
                when = _parse_date(rec.rec_headers.get_header("WARC-Date"))
                status: int | None = None
                headers: dict[str, str] = {}
                if rec.http_headers is not None:
                    try:
                        status = int(rec.http_headers.get_statuscode())
                    except (TypeError, ValueError):
                        status = None
                    headers = {k: v for k, v in rec.http_headers.headers}
                if status is None:
                    continue  # ARC/WARC record without a parsable HTTP status line
                if max_bytes is None:
                    body = rec.content_stream().read()
                else:
                    body = _read_capped(rec.content_stream(), max_bytes)
                    if body is None:
                        n += 1
                        stored = rec.rec_headers.get_header("Content-Length") or "?"
                        yield WarcResponse(url=url, fetched_at=when, status=status, headers=headers, body=b"",
                                           skipped=f"too_large: payload exceeds max_bytes {max_bytes} "
                                                   f"(record {n}, {stored} bytes stored)")
                        continue
                clen = {k.lower(): v for k, v in headers.items()}
                if (clen.get("content-length", "").strip().isdigit() and "transfer-encoding" not in clen
                        and "content-encoding" not in clen and len(body) < int(clen["content-length"])):
                    raise WarcError(p, f"record {n + 1} ({url}) truncated: payload {len(body)} bytes, "
                                       f"HTTP Content-Length {clen['content-length'].strip()}")
                n += 1
                yield WarcResponse(url=url, fetched_at=when, status=status, headers=headers, body=body)
        except WarcError:
            raise
        except ArchiveLoadFailed as e:
            raise WarcError(p, f"not a readable WARC/ARC file after {n} response record(s): {e.msg if hasattr(e, 'msg') else e}") from None
        except (EOFError, OSError, ValueError, IndexError, KeyError, AttributeError, TypeError) as e:
            raise WarcError(p, f"corrupt or truncated after {n} response record(s): {type(e).__name__}: {e}") from None
        except Exception as e:  # zlib.error, digest errors and other parser failures
            raise WarcError(p, f"cannot parse after {n} response record(s): {type(e).__name__}: {e}") from None


def warc_files_since(warc_dir: str | Path, since: str | None = None) -> list[Path]:
    """All ``*.warc.gz`` files under ``warc_dir`` whose date partition is >= ``since``
    (``YYYY-MM-DD``; None = all), sorted by path. Used by ``mediamon reprocess --since``."""
    root = Path(warc_dir)
    if not root.exists():
        return []
    out = []
    for day_dir in sorted(root.iterdir()):
        if not day_dir.is_dir() or (since and day_dir.name < since):
            continue
        out.extend(sorted(day_dir.rglob("*.warc.gz")))
    return out
