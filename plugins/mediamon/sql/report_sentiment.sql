-- Sentiment split per source for one day ($day).
SELECT c.source_id, src.name AS source_name, c.positive, c.neutral, c.negative,
       round(c.mean_sentiment, 3) AS mean_sentiment
FROM daily_coverage c JOIN sources src USING (source_id)
WHERE c.day = $day AND c.topic_id = ''
ORDER BY c.source_id;
