-- Record merges from merge_rows(merged_story_id, story_id, bridging_article_id); earlier merges into a
-- merged story now point to the kept one.
INSERT OR REPLACE INTO story_merges (merged_story_id, story_id, bridging_article_id, merged_at, run_id)
SELECT merged_story_id, story_id, bridging_article_id, $now, $run_id FROM merge_rows;
