-- Learned site boilerplate (store.sitelines.learned_site_lines): per source in $source_ids, the line
-- keys seen on at least $min_articles distinct articles and on at least $min_share of the source's
-- articles within $window_days days before the source's latest seen_at (the rolling window).
WITH latest AS (
    SELECT source_id, max(seen_at) AS last_seen
    FROM source_line_seen
    WHERE list_contains($source_ids, source_id)
    GROUP BY source_id
), recent AS (
    SELECT s.source_id, s.line_key, s.article_id
    FROM source_line_seen s
    JOIN latest l ON l.source_id = s.source_id
    WHERE s.seen_at >= l.last_seen - to_days(CAST($window_days AS INTEGER))
), per_source AS (
    SELECT source_id, count(DISTINCT article_id) AS n_articles
    FROM recent
    GROUP BY source_id
)
SELECT r.source_id, r.line_key, count(DISTINCT r.article_id) AS n_seen, p.n_articles
FROM recent r
JOIN per_source p ON p.source_id = r.source_id
GROUP BY r.source_id, r.line_key, p.n_articles
HAVING count(DISTINCT r.article_id) >= $min_articles
   AND count(DISTINCT r.article_id) >= $min_share * p.n_articles
ORDER BY r.source_id, r.line_key;
