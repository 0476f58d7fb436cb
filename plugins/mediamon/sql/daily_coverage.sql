-- Rebuild daily_coverage for one day ($day). Run after DELETE of that day (store.build_daily_coverage).
INSERT INTO daily_coverage
WITH day_articles AS (
    SELECT a.article_id, a.source_id, s.story_id, st.label, st.score
    FROM articles a
    LEFT JOIN article_stories s USING (article_id)
    LEFT JOIN article_sentiment st USING (article_id)
    WHERE a.day = $day
),
per_topic AS (
    SELECT d.source_id, t.topic_id, d.article_id, d.story_id, d.label, d.score,
           t.sentiment_score AS topic_score
    FROM day_articles d JOIN article_topics t USING (article_id)
    UNION ALL
    SELECT d.source_id, '' AS topic_id, d.article_id, d.story_id, d.label, d.score, NULL AS topic_score
    FROM day_articles d
),
agg AS (
    SELECT source_id, topic_id,
           count(*)                                   AS articles,
           count(DISTINCT coalesce(story_id, article_id)) AS unique_stories,
           avg(score)                                 AS mean_sentiment,
           count(*) FILTER (WHERE label = 'positive') AS positive,
           count(*) FILTER (WHERE label = 'neutral')  AS neutral,
           count(*) FILTER (WHERE label = 'negative') AS negative,
           avg(topic_score)                           AS mean_topic_sentiment
    FROM per_topic
    GROUP BY source_id, topic_id
)
SELECT $day AS day, source_id, topic_id, articles, unique_stories, mean_sentiment,
       positive, neutral, negative, mean_topic_sentiment,
       articles / sum(articles) OVER (PARTITION BY topic_id) AS share_of_voice
FROM agg;
