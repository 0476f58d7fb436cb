-- Insert or update one tracked topic.
INSERT INTO topics (topic_id, name, query) VALUES ($topic_id, $name, $query)
ON CONFLICT (topic_id) DO UPDATE SET name = excluded.name, query = excluded.query;
