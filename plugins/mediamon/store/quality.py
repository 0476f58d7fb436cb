"""The ``quality_checks`` and ``runs`` tables: data-quality inputs and results of an ingest run, and
per-stage run metrics.

One job: read and write those rows through ``sql/quality_*.sql`` and ``sql/runs_*.sql`` (batches
registered as Arrow tables, like the other bulk writes of :mod:`mediamon.store.duckdb`). The checks
themselves are decided in :mod:`mediamon.quality`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb

from mediamon.store.duckdb import _dicts, _rows_view, sql

__all__ = ["QUALITY_COLUMNS", "RUN_COLUMNS", "quality_inputs", "record_quality", "quality_results",
           "record_runs", "run_metrics"]

QUALITY_COLUMNS = ("run_id", "check_name", "subject", "value", "baseline", "threshold", "status", "detail", "checked_at")
RUN_COLUMNS = ("run_id", "stage", "started_at", "finished_at", "duration_s", "task_s", "tasks", "counts", "recorded_at")


def quality_inputs(con: duckdb.DuckDBPyConnection, run_id: str, baseline_runs: int) -> dict:
    """What the checks of run ``run_id`` need: ``{"rates": [per-source dicts of quality_rates.sql],
    "volume": [{source_id, language, articles}], "history": [{run_id, subject, value}] of the last
    ``baseline_runs`` runs checked before this one}``."""
    return {"rates": _dicts(con.execute(sql("quality_rates"), {"run_id": run_id})),
            "volume": _dicts(con.execute(sql("quality_volume"), {"run_id": run_id})),
            "history": _dicts(con.execute(sql("quality_volume_history"), {"run_id": run_id, "n": int(baseline_runs)}))}


def record_quality(con: duckdb.DuckDBPyConnection, run_id: str, rows: Sequence[dict]) -> int:
    """Replace the quality_checks rows of ``run_id`` with ``rows`` (dicts with :data:`QUALITY_COLUMNS`;
    ``checked_at`` an aware datetime). Returns the number written."""
    con.execute(sql("quality_checks_delete"), {"run_id": run_id})
    if rows:
        data = [{**{c: r.get(c) for c in QUALITY_COLUMNS}, "run_id": run_id} for r in rows]
        with _rows_view(con, "quality_rows", data, QUALITY_COLUMNS):
            con.execute(sql("quality_checks_insert"))
    return len(rows)


def quality_results(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """The recorded quality_checks rows of ``run_id`` (by check, then subject)."""
    return _dicts(con.execute(sql("quality_checks_list"), {"run_id": run_id}))


def record_runs(con: duckdb.DuckDBPyConnection, run_id: str, rows: Sequence[dict]) -> int:
    """Replace the ``runs`` rows of ``run_id`` with ``rows`` (dicts with :data:`RUN_COLUMNS`; ``counts``
    a dict, stored as JSON; times aware datetimes, durations in seconds). Returns the number written."""
    con.execute(sql("runs_delete"), {"run_id": run_id})
    if rows:
        data = [{**{c: r.get(c) for c in RUN_COLUMNS}, "run_id": run_id,
                 "counts": json.dumps(r.get("counts") or {}, sort_keys=True, default=str)} for r in rows]
        with _rows_view(con, "run_rows", data, RUN_COLUMNS):
            con.execute(sql("runs_insert"))
    return len(rows)


def run_metrics(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """The ``runs`` rows of ``run_id`` (``counts`` as JSON text)."""
    return _dicts(con.execute(sql("runs_list"), {"run_id": run_id}))
