-- Articles in one of $languages (a list) without an article_sentiment row, as enrich_by_run_or_days.
SELECT article_id, source_id, title, text, language, published_at, fetched_at, content_hash, minhash, day, canonical_url
FROM articles
WHERE language IN (SELECT unnest($languages))
  AND article_id NOT IN (SELECT article_id FROM article_sentiment)
ORDER BY article_id;
