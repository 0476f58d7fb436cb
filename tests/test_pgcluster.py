"""scripts/pgcluster.py: a throwaway PostgreSQL cluster on loopback starts, serves SQL, and is
stopped and removed (also when the body raises). Skips when no PostgreSQL server binaries exist."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("pgcluster", ROOT / "scripts" / "pgcluster.py")
pgcluster = importlib.util.module_from_spec(spec)
sys.modules["pgcluster"] = pgcluster
spec.loader.exec_module(pgcluster)


def _bindir() -> Path:
    try:
        return pgcluster.find_bindir(install=False)
    except pgcluster.PgClusterError:
        pytest.skip("PostgreSQL server binaries not installed (make test-integration installs them)")


def _psql(pg, sql: str) -> str:
    r = subprocess.run([str(Path(pg.bindir) / "psql"), pg.dsn, "-tAc", sql], capture_output=True, text=True, check=True)
    return r.stdout.strip()


def test_cluster_serves_on_loopback_and_is_removed():
    _bindir()
    with pgcluster.cluster(dbname="probe") as pg:
        assert pg.dsn.startswith("postgresql://postgres@127.0.0.1:") and pg.dsn.endswith("/probe")
        assert pgcluster.running(pg)
        assert _psql(pg, "SELECT current_database()") == "probe"
        assert _psql(pg, "SHOW listen_addresses") == "127.0.0.1"
        _psql(pg, "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)")
        assert _psql(pg, "SELECT sum(x) FROM t") == "3"
        kept = pg
    assert not pgcluster.running(kept)
    assert not Path(kept.dir).exists()


def test_cluster_is_removed_when_the_body_fails():
    _bindir()
    with pytest.raises(ZeroDivisionError):
        with pgcluster.cluster() as pg:
            kept = pg
            1 / 0
    assert not pgcluster.running(kept) and not Path(kept.dir).exists()


def test_command_line_start_and_stop():
    _bindir()
    script = str(ROOT / "scripts" / "pgcluster.py")
    out = subprocess.run([sys.executable, script, "start", "--env", "--db", "cli"], capture_output=True, text=True, check=True).stdout
    env = dict(line.split("=", 1) for line in out.splitlines())
    try:
        pg = pgcluster.load(env["PGCLUSTER_DIR"])
        assert env["PGCLUSTER_DSN"] == pg.dsn and pgcluster.running(pg)
    finally:
        subprocess.run([sys.executable, script, "stop", env["PGCLUSTER_DIR"]], check=True)
    assert not Path(env["PGCLUSTER_DIR"]).exists()
    r = subprocess.run([sys.executable, script, "stop", "/nonexistent-dir"], capture_output=True, text=True)
    assert r.returncode == 0  # stopping twice / an already removed cluster is not an error
