-- The stored article with canonical URL $canonical_url: id, version, content hash (store.record_takedown).
SELECT article_id, version, content_hash FROM articles WHERE canonical_url = $canonical_url;
