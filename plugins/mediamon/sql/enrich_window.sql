-- Articles with $start_day <= day <= $end_day (story clustering), as enrich_by_run_or_days.
SELECT article_id, source_id, title, text, language, published_at, fetched_at, content_hash, minhash, day, canonical_url
FROM articles
WHERE day BETWEEN $start_day AND $end_day
ORDER BY article_id;
