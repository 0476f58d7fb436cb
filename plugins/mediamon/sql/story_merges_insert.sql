-- Record merges from merge_rows(merged_story_id, story_id, bridging_article_id); earlier merges into a
-- merged story now point to the kept one (MERGE rather than INSERT OR REPLACE: also runs on DuckLake).
MERGE INTO story_merges USING (SELECT merged_story_id, story_id, bridging_article_id FROM merge_rows) AS r
ON story_merges.merged_story_id = r.merged_story_id
WHEN MATCHED THEN UPDATE SET story_id = r.story_id, bridging_article_id = r.bridging_article_id, merged_at = $now, run_id = $run_id
WHEN NOT MATCHED THEN INSERT (merged_story_id, story_id, bridging_article_id, merged_at, run_id)
    VALUES (r.merged_story_id, r.story_id, r.bridging_article_id, $now, $run_id);
