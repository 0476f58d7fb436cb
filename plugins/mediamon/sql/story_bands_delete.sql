-- Forget the band keys of the articles in story_article_rows(article_id) (they are re-assigned).
DELETE FROM story_bands WHERE article_id IN (SELECT article_id FROM story_article_rows);
