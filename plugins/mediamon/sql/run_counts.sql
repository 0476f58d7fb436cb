-- fetch_log outcomes of run $run_id: (outcome, count).
SELECT outcome, count(*) FROM fetch_log WHERE run_id = $run_id GROUP BY ALL ORDER BY 1;
