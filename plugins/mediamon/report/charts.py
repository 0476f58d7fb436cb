"""Report charts: matplotlib figures rendered to SVG text for inlining into the HTML page.

One job: numbers in, ``<svg>...</svg>`` text out. No scripts, no external references: the
figures use matplotlib's object API (``Figure`` + the SVG canvas, no pyplot state), text is
kept as SVG ``<text>`` (``svg.fonttype: none``, so the browser's font draws it and the file
stays small), ``$`` in labels is literal text (``text.parse_math: False``), and the output
is byte-for-byte reproducible (fixed ``svg.hashsalt``, no date in the metadata).

Each SVG's element ids are prefixed with the chart's key so several charts can share one
HTML page without id clashes (clip paths are referenced by id). Labels are escaped by
matplotlib's SVG writer (XML character escaping); callers pass plain text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date

__all__ = ["line_chart", "stacked_bars", "bar_chart", "POS", "NEU", "NEG"]

POS, NEU, NEG = "#2e9d5b", "#9aa5b1", "#d64545"
INK, MUTED, GRID = "#1f2933", "#616e7c", "#e4e7eb"
_RC = {
    "svg.fonttype": "none", "svg.hashsalt": "mediamon-report", "svg.image_inline": True,
    "text.parse_math": False, "font.size": 9, "font.family": "sans-serif",
    "axes.edgecolor": GRID, "axes.labelcolor": MUTED, "xtick.color": MUTED, "ytick.color": MUTED,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.color": GRID,
    "grid.linewidth": 0.6, "axes.axisbelow": True, "legend.frameon": False,
}
_ID_RE = re.compile(r'\bid="([^"]+)"')


def _figure(width_in: float, height_in: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=72, layout="constrained")


def _svg(fig, key: str, label: str) -> str:
    """The figure as inline SVG text: no XML prolog/doctype/metadata, ids prefixed with ``key``,
    ``role="img"`` and an ``aria-label``."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    ids = set(_ID_RE.findall(text))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{key}-{old}"
        text = text.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})") \
                   .replace(f'href="#{old}"', f'href="#{new}"')
    label_attr = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("<svg ", f'<svg role="img" aria-label="{label_attr}" class="chart" ', 1)
    return text.strip() + "\n"


def _rc():
    import matplotlib

    return matplotlib.rc_context(_RC)


def line_chart(key: str, days: Sequence[date], series: Sequence[tuple[str, str, Sequence[float]]],
               spikes: Sequence[tuple[int, int]] = (), *, label: str, ylabel: str = "articles") -> str:
    """Lines over ``days`` (x axis): ``series`` = ``[(name, colour, values)]`` with one value per
    day; ``spikes`` = ``[(series_index, day_index)]`` drawn as red triangles above the point.
    Returns inline SVG text. Raises ValueError when a series' length differs from ``days``."""
    with _rc():
        fig = _figure(9.6, 3.4)
        ax = fig.add_subplot()
        x = list(range(len(days)))
        for name, colour, values in series:
            if len(values) != len(days):
                raise ValueError(f"chart {key}: series {name!r} has {len(values)} values for {len(days)} days")
            ax.plot(x, list(values), color=colour, linewidth=1.6, label=name, marker="o", markersize=2.2)
        for si, di in spikes:
            _, colour, values = series[si]
            ax.plot([di], [values[di]], marker="^", markersize=9, color=NEG, markeredgecolor="white",
                    linestyle="none", zorder=5)
        if spikes:
            ax.plot([], [], marker="^", color=NEG, linestyle="none", markersize=8, label="spike")
        step = max(1, len(days) // 10)
        ticks = list(range(len(days) - 1, -1, -step))[::-1]
        ax.set_xticks(ticks, [f"{days[i]:%d %b}" for i in ticks])
        ax.set_xlim(-0.5, max(len(days) - 0.5, 0.5))
        ax.set_ylim(bottom=0)
        ax.set_ylabel(ylabel)
        ax.yaxis.get_major_locator().set_params(integer=True)
        if series:
            fig.legend(*ax.get_legend_handles_labels(), loc="outside upper center",
                       ncols=min(5, len(series) + (1 if spikes else 0)), fontsize=8.5)
        return _svg(fig, key, label)


def stacked_bars(key: str, labels: Sequence[str], parts: Sequence[tuple[str, str, Sequence[float]]], *,
                 label: str, percent: bool = True) -> str:
    """Horizontal stacked bars, one per ``labels`` entry (top to bottom); ``parts`` =
    ``[(name, colour, values)]`` stacked left to right. With ``percent`` each bar is scaled to
    100 % of its own total (a bar with total 0 stays empty). Returns inline SVG text."""
    with _rc():
        fig = _figure(5.4, 0.75 + 0.3 * max(1, len(labels)))
        ax = fig.add_subplot()
        y = list(range(len(labels)))[::-1]
        totals = [sum(p[2][i] for p in parts) for i in range(len(labels))]
        left = [0.0] * len(labels)
        for name, colour, values in parts:
            w = [(100.0 * v / t if t else 0.0) if percent else float(v) for v, t in zip(values, totals)]
            ax.barh(y, w, left=left, color=colour, label=name, height=0.62)
            left = [a + b for a, b in zip(left, w)]
        ax.set_yticks(y, list(labels))
        ax.grid(axis="y", visible=False)
        if percent:
            ax.set_xlim(0, 100)
            ax.set_xlabel("% of articles")
        fig.legend(*ax.get_legend_handles_labels(), loc="outside upper center", ncols=len(parts), fontsize=8.5)
        return _svg(fig, key, label)


def bar_chart(key: str, labels: Sequence[str], values: Sequence[float], *, label: str, colour: str = "#0b4f6c",
              xlabel: str = "", percent: bool = False) -> str:
    """Horizontal bars, one per label (top to bottom), value printed at the bar's end.
    Returns inline SVG text."""
    with _rc():
        fig = _figure(5.4, 0.6 + 0.3 * max(1, len(labels)))
        ax = fig.add_subplot()
        y = list(range(len(labels)))[::-1]
        ax.barh(y, list(values), color=colour, height=0.62)
        for yi, v in zip(y, values):
            ax.text(v, yi, f" {v:.0f}%" if percent else f" {v:g}", va="center", fontsize=8.5, color=INK)
        ax.set_yticks(y, list(labels))
        ax.grid(axis="y", visible=False)
        top = max(list(values) + [1])
        ax.set_xlim(0, 100 if percent else top * 1.15)
        if xlabel:
            ax.set_xlabel(xlabel)
        return _svg(fig, key, label)
