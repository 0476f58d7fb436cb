-- The articles of days $start..$end with their story (store.build_daily_coverage, before daily_coverage.sql),
-- as a temp table: the build's joins then know its exact size and hash the small side.
CREATE OR REPLACE TEMP TABLE coverage_articles AS
SELECT article_id, day, source_id, story_id FROM story_articles_between($start, $end);
