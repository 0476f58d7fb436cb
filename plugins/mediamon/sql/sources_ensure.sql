-- Placeholder sources rows (name = id) for the ids in $source_ids (a list) that are not stored yet.
INSERT INTO sources (source_id, name)
SELECT DISTINCT id, id FROM (SELECT unnest($source_ids) AS id)
ON CONFLICT DO NOTHING;
