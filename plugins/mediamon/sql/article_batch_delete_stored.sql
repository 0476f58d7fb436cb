-- Remove the stored rows the staged batch replaces (matched by canonical URL).
DELETE FROM articles WHERE canonical_url IN (SELECT canonical_url FROM article_batch);
