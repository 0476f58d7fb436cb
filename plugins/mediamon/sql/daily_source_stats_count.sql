-- Number of daily_source_stats rows of the days $start..$end.
SELECT count(*) FROM daily_source_stats WHERE day BETWEEN $start AND $end;
