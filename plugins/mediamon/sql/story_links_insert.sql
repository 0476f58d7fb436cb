-- Upsert story links from link_rows(story_id_a, story_id_b, kind, confidence) (MERGE rather than INSERT OR
-- REPLACE: also runs on DuckLake, which has no PRIMARY KEY).
MERGE INTO story_links USING (SELECT story_id_a, story_id_b, kind, confidence FROM link_rows) AS r
ON story_links.story_id_a = r.story_id_a AND story_links.story_id_b = r.story_id_b AND story_links.kind = r.kind
WHEN MATCHED THEN UPDATE SET confidence = r.confidence
WHEN NOT MATCHED THEN INSERT (story_id_a, story_id_b, kind, confidence) VALUES (r.story_id_a, r.story_id_b, r.kind, r.confidence);
