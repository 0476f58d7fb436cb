-- Bulk insert of article_stories rows from the registered Arrow table story_rows (columns = store.STORY_COLUMNS).
INSERT INTO article_stories (article_id, story_id, exact_duplicate_of, story_size)
SELECT article_id, story_id, exact_duplicate_of, story_size
FROM story_rows;
