"""Daily coverage report: a self-contained HTML page plus CSV tables, and a plain-text summary.

``render_report(day, data, out_dir)`` writes ``out_dir/<YYYY-MM-DD>/``::

    coverage.html   one file, inline CSS and inline SVG/CSS charts, no scripts, no external
                    resources (opens offline); only article links point outside
    coverage.csv    per source x topic: articles, unique stories, sentiment split, share of voice
    articles.csv    one row per article
    stories.csv     one row per story (cluster of copies; size > 1 = syndicated/duplicate copies)
    sentiment.csv   per source sentiment split

``data`` is what the store's daily queries return (lists of dicts, see :func:`render_report`).
Text that came from the web (titles, source names, URLs) is escaped by Jinja2 autoescaping
(``templates/coverage.html``); links are emitted only for ``http``/``https`` URLs. CSV cells that
start with ``= + - @`` (strings only) are prefixed with ``'`` against spreadsheet formula
injection (OWASP "CSV Injection"). Stage module: does not import airflow or open DuckDB.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from mediamon.report.view import _TABLES, _check, _view, clean_text
from mediamon.util import atomic

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


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


def _csv_text(rows: list[dict], columns: list[str]) -> str:
    extra = sorted({k for r in rows for k in r} - set(columns))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns + extra)
    for r in rows:
        w.writerow([_csv_cell(r.get(c)) for c in columns + extra])
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


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` with :func:`mediamon.util.atomic.write_bytes`
    (temp file + fsync + rename), so readers never see a half-written report. The file gets the mode a
    plain ``open()`` would create, ``0o666 & ~umask`` (0644 under the usual umask 022)."""
    atomic.write_bytes(path, text.encode("utf-8"), perm=0o666 & ~_umask())


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)),
                      autoescape=select_autoescape(enabled_extensions=("html", "xml"), default=True,
                                                   default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


# ----------------------------------------------------------------------------- public API
def render_report(day: date, data: dict, out_dir: Path, *, generated_at: datetime | None = None) -> dict[str, Path]:
    """Write the daily coverage report for ``day`` under ``out_dir/<YYYY-MM-DD>/``.

    ``data`` (what the store's daily queries return; any list may be missing or empty):

    - ``summary``: ``{'articles', 'sources', 'stories', 'duplicates': int, 'date': 'YYYY-MM-DD'}``
    - ``coverage``: ``[{source_id, source_name, topic_id, topic_name, articles, unique_stories,
      mean_sentiment, positive, neutral, negative, share_of_voice}]``; ``topic_id`` ``''``/None = all
      articles of the source; ``share_of_voice`` a fraction in [0, 1] (percent also accepted);
      optional ``mean_topic_sentiment`` (sentences about the topic) is preferred in topic cells
    - ``sentiment``: ``[{source_id, source_name, positive, neutral, negative, mean_sentiment}]``
      (counts of articles; mean score in [-1, 1])
    - ``stories``: ``[{story_id, size, sources ('a, b'), title, first_published_at, syndication}]``
    - ``articles``: ``[{article_id, source_name, title, url, published_at, language, sentiment_label,
      sentiment_score, topics, story_id, syndication}]``

    Writes ``coverage.html`` (self-contained) and ``coverage.csv``, ``articles.csv``,
    ``stories.csv``, ``sentiment.csv`` (UTF-8, header row, the columns above in that order, then
    any extra keys sorted). Files are written atomically (temp file + rename) and overwritten on
    re-runs, readable like any newly created file: mode ``0o666 & ~umask`` (0644 under umask 022). ``generated_at`` (optional keyword, an extension of the contract) is shown in the
    footer; leaving it None keeps the output byte-for-byte reproducible.

    Returns ``{'html': Path, 'coverage': Path, 'articles': Path, 'stories': Path, 'sentiment': Path}``.
    Raises ``TypeError`` if ``day`` is not a date or ``data`` not a dict, ``ValueError`` naming the
    key if a table is not a list of dicts or ``summary['date']`` differs from ``day``.
    """
    d = _check(day, data)
    target = Path(out_dir) / d["summary"]["date"]
    target.mkdir(parents=True, exist_ok=True)
    view = _view(d)
    html = _env().get_template("coverage.html").render(
        day=d["summary"]["date"], day_long=_long_date(day), summary=d["summary"], v=view,
        generated_at=generated_at.isoformat(timespec="seconds") if generated_at else None,
    )
    paths = {"html": target / "coverage.html"}
    _write_atomic(paths["html"], html)
    for name, cols in _TABLES.items():
        p = target / f"{name}.csv"
        _write_atomic(p, _csv_text(d[name], cols))
        paths[name] = p
    return paths


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def summary_text(data: dict) -> str:
    """Plain-text summary of a day's report ``data`` (same shape as for :func:`render_report`).

    Lists articles per source (with per-topic counts), articles per topic, stories with more than
    one copy (syndication/duplicates) and the sentiment split per source. Text from the web is
    reduced to one line without control characters. Raises ``TypeError``/``ValueError`` like
    :func:`render_report` on malformed ``data``.
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"report data must be a dict, got {type(data).__name__}")
    summary = data.get("summary") or {}
    sdate = str(summary.get("date") or "")[:10]
    try:
        day = date.fromisoformat(sdate) if sdate else date.today()
    except ValueError:
        raise ValueError(f"report data['summary']['date'] is not YYYY-MM-DD: {sdate!r}") from None
    d = _check(day, {**data, "summary": {**summary, "date": day.isoformat()}})
    v = _view(d)
    s = d["summary"]
    lines = [f"mediamon coverage report for {s['date']}",
             f"Articles: {s['articles']} from {s['sources']} sources; stories: {s['stories']} "
             f"({len(v['multi_stories'])} with more than one copy); duplicate copies: {s['duplicates']}", ""]

    if v["sources"]:
        width = max(len(x["name"]) for x in v["sources"]) + 2
        tnames = [t["name"] for t in v["topics"]]
        lines.append("Articles per source and topic:")
        lines.append("  " + "source".ljust(width) + "all".rjust(5) + "".join(f"  {n}" for n in tnames))
        for row in v["matrix"]:
            cols = "".join(f"  {str(c['articles']).rjust(len(n))}" for c, n in zip(row["cells"], tnames))
            lines.append("  " + row["source"]["name"].ljust(width) + str(row["source"]["articles"]).rjust(5) + cols)
        lines.append("")
    if v["sov"]:
        lines.append("Articles per topic (share of voice):")
        for t in v["sov"]:
            parts = ", ".join(f"{g['name']} {g['pct']:.0f}%" for g in t["segments"]) or "no coverage"
            lines.append(f"  {t['topic']['name']}: {t['total']} ({parts})")
        lines.append("")
    if v["multi_stories"]:
        lines.append("Stories with more than one copy:")
        for st in v["multi_stories"]:
            synd = f" [{st['syndication']}]" if st["syndication"] else ""
            lines.append(f"  {st['size']}x {clean_text(st['title'], 90)}{synd} -- {st['sources']}")
        lines.append("")
    if v["sentiment"]:
        lines.append("Sentiment per source (positive / neutral / negative, mean score):")
        for r in v["sentiment"]:
            lines.append(f"  {r['name']}: {r['positive']} / {r['neutral']} / {r['negative']}, mean "
                         f"{r['mean_text'] or 'n/a'}")
        t = v["sentiment_total"]
        lines.append(f"  all sources: {t['positive']} / {t['neutral']} / {t['negative']}")
    return "\n".join(lines).rstrip() + "\n"
