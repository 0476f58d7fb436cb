#!/usr/bin/env bash
# Airflow environment for mediamon on the embedded default: SQLite metadata DB,
# LocalExecutor-free `airflow dags test` / `airflow standalone`, DAGs from ./dags.
# Usage: source scripts/airflow_env.sh [HOME_DIR]   or   bash scripts/airflow_env.sh init [HOME_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-}"
if [[ "$mode" == "init" ]]; then shift; fi
export AIRFLOW_HOME="${1:-${AIRFLOW_HOME:-$ROOT/.airflow}}"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$ROOT/plugins"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__API__PORT="${AIRFLOW__API__PORT:-8080}"
# task workers talk to the API server's execution API: same loopback host and port
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="${AIRFLOW__CORE__EXECUTION_API_SERVER_URL:-http://127.0.0.1:$AIRFLOW__API__PORT/execution/}"
export AIRFLOW__WEBSERVER__WEB_SERVER_HOST=127.0.0.1
export AIRFLOW__LOGGING__LOGGING_LEVEL="${AIRFLOW__LOGGING__LOGGING_LEVEL:-WARNING}"
export PATH="$ROOT/.venv/bin:$PATH"
mkdir -p "$AIRFLOW_HOME"
if [[ "$mode" == "init" ]]; then
  airflow db migrate >/dev/null
  # the real scheduler enforces pools (`airflow dags test` does not): one DuckDB writer at a time
  airflow pools set mediamon_duckdb 1 "mediamon: tasks that open the DuckDB file (one writer)" >/dev/null
  echo "Airflow home ready: $AIRFLOW_HOME (pool mediamon_duckdb = 1 slot)"
  echo "Start the UI and scheduler bound to 127.0.0.1 with:"
  echo "  source scripts/airflow_env.sh && airflow standalone"
fi
