-- Number of daily_coverage rows of day $day.
SELECT count(*) FROM daily_coverage WHERE day = $day;
