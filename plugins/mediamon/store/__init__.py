"""DuckDB storage package: :mod:`mediamon.store.duckdb` holds the code (the only module that opens
the database); this package re-exports its public names so ``from mediamon import store;
store.connect(...)`` works. SQL text stays in ``mediamon/sql/`` (package data)."""

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
    build_daily_coverage,
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
from mediamon.store.stories import (
    clustered_stories,
    link_candidates,
    refresh_stories,
    resolve_story,
    story_candidates,
    story_detail,
    story_members,
    write_entities,
    write_story_assignment,
    write_story_links,
)

__all__ = [
    "ARTICLE_COLUMNS", "FETCH_LOG_COLUMNS", "SENTIMENT_COLUMNS", "SQL_DIR", "STORY_COLUMNS", "TOPIC_MATCH_COLUMNS",
    "StoreError", "article_id_for", "articles_in_window", "articles_to_enrich", "articles_without_sentiment",
    "build_daily_coverage", "build_fts_index", "connect", "ensure_schema", "ensure_sources", "fetch_history",
    "known_urls", "load_fts", "record_takedown", "refresh_candidates", "replace_fetch_log", "replace_sentiment",
    "replace_stories", "replace_topics", "report_data", "run_counts", "sql", "upsert_articles", "upsert_sources",
    "upsert_topics", "clustered_stories", "refresh_stories", "resolve_story", "story_candidates", "story_detail",
    "story_members", "write_story_assignment", "write_story_links", "link_candidates", "write_entities",
]
