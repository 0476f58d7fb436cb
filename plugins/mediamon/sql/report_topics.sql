-- Per tracked topic over $start..$end (inclusive): articles (placements), unique stories, mentions,
-- article sentiment split and means (article score; topic-targeted score of the sentences about the topic).
-- Means are ordered aggregates (ORDER BY article_id): the same float sum on every run, so a rebuilt report is identical.
SELECT tp.topic_id, tp.name AS topic_name,
       count(a.article_id)                                     AS articles,
       count(DISTINCT coalesce(s.story_id, a.article_id))      AS unique_stories,
       coalesce(sum(t.mentions), 0)                            AS mentions,
       count(*) FILTER (WHERE st.label = 'positive')           AS positive,
       count(*) FILTER (WHERE st.label = 'neutral')            AS neutral,
       count(*) FILTER (WHERE st.label = 'negative')           AS negative,
       round(avg(st.score ORDER BY a.article_id), 3)          AS mean_sentiment,
       round(avg(t.sentiment_score ORDER BY a.article_id), 3) AS mean_topic_sentiment
FROM topics tp
LEFT JOIN article_topics t ON t.topic_id = tp.topic_id
     AND t.article_id IN (SELECT article_id FROM articles WHERE day BETWEEN $start AND $end)
LEFT JOIN articles a ON a.article_id = t.article_id
LEFT JOIN article_stories s ON s.article_id = a.article_id
LEFT JOIN article_sentiment st ON st.article_id = a.article_id
GROUP BY tp.topic_id, tp.name
ORDER BY articles DESC, tp.topic_id;
