-- mediamon DuckDB schema. Applied by store.connect() when a write connection finds no schema_version
-- row with the sha1 of this file's text (new database, or this file changed since): so every statement
-- must stay idempotent (CREATE ... IF NOT EXISTS) for upgrades to work.
-- Times are TIMESTAMPTZ (UTC); `day` columns are calendar days in the configured report timezone.

CREATE TABLE IF NOT EXISTS sources (
    source_id   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    homepage    VARCHAR,
    language    VARCHAR,
    country     VARCHAR,
    feeds       VARCHAR[],
    updated_at  TIMESTAMPTZ
);

-- Every URL attempted (feeds, sitemaps, robots.txt, articles), whatever the outcome.
CREATE TABLE IF NOT EXISTS fetch_log (
    run_id            VARCHAR NOT NULL,
    source_id         VARCHAR,
    url               VARCHAR NOT NULL,
    final_url         VARCHAR,
    host              VARCHAR,
    kind              VARCHAR,       -- article | feed | sitemap | robots | section | page
    status            INTEGER,       -- HTTP status, NULL when no response
    outcome           VARCHAR NOT NULL, -- ok, not_modified, http_error, robots_disallowed, blocked_address, timeout, ...;
                                        -- not_fetched: a decision logged without a request (skip_reason retry_cap)
    n_bytes           BIGINT,
    elapsed_s         DOUBLE,
    retries           INTEGER,
    error_class       VARCHAR,
    error             VARCHAR,
    robots            VARCHAR,       -- allowed | disallowed | unavailable | not_checked
    skip_reason       VARCHAR,       -- why a fetched page did not become an article (listing, paywall, ...)
    fetched_at        TIMESTAMPTZ,
    content_type      VARCHAR,
    encoding          VARCHAR,
    replacement_chars INTEGER
);

-- One row per canonical URL.
CREATE TABLE IF NOT EXISTS articles (
    article_id        VARCHAR PRIMARY KEY,   -- first 16 hex of sha1(canonical_url)
    canonical_url     VARCHAR NOT NULL UNIQUE,
    url               VARCHAR NOT NULL,      -- URL as discovered
    source_id         VARCHAR NOT NULL,
    title             VARCHAR,
    text              VARCHAR NOT NULL,
    authors           VARCHAR[],
    editor            VARCHAR,
    published_at      TIMESTAMPTZ,
    modified_at       TIMESTAMPTZ,
    day               DATE NOT NULL,         -- publication day (fetch day if unknown) in report timezone
    language          VARCHAR,
    tags              VARCHAR[],
    categories        VARCHAR[],
    image             VARCHAR,
    syndication       VARCHAR,               -- wire credit: AP, Reuters, AFP, ANTARA, ...
    credits           JSON,
    methods           JSON,                  -- which method produced each metadata field
    content_hash      VARCHAR NOT NULL,      -- sha1 of normalised text (exact duplicates)
    minhash           BLOB,                  -- MinHash signature (near duplicates)
    n_chars           INTEGER,
    replacement_chars INTEGER,
    fetched_at        TIMESTAMPTZ NOT NULL,
    first_seen_at     TIMESTAMPTZ NOT NULL,
    extractor_version VARCHAR NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,  -- bumped when a refresh finds changed content
    run_id            VARCHAR
);

-- Earlier versions of an article (refresh found an edit or a takedown).
CREATE TABLE IF NOT EXISTS article_versions (
    article_id    VARCHAR NOT NULL,
    version       INTEGER NOT NULL,
    content_hash  VARCHAR,
    status        INTEGER,
    title         VARCHAR,
    text          VARCHAR,
    fetched_at    TIMESTAMPTZ,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE IF NOT EXISTS article_sentiment (
    article_id   VARCHAR PRIMARY KEY,
    label        VARCHAR NOT NULL,   -- positive | neutral | negative
    score        DOUBLE NOT NULL,    -- [-1, 1]
    method       VARCHAR NOT NULL,
    version      VARCHAR NOT NULL,
    n_sentences  INTEGER,
    computed_at  TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS article_topics (
    article_id        VARCHAR NOT NULL,
    topic_id          VARCHAR NOT NULL,
    matched_terms     VARCHAR[],
    mentions          INTEGER,
    sentiment_label   VARCHAR,       -- sentiment of the sentences that mention the topic
    sentiment_score   DOUBLE,
    sentiment_method  VARCHAR,
    PRIMARY KEY (article_id, topic_id)
);

-- Story = cluster of copies (exact and near duplicates, e.g. syndicated wire copy).
CREATE TABLE IF NOT EXISTS article_stories (
    article_id          VARCHAR PRIMARY KEY,
    story_id            VARCHAR NOT NULL,  -- article_id of the story's earliest article
    exact_duplicate_of  VARCHAR,           -- earliest article with the same content hash, if not itself
    story_size          INTEGER
);

CREATE TABLE IF NOT EXISTS topics (
    topic_id  VARCHAR PRIMARY KEY,
    name      VARCHAR NOT NULL,
    query     VARCHAR
);

-- date x source x topic ('' = all articles of the source that day).
CREATE TABLE IF NOT EXISTS daily_coverage (
    day                 DATE NOT NULL,
    source_id           VARCHAR NOT NULL,
    topic_id            VARCHAR NOT NULL,
    articles            INTEGER NOT NULL,
    unique_stories      INTEGER NOT NULL,
    mean_sentiment      DOUBLE,
    positive            INTEGER NOT NULL,
    neutral             INTEGER NOT NULL,
    negative            INTEGER NOT NULL,
    mean_topic_sentiment DOUBLE,   -- topic-targeted sentiment (sentences mentioning the topic)
    share_of_voice      DOUBLE,    -- this source's share of the day's articles on this topic
    PRIMARY KEY (day, source_id, topic_id)
);

-- Which versions of this file (sha1 of its text) have been applied (store.connect).
CREATE TABLE IF NOT EXISTS schema_version (
    schema_sha1  VARCHAR PRIMARY KEY,
    applied_at   TIMESTAMPTZ
);

-- Site boilerplate learning (extract/siteboiler.py, store/sitelines.py): one row per normalised
-- body line (line_key: 16 hex of sha1) seen on one article of one source; the source's learned
-- boilerplate is the set of keys seen on many of its recent articles (sql/site_lines_learned.sql).
-- Rows older than the rolling window are pruned at each load (sql/site_lines_prune.sql).
CREATE TABLE IF NOT EXISTS source_line_seen (
    source_id   VARCHAR NOT NULL,
    line_key    VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    seen_at     TIMESTAMPTZ NOT NULL,   -- the article's fetch time (UTC)
    PRIMARY KEY (source_id, line_key, article_id)
);
