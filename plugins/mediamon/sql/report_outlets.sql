-- Per outlet over $start..$end, every known source (0 when it published nothing): articles, unique stories,
-- originals (the story's earliest placement) and copies, tracked-topic placements, sentiment split and mean.
-- Side tables are filtered to the period's articles first (a semi-join), so the cost follows the period, not the archive.
WITH arts AS (
    SELECT article_id, source_id FROM articles WHERE day BETWEEN $start AND $end
),
stories AS (SELECT article_id, story_id FROM article_stories WHERE article_id IN (SELECT article_id FROM arts)),
sent AS (SELECT article_id, label, score FROM article_sentiment WHERE article_id IN (SELECT article_id FROM arts)),
tops AS (
    SELECT article_id, count(*) AS n_topics FROM article_topics
    WHERE article_id IN (SELECT article_id FROM arts) GROUP BY article_id
),
x AS (
    SELECT a.article_id, a.source_id, coalesce(s.story_id, a.article_id) AS story_id, st.label, st.score,
           coalesce(tp.n_topics, 0) AS n_topics
    FROM arts a LEFT JOIN stories s USING (article_id) LEFT JOIN sent st USING (article_id) LEFT JOIN tops tp USING (article_id)
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
FROM sources src LEFT JOIN x USING (source_id)
GROUP BY src.source_id, src.name
ORDER BY articles DESC, src.source_id;
