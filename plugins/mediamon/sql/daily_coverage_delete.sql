-- Forget daily_coverage of the days $start..$end (store.build_daily_coverage, before daily_coverage.sql).
DELETE FROM daily_coverage WHERE day BETWEEN $start AND $end;
