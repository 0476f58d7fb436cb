-- Forget daily_coverage of day $day (store.build_daily_coverage, before daily_coverage.sql).
DELETE FROM daily_coverage WHERE day = $day;
