-- mediamon analytics views (docs/analytics.md). Applied with schema.sql by store.ensure_schema (the
-- schema_version sha1 covers both files), so every statement is CREATE OR REPLACE VIEW.
-- Days are calendar days in the report timezone (articles.day; fetch_log days by the session zone).

-- ---------------------------------------------------------------------------------------- stories
-- The ONE place story-level data is derived. Today: from article_stories (story_id per article,
-- the article_id of the story's earliest copy; an article without a row is a story of its own).
-- article_stories is the placement link written by the incremental clustering (stable story ids,
-- docs/stories.md); story_first_days reads the `stories` table.
-- Macros take an inclusive day range (lo, hi) so a daily build reads the days it needs only.

-- article -> story for the articles published on days lo..hi, with what the aggregates need.
CREATE OR REPLACE MACRO story_articles_between(lo, hi) AS TABLE
    SELECT a.article_id, coalesce(s.story_id, a.article_id) AS story_id, a.day, a.source_id, a.language, a.title,
           a.canonical_url, a.syndication, coalesce(a.published_at, a.first_seen_at) AS seen_at
    FROM (SELECT * FROM articles WHERE day BETWEEN lo AND hi) a
    -- the story rows of those articles only (a semi-join: the planner then hashes the small side)
    LEFT JOIN (SELECT * FROM article_stories
               WHERE article_id IN (SELECT article_id FROM articles WHERE day BETWEEN lo AND hi)) s USING (article_id);

-- Every copy of the stories that have a copy on days lo..hi (same columns), published at most
-- 30 days before lo or after hi (copies are clustered within a few days of each other, see
-- enrichment.STORY_WINDOW_DAYS; the bound lets the articles scan skip the rest of the history).
CREATE OR REPLACE MACRO story_members(lo, hi) AS TABLE
    WITH inr AS (
        SELECT * FROM story_articles_between(lo, hi)
    ),
    ids AS (
        SELECT DISTINCT story_id FROM inr
    ),
    other AS (   -- copies outside the range: article_stories rows of those stories, and each original
        SELECT s.article_id, s.story_id FROM article_stories s WHERE s.story_id IN (SELECT story_id FROM ids)
        UNION
        SELECT story_id AS article_id, story_id FROM ids
    ),
    outside AS (  -- a semi-join first, so the hash table is built on the few copies, not on articles
        SELECT a.article_id, a.day, a.source_id, a.language, a.title, a.canonical_url, a.syndication,
               coalesce(a.published_at, a.first_seen_at) AS seen_at
        FROM articles a
        WHERE a.day BETWEEN CAST(lo AS DATE) - 30 AND CAST(hi AS DATE) + 30 AND a.day NOT BETWEEN lo AND hi
          AND a.article_id IN (SELECT article_id FROM other)
    )
    SELECT * FROM inr
    UNION ALL
    SELECT x.article_id, o.story_id, x.day, x.source_id, x.language, x.title, x.canonical_url, x.syndication, x.seen_at
    FROM outside x JOIN other o USING (article_id);

-- The first day of each story: `stories.first_day` (day of its earliest placement, kept current as
-- copies arrive; docs/stories.md), else, for an article no clustering run has seen yet, its own day
-- (a story id is the article_id of the story's earliest copy when the story was created).
CREATE OR REPLACE VIEW story_first_days AS
SELECT a.article_id AS story_id, coalesce(s.first_day, a.day) AS first_day
FROM articles a LEFT JOIN stories s ON s.story_id = a.article_id;

-- article_id -> story_id, for every stored article.
CREATE OR REPLACE VIEW story_articles AS
SELECT article_id, story_id FROM story_articles_between(DATE '0001-01-01', DATE '9999-12-31');

-- One row per story with a copy on days lo..hi: first_seen/last_seen (publication time, else first
-- fetch; UTC), first_day, days (distinct publication days), copies (placements), outlets,
-- languages, the original (earliest copy: article, outlet, URL), its headline, and the wire
-- credit (of the earliest credited copy). Over all the story's copies, whatever their day.
CREATE OR REPLACE MACRO story_facts_between(lo, hi) AS TABLE
    SELECT story_id,
           min(seen_at)                                        AS first_seen,
           max(seen_at)                                        AS last_seen,
           min(day)                                            AS first_day,
           count(DISTINCT day)                                 AS days,
           count(*)                                            AS copies,
           count(DISTINCT source_id)                           AS outlets,
           count(DISTINCT language)                            AS languages,
           arg_min(article_id, (seen_at, article_id))          AS original_article_id,
           arg_min(source_id, (seen_at, article_id))           AS original_source_id,
           arg_min(canonical_url, (seen_at, article_id))       AS original_url,
           arg_min(title, (seen_at, article_id))               AS headline,
           arg_min(syndication, (seen_at, article_id)) FILTER (WHERE syndication IS NOT NULL) AS wire_source
    FROM story_members(lo, hi)
    GROUP BY story_id;

-- Every story (the columns of story_facts_between).
CREATE OR REPLACE VIEW story_facts AS
SELECT * FROM story_facts_between(DATE '0001-01-01', DATE '9999-12-31');

-- -------------------------------------------------------------------------------- topic trends
-- Per (source_id, topic_id) series of daily_coverage, zero-filled over every day from the first to
-- the last day built (a day without articles is a 0, not a gap), with:
--   articles_ma7 / articles_ma28: trailing 7- and 28-day means (this day included);
--   change_1d: articles minus the previous day's;
--   baseline_median / baseline_mad / baseline_days: median, median absolute deviation and number of
--     days of the 28 days BEFORE this day;
--   spike_score: (articles - baseline_median) / max(1.4826 * baseline_mad, sqrt(max(baseline_median, 1)))
--     - a robust z-score (Iglewicz & Hoaglin's modified z; 1.4826 * MAD estimates the standard
--     deviation of normal data); the sqrt floor is the Poisson noise of a count, so a flat series
--     (MAD 0) does not divide by zero. NULL with fewer than 14 baseline days.
--   is_spike: spike_score >= 3.5 (Iglewicz & Hoaglin's cut-off) and at least 3 articles.
-- Median and MAD ignore one quiet week out of four, so it does not make every following day a spike.
-- Series: every (source_id, topic_id) present in daily_coverage, plus each configured topic for all
-- outlets (source_id '').
-- topic_trends_between(lo, hi): the rows of days lo..hi, reading daily_coverage from lo - 28 only.
CREATE OR REPLACE MACRO topic_trends_between(lo, hi) AS TABLE
WITH bounds AS (
    SELECT greatest(mn, CAST(lo AS DATE) - 28) AS first, least(mx, CAST(hi AS DATE)) AS last
    FROM (SELECT min(day) AS mn, max(day) AS mx FROM daily_coverage)
),
cal AS (
    SELECT CAST(unnest(generate_series(first, last, INTERVAL 1 DAY)) AS DATE) AS day
    FROM bounds WHERE first IS NOT NULL AND first <= last
),
series AS (
    SELECT DISTINCT source_id, topic_id FROM daily_coverage
    UNION
    SELECT '' AS source_id, topic_id FROM topics
    UNION
    SELECT '' AS source_id, '' AS topic_id
),
filled AS (
    SELECT k.source_id, k.topic_id, cal.day,
           coalesce(c.articles, 0)       AS articles,
           coalesce(c.unique_stories, 0) AS unique_stories,
           coalesce(c.mentions, 0)       AS mentions,
           c.mean_sentiment, c.mean_topic_sentiment
    FROM series k CROSS JOIN cal
    LEFT JOIN (SELECT * FROM daily_coverage WHERE day >= CAST(lo AS DATE) - 28 AND day <= CAST(hi AS DATE)) c
           ON c.source_id = k.source_id AND c.topic_id = k.topic_id AND c.day = cal.day
),
w AS (
    SELECT *,
           avg(articles) OVER w7                                   AS articles_ma7,
           avg(articles) OVER w28                                  AS articles_ma28,
           articles - lag(articles) OVER (PARTITION BY source_id, topic_id ORDER BY day) AS change_1d,
           median(articles) OVER b28                               AS baseline_median,
           mad(articles) OVER b28                                  AS baseline_mad,
           count(articles) OVER b28                                AS baseline_days
    FROM filled
    WINDOW w7  AS (PARTITION BY source_id, topic_id ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW),
           w28 AS (PARTITION BY source_id, topic_id ORDER BY day ROWS BETWEEN 27 PRECEDING AND CURRENT ROW),
           b28 AS (PARTITION BY source_id, topic_id ORDER BY day ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING)
),
z AS (
    SELECT *,
           CASE WHEN baseline_days >= 14 THEN
               (articles - baseline_median) / greatest(1.4826 * baseline_mad, sqrt(greatest(baseline_median, 1)))
           END AS spike_score
    FROM w
)
SELECT day, source_id, topic_id, articles, unique_stories, mentions, mean_sentiment, mean_topic_sentiment,
       articles_ma7, articles_ma28, change_1d, baseline_median, baseline_mad, baseline_days, spike_score,
       coalesce(spike_score >= 3.5 AND articles >= 3, false) AS is_spike
FROM z
WHERE day BETWEEN lo AND hi;

CREATE OR REPLACE VIEW topic_trends AS
SELECT * FROM topic_trends_between(DATE '0001-01-01', DATE '9999-12-31');

-- ------------------------------------------------------------------------------ share of voice
-- Each topic's share within its comparison set(s) (table comparison_sets), per period and outlet:
--   period 'day' (period_start = the day) or 'week' (ISO week, period_start = its Monday);
--   source_id '' = all outlets, else one outlet;
--   articles: placements matching the topic; set_articles: sum of `articles` over the set's topics
--   (an article matching two topics of a set counts for each), share = articles / set_articles;
--   mentions / set_mentions / mention_share: the same over topic mentions.
-- Every topic of the set has a row for each (period, outlet) in which the set has any article (0 if none).
CREATE OR REPLACE VIEW share_of_voice AS
WITH m AS (
    SELECT cs.set_name, c.day, c.source_id, c.topic_id, c.articles, coalesce(c.mentions, 0) AS mentions
    FROM comparison_sets cs JOIN daily_coverage c ON c.topic_id = cs.topic_id
),
g AS (
    SELECT 'day' AS period, day AS period_start, set_name, source_id, topic_id, articles, mentions FROM m
    UNION ALL
    SELECT 'week', CAST(date_trunc('week', day) AS DATE), set_name, source_id, topic_id, sum(articles), sum(mentions)
    FROM m GROUP BY ALL
),
cells AS (
    SELECT DISTINCT period, period_start, set_name, source_id FROM g
),
full_rows AS (
    SELECT c.period, c.period_start, c.set_name, c.source_id, cs.topic_id,
           CAST(coalesce(g.articles, 0) AS BIGINT) AS articles, CAST(coalesce(g.mentions, 0) AS BIGINT) AS mentions
    FROM cells c JOIN comparison_sets cs ON cs.set_name = c.set_name
    LEFT JOIN g ON g.period = c.period AND g.period_start = c.period_start AND g.set_name = c.set_name
               AND g.source_id = c.source_id AND g.topic_id = cs.topic_id
)
SELECT period, period_start, set_name, source_id, topic_id, articles,
       CAST(sum(articles) OVER p AS BIGINT) AS set_articles,
       articles / nullif(sum(articles) OVER p, 0) AS share,
       mentions,
       CAST(sum(mentions) OVER p AS BIGINT) AS set_mentions,
       mentions / nullif(sum(mentions) OVER p, 0) AS mention_share
FROM full_rows
WINDOW p AS (PARTITION BY period, period_start, set_name, source_id);

-- --------------------------------------------------------------------------------- top stories
-- Stories per topic and day (topic_id '' = all articles), days lo..hi, largest first: placements
-- (copies with that publication day matching the topic), outlets that day, and the story as a
-- whole (story_facts: copies, outlets, first_seen, original, headline, wire_source). rank 1 =
-- largest: placements, then total copies, then the earliest story.
CREATE OR REPLACE MACRO top_stories_between(lo, hi) AS TABLE
    WITH art AS (
        SELECT article_id, day, source_id, story_id FROM story_articles_between(lo, hi)
    ),
    per AS (
        SELECT art.day, t.topic_id, art.story_id, count(*) AS placements, count(DISTINCT art.source_id) AS day_outlets
        FROM art JOIN (SELECT article_id, topic_id FROM article_topics
                       WHERE article_id IN (SELECT article_id FROM art)) t USING (article_id)
        GROUP BY ALL
        UNION ALL
        SELECT day, '' AS topic_id, story_id, count(*), count(DISTINCT source_id)
        FROM art GROUP BY ALL
    )
    SELECT per.day, per.topic_id,
           row_number() OVER (PARTITION BY per.day, per.topic_id
                              ORDER BY per.placements DESC, f.copies DESC, f.first_seen, per.story_id) AS rank,
           per.story_id, per.placements, per.day_outlets,
           f.copies, f.outlets, f.languages, f.first_seen, f.last_seen, f.first_day, f.days,
           f.headline, f.original_article_id, f.original_source_id, f.original_url, f.wire_source
    FROM per JOIN story_facts_between(lo, hi) f USING (story_id);

CREATE OR REPLACE VIEW top_stories AS
SELECT * FROM top_stories_between(DATE '0001-01-01', DATE '9999-12-31');

-- ------------------------------------------------------------------------------- source health
-- daily_source_stats with each outlet's own baseline (the 28 days before; days not built are
-- absent from it) and flags:
--   silent: 0 articles stored that day while the baseline median is > 0;
--   empty_feed: a feed/sitemap answered 200 with no entries (or an unparsable body);
--   feed_rotated: a poll found only new entries (its whole window changed since the previous
--     poll: items published in between may have been missed; poll more often);
--   error_rate: fetch_errors / requests (feed polls + article fetches);
--   errors_above_baseline: fetch errors + extraction failures above 2 x the baseline mean + 2.
CREATE OR REPLACE VIEW source_health AS
WITH w AS (
    SELECT h.*,
           median(articles_stored) OVER b AS baseline_articles,
           median(feed_items) OVER b      AS baseline_feed_items,
           avg(fetch_errors) OVER b       AS baseline_fetch_errors,
           avg(extraction_failures) OVER b AS baseline_extraction_failures,
           count(*) OVER b                AS baseline_days
    FROM daily_source_stats h
    WINDOW b AS (PARTITION BY source_id ORDER BY day RANGE BETWEEN INTERVAL 28 DAYS PRECEDING AND INTERVAL 1 DAYS PRECEDING)
)
SELECT day, source_id, feed_polls, feed_items, empty_feed_polls, rotated_feed_polls, article_fetches,
       articles_stored, fetch_errors, extraction_failures,
       baseline_articles, baseline_feed_items, baseline_fetch_errors, baseline_extraction_failures, baseline_days,
       fetch_errors / nullif(feed_polls + article_fetches, 0)                    AS error_rate,
       articles_stored = 0 AND coalesce(baseline_articles, 0) > 0                AS silent,
       empty_feed_polls > 0                                                      AS empty_feed,
       rotated_feed_polls > 0                                                    AS feed_rotated,
       fetch_errors + extraction_failures
           > 2 * coalesce(baseline_fetch_errors + baseline_extraction_failures, 0) + 2 AS errors_above_baseline
FROM w;
