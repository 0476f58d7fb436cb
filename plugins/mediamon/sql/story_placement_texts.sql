-- Placements of $story_id with their text, earliest first (mediamon story).
SELECT p.placed_at, p.source_id, p.canonical_url, p.language, p.wire_source, p.article_id, p.is_original, a.text
FROM story_placements p JOIN articles a USING (article_id)
WHERE p.story_id = $story_id
ORDER BY p.placed_at, p.article_id;
