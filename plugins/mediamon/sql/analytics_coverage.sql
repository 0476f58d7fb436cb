-- daily_coverage rows of the days $start..$end (source_id '' = all outlets, topic_id '' = all articles).
SELECT day, source_id, topic_id, articles, unique_stories, mentions, mean_sentiment, positive, neutral, negative,
       mean_topic_sentiment, share_of_voice
FROM daily_coverage
WHERE day BETWEEN $start AND $end
ORDER BY day, source_id, topic_id;
