-- Stored articles whose canonical or discovered URL is in the registered Arrow table url_rows (column url):
-- one row per (url, article).
SELECT u.url, a.article_id, a.first_seen_at, a.fetched_at
FROM url_rows u
JOIN articles a ON a.canonical_url = u.url OR a.url = u.url;
