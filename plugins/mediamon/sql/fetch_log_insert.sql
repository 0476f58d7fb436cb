-- Bulk insert of the fetch_log rows of run $run_id from the registered Arrow table fetch_log_rows
-- (store.replace_fetch_log; columns = store.FETCH_LOG_COLUMNS but run_id, a test checks them against the schema).
INSERT INTO fetch_log (run_id, source_id, url, final_url, host, kind, status, outcome, n_bytes,
                       elapsed_s, retries, error_class, error, robots, skip_reason, fetched_at,
                       content_type, encoding, replacement_chars, items, items_overlap)
SELECT $run_id, source_id, url, final_url, host, kind, status, outcome, n_bytes,
       elapsed_s, retries, error_class, error, robots, skip_reason, fetched_at,
       content_type, encoding, replacement_chars, items, items_overlap
FROM fetch_log_rows;
