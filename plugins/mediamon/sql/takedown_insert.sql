-- A takedown (HTTP $status, e.g. 404/410) of article $article_id as its version $version, unless that
-- version is stored already (NOT EXISTS: also runs on DuckLake).
INSERT INTO article_versions (article_id, version, content_hash, status, title, text, fetched_at)
SELECT $article_id, $version, NULL, $status, NULL, NULL, $fetched_at
WHERE NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = $article_id AND v.version = $version);
