-- Record one applied topic version (topicsync.apply_topics).
INSERT INTO topic_versions (topic_id, version, definition, applied_at, backfill_since, articles_scanned, matches, reason)
VALUES ($topic_id, $version, $definition, $applied_at, $backfill_since, $articles_scanned, $matches, $reason);
