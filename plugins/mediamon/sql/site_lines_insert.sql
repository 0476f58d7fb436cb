-- Record the line keys of articles (store.sitelines.record_site_lines) from the registered Arrow
-- table line_rows (source_id, line_key, article_id, seen_at). A line already counted for that
-- article (a refresh, a reprocess) is not counted twice; its seen_at moves to the newer fetch.
-- A MERGE, not ON CONFLICT, so it also runs on DuckLake (no PRIMARY KEY there).
MERGE INTO source_line_seen
USING (SELECT source_id, line_key, article_id, max(CAST(seen_at AS TIMESTAMPTZ)) AS seen_at
       FROM line_rows GROUP BY source_id, line_key, article_id) AS r
ON source_line_seen.source_id = r.source_id AND source_line_seen.line_key = r.line_key
   AND source_line_seen.article_id = r.article_id
WHEN MATCHED AND r.seen_at > source_line_seen.seen_at THEN UPDATE SET seen_at = r.seen_at
WHEN NOT MATCHED THEN INSERT (source_id, line_key, article_id, seen_at) VALUES (r.source_id, r.line_key, r.article_id, r.seen_at);
