-- Move the placements of merged stories (merge_rows) to the kept story.
UPDATE article_stories SET story_id = m.story_id
FROM merge_rows m WHERE article_stories.story_id = m.merged_story_id;
