-- lake_attach.sql, read-only (report summaries, analytics).
ATTACH {uri} AS lake (DATA_PATH {data_path}, READ_ONLY);
