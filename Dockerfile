# mediamon on Airflow 3 (standalone: scheduler + API server + DAG processor, SQLite metadata).
FROM python:3.11-slim
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 \
    AIRFLOW_HOME=/opt/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/mediamon/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/mediamon/plugins \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    MEDIAMON_CONFIG_DIR=/opt/mediamon/config
WORKDIR /opt/mediamon
COPY requirements.lock pyproject.toml README.md ./
RUN pip install -r requirements.lock
COPY . .
RUN pip install --no-deps -e .
CMD ["bash", "-c", "airflow db migrate && airflow pools set mediamon_duckdb 1 'mediamon: one DuckDB writer' && airflow standalone"]
