-- Headline figures for one day ($day).
SELECT strftime($day, '%Y-%m-%d')                                   AS date,
       count(*)                                                      AS articles,
       count(DISTINCT a.source_id)                                   AS sources,
       count(DISTINCT coalesce(s.story_id, a.article_id))            AS stories,
       count(*) - count(DISTINCT coalesce(s.story_id, a.article_id)) AS duplicates
FROM articles a LEFT JOIN article_stories s USING (article_id)
WHERE a.day = $day;
