-- How many of the configured outlets (registered Arrow table source_rows), source ids that need a row
-- (source_id_rows) and tracked topics (topic_rows) are missing from the store or differ from their stored
-- row (store.config_stale: load skips the outlet/topic upsert, and its lock, when this is 0).
SELECT (SELECT count(*) FROM source_rows r
        WHERE NOT EXISTS (SELECT 1 FROM sources s
                          WHERE s.source_id = r.source_id AND s.name IS NOT DISTINCT FROM r.name
                            AND s.homepage IS NOT DISTINCT FROM r.homepage AND s.language IS NOT DISTINCT FROM r.language
                            AND s.country IS NOT DISTINCT FROM r.country AND s.feeds IS NOT DISTINCT FROM CAST(r.feeds AS VARCHAR[])))
     + (SELECT count(*) FROM source_id_rows r WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.source_id = r.source_id))
     + (SELECT count(*) FROM topic_rows r
        WHERE NOT EXISTS (SELECT 1 FROM topics t
                          WHERE t.topic_id = r.topic_id AND t.name IS NOT DISTINCT FROM r.name
                            AND t.query IS NOT DISTINCT FROM r.query));
