-- source_health rows of the days $start..$end (every configured source, every built day).
SELECT * FROM source_health
WHERE day BETWEEN $start AND $end
ORDER BY day, source_id;
