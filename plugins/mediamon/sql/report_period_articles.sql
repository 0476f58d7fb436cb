-- Articles of $start..$end, most prominent first: stories with the most placements, then articles matching more
-- tracked topics (with more mentions), then publication time. The HTML lists the first N; the exports all of them.
WITH arts AS (
    SELECT a.article_id, a.source_id, a.title, a.canonical_url, a.published_at, a.fetched_at, a.language,
           a.syndication, coalesce(s.story_id, a.article_id) AS story_id
    FROM articles a LEFT JOIN article_stories s USING (article_id)
    WHERE a.day BETWEEN $start AND $end
),
sizes AS (SELECT story_id, count(*) AS copies FROM arts GROUP BY story_id),
tops AS (
    SELECT t.article_id, string_agg(t.topic_id, ', ' ORDER BY t.topic_id) AS topics, count(*) AS n_topics,
           coalesce(sum(t.mentions), 0) AS mentions
    FROM article_topics t WHERE t.article_id IN (SELECT article_id FROM arts) GROUP BY t.article_id
)
SELECT x.article_id, src.name AS source_name, x.title, x.canonical_url AS url, x.published_at, x.language,
       st.label AS sentiment_label, round(st.score, 3) AS sentiment_score, tp.topics, x.story_id, x.syndication,
       z.copies, coalesce(tp.mentions, 0) AS mentions
FROM arts x
JOIN sources src USING (source_id)
JOIN sizes z USING (story_id)
LEFT JOIN tops tp USING (article_id)
LEFT JOIN article_sentiment st USING (article_id)
ORDER BY z.copies DESC, coalesce(tp.n_topics, 0) DESC, coalesce(tp.mentions, 0) DESC,
         coalesce(x.published_at, x.fetched_at), x.article_id;
