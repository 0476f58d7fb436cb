-- Archive the stored version of every staged article whose content hash changed (status 200), unless
-- that version is archived already (NOT EXISTS: also runs on DuckLake).
INSERT INTO article_versions (article_id, version, content_hash, status, title, text, fetched_at)
SELECT o.article_id, o.version, o.content_hash, 200, o.title, o.text, o.fetched_at
FROM articles o
JOIN article_batch b ON o.canonical_url = b.canonical_url
WHERE o.content_hash IS DISTINCT FROM b.content_hash
  AND NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = o.article_id AND v.version = o.version);
