-- The day's articles ($day) with links, sentiment, topics and story.
SELECT a.article_id, src.name AS source_name, a.title, a.canonical_url AS url, a.published_at, a.language,
       st.label AS sentiment_label, round(st.score, 3) AS sentiment_score,
       (SELECT string_agg(t.topic_id, ', ' ORDER BY t.topic_id) FROM article_topics t WHERE t.article_id = a.article_id) AS topics,
       coalesce(s.story_id, a.article_id) AS story_id, a.syndication
FROM articles a
JOIN sources src USING (source_id)
LEFT JOIN article_sentiment st USING (article_id)
LEFT JOIN article_stories s USING (article_id)
WHERE a.day = $day
ORDER BY a.published_at NULLS LAST, a.article_id;
