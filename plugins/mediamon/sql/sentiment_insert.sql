-- Bulk insert of article_sentiment rows from the registered Arrow table sentiment_rows, computed at
-- $computed_at (columns = store.SENTIMENT_COLUMNS but computed_at).
INSERT INTO article_sentiment (article_id, label, score, method, version, n_sentences, computed_at)
SELECT article_id, label, score, method, version, n_sentences, $computed_at
FROM sentiment_rows;
