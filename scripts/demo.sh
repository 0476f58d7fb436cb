#!/usr/bin/env bash
# make demo: serve the bundled sample news site on 127.0.0.1, run both DAGs through Airflow
# (`airflow dags test`, throwaway SQLite metadata DB), then print the day's summary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DAY="${DEMO_DATE:-2022-02-02}"
PORT="${DEMO_PORT:-8765}"
LOGDIR="$ROOT/data/demo-logs"
mkdir -p "$LOGDIR"
start=$(date +%s)

if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
  echo "error: port $PORT on 127.0.0.1 is in use; free it or set DEMO_PORT (and the URLs in config/sources.yaml)" >&2
  exit 1
fi
.venv/bin/python demo/serve.py --host 127.0.0.1 --port "$PORT" >"$LOGDIR/site.log" 2>&1 &
SITE_PID=$!
AF_HOME="$(mktemp -d -t mediamon-airflow-XXXXXX)"
cleanup() { kill "$SITE_PID" 2>/dev/null || true; rm -rf "$AF_HOME"; }
trap cleanup EXIT
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
echo "==> sample news site on http://127.0.0.1:$PORT/"

source scripts/airflow_env.sh "$AF_HOME"
echo "==> Airflow metadata DB (SQLite, throwaway) in $AF_HOME"
airflow db migrate >"$LOGDIR/airflow-db.log" 2>&1
airflow pools set mediamon_duckdb 1 "mediamon: one DuckDB writer" >>"$LOGDIR/airflow-db.log" 2>&1

run_dag() {
  local dag="$1"
  echo "==> airflow dags test $dag $DAY"
  if ! airflow dags test "$dag" "$DAY" >"$LOGDIR/$dag.log" 2>&1; then
    tail -n 40 "$LOGDIR/$dag.log" >&2
    echo "error: $dag failed; full log: $LOGDIR/$dag.log" >&2
    exit 1
  fi
  # check the run's final state in the metadata DB (a failed task does not always fail the command)
  local state
  state=$(.venv/bin/python -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute('SELECT state FROM dag_run WHERE dag_id=? ORDER BY id DESC LIMIT 1',(sys.argv[2],)).fetchone(); print(r[0] if r else 'missing')" "$AIRFLOW_HOME/airflow.db" "$dag")
  echo "    run state: $state"
  if [[ "$state" != "success" ]]; then
    grep -iE "error|exception|failed" "$LOGDIR/$dag.log" | tail -n 20 >&2
    echo "error: $dag finished in state '$state'; full log: $LOGDIR/$dag.log" >&2
    exit 1
  fi
}
# a month of history before the demo day (demo/history.py), so the report has trends and spikes:
# the sample site's archive pages, written as WARC files and loaded through the normal extraction
# (`mediamon import-warc`: no 350 polite fetches at one request a second)
HIST="$ROOT/data/demo-history"
echo "==> a month of history: $(.venv/bin/python demo/build_site.py --history-warcs "$HIST" --base-url "http://127.0.0.1:$PORT")"
for f in "$HIST"/*.warc.gz; do
  .venv/bin/mediamon import-warc "$f" --source "$(basename "$f" .warc.gz)" >>"$LOGDIR/history.log" 2>&1 \
    || { tail -n 20 "$LOGDIR/history.log" >&2; echo "error: importing $f failed; log: $LOGDIR/history.log" >&2; exit 1; }
done
run_dag mediamon_ingest
run_dag mediamon_daily_report

echo
.venv/bin/mediamon summary --date "$DAY"
echo
echo "Spikes over the 30 days to $DAY (topic_trends; more questions in sql/README.md):"
.venv/bin/python demo/spikes.py "$DAY"
echo
echo "DuckDB:  $ROOT/data/mediamon.duckdb   (try: .venv/bin/python -c \"import duckdb; print(duckdb.connect('data/mediamon.duckdb', read_only=True).sql('select source_id, title from articles'))\")"
echo "Report:  $ROOT/reports/$DAY/index.html (summary: $ROOT/reports/$DAY/summary.md)"
echo "Logs:    $LOGDIR/"
echo "Demo wall time: $(( $(date +%s) - start )) s"
