"""DuckDB storage package: :mod:`mediamon.store.duckdb` holds the code (the only module that opens
the database); this package re-exports its public names so ``from mediamon import store;
store.connect(...)`` works; :mod:`mediamon.store.analytics` holds the coverage analytics (daily
tables built for a range of days, queries of the analytics views). SQL text stays in ``mediamon/sql/`` (package data)."""

from mediamon.store.analytics import (
    TREND_HISTORY_DAYS,
    analytics_data,
    as_rows,
    build_analytics,
    build_daily_coverage,
    build_source_stats,
    coverage,
    replace_comparison_sets,
    share_of_voice,
    source_health,
    top_stories,
    topic_trends,
)
from mediamon.store.duckdb import (
    ARTICLE_COLUMNS,
    FETCH_LOG_COLUMNS,
    SENTIMENT_COLUMNS,
    SQL_DIR,
    STORY_COLUMNS,
    TOPIC_MATCH_COLUMNS,
    StoreError,
    article_id_for,
    articles_in_window,
    articles_to_enrich,
    articles_without_sentiment,
    build_fts_index,
    connect,
    ensure_schema,
    ensure_sources,
    fetch_history,
    known_urls,
    load_fts,
    record_takedown,
    refresh_candidates,
    replace_fetch_log,
    replace_sentiment,
    replace_stories,
    replace_topics,
    report_data,
    run_counts,
    sql,
    upsert_articles,
    upsert_sources,
    upsert_topics,
)

__all__ = [
    "TREND_HISTORY_DAYS", "analytics_data", "as_rows", "build_analytics", "build_source_stats", "coverage",
    "replace_comparison_sets", "share_of_voice", "source_health", "top_stories", "topic_trends",
    "ARTICLE_COLUMNS", "FETCH_LOG_COLUMNS", "SENTIMENT_COLUMNS", "SQL_DIR", "STORY_COLUMNS", "TOPIC_MATCH_COLUMNS",
    "StoreError", "article_id_for", "articles_in_window", "articles_to_enrich", "articles_without_sentiment",
    "build_daily_coverage", "build_fts_index", "connect", "ensure_schema", "ensure_sources", "fetch_history",
    "known_urls", "load_fts", "record_takedown", "refresh_candidates", "replace_fetch_log", "replace_sentiment",
    "replace_stories", "replace_topics", "report_data", "run_counts", "sql", "upsert_articles", "upsert_sources",
    "upsert_topics",
]
