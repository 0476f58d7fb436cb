"""The ``alerts`` table: which alert rules fired for which subject and day (so none fires twice).

One job: read and write ``alerts`` rows through ``sql/alerts_*.sql`` (batches registered as Arrow
tables, like the other bulk writes of :mod:`mediamon.store.duckdb`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

import duckdb

from mediamon.store.duckdb import _dicts, _rows_view, sql

__all__ = ["ALERT_COLUMNS", "fired_alerts", "record_alerts", "list_alerts"]

ALERT_COLUMNS = ("rule_id", "subject", "day", "kind", "title", "message", "payload", "channels", "fired_at")


def fired_alerts(con: duckdb.DuckDBPyConnection, keys: Sequence[tuple[str, str, date]]) -> set[tuple[str, str, date]]:
    """The ``(rule_id, subject, day)`` of ``keys`` already recorded in ``alerts``."""
    if not keys:
        return set()
    norm = {(r, s, d if isinstance(d, date) else date.fromisoformat(str(d))): (r, s, d) for r, s, d in keys}
    rows = [{"rule_id": r, "subject": s, "day": d} for r, s, d in norm]
    with _rows_view(con, "alert_keys", rows, ("rule_id", "subject", "day")):
        found = con.execute(sql("alerts_fired")).fetchall()
    return {norm[k] for k in (tuple(f) for f in found) if k in norm}


def record_alerts(con: duckdb.DuckDBPyConnection, rows: Sequence[dict]) -> int:
    """Insert fired alerts: dicts with :data:`ALERT_COLUMNS` (``payload`` a dict, stored as JSON;
    ``channels`` a list of names; ``fired_at`` an aware datetime). A key already recorded is left
    as it was. Returns the number of rows given. Raises KeyError when a row lacks rule_id, subject or day."""
    if not rows:
        return 0
    data = [{**{c: r.get(c) for c in ALERT_COLUMNS}, "rule_id": r["rule_id"], "subject": r["subject"], "day": r["day"],
             "payload": json.dumps(r.get("payload") or {}, ensure_ascii=False, sort_keys=True, default=str),
             "channels": list(r.get("channels") or [])} for r in rows]
    with _rows_view(con, "alert_rows", data, ALERT_COLUMNS):
        con.execute(sql("alerts_insert"))
    return len(rows)


def list_alerts(con: duckdb.DuckDBPyConnection, start: date, end: date) -> list[dict]:
    """Recorded alerts of days ``start``..``end``, newest day first (``payload`` as JSON text)."""
    return _dicts(con.execute(sql("alerts_list"), {"start": start, "end": end}))
