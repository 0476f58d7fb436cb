"""Data-quality checks of an ingest run: decisions only (no I/O).

Inputs come from the store (:func:`mediamon.store.quality.quality_inputs`), limits from
``settings.quality`` (:class:`mediamon.config.quality.QualitySettings`). Checks, per source:

* ``extraction_failure_rate``: of the article pages received (fetch_log outcome ``ok``, or ``error``
  when processing the page raised, e.g. a crashed extraction worker), the share whose extraction
  failed (``error_class`` set); fail above ``max_extraction_failure_rate``.
* ``empty_text_ratio``: of those pages, the share that gave no text (``skip_reason='empty'``);
  fail above ``max_empty_text_ratio``.
* ``replacement_char_ratio``: U+FFFD characters per character of the run's article text (pages
  decoded with the wrong charset); fail above ``max_replacement_char_ratio``.
  The three rates are ``skipped`` for a source with fewer than ``min_pages`` pages (too few to judge).
* ``volume`` per source and language: the run's articles against the median of the last
  ``volume_baseline_runs`` runs (a subject a run did not have counts 0 there); ``skipped`` while
  that median is below ``volume_min_baseline`` or no run came before; fail below
  ``volume_min_ratio`` x median (the outlet stopped producing or its feed broke), warn above
  ``volume_max_ratio`` x median.

Statuses: ``ok``, ``warn`` (recorded and reported, the run goes on), ``fail`` (recorded, reported,
and the check task fails so the run is marked), ``skipped``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from statistics import median
from typing import Any

__all__ = ["RATE_CHECKS", "evaluate", "summary", "QualityCheckFailed"]

# check name -> (numerator column, denominator column, settings attribute of the upper limit)
RATE_CHECKS = {
    "extraction_failure_rate": ("extraction_failed", "pages", "max_extraction_failure_rate"),
    "empty_text_ratio": ("empty_text", "pages", "max_empty_text_ratio"),
    "replacement_char_ratio": ("replacement_chars", "chars", "max_replacement_char_ratio"),
}


class QualityCheckFailed(RuntimeError):
    """At least one data-quality check of a run failed (message: one line naming the checks)."""


def _row(check: str, subject: str, value: float | None, status: str, threshold: str, detail: str,
         now: datetime, baseline: float | None = None) -> dict:
    return {"check_name": check, "subject": subject, "value": value, "baseline": baseline, "threshold": threshold,
            "status": status, "detail": detail, "checked_at": now}


def evaluate(inputs: dict, limits: Any, now: datetime) -> list[dict]:
    """Check results (dicts with the ``quality_checks`` columns but ``run_id``) for ``inputs``
    (``{"rates", "volume", "history"}`` as :func:`mediamon.store.quality.quality_inputs` gives) under
    ``limits`` (a :class:`~mediamon.config.quality.QualitySettings`); ``now``: UTC, stored as
    ``checked_at``. Sorted by check, then subject. Raises KeyError for an input row lacking a column."""
    out: list[dict] = []
    for r in inputs.get("rates", []):
        sid = r["source_id"]
        for check, (num, den, attr) in RATE_CHECKS.items():
            limit = getattr(limits, attr)
            n, d = int(r[num] or 0), int(r[den] or 0)
            if int(r["pages"] or 0) < limits.min_pages or d == 0:
                out.append(_row(check, sid, None, "skipped", f"<= {limit:g}",
                                f"{r['pages']} article pages (< {limits.min_pages}) or nothing to divide by", now))
                continue
            v = n / d
            status = "fail" if v > limit else "ok"
            out.append(_row(check, sid, v, status, f"<= {limit:g}", f"{n} of {d} {den}", now))
    out.extend(_volume(inputs.get("volume", []), inputs.get("history", []), limits, now))
    return sorted(out, key=lambda x: (x["check_name"], x["subject"]))


def _volume(volume: list[dict], history: list[dict], limits: Any, now: datetime) -> list[dict]:
    current = {f"{v['source_id']}/{v['language']}": float(v["articles"]) for v in volume}
    runs: dict[str, dict[str, float]] = defaultdict(dict)
    for h in history:
        runs[h["run_id"]][h["subject"]] = float(h["value"] or 0)
    subjects = sorted(set(current) | {s for vals in runs.values() for s in vals})
    rows = []
    lo, hi = limits.volume_min_ratio, limits.volume_max_ratio
    for subj in subjects:
        v = current.get(subj, 0.0)
        threshold = f">= {lo:g} x baseline, <= {hi:g} x baseline"
        if not runs:
            rows.append(_row("volume", subj, v, "skipped", threshold, "no earlier run to compare with", now))
            continue
        base = median(vals.get(subj, 0.0) for vals in runs.values())
        if base < limits.volume_min_baseline:
            rows.append(_row("volume", subj, v, "skipped", threshold,
                             f"baseline {base:g} over {len(runs)} runs is below volume_min_baseline {limits.volume_min_baseline:g}",
                             now, base))
        elif v < lo * base:
            rows.append(_row("volume", subj, v, "fail", threshold, f"{v:g} articles vs median {base:g} of {len(runs)} runs", now, base))
        elif v > hi * base:
            rows.append(_row("volume", subj, v, "warn", threshold, f"{v:g} articles vs median {base:g} of {len(runs)} runs", now, base))
        else:
            rows.append(_row("volume", subj, v, "ok", threshold, f"median {base:g} of {len(runs)} runs", now, base))
    return rows


def summary(run_id: str, results: list[dict]) -> str:
    """Plain-text report of a run's checks: one line of counts per status, then one line per
    failed or warned check (``check subject: value (threshold) detail``)."""
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[r["status"]] += 1
    head = f"data-quality checks of run {run_id}: " + ", ".join(f"{counts[s]} {s}" for s in ("ok", "warn", "fail", "skipped") if counts[s])
    lines = [head or f"data-quality checks of run {run_id}: none"]
    for r in results:
        if r["status"] in ("fail", "warn"):
            val = "-" if r["value"] is None else f"{r['value']:.4g}"
            lines.append(f"  {r['status'].upper()} {r['check_name']} {r['subject']}: {val} ({r['threshold']}) {r['detail']}")
    return "\n".join(lines)
