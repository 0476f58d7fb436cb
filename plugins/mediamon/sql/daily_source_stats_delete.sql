-- Forget daily_source_stats of the days $start..$end (store.build_source_stats).
DELETE FROM daily_source_stats WHERE day BETWEEN $start AND $end;
