-- Snapshots and live data files of the lake (maintenance report).
SELECT (SELECT count(*) FROM ducklake_snapshots('lake')),
       (SELECT count(*) FROM (SELECT DISTINCT data_file FROM ducklake_list_files('lake', table_name)
                              WHERE table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake')));
