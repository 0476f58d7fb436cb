-- For staged articles already stored: keep the stored article_id, url (the URL it was first discovered
-- at; aliases resolve to it) and first_seen_at; version = stored version, + 1 when the content hash changed.
-- The first published time wins: a stored published_at (and the day derived from it) is kept over a later
-- extraction's (a refresh seeing a rewritten published_time); a stored NULL takes the new one. modified_at
-- comes from the new version.
UPDATE article_batch b SET
    article_id    = o.article_id,
    url           = o.url,
    first_seen_at = o.first_seen_at,
    published_at  = COALESCE(o.published_at, b.published_at),
    day           = CASE WHEN o.published_at IS NOT NULL THEN o.day ELSE b.day END,
    version       = CASE WHEN o.content_hash IS DISTINCT FROM b.content_hash THEN o.version + 1 ELSE o.version END
FROM articles o
WHERE o.canonical_url = b.canonical_url;
