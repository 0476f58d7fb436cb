-- Forget the fingerprint tokens of the articles in entity_rows (they are written again).
DELETE FROM story_entities WHERE article_id IN (SELECT DISTINCT article_id FROM entity_rows);
