-- Bulk insert of comparison_sets rows from the registered Arrow table comparison_set_rows (set_name, topic_id).
INSERT INTO comparison_sets (set_name, topic_id) SELECT DISTINCT set_name, topic_id FROM comparison_set_rows;
