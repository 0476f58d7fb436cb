-- Take PostgreSQL advisory lock $lock_id (BIGINT) until the surrounding transaction ends (waits for it).
-- postgres_query runs on the connection of the DuckDB transaction, so the lock lives as long as it.
SELECT * FROM postgres_query('mm_lock', 'SELECT pg_advisory_xact_lock(' || CAST($lock_id AS BIGINT) || ')');
