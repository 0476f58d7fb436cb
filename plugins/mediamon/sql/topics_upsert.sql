-- Insert or update one tracked topic (MERGE: also runs on DuckLake; an unchanged topic is not rewritten).
MERGE INTO topics USING (SELECT $topic_id AS topic_id, $name AS name, $query AS query) AS t
ON topics.topic_id = t.topic_id
WHEN MATCHED AND (topics.name IS DISTINCT FROM t.name OR topics.query IS DISTINCT FROM t.query) THEN
    UPDATE SET name = t.name, query = t.query
WHEN NOT MATCHED THEN
    INSERT (topic_id, name, query) VALUES (t.topic_id, t.name, t.query);
