-- For staged articles already stored: keep the stored article_id, url (the URL it was first discovered
-- at; aliases resolve to it) and first_seen_at; version = stored version, + 1 when the content hash changed.
UPDATE article_batch b SET
    article_id    = o.article_id,
    url           = o.url,
    first_seen_at = o.first_seen_at,
    version       = CASE WHEN o.content_hash IS DISTINCT FROM b.content_hash THEN o.version + 1 ELSE o.version END
FROM articles o
WHERE o.canonical_url = b.canonical_url;
