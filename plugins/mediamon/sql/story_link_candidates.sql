-- Translation candidates: stored articles in another language, within $window_days days, sharing at
-- least $min_shared fingerprint tokens with a new article (entity_rows): (new_id, stored_id, shared).
-- $lo/$hi: the run's days -/+ the window (lets DuckDB skip row groups outside it).
SELECT n.article_id AS new_id, e.article_id AS stored_id, count(*) AS shared
FROM entity_rows n JOIN (SELECT * FROM story_entities WHERE day BETWEEN $lo AND $hi) e
  ON e.token = n.token AND e.language <> n.language
 AND e.day BETWEEN n.day - CAST($window_days AS INTEGER) AND n.day + CAST($window_days AS INTEGER)
WHERE e.article_id <> n.article_id
GROUP BY n.article_id, e.article_id
HAVING count(*) >= $min_shared;
