-- Compaction: merge adjacent small Parquet files of every table (DuckLake maintenance).
CALL ducklake_merge_adjacent_files('lake');
