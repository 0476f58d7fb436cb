-- Delete the data files of expired snapshots that were scheduled for deletion more than $older_than ago.
CALL ducklake_cleanup_old_files('lake', older_than => now() - CAST($older_than AS INTERVAL));
