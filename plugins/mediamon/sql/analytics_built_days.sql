-- Days of $start..$end whose daily analytics were built (daily_source_stats has rows for them; store.refresh_analytics).
SELECT DISTINCT day FROM daily_source_stats WHERE day BETWEEN $start AND $end ORDER BY day;
