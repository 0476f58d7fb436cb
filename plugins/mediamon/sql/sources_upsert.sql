-- Insert or update one configured outlet. A MERGE, not ON CONFLICT, so it also runs on DuckLake
-- (no PRIMARY KEY there); an unchanged outlet is not rewritten (updated_at = when it last changed,
-- and concurrent DuckLake writers do not conflict over rows nobody changed).
MERGE INTO sources USING (SELECT $source_id AS source_id, $name AS name, $homepage AS homepage, $language AS language,
                                 $country AS country, CAST($feeds AS VARCHAR[]) AS feeds, $updated_at AS updated_at) AS s
ON sources.source_id = s.source_id
WHEN MATCHED AND (sources.name IS DISTINCT FROM s.name OR sources.homepage IS DISTINCT FROM s.homepage
                  OR sources.language IS DISTINCT FROM s.language OR sources.country IS DISTINCT FROM s.country
                  OR sources.feeds IS DISTINCT FROM s.feeds) THEN
    UPDATE SET name = s.name, homepage = s.homepage, language = s.language, country = s.country,
               feeds = s.feeds, updated_at = s.updated_at
WHEN NOT MATCHED THEN
    INSERT (source_id, name, homepage, language, country, feeds, updated_at)
    VALUES (s.source_id, s.name, s.homepage, s.language, s.country, s.feeds, s.updated_at);
