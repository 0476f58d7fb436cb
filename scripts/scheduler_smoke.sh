#!/usr/bin/env bash
# Smoke test with the real scheduler (not `airflow dags test`): `airflow standalone` on loopback
# (LocalExecutor, SQLite), pool mediamon_duckdb enforced, mapped tasks in parallel. Serves the
# sample site on port 8799, triggers mediamon_ingest, waits for the run, prints task states and
# the articles per source. Usage: make smoke-scheduler   (takes ~2-3 minutes)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${SMOKE_SITE_PORT:-8799}"
WORK="$(mktemp -d -t mediamon-smoke-XXXXXX)"
.venv/bin/python demo/serve.py --port "$PORT" --quiet >"$WORK/site.log" 2>&1 &
SITE=$!
mkdir -p "$WORK/cfg"
sed "s#127.0.0.1:8765#127.0.0.1:$PORT#g" config/sources.yaml >"$WORK/cfg/sources.yaml"
cp config/topics.yaml "$WORK/cfg/"
printf 'timezone: Asia/Jakarta\ndata_dir: %s/data\ndb_path: %s/data/m.duckdb\nreports_dir: %s/reports\nfetch: {per_host_delay_s: 0.2}\n' "$WORK" "$WORK" "$WORK" >"$WORK/cfg/settings.yaml"
export MEDIAMON_CONFIG_DIR="$WORK/cfg" AIRFLOW__API__PORT="${SMOKE_API_PORT:-8798}"
bash scripts/airflow_env.sh init "$WORK/home" >/dev/null
source scripts/airflow_env.sh "$WORK/home"
setsid airflow standalone >"$WORK/standalone.log" 2>&1 &
SA=$!  # its own process group: scheduler, API server, DAG processor and triggerer all stop with it
cleanup() {
  kill -TERM -- "-$SA" 2>/dev/null || true
  kill "$SITE" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 -- "-$SA" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$SA" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/$AIRFLOW__API__PORT) 2>/dev/null && break; sleep 2; done
sleep 10
airflow dags unpause mediamon_ingest >/dev/null 2>&1 || true
airflow dags trigger mediamon_ingest >/dev/null
state=running
for _ in $(seq 1 60); do
  sleep 5
  state=$(.venv/bin/python -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(\"SELECT state FROM dag_run WHERE dag_id='mediamon_ingest' AND run_id LIKE 'manual%' ORDER BY id DESC LIMIT 1\").fetchone(); print(r[0] if r else 'none')" "$AIRFLOW_HOME/airflow.db")
  [[ "$state" == success || "$state" == failed ]] && break
done
echo "mediamon_ingest run state (real scheduler): $state"
.venv/bin/python -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(f'  {t:<16} map={m:<3} {s}  pool={p}') for t,m,s,p in c.execute(\"SELECT task_id, map_index, state, pool FROM task_instance WHERE dag_id='mediamon_ingest' AND run_id LIKE 'manual%' ORDER BY start_date\")]" "$AIRFLOW_HOME/airflow.db"
.venv/bin/python -c "import duckdb,sys; print(duckdb.connect(sys.argv[1], read_only=True).sql('SELECT source_id, count(*) AS articles FROM articles GROUP BY 1 ORDER BY 1'))" "$WORK/data/m.duckdb"
[[ "$state" == success ]]
