-- Stored articles in story_article_rows(article_id) with their story, its first_seen and their text
-- (verification of candidates).
SELECT s.article_id, s.story_id, st.first_seen, a.text, a.content_hash, a.published_at, a.fetched_at, a.language, a.source_id
FROM article_stories s JOIN articles a USING (article_id) LEFT JOIN stories st USING (story_id)
WHERE s.article_id IN (SELECT article_id FROM story_article_rows);
