-- Articles to enrich: loaded by run $run_id, or with a day in $days (a list of dates); a NULL
-- parameter is no condition, both NULL = every article.
SELECT article_id, source_id, title, text, language, published_at, fetched_at, content_hash, minhash, day, canonical_url
FROM articles
WHERE ($run_id IS NULL AND $days IS NULL)
   OR run_id = $run_id
   OR day IN (SELECT unnest($days))
ORDER BY article_id;
