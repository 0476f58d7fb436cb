-- Rebuild daily_coverage for the days $start..$end (run after daily_coverage_delete; store.build_daily_coverage).
-- Rows: day x source_id x topic_id, with source_id '' = all outlets and topic_id '' = all articles.
-- articles = placements (every copy counts); unique_stories = stories counted once per topic (and
-- outlet) on their FIRST day: a story whose earlier copies (in the same scope) appeared on an
-- earlier day, even before $start, is not counted again; mentions = sum of topic mentions
-- (NULL for topic_id ''); mean_sentiment / positive / neutral / negative = article sentiment;
-- mean_topic_sentiment = topic-targeted sentiment (NULL until computed); share_of_voice = the
-- outlet's share of the day's placements on the topic (NULL on source_id '' rows).
INSERT INTO daily_coverage (day, source_id, topic_id, articles, unique_stories, mentions, mean_sentiment,
                            positive, neutral, negative, mean_topic_sentiment, share_of_voice)
WITH rng AS (
    SELECT a.article_id, a.day, a.source_id, sa.story_id
    FROM articles a JOIN story_articles sa USING (article_id)
    WHERE a.day BETWEEN $start AND $end
),
earlier AS (   -- earlier copies of the range's stories: only to know each story's first day
    SELECT a.article_id, a.day, a.source_id, sa.story_id
    FROM articles a JOIN story_articles sa USING (article_id)
    WHERE a.day < $start AND sa.story_id IN (SELECT story_id FROM rng)
),
arts AS (
    SELECT * FROM rng UNION ALL SELECT * FROM earlier
),
per_topic AS (
    SELECT x.article_id, x.day, x.source_id, x.story_id, t.topic_id, t.mentions, t.sentiment_score AS topic_score
    FROM arts x JOIN article_topics t USING (article_id)
    UNION ALL
    SELECT x.article_id, x.day, x.source_id, x.story_id, '' AS topic_id, NULL AS mentions, NULL AS topic_score
    FROM arts x
),
flagged AS (
    SELECT *,
           day = min(day) OVER (PARTITION BY story_id, topic_id)            AS first_all,
           day = min(day) OVER (PARTITION BY story_id, topic_id, source_id) AS first_source
    FROM per_topic
),
scoped AS (
    SELECT day, source_id, topic_id, article_id, story_id, first_source AS first_day, mentions, topic_score
    FROM flagged WHERE day >= $start
    UNION ALL
    SELECT day, '' AS source_id, topic_id, article_id, story_id, first_all AS first_day, mentions, topic_score
    FROM flagged WHERE day >= $start
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
    FROM scoped d LEFT JOIN article_sentiment st USING (article_id)
    GROUP BY d.day, d.source_id, d.topic_id
)
SELECT day, source_id, topic_id, articles, unique_stories, mentions, mean_sentiment, positive, neutral, negative,
       mean_topic_sentiment,
       CASE WHEN source_id = '' THEN NULL
            ELSE articles / max(articles) OVER (PARTITION BY day, topic_id) END AS share_of_voice
FROM agg;
