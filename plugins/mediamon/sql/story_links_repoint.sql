-- Links of merged stories (merge_rows) are dropped; the cross-language step re-links the kept story.
DELETE FROM story_links WHERE story_id_a IN (SELECT merged_story_id FROM merge_rows)
                           OR story_id_b IN (SELECT merged_story_id FROM merge_rows);
