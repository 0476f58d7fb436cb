-- Persist the band keys of the registered Arrow table new_band_rows(article_id, key, day).
INSERT INTO story_bands (key, article_id, day) SELECT key, article_id, day FROM new_band_rows;
