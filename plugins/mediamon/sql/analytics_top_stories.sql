-- The $limit largest stories per topic (topic_id '' = all articles) and day, days $start..$end
-- (top_stories_between: the range's articles only, not the whole top_stories view).
SELECT * FROM top_stories_between($start, $end)
WHERE rank <= $limit
ORDER BY day, topic_id, rank;
