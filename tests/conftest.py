"""Shared test set-up.

Airflow reads AIRFLOW_HOME when first imported, so a throwaway home (SQLite metadata DB)
is set here, before any test module imports airflow. The DB is migrated lazily, once, by
the ``airflow_db`` fixture (only the end-to-end DAG tests need it).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

_AF_HOME = Path(tempfile.mkdtemp(prefix="mediamon-test-airflow-"))
os.environ["AIRFLOW_HOME"] = str(_AF_HOME)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "False"
os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_AF_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def airflow_db():
    """Migrate the throwaway Airflow metadata DB once and create the DuckDB pool."""
    airflow = Path(sys.executable).with_name("airflow")
    env = dict(os.environ)
    subprocess.run([str(airflow), "db", "migrate"], check=True, env=env, capture_output=True)
    subprocess.run([str(airflow), "pools", "set", "mediamon_duckdb", "1", "mediamon"], check=True, env=env, capture_output=True)
    return _AF_HOME


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


def load_demo_server():
    spec = importlib.util.spec_from_file_location("demo_serve", ROOT / "demo" / "serve.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture()
def demo_site():
    """The bundled sample news site on a free loopback port: yields its base URL."""
    mod = load_demo_server()
    server, thread, base = mod.start_server("127.0.0.1", 0)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def write_demo_config(tmp: Path, base_url: str) -> Path:
    """Copy config/*.yaml to ``tmp/config`` with the demo port replaced by ``base_url``'s,
    and data/reports paths inside ``tmp``. Returns the config dir."""
    cdir = tmp / "config"
    cdir.mkdir(parents=True, exist_ok=True)
    for f in ("sources.yaml", "topics.yaml"):
        text = (ROOT / "config" / f).read_text(encoding="utf-8")
        (cdir / f).write_text(text.replace("http://127.0.0.1:8765", base_url.rstrip("/")), encoding="utf-8")
    settings = ROOT / "config" / "settings.yaml"
    extra = settings.read_text(encoding="utf-8") if settings.exists() else ""
    import yaml

    s = yaml.safe_load(extra) or {}
    s.update({"data_dir": str(tmp / "data"), "db_path": str(tmp / "data" / "mediamon.duckdb"), "reports_dir": str(tmp / "reports")})
    s.setdefault("fetch", {})["per_host_delay_s"] = 0.0
    (cdir / "settings.yaml").write_text(yaml.safe_dump(s), encoding="utf-8")
    return cdir
