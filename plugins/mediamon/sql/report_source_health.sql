-- Per outlet over $start..$end, from the source_health view (sql/views.sql; daily_source_stats with the
-- outlet's own 28-day baseline): feed polls and items, empty and rotated feed polls, requests (feed polls +
-- article fetches), fetch errors, extraction failures, articles stored, the baseline of the first day,
-- the flags (any day) and the error rate (fetch errors / requests) over the period.
SELECT src.source_id, src.name AS source_name,
       coalesce(sum(h.feed_polls), 0)                                  AS feed_polls,
       coalesce(sum(h.feed_items), 0)                                  AS feed_items,
       coalesce(sum(h.empty_feed_polls), 0)                            AS empty_feed_polls,
       coalesce(sum(h.rotated_feed_polls), 0)                          AS rotated_feed_polls,
       coalesce(sum(h.feed_polls + h.article_fetches), 0)              AS requests,
       coalesce(sum(h.fetch_errors), 0)                                AS fetch_errors,
       coalesce(sum(h.extraction_failures), 0)                         AS extraction_failures,
       coalesce(sum(h.articles_stored), 0)                             AS articles,
       arg_min(h.baseline_articles, h.day)                             AS baseline,
       coalesce(bool_or(h.silent), false)                              AS silent,
       count(*) FILTER (WHERE h.silent)                                AS silent_days,
       coalesce(bool_or(h.empty_feed), false)                          AS empty_feed,
       coalesce(bool_or(h.feed_rotated), false)                        AS feed_rotated,
       round(sum(h.fetch_errors) / nullif(sum(h.feed_polls + h.article_fetches), 0), 4) AS error_rate
FROM sources src
LEFT JOIN source_health h ON h.source_id = src.source_id AND h.day BETWEEN $start AND $end
GROUP BY src.source_id, src.name
ORDER BY src.source_id;
