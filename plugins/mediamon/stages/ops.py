"""Operations stages: data-quality checks and run metrics after each ingest, stage timing, and
the failure notification wired as the DAGs' ``on_failure_callback`` (see :mod:`mediamon.stages`).

Nothing here imports Airflow: :func:`notify_failure` reads the task context it is given as a
mapping (``ti``, ``dag_run``, ``exception``), as Airflow passes it to callbacks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from mediamon.quality import QualityCheckFailed, evaluate, summary
from mediamon.runtime import Runtime

from mediamon.stages.common import _rt, load_config, log

__all__ = ["timed", "check_quality", "stage_metrics", "notify_failure", "QualityCheckFailed"]

# ingest stages in run order: the keys of check_quality's ``results``
STAGES = ("discover", "plan", "fetch_extract", "load", "enrich")


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``; a dict result gets ``"timing": {"started_at", "finished_at"
    (ISO 8601, UTC), "duration_s" (wall-clock seconds, monotonic clock)}``, which
    :func:`check_quality` turns into the ``runs`` metrics; each dict of a list result gets the
    task's timing. Other results are returned as they are."""
    started = datetime.now(timezone.utc)
    t0 = time.monotonic()
    out = fn(*args, **kwargs)
    timing = {"started_at": started.isoformat(), "finished_at": datetime.now(timezone.utc).isoformat(),
              "duration_s": round(time.monotonic() - t0, 3)}
    if isinstance(out, dict):
        return {**out, "timing": timing}
    if isinstance(out, list):  # one task, several results (e.g. a group of sources): each carries the task's timing
        return [{**r, "timing": timing} if isinstance(r, dict) else r for r in out]
    return out


def _sum_counts(results: list[dict]) -> dict:
    counts: dict[str, float] = {}
    for r in results:
        for k, v in r.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                counts[k] = counts.get(k, 0) + v
            elif isinstance(v, dict) and k == "outcomes":
                for o, n in v.items():
                    if isinstance(n, (int, float)):
                        counts[f"outcome_{o}"] = counts.get(f"outcome_{o}", 0) + n
    return counts


def _flat(res: Any) -> list:
    if isinstance(res, (list, tuple)):
        return [x for r in res for x in _flat(r)]
    return [res]


def stage_metrics(results: Mapping[str, Any], *, run_started_at: datetime | None, now: datetime) -> list[dict]:
    """``runs`` rows for one run: one per stage in ``results`` (``{stage: result or [results]}``,
    results as the stages return them, optionally with :func:`timed`'s ``timing``) with the summed
    numeric counts, the task count, first start, last finish, wall-clock ``duration_s`` and summed
    ``task_s`` (None without timing); plus the row ``run`` from ``run_started_at`` (UTC) to ``now``."""
    rows = []
    for stage, res in results.items():
        items = [r for r in _flat(res) if isinstance(r, dict)]
        # one timing per task: the results of one task (a list result) share theirs
        timings = list({tuple(sorted(r["timing"].items())): r["timing"] for r in items if isinstance(r.get("timing"), dict)}.values())
        starts = [datetime.fromisoformat(t["started_at"]) for t in timings]
        ends = [datetime.fromisoformat(t["finished_at"]) for t in timings]
        rows.append({"stage": stage, "started_at": min(starts) if starts else None, "finished_at": max(ends) if ends else None,
                     "duration_s": (max(ends) - min(starts)).total_seconds() if timings else None,
                     "task_s": round(sum(t["duration_s"] for t in timings), 3) if timings else None,
                     "tasks": len(items), "counts": _sum_counts(items), "recorded_at": now})
    if run_started_at is not None:
        rows.append({"stage": "run", "started_at": run_started_at, "finished_at": now,
                     "duration_s": (now - run_started_at).total_seconds(), "task_s": None, "tasks": None,
                     "counts": {}, "recorded_at": now})
    return rows


def check_quality(run_id: str, config_dir: str | None = None, *, results: Mapping[str, Any] | None = None,
                  run_started_at: datetime | None = None, raise_on_fail: bool = True,
                  runtime: Runtime | None = None) -> dict:
    """After-ingest stage (DuckDB pool): record the run's metrics and its data-quality checks.

    ``results``: the run's stage results ``{"discover": [...], "fetch_extract": [...], "load": {...},
    "enrich": {...}}`` (see :func:`stage_metrics`); they become the run's ``runs`` rows, with a
    ``quality`` row for this stage and a ``run`` row from ``run_started_at`` (UTC) when given. The
    checks (:mod:`mediamon.quality`, limits ``settings.quality``) are written to ``quality_checks``
    (a rerun of the run replaces its rows). Warnings are sent through the notifier (log always;
    e-mail/webhook when configured). Returns ``{"run_id", "status" ('ok' | 'warn' | 'fail' |
    'disabled'), "counts": {status: n}, "checks": [rows], "text": summary}``.
    Raises :class:`QualityCheckFailed` (one line naming the failed checks) after recording, when
    a check failed and ``raise_on_fail``: the task fails, so the run is marked and the failure
    callback reports it."""
    rt = _rt(config_dir, runtime)
    cfg = rt.config
    limits = cfg.settings.quality
    t0, started = time.monotonic(), datetime.now(timezone.utc)
    checks: list[dict] = []
    with rt.store.session() as s:
        if limits.enabled:
            checks = evaluate(s.quality_inputs(run_id, limits.volume_baseline_runs), limits, rt.clock.now())
            s.record_quality(run_id, checks)
        now = datetime.now(timezone.utc)
        metrics = stage_metrics(dict(results or {}), run_started_at=run_started_at, now=now)
        counts = {st: sum(c["status"] == st for c in checks) for st in ("ok", "warn", "fail", "skipped")}
        metrics.append({"stage": "quality", "started_at": started, "finished_at": now,
                        "duration_s": round(time.monotonic() - t0, 3), "task_s": round(time.monotonic() - t0, 3),
                        "tasks": 1, "counts": counts, "recorded_at": now})
        s.record_runs(run_id, metrics)
    status = "disabled" if not limits.enabled else "fail" if counts["fail"] else "warn" if counts["warn"] else "ok"
    text = summary(run_id, checks)
    log.info("%s", text)
    if status == "warn":
        from mediamon.alerts import build_notifier

        build_notifier(cfg.settings).send(f"mediamon: data-quality warnings in run {run_id}", text,
                                          {"run_id": run_id, "kind": "quality", "status": status, "counts": counts})
    if status == "fail" and raise_on_fail:
        failed = [f"{c['check_name']} {c['subject']}" for c in checks if c["status"] == "fail"]
        raise QualityCheckFailed(f"run {run_id}: {len(failed)} data-quality check(s) failed: {', '.join(failed[:10])}"
                                 + (" ..." if len(failed) > 10 else "") + " (see quality_checks)")
    return {"run_id": run_id, "status": status, "counts": counts, "checks": checks, "text": text}


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def notify_failure(context: Mapping[str, Any], config_dir: str | None = None) -> list[str]:
    """``on_failure_callback`` of the mediamon DAGs' tasks: send "task failed" through the notifier
    of ``settings.alerts`` (log always; e-mail/webhook when configured).

    ``context``: the task context Airflow passes (``ti`` with dag_id, task_id, run_id, map_index,
    try_number; ``exception``; optional ``dag_run``), or any mapping with those keys. Subject:
    ``mediamon: <dag>.<task>[<map index>] failed (run <run id>)``; text: the exception, try number
    and log URL; payload: the same fields. Returns the channels that delivered it. Never raises: an
    unreadable configuration falls back to the log channel (and says so in the text)."""
    try:
        ti = context.get("ti") or context.get("task_instance")
        dag_id = _get(ti, "dag_id") or _get(context.get("dag"), "dag_id", "?")
        task_id = _get(ti, "task_id", "?")
        run_id = _get(ti, "run_id") or _get(context.get("dag_run"), "run_id", "?")
        map_index = _get(ti, "map_index", -1)
        label = _get(ti, "rendered_map_index") or (str(map_index) if map_index not in (None, -1) else "")
        exc = context.get("exception")
        error = f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else str(exc or "unknown error")
        payload = {"kind": "task_failed", "dag_id": dag_id, "task_id": task_id, "run_id": run_id, "map_index": map_index,
                   "map_label": label or None, "try_number": _get(ti, "try_number"), "error": error[:2000],
                   "log_url": _get(ti, "log_url")}
        subject = f"mediamon: {dag_id}.{task_id}{f'[{label}]' if label else ''} failed (run {run_id})"
        text = "\n".join([subject, f"error: {error[:2000]}", f"try: {payload['try_number']}"]
                         + ([f"log: {payload['log_url']}"] if payload["log_url"] else []))
        from mediamon.alerts import build_notifier

        try:
            notifier = build_notifier(load_config(config_dir).settings)
        except Exception as e:  # noqa: BLE001 - a broken config must not hide the failure being reported
            notifier = build_notifier(None)
            text += f"\n(configuration not readable, log channel only: {type(e).__name__}: {e})"
        return notifier.send(subject, text, payload)
    except Exception as e:  # noqa: BLE001 - a callback never raises into Airflow
        log.exception("failure notification could not be sent: %s: %s", type(e).__name__, e)
        return []
