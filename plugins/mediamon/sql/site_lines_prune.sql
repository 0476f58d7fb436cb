-- Drop line sightings older than the rolling window ($window_days before each source's latest
-- seen_at) for the sources in $source_ids (store.sitelines.record_site_lines).
DELETE FROM source_line_seen s
WHERE list_contains($source_ids, s.source_id)
  AND s.seen_at < (SELECT max(t.seen_at) FROM source_line_seen t WHERE t.source_id = s.source_id)
                  - to_days(CAST($window_days AS INTEGER));
