"""Coverage report: :mod:`.view` (view model from the store's report data), :mod:`.dashboard` (period
sections: trends, sentiment, share of voice, top stories, outlets, data quality), :mod:`.charts`
(matplotlib SVG), :mod:`.render` (``index.html`` from ``templates/``), :mod:`.exports` (CSV, Parquet),
:mod:`.markdown` (``summary.md``); plain-text summary. This module
re-exports the public names, so ``from mediamon import report; report.render_report(...)`` works."""

from mediamon.report.render import TEMPLATES_DIR, render_report, summary_text
from mediamon.report.view import (
    ARTICLE_COLUMNS,
    COVERAGE_COLUMNS,
    PALETTE,
    SENTIMENT_COLUMNS,
    STORY_COLUMNS,
    build_view,
    check_data,
    clean_text,
    safe_url,
)

__all__ = [
    "TEMPLATES_DIR", "render_report", "summary_text", "ARTICLE_COLUMNS", "COVERAGE_COLUMNS", "PALETTE",
    "SENTIMENT_COLUMNS", "STORY_COLUMNS", "build_view", "check_data", "clean_text", "safe_url",
]
