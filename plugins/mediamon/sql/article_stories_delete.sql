-- Forget the stored story rows of the articles in the registered Arrow table story_rows.
DELETE FROM article_stories WHERE article_id IN (SELECT article_id FROM story_rows);
