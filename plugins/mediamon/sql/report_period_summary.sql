-- Headline figures for $start..$end (inclusive); date = $start as YYYY-MM-DD.
SELECT strftime(CAST($start AS DATE), '%Y-%m-%d')                   AS date,
       count(*)                                                      AS articles,
       count(DISTINCT a.source_id)                                   AS sources,
       count(DISTINCT coalesce(s.story_id, a.article_id))            AS stories,
       count(*) - count(DISTINCT coalesce(s.story_id, a.article_id)) AS duplicates
FROM articles a LEFT JOIN article_stories s USING (article_id)
WHERE a.day BETWEEN $start AND $end;
