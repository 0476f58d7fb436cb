-- Which of the sources in $source_ids already have line sightings (store.sitelines.learn_site_lines).
SELECT DISTINCT source_id FROM source_line_seen WHERE list_contains($source_ids, source_id);
