-- topic_trends rows of the days $start..$end (every outlet and all outlets, source_id '').
SELECT * FROM topic_trends
WHERE day BETWEEN $start AND $end
ORDER BY day, source_id, topic_id;
