-- Coverage per source and topic over $start..$end (topic_id '' = all the source's articles), the columns of
-- daily_coverage: articles, unique stories, sentiment split and means, share of voice (the source's share of
-- the period's articles on the topic).
WITH arts AS (
    SELECT a.article_id, a.source_id, coalesce(s.story_id, a.article_id) AS story_id, st.label, st.score
    FROM articles a
    LEFT JOIN article_stories s USING (article_id)
    LEFT JOIN article_sentiment st USING (article_id)
    WHERE a.day BETWEEN $start AND $end
),
per_topic AS (
    SELECT x.source_id, t.topic_id, x.article_id, x.story_id, x.label, x.score, t.sentiment_score AS topic_score
    FROM arts x JOIN article_topics t USING (article_id)
    UNION ALL
    SELECT x.source_id, '' AS topic_id, x.article_id, x.story_id, x.label, x.score, NULL AS topic_score
    FROM arts x
),
agg AS (
    SELECT source_id, topic_id, count(*) AS articles, count(DISTINCT story_id) AS unique_stories,
           avg(score ORDER BY article_id) AS mean_sentiment,
           count(*) FILTER (WHERE label = 'positive') AS positive,
           count(*) FILTER (WHERE label = 'neutral')  AS neutral,
           count(*) FILTER (WHERE label = 'negative') AS negative,
           avg(topic_score ORDER BY article_id) AS mean_topic_sentiment
    FROM per_topic GROUP BY source_id, topic_id
)
SELECT g.source_id, src.name AS source_name, g.topic_id, coalesce(t.name, 'All articles') AS topic_name,
       g.articles, g.unique_stories, round(g.mean_sentiment, 3) AS mean_sentiment,
       g.positive, g.neutral, g.negative, round(g.mean_topic_sentiment, 3) AS mean_topic_sentiment,
       round(g.articles / sum(g.articles) OVER (PARTITION BY g.topic_id), 3) AS share_of_voice
FROM agg g
JOIN sources src USING (source_id)
LEFT JOIN topics t USING (topic_id)
ORDER BY g.topic_id = '' DESC, g.topic_id, g.articles DESC, g.source_id;
