-- Drop the temp table of daily_coverage_stage.sql (store.build_daily_coverage).
DROP TABLE IF EXISTS coverage_articles;
