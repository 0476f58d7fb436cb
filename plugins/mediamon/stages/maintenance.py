"""Maintenance stage: upkeep of the article store (see :mod:`mediamon.stages`; DAG ``mediamon_maintenance``)."""

from __future__ import annotations

from mediamon.runtime import Runtime

from mediamon.stages.common import _rt, log


def maintain_store(config_dir: str | None = None, *, older_than_s: float | None = None,
                   runtime: Runtime | None = None) -> dict:
    """Store maintenance, scheduled by ``settings.maintenance_schedule``.

    DuckLake (``store: ducklake``): merge adjacent small Parquet files (each load or enrich
    commit writes its own), expire snapshots older than ``older_than_s`` seconds (default
    ``ducklake.snapshot_retention_s``, 7 days: time travel before that is gone), then delete
    the files no remaining snapshot needs and orphaned files of the same age
    (:func:`mediamon.store.ducklake.maintain`). Safe while loads run: a step that conflicts
    with a concurrent writer is retried, and what it leaves is done next time.
    DuckDB file: CHECKPOINT (WAL into the file, deleted rows reclaimed).
    Returns ``{"store": "duckdb"|"ducklake", ...counts}``. Raises ``store.StoreError`` when
    the store cannot be opened."""
    rt = _rt(config_dir, runtime)
    s = rt.config.settings
    keep = older_than_s if older_than_s is not None else (s.ducklake.snapshot_retention_s if s.ducklake else 0.0)
    out = {"store": s.store, **rt.store.maintain(older_than_s=keep)}
    log.info("store maintenance: %s", out)
    return out
