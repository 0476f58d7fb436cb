-- One page of stored articles to (re)match topics against: day >= $since (NULL: every day; a NULL
-- day is included only then), article_id > $after (keyset pagination), at most $limit rows.
SELECT article_id, source_id, title, text, language, day, canonical_url
FROM articles
WHERE ($since IS NULL OR day >= $since)
  AND ($after IS NULL OR article_id > $after)
ORDER BY article_id
LIMIT $limit;
