-- Stories (clusters of copies) with articles in $start..$end, largest first.
WITH arts AS (
    SELECT a.*, coalesce(s.story_id, a.article_id) AS sid
    FROM articles a LEFT JOIN article_stories s USING (article_id)
    WHERE a.day BETWEEN $start AND $end
)
SELECT sid AS story_id,
       count(*) AS size,
       string_agg(DISTINCT src.name, ', ' ORDER BY src.name) AS sources,
       arg_min(d.title, (coalesce(d.published_at, d.fetched_at), d.article_id)) AS title,
       min(coalesce(d.published_at, d.fetched_at)) AS first_published_at,
       string_agg(DISTINCT d.syndication, ', ' ORDER BY d.syndication) AS syndication
FROM arts d JOIN sources src USING (source_id)
GROUP BY sid
ORDER BY size DESC, first_published_at, story_id;
