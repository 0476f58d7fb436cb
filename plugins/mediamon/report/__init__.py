"""Daily coverage report: :mod:`.view` (view model from the store's report data), :mod:`.render`
(HTML page from ``templates/`` and CSV files, written atomically; plain-text summary). This module
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
