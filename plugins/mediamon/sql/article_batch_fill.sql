-- Fill the (empty) staging table from the registered Arrow table article_rows (store.upsert_articles;
-- columns = store.ARTICLE_COLUMNS, a test checks them against the schema). Values are cast to the
-- articles column types here (e.g. ISO 8601 text to TIMESTAMPTZ, JSON text to JSON).
INSERT INTO article_batch (article_id, canonical_url, url, source_id, title, text, authors, editor,
                           published_at, modified_at, day, language, tags, categories, image, syndication,
                           credits, methods, content_hash, minhash, n_chars, replacement_chars, fetched_at,
                           first_seen_at, extractor_version, version, run_id)
SELECT article_id, canonical_url, url, source_id, title, text, authors, editor,
       published_at, modified_at, day, language, tags, categories, image, syndication,
       credits, methods, content_hash, minhash, n_chars, replacement_chars, fetched_at,
       first_seen_at, extractor_version, version, run_id
FROM article_rows;
