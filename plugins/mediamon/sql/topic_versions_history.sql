-- Every applied topic version, newest first (mediamon topics status).
SELECT topic_id, version, applied_at, backfill_since, articles_scanned, matches, reason
FROM topic_versions
ORDER BY applied_at DESC, topic_id;
