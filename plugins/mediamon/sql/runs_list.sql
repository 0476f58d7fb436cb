-- The per-stage metrics of run $run_id, in stage order of start.
SELECT run_id, stage, started_at, finished_at, duration_s, task_s, tasks, CAST(counts AS VARCHAR) AS counts, recorded_at
FROM runs
WHERE run_id = $run_id
ORDER BY started_at NULLS LAST, stage;
