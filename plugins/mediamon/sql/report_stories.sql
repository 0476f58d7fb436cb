-- Stories (clusters of copies) with articles on day $day, largest first.
WITH day_articles AS (
    SELECT a.*, coalesce(s.story_id, a.article_id) AS sid
    FROM articles a LEFT JOIN article_stories s USING (article_id)
    WHERE a.day = $day
)
SELECT sid AS story_id,
       count(*) AS size,
       string_agg(DISTINCT src.name, ', ' ORDER BY src.name) AS sources,
       arg_min(d.title, coalesce(d.published_at, d.fetched_at)) AS title,
       min(coalesce(d.published_at, d.fetched_at)) AS first_published_at,
       string_agg(DISTINCT d.syndication, ', ') AS syndication
FROM day_articles d JOIN sources src USING (source_id)
GROUP BY sid
ORDER BY size DESC, first_published_at, story_id;
