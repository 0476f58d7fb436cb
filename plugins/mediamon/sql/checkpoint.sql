-- Store maintenance of the DuckDB file (store.checkpoint): write the WAL into the file, reclaim deleted rows.
CHECKPOINT;
