-- The data-quality check results of run $run_id.
SELECT run_id, check_name, subject, value, baseline, threshold, status, detail, checked_at
FROM quality_checks
WHERE run_id = $run_id
ORDER BY check_name, subject;
