-- Persist fingerprint tokens from the registered Arrow table entity_rows(token, article_id, day, language).
INSERT INTO story_entities (token, article_id, day, language) SELECT token, article_id, day, language FROM entity_rows;
