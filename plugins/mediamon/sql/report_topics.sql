-- Per tracked topic over $start..$end (inclusive): articles (placements), unique stories, mentions,
-- article sentiment split and means (article score; topic-targeted score of the sentences about the topic).
-- Means are ordered aggregates (ORDER BY article_id): the same float sum on every run, so a rebuilt report is identical.
-- Side tables are filtered to the period's articles first (a semi-join), so the cost follows the period.
WITH arts AS (SELECT article_id FROM articles WHERE day BETWEEN $start AND $end),
m AS (
    SELECT article_id, topic_id, mentions, sentiment_score FROM article_topics
    WHERE article_id IN (SELECT article_id FROM arts)
),
stories AS (SELECT article_id, story_id FROM article_stories WHERE article_id IN (SELECT article_id FROM m)),
sent AS (SELECT article_id, label, score FROM article_sentiment WHERE article_id IN (SELECT article_id FROM m))
SELECT tp.topic_id, tp.name AS topic_name,
       count(m.article_id)                                     AS articles,
       count(DISTINCT coalesce(s.story_id, m.article_id))      AS unique_stories,
       coalesce(sum(m.mentions), 0)                            AS mentions,
       count(*) FILTER (WHERE st.label = 'positive')           AS positive,
       count(*) FILTER (WHERE st.label = 'neutral')            AS neutral,
       count(*) FILTER (WHERE st.label = 'negative')           AS negative,
       round(avg(st.score ORDER BY m.article_id), 3)          AS mean_sentiment,
       round(avg(m.sentiment_score ORDER BY m.article_id), 3) AS mean_topic_sentiment
FROM topics tp
LEFT JOIN m ON m.topic_id = tp.topic_id
LEFT JOIN stories s ON s.article_id = m.article_id
LEFT JOIN sent st ON st.article_id = m.article_id
GROUP BY tp.topic_id, tp.name
ORDER BY articles DESC, tp.topic_id;
