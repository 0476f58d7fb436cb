-- Snapshots and live data files of the lake (maintenance report).
SELECT (SELECT count(*) FROM ducklake_snapshots('lake')),
       (SELECT coalesce(sum(file_count), 0) FROM ducklake_table_info('lake'));
