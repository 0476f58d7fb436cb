-- Candidate copies of new articles: stored articles sharing an LSH band key (registered Arrow table
-- new_band_rows(article_id, key, day)) published within $window_days days of the new article.
-- $lo/$hi (the run's days -/+ the window) let DuckDB skip stored row groups outside it (zone maps).
SELECT DISTINCT n.article_id AS new_id, b.article_id AS stored_id
FROM new_band_rows n JOIN (SELECT * FROM story_bands WHERE day BETWEEN $lo AND $hi) b
  ON b.key = n.key AND b.day BETWEEN n.day - CAST($window_days AS INTEGER) AND n.day + CAST($window_days AS INTEGER)
WHERE b.article_id <> n.article_id;
