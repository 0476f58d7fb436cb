-- Bulk insert of article_stories rows from the registered Arrow table story_rows (columns = store.STORY_COLUMNS).
INSERT INTO article_stories (article_id, story_id, exact_duplicate_of, story_size, clustered_at)
SELECT article_id, story_id, exact_duplicate_of, story_size, clustered_at
FROM story_rows;
