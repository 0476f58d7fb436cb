-- (Re)build the BM25 full-text index over articles(title, text); needs the fts extension loaded.
PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', overwrite=1);
