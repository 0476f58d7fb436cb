-- Record data-quality check results (registered rows quality_rows).
INSERT INTO quality_checks (run_id, check_name, subject, value, baseline, threshold, status, detail, checked_at)
SELECT run_id, check_name, subject, value, baseline, threshold, status, detail, checked_at
FROM quality_rows;
