-- The $limit largest stories per topic (topic_id '' = all articles) and day, days $start..$end.
SELECT * FROM top_stories
WHERE day BETWEEN $start AND $end AND rank <= $limit
ORDER BY day, topic_id, rank;
