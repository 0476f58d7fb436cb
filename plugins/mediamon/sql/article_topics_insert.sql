-- Bulk insert of article_topics rows from the registered Arrow table topic_rows
-- (columns = store.TOPIC_MATCH_COLUMNS).
INSERT INTO article_topics (article_id, topic_id, matched_terms, mentions, sentiment_label, sentiment_score, sentiment_method,
                            in_title, in_lead, body_mentions, prominence, topic_version)
SELECT article_id, topic_id, matched_terms, mentions, sentiment_label, sentiment_score, sentiment_method,
       in_title, in_lead, body_mentions, prominence, topic_version
FROM topic_rows;
