#!/usr/bin/env bash
# Airflow environment for mediamon on the embedded default: SQLite metadata DB,
# LocalExecutor-free `airflow dags test` / `airflow standalone`, DAGs from ./dags.
# Usage: source scripts/airflow_env.sh [HOME_DIR]   or   bash scripts/airflow_env.sh init [HOME_DIR]
# Sourced, it only exports variables: the caller's shell options are left as they were (no
# `set -e` leaking into an interactive shell, where one failing command would close it) and
# no helper variable is left behind. Executed, it runs in strict mode (set -euo pipefail).
_mediamon_airflow_env() {
  local root mode
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  mode="${1:-}"
  if [[ "$mode" == "init" ]]; then shift; fi
  export AIRFLOW_HOME="${1:-${AIRFLOW_HOME:-$root/.airflow}}"
  export AIRFLOW__CORE__DAGS_FOLDER="$root/dags"
  export AIRFLOW__CORE__PLUGINS_FOLDER="$root/plugins"
  export AIRFLOW__CORE__LOAD_EXAMPLES=False
  export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
  export AIRFLOW__API__HOST=127.0.0.1
  export AIRFLOW__API__PORT="${AIRFLOW__API__PORT:-8080}"
  # task workers talk to the API server's execution API: same loopback host and port
  export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="${AIRFLOW__CORE__EXECUTION_API_SERVER_URL:-http://127.0.0.1:$AIRFLOW__API__PORT/execution/}"
  export AIRFLOW__WEBSERVER__WEB_SERVER_HOST=127.0.0.1
  export AIRFLOW__LOGGING__LOGGING_LEVEL="${AIRFLOW__LOGGING__LOGGING_LEVEL:-WARNING}"
  case ":$PATH:" in
    *":$root/.venv/bin:"*) ;;  # sourcing twice does not grow PATH
    *) export PATH="$root/.venv/bin:$PATH" ;;
  esac
  mkdir -p "$AIRFLOW_HOME" || return 1
  if [[ "$mode" == "init" ]]; then
    airflow db migrate >/dev/null || return 1
    # the real scheduler enforces pools (`airflow dags test` does not): one DuckDB writer at a time
    airflow pools set mediamon_duckdb 1 "mediamon: tasks that open the DuckDB file (one writer)" >/dev/null || return 1
    echo "Airflow home ready: $AIRFLOW_HOME (pool mediamon_duckdb = 1 slot)"
    echo "Start the UI and scheduler bound to 127.0.0.1 with:"
    echo "  source scripts/airflow_env.sh && airflow standalone"
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  _mediamon_airflow_env "$@"
elif _mediamon_airflow_env "$@"; then
  unset -f _mediamon_airflow_env
else
  unset -f _mediamon_airflow_env
  return 1
fi
