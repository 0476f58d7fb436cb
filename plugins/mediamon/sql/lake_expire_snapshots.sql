-- Forget snapshots older than $older_than (an interval text, e.g. '604800 seconds'); time travel before it ends.
CALL ducklake_expire_snapshots('lake', older_than => now() - CAST($older_than AS INTERVAL));
