-- Stored articles of the sources in $source_ids (store.sitelines.learn_from_stored): what the
-- site boilerplate is learned from when a database predates source_line_seen.
SELECT source_id, article_id, text, fetched_at
FROM articles
WHERE list_contains($source_ids, source_id);
