-- Forget the runs rows of run $run_id (before runs_insert: a rerun replaces them).
DELETE FROM runs WHERE run_id = $run_id;
