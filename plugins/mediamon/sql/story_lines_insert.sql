-- Persist body line hashes from the registered Arrow table line_rows(source_id, line_hash, article_id).
INSERT INTO story_lines (source_id, line_hash, article_id) SELECT DISTINCT source_id, line_hash, article_id FROM line_rows;
