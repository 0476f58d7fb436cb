-- Record the line keys of articles (store.sitelines.record_site_lines) from the registered Arrow
-- table line_rows (source_id, line_key, article_id, seen_at). A line already counted for that
-- article (a refresh, a reprocess) is not counted twice; its seen_at moves to the newer fetch.
INSERT INTO source_line_seen (source_id, line_key, article_id, seen_at)
SELECT source_id, line_key, article_id, CAST(seen_at AS TIMESTAMPTZ)
FROM line_rows
ON CONFLICT (source_id, line_key, article_id) DO UPDATE SET seen_at = greatest(source_line_seen.seen_at, excluded.seen_at);
