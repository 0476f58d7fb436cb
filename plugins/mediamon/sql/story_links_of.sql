-- Story links touching $story_id, with the other story's headline and languages.
SELECT CASE WHEN l.story_id_a = $story_id THEN l.story_id_b ELSE l.story_id_a END AS other_story_id,
       l.kind, l.confidence, st.headline, st.languages, st.copies
FROM story_links l
LEFT JOIN stories st ON st.story_id = CASE WHEN l.story_id_a = $story_id THEN l.story_id_b ELSE l.story_id_a END
WHERE $story_id IN (l.story_id_a, l.story_id_b)
ORDER BY l.confidence DESC;
