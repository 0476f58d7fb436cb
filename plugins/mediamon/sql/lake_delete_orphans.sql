-- Delete files under the data path that no snapshot knows (e.g. left by a crashed writer), older than $older_than.
CALL ducklake_delete_orphaned_files('lake', older_than => now() - CAST($older_than AS INTERVAL));
