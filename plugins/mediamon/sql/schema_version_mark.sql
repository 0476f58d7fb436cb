-- Record that schema.sql with sha1 $schema_sha1 has been applied (store.connect, after running it).
INSERT INTO schema_version (schema_sha1, applied_at) VALUES ($schema_sha1, now()) ON CONFLICT DO NOTHING;
