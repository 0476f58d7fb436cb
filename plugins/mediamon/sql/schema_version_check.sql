-- 1 when the schema with sha1 $schema_sha1 (of schema.sql's text) was applied to this database, else 0.
-- Raises a catalog error on a database created before the marker existed (store.connect then applies the schema).
SELECT count(*) FROM schema_version WHERE schema_sha1 = $schema_sha1;
