-- Counts for store.upsert_articles, before the batch is applied: new canonical URLs, stored ones,
-- and stored ones whose content hash changed (they get a new version).
SELECT count(*) FILTER (WHERE o.article_id IS NULL)                                       AS inserted,
       count(o.article_id)                                                                AS updated,
       count(*) FILTER (WHERE o.article_id IS NOT NULL AND o.content_hash IS DISTINCT FROM b.content_hash) AS new_versions
FROM article_batch b
LEFT JOIN articles o ON o.canonical_url = b.canonical_url;
