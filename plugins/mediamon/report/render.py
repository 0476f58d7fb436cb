"""Coverage report: a self-contained HTML page, CSV and Parquet exports, a Markdown and a text summary.

``render_report(day, data, out_dir)`` writes ``out_dir/<YYYY-MM-DD>/`` (a range report,
``end=`` after ``day``, writes ``out_dir/<start>--<end>/``)::

    index.html      the report: one file, inline CSS and inline SVG charts (matplotlib), no scripts,
                    no external resources (opens offline); only article links point outside
    coverage.html   a redirect to index.html (the page's name before index.html; old links keep working)
    summary.md      a short Markdown summary for an e-mail or a chat message
    <table>.csv     one per report table (UTF-8, header row): coverage, sentiment, stories, articles,
    <table>.parquet topics, trends, share_of_voice, top_stories, outlets, source_health

``data`` is what the store's report queries return (lists of dicts, see :func:`render_report`).
Text that came from the web (titles, source names, URLs) is escaped by Jinja2 autoescaping
(``templates/index.html``); links are emitted only for ``http``/``https`` URLs. CSV cells that
start with ``= + - @`` (strings only) are prefixed with ``'`` against spreadsheet formula
injection (OWASP "CSV Injection"). Stage module: does not import airflow or open DuckDB.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from mediamon.report.dashboard import EXTRA_TABLES, build_dashboard
from mediamon.report.exports import csv_text, parquet_bytes, write_bytes, write_text
from mediamon.report.markdown import summary_markdown
from mediamon.report.view import _TABLES, _check, _rows, _view, clean_text

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
ALL_TABLES = {**_TABLES, **EXTRA_TABLES}
DEFAULT_THRESHOLDS = {"spike_min_score": 3.5, "spike_min_articles": 3, "error_max_rate": 0.5, "error_min_requests": 10}


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) atomically with the mode a plain ``open()`` would create (see :mod:`.exports`)."""
    write_text(path, text)


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)),
                      autoescape=select_autoescape(enabled_extensions=("html", "xml"), default=True,
                                                   default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


# ----------------------------------------------------------------------------- public API
def render_report(day: date, data: dict, out_dir: Path, *, generated_at: datetime | None = None,
                  end: date | None = None, max_articles: int = 200, thresholds: Mapping | None = None,
                  parquet: bool = True) -> dict[str, Path]:
    """Write the coverage report for ``day`` (or the days ``day``..``end``) under ``out_dir``.

    ``data`` (what the store's report queries return; any list may be missing or empty):

    - ``summary``: ``{'articles', 'sources', 'stories', 'duplicates': int, 'date': 'YYYY-MM-DD'}``
    - ``coverage``: ``[{source_id, source_name, topic_id, topic_name, articles, unique_stories,
      mean_sentiment, positive, neutral, negative, share_of_voice}]``; ``topic_id`` ``''``/None = all
      articles of the source; ``share_of_voice`` a fraction in [0, 1] (percent also accepted);
      optional ``mean_topic_sentiment`` (sentences about the topic) is preferred in topic cells
    - ``sentiment``: ``[{source_id, source_name, positive, neutral, negative, mean_sentiment}]``
      (counts of articles; mean score in [-1, 1])
    - ``stories``: ``[{story_id, size, sources ('a, b'), title, first_published_at, syndication}]``
    - ``articles``: ``[{article_id, source_name, title, url, published_at, language, sentiment_label,
      sentiment_score, topics, story_id, syndication}]``, most prominent first (the page lists the
      first ``max_articles``; the exports every one)
    - ``topics``, ``trends``, ``share_of_voice``, ``top_stories``, ``outlets``, ``source_health``: the
      period tables of :func:`mediamon.store.reporting.period_report_data` (columns in
      :data:`mediamon.report.dashboard.EXTRA_TABLES`)

    ``thresholds`` (keys of :data:`DEFAULT_THRESHOLDS`): the alert rules' spike and error-rate
    limits, so the page marks what the alerts fire on. Files are written atomically and overwritten
    on re-runs, mode ``0o666 & ~umask``. ``generated_at`` (optional) is shown in the footer; leaving
    it None keeps every file byte-for-byte reproducible. ``parquet=False`` skips the Parquet files.

    Returns ``{'html': index.html, 'redirect': coverage.html, 'markdown': summary.md, <table>: CSV path,
    '<table>_parquet': Parquet path}``. Raises ``TypeError`` if ``day`` is not a date or ``data`` not a
    dict, ``ValueError`` naming the key if a table is not a list of dicts, ``summary['date']`` differs
    from ``day`` or ``end`` is before ``day``.
    """
    d = _check(day, data)
    if end is not None and (not isinstance(end, date) or end < day):
        raise ValueError(f"report end {end!r} must be a date on or after {day}")
    for k in EXTRA_TABLES:
        d[k] = _rows(data, k)
    ranged = end is not None and end != day
    name = f"{d['summary']['date']}--{end.isoformat()}" if ranged else d["summary"]["date"]
    target = Path(out_dir) / name
    target.mkdir(parents=True, exist_ok=True)
    view = _view(d)
    view["summary"] = d["summary"]
    dash = build_dashboard(d, max_articles=max_articles, **{**DEFAULT_THRESHOLDS, **(thresholds or {})})
    title = (f"Coverage report {_long_date(day)} to {_long_date(end)}" if ranged
             else f"Daily coverage report \u2014 {_long_date(day)}")
    html = _env().get_template("index.html").render(
        day=d["summary"]["date"], period=name.replace("--", " to "), title=title, ranged=ranged,
        summary=d["summary"], v=view, dash=dash, tables=ALL_TABLES, parquet=parquet,
        generated_at=generated_at.isoformat(timespec="seconds") if generated_at else None,
    )
    paths = {"html": target / "index.html", "redirect": target / "coverage.html", "markdown": target / "summary.md"}
    _write_atomic(paths["html"], html)
    _write_atomic(paths["redirect"], _env().get_template("coverage.html").render(title=title))
    _write_atomic(paths["markdown"], summary_markdown(title, view, dash))
    for tname, cols in ALL_TABLES.items():
        p = target / f"{tname}.csv"
        _write_atomic(p, csv_text(d[tname], cols))
        paths[tname] = p
        if parquet:
            q = target / f"{tname}.parquet"
            write_bytes(q, parquet_bytes(d[tname], cols))
            paths[f"{tname}_parquet"] = q
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
