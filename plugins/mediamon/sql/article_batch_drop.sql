-- Free the staging table of store.upsert_articles.
DROP TABLE IF EXISTS temp.article_batch;
