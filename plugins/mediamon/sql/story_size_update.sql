-- story_size of the placements of story_id_rows(story_id) = the story's copies.
UPDATE article_stories SET story_size = st.copies
FROM stories st WHERE article_stories.story_id = st.story_id AND st.story_id IN (SELECT story_id FROM story_id_rows);
