-- Placement rows of newly clustered articles from story_rows (columns = store.STORY_COLUMNS), marked
-- clustered at $now. Run after article_stories_delete.
INSERT INTO article_stories (article_id, story_id, exact_duplicate_of, story_size, clustered_at)
SELECT article_id, story_id, exact_duplicate_of, story_size, $now FROM story_rows;
