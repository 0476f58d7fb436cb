-- topic_trends rows of the days $start..$end (every outlet and all outlets, source_id ''),
-- via topic_trends_between (reads daily_coverage from $start - 28 days only).
SELECT * FROM topic_trends_between($start, $end)
ORDER BY day, source_id, topic_id;
