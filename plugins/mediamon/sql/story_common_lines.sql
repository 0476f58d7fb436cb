-- Of the (source_id, line_hash) pairs in line_rows, those found in at least $min_articles stored
-- articles of that source (the outlet's boilerplate).
SELECT l.source_id, l.line_hash
FROM story_lines l JOIN (SELECT DISTINCT source_id, line_hash FROM line_rows) q USING (source_id, line_hash)
GROUP BY l.source_id, l.line_hash
HAVING count(DISTINCT l.article_id) >= $min_articles;
