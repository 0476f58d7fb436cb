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
    replacement_chars INTEGER,
    items             INTEGER,       -- feed/sitemap polls: entries parsed from a 200 response (NULL otherwise)
    items_overlap     INTEGER        -- of those, entries already seen in earlier polls (NULL on a feed's first poll)
);
ALTER TABLE fetch_log ADD COLUMN IF NOT EXISTS items INTEGER;
ALTER TABLE fetch_log ADD COLUMN IF NOT EXISTS items_overlap INTEGER;

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

-- date x source x topic: topic_id '' = all articles of the source that day; source_id '' = all outlets.
-- Built for a range of days by store.build_daily_coverage (sql/daily_coverage.sql).
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
    share_of_voice      DOUBLE,    -- this source's share of the day's articles on this topic (NULL on source_id '' rows)
    mentions            BIGINT,    -- topic mentions in those articles (NULL for topic_id '')
    PRIMARY KEY (day, source_id, topic_id)
);
ALTER TABLE daily_coverage ADD COLUMN IF NOT EXISTS mentions BIGINT;

-- Per outlet and day (every configured source x every day built, zeros included): what the pipeline saw.
-- Built for a range of days by store.build_source_stats (sql/daily_source_stats.sql); the days are
-- calendar days in the session time zone (the report timezone) of fetch_log.fetched_at / articles.day.
CREATE TABLE IF NOT EXISTS daily_source_stats (
    day                  DATE NOT NULL,
    source_id            VARCHAR NOT NULL,
    feed_polls           INTEGER NOT NULL,  -- feed + sitemap requests (304s included)
    feed_items           INTEGER NOT NULL,  -- entries listed by the feeds/sitemaps that answered 200
    empty_feed_polls     INTEGER NOT NULL,  -- polls answering 200 with 0 entries (or an unparsable body)
    rotated_feed_polls   INTEGER NOT NULL,  -- polls whose entries were all new: the window rotated, items may be missed
    article_fetches      INTEGER NOT NULL,  -- article page requests
    articles_stored      INTEGER NOT NULL,  -- articles with this publication day
    fetch_errors         INTEGER NOT NULL,  -- requests that failed (HTTP error, timeout, connection, too large, ...)
    extraction_failures  INTEGER NOT NULL,  -- article pages fetched ok whose extraction gave no text / raised
    PRIMARY KEY (day, source_id)
);

-- Comparison sets of topics for share of voice (settings.yaml `comparison_sets`; store.replace_comparison_sets).
CREATE TABLE IF NOT EXISTS comparison_sets (
    set_name  VARCHAR NOT NULL,
    topic_id  VARCHAR NOT NULL,
    PRIMARY KEY (set_name, topic_id)
);

-- Which versions of this file (sha1 of its text) have been applied (store.connect).
CREATE TABLE IF NOT EXISTS schema_version (
    schema_sha1  VARCHAR PRIMARY KEY,
    applied_at   TIMESTAMPTZ
);

-- Topic prominence and versions (topics are versioned: a changed or new topic definition is applied
-- to stored articles by a bounded backfill, mediamon.topicsync).
ALTER TABLE article_topics ADD COLUMN IF NOT EXISTS in_title BOOLEAN;
ALTER TABLE article_topics ADD COLUMN IF NOT EXISTS in_lead BOOLEAN;
ALTER TABLE article_topics ADD COLUMN IF NOT EXISTS body_mentions INTEGER;
ALTER TABLE article_topics ADD COLUMN IF NOT EXISTS prominence VARCHAR;      -- title | lead | body
ALTER TABLE article_topics ADD COLUMN IF NOT EXISTS topic_version VARCHAR;   -- topic_versions.version that matched

-- One row per topic definition ever applied: version = sha1 of the definition (terms, query,
-- matching options, matcher version). The newest applied_at per topic is in force.
CREATE TABLE IF NOT EXISTS topic_versions (
    topic_id          VARCHAR NOT NULL,
    version           VARCHAR NOT NULL,
    definition        VARCHAR NOT NULL,  -- JSON of what the version hashes
    applied_at        TIMESTAMPTZ NOT NULL,
    backfill_since    DATE,              -- stored articles from this day on were re-matched (NULL: none stored)
    articles_scanned  INTEGER NOT NULL,
    matches           INTEGER NOT NULL,
    reason            VARCHAR NOT NULL,  -- new | changed | rerun
    PRIMARY KEY (topic_id, version, applied_at)
);

-- Alert rules that fired (settings.yaml `alerts:`): one row per (rule, subject, day), so a rule fires once
-- per subject and day however often the report is rebuilt. subject: a topic id or a source id.
CREATE TABLE IF NOT EXISTS alerts (
    rule_id   VARCHAR NOT NULL,
    subject   VARCHAR NOT NULL,
    day       DATE NOT NULL,
    kind      VARCHAR NOT NULL,      -- spike | silent_source | empty_feed | error_rate
    title     VARCHAR,
    message   VARCHAR,
    payload   JSON,
    channels  VARCHAR[],             -- where it was delivered: log, email, webhook
    fired_at  TIMESTAMPTZ,
    PRIMARY KEY (rule_id, subject, day)
);
-- Stories as first-class data (issue 11; docs/stories.md). A story id never changes once given;
-- article_stories(article_id, story_id) is the placement link, clustered_at marks articles
-- assigned by the incremental clustering (older rows are re-assigned when they come up again).
ALTER TABLE article_stories ADD COLUMN IF NOT EXISTS clustered_at TIMESTAMPTZ;

-- LSH band keys of each clustered article's MinHash (enrich.storymatch.band_keys); `day` is the
-- publication day (fetch day when implausible) so an article is matched within its own window.
CREATE TABLE IF NOT EXISTS story_bands (
    key         BIGINT NOT NULL,
    article_id  VARCHAR NOT NULL,
    day         DATE NOT NULL
);

-- One row per story, refreshed for the stories a run touched.
CREATE TABLE IF NOT EXISTS stories (
    story_id             VARCHAR PRIMARY KEY,  -- stable: article_id of the earliest copy when the story was created
    first_seen           TIMESTAMPTZ,          -- earliest placement (published_at, else fetched_at), UTC
    last_seen            TIMESTAMPTZ,          -- latest placement
    first_day            DATE,                 -- day (report timezone) of the earliest placement
    days                 DATE[],               -- every day with a placement, ascending
    copies               INTEGER NOT NULL,     -- placements (articles)
    outlets              INTEGER NOT NULL,     -- distinct sources
    languages            VARCHAR[],            -- distinct languages, sorted
    original_article_id  VARCHAR,              -- earliest copy, preferring the credited wire's own page; may change
    headline             VARCHAR,              -- title of the original
    wire_source          VARCHAR               -- most frequent wire credit of the placements (ties: earliest)
);

-- A bridging copy joined two stories: the older id was kept, merged_story_id is gone.
CREATE TABLE IF NOT EXISTS story_merges (
    merged_story_id      VARCHAR PRIMARY KEY,
    story_id             VARCHAR NOT NULL,     -- the kept story (followed to the current one)
    bridging_article_id  VARCHAR,
    merged_at            TIMESTAMPTZ,
    run_id               VARCHAR
);

-- Story-level relations that are not merges, e.g. a translation (kind = 'translation').
CREATE TABLE IF NOT EXISTS story_links (
    story_id_a  VARCHAR NOT NULL,              -- story_id_a < story_id_b
    story_id_b  VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    confidence  DOUBLE NOT NULL,               -- 0..1
    PRIMARY KEY (story_id_a, story_id_b, kind)
);

-- Placements of every story, for reports and `mediamon story`.
CREATE OR REPLACE VIEW story_placements AS
SELECT s.story_id, a.article_id, a.source_id, coalesce(a.published_at, a.fetched_at) AS placed_at, a.day,
       a.language, a.canonical_url, a.title, a.syndication AS wire_source,
       a.article_id = st.original_article_id AS is_original
FROM article_stories s JOIN articles a USING (article_id) LEFT JOIN stories st USING (story_id);

-- Cross-language fingerprint tokens (enrich.crosslang.fingerprint) of clustered articles, for
-- translation candidates; `day` as in story_bands.
CREATE TABLE IF NOT EXISTS story_entities (
    token       VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    day         DATE NOT NULL,
    language    VARCHAR NOT NULL
);

-- Body lines (normalised, hashed) of clustered articles per source: a line in >= 3 articles of one
-- source is that outlet's boilerplate and is left out when copies are compared (enrich.storymatch).
CREATE TABLE IF NOT EXISTS story_lines (
    source_id   VARCHAR NOT NULL,
    line_hash   BIGINT NOT NULL,
    article_id  VARCHAR NOT NULL
);

-- Placements and stories per wire credit and day (placements per wire countable in one query).
CREATE OR REPLACE VIEW wire_placements AS
SELECT day, wire_source, count(*) AS placements, count(DISTINCT story_id) AS stories, count(DISTINCT source_id) AS outlets
FROM story_placements WHERE wire_source IS NOT NULL
GROUP BY day, wire_source;

-- Data-quality checks run after each ingest (mediamon.quality; limits in settings.yaml `quality:`).
-- One row per (run, check, subject); a rerun of the same run replaces its rows.
CREATE TABLE IF NOT EXISTS quality_checks (
    run_id      VARCHAR NOT NULL,
    check_name  VARCHAR NOT NULL,    -- volume | extraction_failure_rate | empty_text_ratio | replacement_char_ratio
    subject     VARCHAR NOT NULL,    -- source id; "source_id/language" for volume
    value       DOUBLE,              -- articles (volume) or a ratio in [0, 1]
    baseline    DOUBLE,              -- volume: median over the previous runs; NULL otherwise
    threshold   VARCHAR,             -- the limit applied, e.g. "<= 0.2" or ">= 0.25 x baseline"
    status      VARCHAR NOT NULL,    -- ok | warn | fail | skipped
    detail      VARCHAR,
    checked_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, check_name, subject)
);

-- Per-run metrics: counts and durations of each stage of a run (stage 'run' = the whole run).
CREATE TABLE IF NOT EXISTS runs (
    run_id       VARCHAR NOT NULL,
    stage        VARCHAR NOT NULL,   -- discover | fetch_extract | load | enrich | quality | run
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    duration_s   DOUBLE,             -- wall-clock seconds (mapped stages: first start to last finish)
    task_s       DOUBLE,             -- seconds summed over the stage's tasks
    tasks        INTEGER,            -- results (mapped task instances) the row sums
    counts       JSON,               -- numeric counts of the results, summed
    recorded_at  TIMESTAMPTZ,
    PRIMARY KEY (run_id, stage)
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
