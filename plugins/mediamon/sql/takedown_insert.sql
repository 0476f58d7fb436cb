-- A takedown (HTTP $status, e.g. 404/410) of article $article_id as its version $version.
INSERT INTO article_versions (article_id, version, content_hash, status, title, text, fetched_at)
VALUES ($article_id, $version, NULL, $status, NULL, NULL, $fetched_at)
ON CONFLICT DO NOTHING;
