-- Per outlet over $start..$end (fetch days in the session time zone = the report zone): feed polls and
-- failed polls, article requests, fetch errors (no usable response), extraction failures (a response whose
-- extraction raised), articles stored, the outlet's baseline (median articles per day over the 28 days
-- before $start) and the flags: silent (0 articles where the baseline is > 0), error_rate.
WITH fl AS (
    SELECT source_id, kind, outcome, error_class, CAST(fetched_at AS DATE) AS day
    FROM fetch_log
    WHERE CAST(fetched_at AS DATE) BETWEEN $start AND $end
),
fetches AS (
    SELECT source_id,
           count(*) FILTER (WHERE kind IN ('feed', 'sitemap'))                                        AS feed_polls,
           count(*) FILTER (WHERE kind IN ('feed', 'sitemap') AND outcome NOT IN ('ok', 'not_modified')) AS feed_errors,
           count(*) FILTER (WHERE kind NOT IN ('feed', 'sitemap', 'robots') AND outcome <> 'not_fetched') AS requests,
           count(*) FILTER (WHERE kind NOT IN ('feed', 'sitemap', 'robots')
                              AND outcome NOT IN ('ok', 'not_modified', 'not_fetched'))                AS fetch_errors,
           count(*) FILTER (WHERE kind NOT IN ('feed', 'sitemap', 'robots') AND outcome = 'ok'
                              AND error_class IS NOT NULL)                                             AS extraction_failures
    FROM fl GROUP BY source_id
),
stored AS (
    SELECT source_id, count(*) AS articles FROM articles WHERE day BETWEEN $start AND $end GROUP BY source_id
),
days AS (
    SELECT CAST(d AS DATE) AS day
    FROM generate_series(CAST($start AS DATE) - INTERVAL 28 DAY, CAST($start AS DATE) - INTERVAL 1 DAY, INTERVAL 1 DAY) g(d)
),
per_day AS (
    SELECT src.source_id, d.day, count(a.article_id) AS n
    FROM sources src CROSS JOIN days d
    LEFT JOIN articles a ON a.source_id = src.source_id AND a.day = d.day
    GROUP BY ALL
),
base AS (SELECT source_id, median(n) AS baseline, sum(n) AS history FROM per_day GROUP BY source_id)
SELECT src.source_id, src.name AS source_name,
       coalesce(f.feed_polls, 0) AS feed_polls, coalesce(f.feed_errors, 0) AS feed_errors,
       coalesce(f.requests, 0) AS requests, coalesce(f.fetch_errors, 0) AS fetch_errors,
       coalesce(f.extraction_failures, 0) AS extraction_failures,
       coalesce(s.articles, 0) AS articles, coalesce(b.baseline, 0) AS baseline,
       coalesce(s.articles, 0) = 0 AND coalesce(b.baseline, 0) > 0 AS silent,
       round(CASE WHEN coalesce(f.requests, 0) > 0
                  THEN (f.fetch_errors + f.extraction_failures) / f.requests END, 4) AS error_rate
FROM sources src
LEFT JOIN fetches f USING (source_id)
LEFT JOIN stored s USING (source_id)
LEFT JOIN base b USING (source_id)
ORDER BY src.source_id;
