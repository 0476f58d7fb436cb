-- Coverage per source and topic over $start..$end (topic_id '' = all the source's articles), the columns of
-- daily_coverage: articles, unique stories, sentiment split and means, share of voice (the source's share of
-- the period's articles on the topic).
WITH day_ids AS (SELECT article_id, source_id FROM articles WHERE day BETWEEN $start AND $end),
arts AS (
    SELECT a.article_id, a.source_id, coalesce(s.story_id, a.article_id) AS story_id, st.label, st.score
    FROM day_ids a
    LEFT JOIN (SELECT article_id, story_id FROM article_stories WHERE article_id IN (SELECT article_id FROM day_ids)) s
         USING (article_id)
    LEFT JOIN (SELECT article_id, label, score FROM article_sentiment WHERE article_id IN (SELECT article_id FROM day_ids)) st
         USING (article_id)
),
per_topic AS (
    SELECT x.source_id, t.topic_id, x.article_id, x.story_id, x.label, x.score, t.sentiment_score AS topic_score
    FROM arts x
    JOIN (SELECT article_id, topic_id, sentiment_score FROM article_topics
          WHERE article_id IN (SELECT article_id FROM day_ids)) t USING (article_id)
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
