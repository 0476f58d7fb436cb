-- Forget the stories rows of story_id_rows(story_id) (refreshed or merged away).
DELETE FROM stories WHERE story_id IN (SELECT story_id FROM story_id_rows);
