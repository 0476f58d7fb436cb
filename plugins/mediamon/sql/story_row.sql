-- The stories row of $story_id.
SELECT * FROM stories WHERE story_id = $story_id;
