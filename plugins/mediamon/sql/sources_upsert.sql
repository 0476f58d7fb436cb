-- Insert or update one configured outlet.
INSERT INTO sources (source_id, name, homepage, language, country, feeds, updated_at)
VALUES ($source_id, $name, $homepage, $language, $country, $feeds, $updated_at)
ON CONFLICT (source_id) DO UPDATE SET
    name = excluded.name, homepage = excluded.homepage, language = excluded.language,
    country = excluded.country, feeds = excluded.feeds, updated_at = excluded.updated_at;
