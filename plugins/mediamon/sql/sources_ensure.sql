-- Placeholder sources rows (name = id) for the ids in $source_ids (a list) that are not stored yet
-- (NOT EXISTS rather than ON CONFLICT: also runs on DuckLake, which has no PRIMARY KEY).
INSERT INTO sources (source_id, name)
SELECT DISTINCT id, id FROM (SELECT unnest($source_ids) AS id) AS ids
WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.source_id = ids.id);
