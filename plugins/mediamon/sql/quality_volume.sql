-- Articles loaded (inserted or updated) by ingest run $run_id per source and language ('' = unknown).
SELECT source_id, coalesce(language, '') AS language, count(*) AS articles
FROM articles
WHERE run_id = $run_id
GROUP BY source_id, coalesce(language, '')
ORDER BY source_id, language;
