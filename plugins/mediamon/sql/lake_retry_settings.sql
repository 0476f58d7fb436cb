-- DuckLake's own commit retries (non-conflicting concurrent commits are replayed on the new snapshot).
SET ducklake_max_retry_count = $retries;
