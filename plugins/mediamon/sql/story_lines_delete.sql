-- Forget the body lines of the articles in line_rows (they are written again).
DELETE FROM story_lines WHERE article_id IN (SELECT DISTINCT article_id FROM line_rows);
