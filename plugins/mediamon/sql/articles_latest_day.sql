-- The newest stored article day not after $today (a topic backfill window ends there, so an archive
-- or the demo's past days are covered; a future-dated article does not move it).
SELECT max(day) FROM articles WHERE day <= $today;
