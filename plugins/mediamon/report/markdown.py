r"""The short Markdown summary of a report (``summary.md``), fit for an e-mail or a chat message.

One job: the headline numbers, spikes, topics, top stories and data-quality flags as CommonMark
text of a few lines. Text from the web is reduced to one line and the punctuation that Markdown,
HTML or chat tools interpret (``\ ` * _ [ ] ( ) # ! | < > ~ & $``) is backslash-escaped (CommonMark 2.4), so a title
holding ``<script>`` or ``[x](javascript:...)`` is shown as literal text; links are written only
for http(s) URLs (:func:`mediamon.report.view.safe_url`), with ``(``/``)``/``<``/``>`` percent-encoded.
"""

from __future__ import annotations

import re

from mediamon.report.view import clean_text, safe_url

__all__ = ["md_escape", "md_link", "summary_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#!|<>~&$])")


def md_escape(text: object, max_len: int | None = 160) -> str:
    """One-line text with Markdown/HTML punctuation backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", clean_text(text, max_len))


def md_link(text: object, url: object) -> str:
    """``[text](url)`` for an http(s) URL, else the escaped text alone."""
    u = safe_url(url)
    label = md_escape(text) or "\\(untitled\\)"
    if not u:
        return label
    for ch, enc in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        u = u.replace(ch, enc)
    return f"[{label}]({u})"


def _n(k: int, word: str) -> str:
    return f"{k} {word}" + ("" if k == 1 else "s")


def summary_markdown(title: str, view: dict, dash: dict, *, page: str = "index.html", top: int = 1) -> str:
    """Markdown summary: ``title`` (plain text), headline numbers from the view model ``view``
    (:func:`mediamon.report.view.build_view` plus ``summary``), spikes, topics, top stories and data
    quality from ``dash`` (:func:`mediamon.report.dashboard.build_dashboard`). ``top``: stories per
    topic. Ends with a pointer to ``page``."""
    s = view["summary"]
    lines = [f"# {md_escape(title)}", "",
             f"**{s['articles']} articles** from {s['sources']} outlets, {s['stories']} stories "
             f"({s['duplicates']} duplicate or syndicated copies).", ""]
    spikes = dash["volume"]["spikes"]
    end_day = dash["volume"]["rows"][-1]["day"] if dash["volume"]["rows"] else None
    today = [x for x in spikes if x["day"] == end_day]
    if today:
        lines.append("**Spikes:** " + "; ".join(f"{md_escape(x['topic'])} {x['n']} articles" for x in today))
        lines.append("")
    rows = [r for r in dash["sentiment"]["rows"] if r["articles"]]
    sov = {r["name"]: r["pct"] for r in dash["sov"]["rows"]}
    if rows:
        lines += ["| topic | articles | share of voice | positive / neutral / negative |", "|---|---:|---:|---|"]
        for r in rows:
            lines.append(f"| {md_escape(r['name'])} | {r['articles']} | {sov.get(r['name'], 0):.0f}% | "
                         f"{r['positive']} / {r['neutral']} / {r['negative']} |")
        lines.append("")
    if dash["top_stories"]:
        lines.append("**Top story per topic**" if top == 1 else f"**Top {top} stories per topic**")
        lines.append("")
        for g in dash["top_stories"]:
            for st in g["stories"][:top]:
                wire = f", {md_escape(st['wire'])}" if st["wire"] else ""
                lines.append(f"- {md_escape(g['name'])}: {md_link(st['title'], st['url'])}: {_n(st['placements'], 'placement')} "
                             f"in {_n(st['outlets'], 'outlet')} (first: {md_escape(st['original'])}{wire})")
        lines.append("")
    h = dash["health"]
    flags = []
    if h["silent"]:
        flags.append("silent: " + ", ".join(md_escape(n) for n in h["silent"]))
    if h["empty"]:
        flags.append("empty feeds: " + ", ".join(md_escape(n) for n in h["empty"]))
    if h["failing"]:
        flags.append("high error rate: " + ", ".join(md_escape(n) for n in h["failing"]))
    lines.append("**Data quality:** " + ("; ".join(flags) if flags else "no outlet flagged")
                 + f" ({h['fetch_errors']} fetch errors, {h['extraction_failures']} extraction failures).")
    lines += ["", f"Full report: {page} (charts, per-outlet table, all articles in articles.csv)."]
    return "\n".join(lines) + "\n"
