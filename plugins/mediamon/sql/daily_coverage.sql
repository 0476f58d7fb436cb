-- Rebuild daily_coverage for the days staged in coverage_articles ($start..$end, daily_coverage_stage), after daily_coverage_delete;
-- store.build_daily_coverage).
-- Rows: day x source_id x topic_id, with source_id '' = all outlets and topic_id '' = all articles.
-- articles = placements (every copy counts); unique_stories = distinct stories, each counted on its
-- FIRST day only (the day of its original, view story_first_days; copies on later days, even
-- when the first day is before $start, do not count again), once per topic and outlet row; mentions = sum of topic mentions
-- (NULL for topic_id ''); mean_sentiment / positive / neutral / negative = article sentiment;
-- mean_topic_sentiment = topic-targeted sentiment (NULL until computed); share_of_voice = the
-- outlet's share of the day's placements on the topic (NULL on source_id '' rows).
INSERT INTO daily_coverage (day, source_id, topic_id, articles, unique_stories, mentions, mean_sentiment,
                            positive, neutral, negative, mean_topic_sentiment, share_of_voice)
WITH arts AS (   -- staged by daily_coverage_stage.sql (a temp table: exact row counts, good join plans)
    SELECT article_id, day, source_id, story_id FROM coverage_articles
),
firsts AS (   -- each story's first day (its original's publication day, possibly before $start)
    SELECT story_id, first_day FROM story_first_days WHERE story_id IN (SELECT story_id FROM arts)
),
per_topic AS (
    SELECT x.article_id, x.day, x.source_id, x.story_id, t.topic_id, t.mentions, t.sentiment_score AS topic_score
    FROM arts x
    JOIN (SELECT * FROM article_topics WHERE article_id IN (SELECT article_id FROM arts)) t USING (article_id)
    UNION ALL
    SELECT x.article_id, x.day, x.source_id, x.story_id, '' AS topic_id, NULL AS mentions, NULL AS topic_score
    FROM arts x
),
scoped AS (
    SELECT p.day, p.source_id, p.topic_id, p.article_id, p.story_id, p.day = coalesce(f.first_day, p.day) AS first_day,
           p.mentions, p.topic_score
    FROM per_topic p LEFT JOIN firsts f USING (story_id)
),
scoped_all AS (
    SELECT * FROM scoped
    UNION ALL
    SELECT day, '' AS source_id, topic_id, article_id, story_id, first_day, mentions, topic_score FROM scoped
),
agg AS (
    SELECT d.day, d.source_id, d.topic_id,
           count(*)                                              AS articles,
           count(DISTINCT d.story_id) FILTER (WHERE d.first_day) AS unique_stories,
           CASE WHEN d.topic_id = '' THEN NULL ELSE coalesce(sum(d.mentions), 0) END AS mentions,
           avg(st.score ORDER BY d.article_id)                   AS mean_sentiment,  -- ordered: same float sum every run
           count(*) FILTER (WHERE st.label = 'positive')         AS positive,
           count(*) FILTER (WHERE st.label = 'neutral')          AS neutral,
           count(*) FILTER (WHERE st.label = 'negative')         AS negative,
           avg(d.topic_score ORDER BY d.article_id)              AS mean_topic_sentiment
    FROM scoped_all d
    LEFT JOIN (SELECT article_id, score, label FROM article_sentiment
               WHERE article_id IN (SELECT article_id FROM arts)) st USING (article_id)
    GROUP BY d.day, d.source_id, d.topic_id
)
SELECT day, source_id, topic_id, articles, unique_stories, mentions, mean_sentiment, positive, neutral, negative,
       mean_topic_sentiment,
       CASE WHEN source_id = '' THEN NULL
            ELSE articles / max(articles) OVER (PARTITION BY day, topic_id) END AS share_of_voice
FROM agg;
