-- Upsert story links from link_rows(story_id_a, story_id_b, kind, confidence).
INSERT OR REPLACE INTO story_links (story_id_a, story_id_b, kind, confidence)
SELECT story_id_a, story_id_b, kind, confidence FROM link_rows;
