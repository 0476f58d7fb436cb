-- Merges into a story that has itself been merged (merge_rows) now point to the kept story.
UPDATE story_merges SET story_id = m.story_id
FROM merge_rows m WHERE story_merges.story_id = m.merged_story_id;
