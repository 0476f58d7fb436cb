-- Days from $since on (NULL: all) that already have daily_coverage rows (rebuilt after a topic backfill).
SELECT DISTINCT day FROM daily_coverage WHERE $since IS NULL OR day >= $since ORDER BY day;
