-- Share of voice over $start..$end: each tracked topic's articles as a share of all tracked-topic placements
-- (comparison set 'all topics'); an article on two topics counts for both.
WITH per_topic AS (
    SELECT tp.topic_id, tp.name AS topic_name, count(a.article_id) AS articles
    FROM topics tp
    LEFT JOIN article_topics t ON t.topic_id = tp.topic_id
    LEFT JOIN articles a ON a.article_id = t.article_id AND a.day BETWEEN $start AND $end
    GROUP BY ALL
)
SELECT 'all topics' AS comparison_set, topic_id, topic_name, articles,
       round(CASE WHEN sum(articles) OVER () > 0 THEN articles / sum(articles) OVER () END, 4) AS share
FROM per_topic
ORDER BY articles DESC, topic_id;
