-- Forget the topic matches of the articles in the registered Arrow table topic_article_ids (column article_id).
DELETE FROM article_topics WHERE article_id IN (SELECT article_id FROM topic_article_ids);
