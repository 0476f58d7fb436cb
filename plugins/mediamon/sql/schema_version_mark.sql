-- Record that the schema with sha1 $schema_sha1 has been applied (store.connect, after running it).
INSERT INTO schema_version (schema_sha1, applied_at)
SELECT $schema_sha1, now()
WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE schema_sha1 = $schema_sha1);
