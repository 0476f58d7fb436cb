-- Record per-stage metrics of a run (registered rows run_rows; counts as JSON text).
INSERT INTO runs (run_id, stage, started_at, finished_at, duration_s, task_s, tasks, counts, recorded_at)
SELECT run_id, stage, started_at, finished_at, duration_s, task_s, tasks, CAST(counts AS JSON), recorded_at
FROM run_rows;
