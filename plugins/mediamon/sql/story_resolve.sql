-- The current story of $key: a story id (followed through story_merges), an article id, or a
-- canonical / discovered URL. One row (story_id) or none.
WITH direct AS (
    SELECT story_id, 1 AS pri FROM stories WHERE story_id = $key
    UNION ALL SELECT story_id, 2 FROM story_merges WHERE merged_story_id = $key
    UNION ALL SELECT s.story_id, 3 FROM article_stories s WHERE s.article_id = $key
    UNION ALL SELECT s.story_id, 4 FROM article_stories s JOIN articles a USING (article_id)
              WHERE a.canonical_url = $key OR a.url = $key
)
SELECT story_id FROM direct ORDER BY pri LIMIT 1;
