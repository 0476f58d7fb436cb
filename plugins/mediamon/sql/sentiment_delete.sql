-- Forget the stored article_sentiment rows of the articles in the registered Arrow table sentiment_rows.
DELETE FROM article_sentiment WHERE article_id IN (SELECT article_id FROM sentiment_rows);
