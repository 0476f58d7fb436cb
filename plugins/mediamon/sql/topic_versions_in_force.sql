-- The version in force per topic: the newest applied_at (topicsync.pending_topics).
SELECT topic_id, arg_max(version, applied_at) AS version
FROM topic_versions
GROUP BY topic_id;
