"""Alert rules: which of the ``settings.yaml`` rules fire on a report day's data.

One job: rules + report data in, :class:`Alert` list out (no I/O). The data are the tables of
:func:`mediamon.store.reporting.period_report_data` for one day:

- ``spike`` (topic above its baseline): the ``trends`` row of the day with ``spike_score >=
  min_score`` (robust z-score against the median and MAD of the 28 days before) and at least
  ``min_articles`` articles; subject = topic id.
- ``silent_source``: ``source_health.silent`` (no article stored where the outlet's baseline is > 0);
  subject = source id.
- ``empty_feed``: ``source_health.empty_feed`` when the store provides it (feed polls returned no items).
- ``error_rate``: ``source_health.error_rate`` (fetch errors / requests) ``>= max_rate`` with
  ``requests >= min_requests`` (feed polls plus article fetches).

A rule fires once per (rule id, subject, day): the caller drops alerts already recorded in the
``alerts`` table (:func:`mediamon.store.alerts.fired_alerts`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from mediamon.config.alerting import AlertSettings

__all__ = ["Alert", "evaluate"]


@dataclass(frozen=True)
class Alert:
    """One fired rule: ``key`` = (rule_id, subject, day); ``title`` one line, ``text`` plain text,
    ``payload`` JSON-able details (rule, kind, subject, day and the figures that fired it)."""

    rule_id: str
    kind: str
    subject: str
    day: date
    title: str
    text: str
    payload: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.rule_id, self.subject, self.day)


def _num(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _same_day(v: Any, day: date) -> bool:
    if isinstance(v, datetime):
        return v.date() == day
    if isinstance(v, date):
        return v == day
    return str(v)[:10] == day.isoformat()


def _watch(ids: list[str], subject: str) -> bool:
    return not ids or subject in ids


def evaluate(alerts: AlertSettings, data: Mapping, day: date) -> list[Alert]:
    """The alerts of ``alerts.rules`` (enabled ones; none when ``alerts.enabled`` is false) that fire
    on ``day`` given the report ``data`` (lists of dicts under ``trends`` and ``source_health``;
    missing = empty). Order: rules in configuration order, subjects sorted. Raises nothing on odd
    rows: a row without the needed figures does not fire."""
    if not alerts.enabled:
        return []
    trends = [r for r in (data.get("trends") or []) if _same_day(r.get("day"), day)]
    health = list(data.get("source_health") or [])
    out: list[Alert] = []
    for rule in alerts.rules:
        if not rule.enabled:
            continue
        fired: Iterable[Alert] = []
        if rule.kind == "spike":
            fired = _spikes(rule, trends, day)
        elif rule.kind in ("silent_source", "empty_feed", "error_rate"):
            fired = _health(rule, health, day)
        out += sorted(fired, key=lambda a: a.subject)
    return out


def _spikes(rule, trends: list[Mapping], day: date) -> list[Alert]:
    out = []
    for r in trends:
        tid = str(r.get("topic_id"))
        score, n = _num(r.get("spike_score")), _num(r.get("articles")) or 0
        if score is None or score < rule.min_score or n < rule.min_articles or not _watch(rule.topics, tid):
            continue
        name = str(r.get("topic_name") or tid)
        base = _num(r.get("baseline"))
        base_text = f"{base:g}" if base is not None else "n/a"
        out.append(Alert(rule.id, rule.kind, tid, day, f"Spike: {name}: {int(n)} articles on {day}",
                         f"Topic {name} ({tid}) had {int(n)} articles on {day}, against a 28-day median of {base_text} "
                         f"(spike score {score:.1f}, rule {rule.id}: at least {rule.min_score:g} with "
                         f"{rule.min_articles}+ articles).",
                         {"rule": rule.id, "kind": rule.kind, "subject": tid, "day": day.isoformat(), "topic": name,
                          "articles": int(n), "baseline": base, "spike_score": score}))
    return out


def _health(rule, health: list[Mapping], day: date) -> list[Alert]:
    out = []
    for r in health:
        sid = str(r.get("source_id"))
        if not _watch(rule.sources, sid):
            continue
        name = str(r.get("source_name") or sid)
        base = {"rule": rule.id, "kind": rule.kind, "subject": sid, "day": day.isoformat(), "source": name}
        if rule.kind == "silent_source" and r.get("silent"):
            b = _num(r.get("baseline"))
            out.append(Alert(rule.id, rule.kind, sid, day, f"Silent source: {name} published nothing on {day}",
                             f"{name} ({sid}) has no stored article on {day}; it usually has {b or 0:g} a day "
                             f"(median of the 28 days before). Check its feeds and the fetch log.",
                             {**base, "articles": 0, "baseline": b}))
        elif rule.kind == "empty_feed" and r.get("empty_feed"):
            out.append(Alert(rule.id, rule.kind, sid, day, f"Empty feed: {name} on {day}",
                             f"The feeds of {name} ({sid}) returned no items in {r.get('empty_feed_polls')} of "
                             f"{r.get('feed_polls')} polls on {day}.",
                             {**base, "feed_polls": r.get("feed_polls"), "empty_feed_polls": r.get("empty_feed_polls")}))
        elif rule.kind == "error_rate":
            rate, req = _num(r.get("error_rate")), int(_num(r.get("requests")) or 0)
            if rate is not None and rate >= rule.max_rate and req >= rule.min_requests:
                errs = int(_num(r.get("fetch_errors")) or 0)
                fails = int(_num(r.get("extraction_failures")) or 0)
                out.append(Alert(rule.id, rule.kind, sid, day, f"Errors: {name}: {rate:.0%} of requests failed on {day}",
                                 f"{name} ({sid}): {errs} fetch errors in {req} requests (feed polls and article "
                                 f"fetches) on {day} ({rate:.0%}; {fails} extraction failures besides; rule {rule.id}: {rule.max_rate:.0%} with "
                                 f"{rule.min_requests}+ requests).",
                                 {**base, "requests": req, "fetch_errors": errs, "extraction_failures": fails,
                                  "error_rate": rate}))
    return out
