-- Staging table for one batch of article upserts (store.upsert_articles): same columns and types
-- as articles, no constraints (the final insert into articles checks them).
CREATE OR REPLACE TEMP TABLE article_batch AS SELECT * FROM articles LIMIT 0;
