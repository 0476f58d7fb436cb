-- The volume rows of the last $n runs checked before run $run_id (newest first by checked_at):
-- (run_id, subject "source_id/language", value). A subject absent from a run had no article then.
WITH recent AS (
    SELECT run_id, max(checked_at) AS last_checked
    FROM quality_checks
    WHERE check_name = 'volume' AND run_id <> $run_id
    GROUP BY run_id
    ORDER BY last_checked DESC
    LIMIT $n
)
SELECT q.run_id, q.subject, q.value
FROM quality_checks q JOIN recent r ON q.run_id = r.run_id
WHERE q.check_name = 'volume'
ORDER BY r.last_checked DESC, q.subject;
