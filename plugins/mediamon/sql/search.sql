-- Full-text search (mediamon search): the $limit best BM25 matches of $query; needs fts_index.sql first.
SELECT a.source_id, a.day, a.title, a.canonical_url, s.score
FROM (SELECT article_id, fts_main_articles.match_bm25(article_id, $query) AS score FROM articles) s
JOIN articles a USING (article_id)
WHERE s.score IS NOT NULL
ORDER BY s.score DESC
LIMIT $limit;
