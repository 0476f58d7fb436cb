"""Report exports: each report table as CSV (UTF-8, header row) and as Parquet (pyarrow), written atomically.

One job: rows in, files out, reproducibly (same rows = same bytes: no timestamps in the files;
Parquet written with fixed options). CSV cells that start with ``= + - @`` (strings only) are
prefixed with ``'`` against spreadsheet formula injection (OWASP "CSV Injection"); Parquet keeps
raw values (typed columns: integers, doubles, booleans, dates, timestamps with zone, text).
"""

from __future__ import annotations

import csv
import io
import os
import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from mediamon.util import atomic

__all__ = ["csv_text", "parquet_bytes", "write_text", "write_bytes"]


def _csv_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, (list, tuple, set)):
        v = ", ".join(str(x) for x in v)
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def _columns(rows: list[dict], columns: list[str]) -> list[str]:
    return columns + sorted({k for r in rows for k in r} - set(columns))


def csv_text(rows: list[dict], columns: list[str]) -> str:
    """CSV text of ``rows``: ``columns`` in order, then any extra keys sorted; None = empty cell."""
    cols = _columns(rows, columns)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([_csv_cell(r.get(c)) for c in cols])
    return buf.getvalue()


def _arrow_column(values: list):
    import pyarrow as pa

    vals = [float(v) if isinstance(v, Decimal) else v for v in values]
    if all(v is None for v in vals):
        return pa.array(vals, pa.string())
    try:
        return pa.array(vals)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else v.isoformat() if isinstance(v, (date, datetime)) else str(v)
                         for v in vals], pa.string())


def parquet_bytes(rows: list[dict], columns: list[str]) -> bytes:
    """Parquet file content of ``rows`` (same columns as :func:`csv_text`; types inferred per column,
    a column mixing types is text; an all-empty column is text). Snappy compression, no statistics
    that depend on anything but the values, so identical rows give identical bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = _columns(rows, columns)
    table = pa.table({c: _arrow_column([r.get(c) for r in rows]) for c in cols})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="snappy")
    return buf.getvalue()


_umask_lock = threading.Lock()


def _umask() -> int:
    """The process umask, read without changing it where possible (Linux ``/proc/self/status``,
    kernel >= 4.7); else by setting and restoring it under a lock."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with :func:`mediamon.util.atomic.write_bytes` (temp file + fsync +
    rename: readers never see half a file), mode ``0o666 & ~umask`` like a plain ``open()``."""
    atomic.write_bytes(path, data, perm=0o666 & ~_umask())


def write_text(path: Path, text: str) -> None:
    """:func:`write_bytes` of ``text`` encoded as UTF-8."""
    write_bytes(path, text.encode("utf-8"))
