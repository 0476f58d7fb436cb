-- Coverage per source and topic for one day ($day); topic_id '' = all the source's articles.
SELECT c.source_id, src.name AS source_name, c.topic_id, coalesce(t.name, 'All articles') AS topic_name,
       c.articles, c.unique_stories, round(c.mean_sentiment, 3) AS mean_sentiment,
       c.positive, c.neutral, c.negative, round(c.mean_topic_sentiment, 3) AS mean_topic_sentiment,
       round(c.share_of_voice, 3) AS share_of_voice
FROM daily_coverage c
JOIN sources src USING (source_id)
LEFT JOIN topics t USING (topic_id)
WHERE c.day = $day
ORDER BY c.topic_id = '' DESC, c.topic_id, c.articles DESC, c.source_id;
