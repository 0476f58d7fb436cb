-- Forget the fetch_log rows of run $run_id (store.replace_fetch_log, before fetch_log_insert).
DELETE FROM fetch_log WHERE run_id = $run_id;
