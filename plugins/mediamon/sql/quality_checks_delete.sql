-- Forget the quality_checks rows of run $run_id (before quality_checks_insert: a rerun replaces them).
DELETE FROM quality_checks WHERE run_id = $run_id;
