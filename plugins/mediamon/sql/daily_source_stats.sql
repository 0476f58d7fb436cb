-- Rebuild daily_source_stats for the days $start..$end (after daily_source_stats_delete; store.build_source_stats):
-- one row per configured source (table sources) and calendar day, zeros included, so an outlet
-- with no fetch and no article that day still has its row. fetch_log days are the calendar days
-- of fetched_at in the SESSION time zone (the caller sets the report timezone).
INSERT INTO daily_source_stats (day, source_id, feed_polls, feed_items, empty_feed_polls, rotated_feed_polls,
                                article_fetches, articles_stored, fetch_errors, extraction_failures)
WITH cal AS (
    SELECT CAST(unnest(generate_series(CAST($start AS DATE), CAST($end AS DATE), INTERVAL 1 DAY)) AS DATE) AS day
),
fl AS (
    SELECT CAST(fetched_at AS DATE) AS day, source_id, kind, status, outcome, skip_reason, error_class, items, items_overlap
    FROM fetch_log
    WHERE fetched_at >= CAST(CAST($start AS DATE) AS TIMESTAMPTZ)
      AND fetched_at <  CAST(CAST($end AS DATE) + 1 AS TIMESTAMPTZ)
      AND source_id IS NOT NULL
),
polls AS (
    SELECT day, source_id,
           count(*) FILTER (WHERE kind IN ('feed', 'sitemap') AND outcome <> 'not_fetched')             AS feed_polls,
           coalesce(sum(items) FILTER (WHERE kind IN ('feed', 'sitemap')), 0)                            AS feed_items,
           count(*) FILTER (WHERE kind IN ('feed', 'sitemap') AND outcome = 'ok'
                                 AND (items = 0 OR skip_reason = 'unparsable'))                          AS empty_feed_polls,
           count(*) FILTER (WHERE kind IN ('feed', 'sitemap') AND items > 0 AND items_overlap = 0)      AS rotated_feed_polls,
           count(*) FILTER (WHERE kind = 'article' AND outcome <> 'not_fetched')                        AS article_fetches,
           count(*) FILTER (WHERE outcome NOT IN ('ok', 'not_modified', 'not_fetched', 'robots_disallowed',
                                                  'blocked_scheme', 'non_html')
                                 -- a robots.txt answering 4xx means "no rules" (RFC 9309), not a failure
                                 AND NOT (kind = 'robots' AND coalesce(status, 0) BETWEEN 400 AND 499))  AS fetch_errors,
           count(*) FILTER (WHERE kind = 'article' AND outcome = 'ok'
                                 AND (skip_reason = 'empty' OR error_class IS NOT NULL))                 AS extraction_failures
    FROM fl GROUP BY day, source_id
),
stored AS (
    SELECT day, source_id, count(*) AS articles_stored
    FROM articles WHERE day BETWEEN $start AND $end
    GROUP BY day, source_id
)
SELECT cal.day, s.source_id,
       coalesce(p.feed_polls, 0), coalesce(p.feed_items, 0), coalesce(p.empty_feed_polls, 0),
       coalesce(p.rotated_feed_polls, 0), coalesce(p.article_fetches, 0), coalesce(a.articles_stored, 0),
       coalesce(p.fetch_errors, 0), coalesce(p.extraction_failures, 0)
FROM cal CROSS JOIN sources s
LEFT JOIN polls p ON p.day = cal.day AND p.source_id = s.source_id
LEFT JOIN stored a ON a.day = cal.day AND a.source_id = s.source_id;
