-- Forget the matches of the topics in $topic_ids for the articles in the registered Arrow table
-- topic_article_ids (column article_id): a topic backfill replaces only its own topics' rows.
DELETE FROM article_topics
WHERE topic_id IN (SELECT unnest($topic_ids))
  AND article_id IN (SELECT article_id FROM topic_article_ids);
