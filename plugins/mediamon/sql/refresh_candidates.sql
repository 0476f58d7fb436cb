-- Stored articles first seen at or after $since (TIMESTAMPTZ), oldest first.
SELECT source_id, canonical_url, first_seen_at, fetched_at
FROM articles
WHERE first_seen_at >= $since
ORDER BY first_seen_at;
