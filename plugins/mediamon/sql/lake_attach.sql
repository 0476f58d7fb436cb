-- Attach the DuckLake {uri} ('ducklake:postgres:<DSN>') with its Parquet files under {data_path}, as
-- catalog "lake". ATTACH takes no parameters: store/ducklake.py fills the placeholders with quoted literals.
ATTACH {uri} AS lake (DATA_PATH {data_path});
