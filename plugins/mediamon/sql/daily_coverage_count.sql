-- Number of daily_coverage rows of the days $start..$end.
SELECT count(*) FROM daily_coverage WHERE day BETWEEN $start AND $end;
