# mediamon on the official Apache Airflow image (Airflow 3, Python 3.11), installed as a package.
# Used by docker-compose.yml for every Airflow service (api-server, scheduler, dag-processor,
# triggerer, Celery workers, init). The image already carries the Celery, Redis and PostgreSQL
# providers; mediamon's own dependencies are installed pinned from requirements.lock, with
# Airflow itself held at the image's version (the lock's Airflow pins are left out).
ARG AIRFLOW_VERSION=3.3.2
FROM apache/airflow:${AIRFLOW_VERSION}-python3.11
ARG AIRFLOW_VERSION
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/mediamon/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    MEDIAMON_CONFIG_DIR=/opt/mediamon/config
USER root
RUN mkdir -p /opt/mediamon/data/warc /opt/mediamon/reports /opt/mediamon/config \
 && chown -R airflow:0 /opt/mediamon
USER airflow
WORKDIR /opt/mediamon
COPY --chown=airflow:0 requirements.lock pyproject.toml README.md ./
# the lock without Airflow's own distributions (the image provides them at AIRFLOW_VERSION)
RUN grep -v -i -E '^apache-airflow(-core|-task-sdk|-providers-[a-z-]+)?==' requirements.lock > /tmp/requirements.txt \
 && pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -r /tmp/requirements.txt
COPY --chown=airflow:0 plugins ./plugins
COPY --chown=airflow:0 sql ./sql
COPY --chown=airflow:0 dags ./dags
COPY --chown=airflow:0 config ./config
COPY --chown=airflow:0 deploy/settings.yaml ./config/settings.yaml
COPY --chown=airflow:0 scripts ./scripts
# a regular (not editable) install: mediamon and its SQL/templates come from site-packages
RUN pip install --no-cache-dir --no-deps . && python -c "import mediamon.stages, mediamon.store; print('mediamon ok')"
