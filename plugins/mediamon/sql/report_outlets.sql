-- Per outlet over $start..$end, every known source (0 when it published nothing): articles, unique stories,
-- originals (the story's earliest placement) and copies, tracked-topic placements, sentiment split and mean.
WITH arts AS (
    SELECT a.article_id, a.source_id, coalesce(s.story_id, a.article_id) AS story_id, st.label, st.score,
           (SELECT count(*) FROM article_topics t WHERE t.article_id = a.article_id) AS n_topics
    FROM articles a
    LEFT JOIN article_stories s USING (article_id)
    LEFT JOIN article_sentiment st USING (article_id)
    WHERE a.day BETWEEN $start AND $end
)
SELECT src.source_id, src.name AS source_name,
       count(x.article_id)                               AS articles,
       count(DISTINCT x.story_id)                        AS unique_stories,
       count(*) FILTER (WHERE x.story_id = x.article_id) AS originals,
       count(*) FILTER (WHERE x.story_id <> x.article_id) AS copies,
       coalesce(sum(x.n_topics), 0)                      AS topic_placements,
       count(*) FILTER (WHERE x.label = 'positive')      AS positive,
       count(*) FILTER (WHERE x.label = 'neutral')       AS neutral,
       count(*) FILTER (WHERE x.label = 'negative')      AS negative,
       round(avg(x.score ORDER BY x.article_id), 3)      AS mean_sentiment
FROM sources src LEFT JOIN arts x USING (source_id)
GROUP BY src.source_id, src.name
ORDER BY articles DESC, src.source_id;
