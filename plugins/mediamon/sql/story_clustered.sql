-- Stored story of the articles in the registered Arrow table story_article_rows(article_id) that the
-- incremental clustering already assigned (clustered_at set): (article_id, story_id).
SELECT article_id, story_id FROM article_stories
WHERE clustered_at IS NOT NULL AND article_id IN (SELECT article_id FROM story_article_rows);
