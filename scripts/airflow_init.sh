#!/usr/bin/env bash
# Init step of the docker-compose stack (service airflow-init; safe to run again, e.g. after an
# upgrade): the official image's entrypoint migrates the metadata DB and creates the admin user
# (_AIRFLOW_DB_MIGRATE, _AIRFLOW_WWW_USER_CREATE); then this creates what the mediamon DAGs need:
#  - the pool mediamon_duckdb (MEDIAMON_DUCKDB_POOL_SLOTS, default 1: one DuckDB writer at a time),
#  - no Airflow connection: the shipped DAGs use none (settings.yaml holds every mediamon setting,
#    secrets come from the environment, see .env.example); add one as AIRFLOW_CONN_<ID> in .env,
#  - the data, WARC and reports volumes, owned by AIRFLOW_UID.
set -euo pipefail
uid="${AIRFLOW_UID:-50000}"
mkdir -p /opt/airflow/logs /opt/mediamon/data/warc /opt/mediamon/reports
chown -R "$uid:0" /opt/airflow/logs /opt/mediamon/data /opt/mediamon/reports
/entrypoint airflow version
/entrypoint airflow pools set mediamon_duckdb "${MEDIAMON_DUCKDB_POOL_SLOTS:-1}" "mediamon: tasks that write the DuckDB file (one writer)"
/entrypoint airflow pools list
