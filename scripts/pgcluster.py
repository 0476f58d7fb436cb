#!/usr/bin/env python3
"""Throwaway PostgreSQL cluster on loopback, for integration tests (Airflow metadata DB,
DuckLake catalog). Standard library only; uses the Debian ``postgresql`` server binaries.

Command line::

    python scripts/pgcluster.py start [--db NAME] [--env]   # prints the DSN (or shell exports)
    python scripts/pgcluster.py stop DIR                    # stops the cluster and removes DIR

``start`` prints ``postgresql://postgres@127.0.0.1:PORT/NAME`` on stdout (with ``--env``:
``PGCLUSTER_DSN=...`` and ``PGCLUSTER_DIR=...`` lines, for ``eval``); the cluster directory
is printed on stderr. From Python (tests)::

    pgcluster = importlib.import_module("pgcluster")   # scripts/ on sys.path
    with pgcluster.cluster(dbname="lake") as pg:
        pg.dsn  # 'postgresql://postgres@127.0.0.1:54321/lake'

Behaviour: if ``initdb``/``pg_ctl`` are not on PATH nor under /usr/lib/postgresql/*/bin,
``apt-get install postgresql`` is run (needs root). The cluster is created with ``initdb``
(trust auth, UTF8) in a fresh temporary directory, listens only on 127.0.0.1 on a free port,
its Unix socket lives inside that directory, and ``fsync`` is off (throwaway data). When run
as root the server runs as the ``postgres`` OS user (PostgreSQL refuses to run as root).
``stop`` does ``pg_ctl stop -m fast`` (then SIGKILL of the postmaster if that fails) and
removes the directory. Errors: ``PgClusterError`` with a one-line message naming the step.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

STATE = "pgcluster.json"
SUPERUSER = "postgres"


class PgClusterError(RuntimeError):
    """A step of starting or stopping the throwaway cluster failed (message names the step)."""


@dataclass
class PgCluster:
    """A running throwaway cluster: ``dir`` (temp directory, removed by ``stop``), ``datadir``,
    ``port`` (TCP, 127.0.0.1), ``dbname``, ``bindir`` (server binaries), ``os_user``
    (OS user the server runs as, '' = the current one)."""

    dir: str
    datadir: str
    port: int
    dbname: str
    bindir: str
    os_user: str = ""

    @property
    def dsn(self) -> str:
        """libpq URL, e.g. ``postgresql://postgres@127.0.0.1:5433/airflow`` (trust auth, no password)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{self.dbname}"

    @property
    def sqlalchemy_url(self) -> str:
        """The same as :attr:`dsn` for SQLAlchemy with psycopg2 (Airflow's ``sql_alchemy_conn``)."""
        return f"postgresql+psycopg2://{SUPERUSER}@127.0.0.1:{self.port}/{self.dbname}"


def find_bindir(install: bool = True) -> Path:
    """Directory holding ``initdb`` and ``pg_ctl``: PATH first, then the newest
    /usr/lib/postgresql/<major>/bin; installs Debian's ``postgresql`` package with apt-get when
    neither exists and ``install`` is true. Raises PgClusterError when none can be found."""
    for _ in range(2):
        on_path = shutil.which("initdb")
        if on_path and shutil.which("pg_ctl"):
            return Path(os.path.realpath(on_path)).parent
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
        if found:
            return Path(found[-1]).parent
        if not install:
            break
        _apt_install()
        install = False
    raise PgClusterError("PostgreSQL server binaries (initdb, pg_ctl) not found and could not be installed")


def _apt_install() -> None:
    if not shutil.which("apt-get"):
        raise PgClusterError("initdb not found and apt-get is not available: install PostgreSQL server binaries")
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if sudo is None:
        raise PgClusterError("initdb not found and not root: run `apt-get install postgresql` first")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print("pgcluster: installing postgresql from Debian packages (apt-get)", file=sys.stderr)
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=False, env=env)
    r = subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise PgClusterError(f"apt-get install postgresql failed: {r.stderr.strip()[-300:]}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user(cmd: list[str], os_user: str) -> list[str]:
    if not os_user:
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", os_user, "--", *cmd]
    return ["su", os_user, "-s", "/bin/sh", "-c", " ".join(map(_quote, cmd))]


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


def _run(step: str, cmd: list[str], os_user: str) -> str:
    r = subprocess.run(_as_user(cmd, os_user), capture_output=True, text=True)
    if r.returncode != 0:
        tail = (r.stderr or r.stdout).strip().splitlines()[-3:]
        raise PgClusterError(f"{step} failed (exit {r.returncode}): {' | '.join(tail)}")
    return r.stdout


def start(dbname: str = "mediamon", base: str | None = None, install: bool = True) -> PgCluster:
    """Create and start a cluster; returns it once it accepts connections and ``dbname`` exists.
    ``base``: parent directory of the temporary cluster directory (default: the system temp dir).
    Raises PgClusterError (the directory is removed again on failure)."""
    bindir = find_bindir(install)
    os_user = ""
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PgClusterError("running as root and no `postgres` OS user exists to run the server") from exc
        os_user = "postgres"
    top = Path(tempfile.mkdtemp(prefix="mediamon-pg-", dir=base))
    os.chmod(top, 0o700)
    if os_user:
        pw = pwd.getpwnam(os_user)
        os.chown(top, pw.pw_uid, pw.pw_gid)
    datadir = top / "data"
    pg = PgCluster(str(top), str(datadir), 0, dbname, str(bindir), os_user)
    try:
        _run("initdb", [str(bindir / "initdb"), "-D", str(datadir), "-U", SUPERUSER, "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8" if _has_c_utf8() else "--no-locale"], os_user)
        for attempt in range(5):
            pg.port = free_port()
            conf = (f"listen_addresses = '127.0.0.1'\nport = {pg.port}\nunix_socket_directories = '{top}'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n")
            _write_as(datadir / "postgresql.auto.conf", conf, os_user)
            _save(pg)
            try:
                _run("pg_ctl start", [str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(top / "server.log"),
                                      "-w", "-t", "60", "start"], os_user)
                break
            except PgClusterError:
                if attempt == 4:
                    raise
                time.sleep(0.5)  # port taken between free_port() and bind: try another one
        if dbname != "postgres":
            _run("createdb", [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", SUPERUSER, dbname], os_user)
        return pg
    except BaseException:
        stop(pg)
        raise


def _has_c_utf8() -> bool:
    r = subprocess.run(["locale", "-a"], capture_output=True, text=True) if shutil.which("locale") else None
    return bool(r and any(x.lower() in ("c.utf8", "c.utf-8") for x in r.stdout.split()))


def _write_as(path: Path, text: str, os_user: str) -> None:
    path.write_text(text)
    if os_user:
        pw = pwd.getpwnam(os_user)
        os.chown(path, pw.pw_uid, pw.pw_gid)


def _save(pg: PgCluster) -> None:
    _write_as(Path(pg.dir) / STATE, json.dumps(asdict(pg)), pg.os_user)


def load(cluster_dir: str) -> PgCluster:
    """The cluster recorded in ``cluster_dir`` (as printed by ``start``). Raises PgClusterError."""
    try:
        return PgCluster(**json.loads((Path(cluster_dir) / STATE).read_text()))
    except (OSError, ValueError, TypeError) as exc:
        raise PgClusterError(f"{cluster_dir}: not a pgcluster directory ({exc})") from exc


def stop(pg: PgCluster | str) -> None:
    """Stop the server (fast shutdown; SIGKILL of the postmaster if that fails) and remove its
    directory. Safe to call twice or on a half-started cluster."""
    if isinstance(pg, str):
        if not Path(pg).exists():
            return
        pg = load(pg)
    top, datadir = Path(pg.dir), Path(pg.datadir)
    if (datadir / "postmaster.pid").exists():
        r = subprocess.run(_as_user([str(Path(pg.bindir) / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "-t", "30", "stop"],
                                    pg.os_user), capture_output=True, text=True)
        if r.returncode != 0 and (datadir / "postmaster.pid").exists():
            with contextlib.suppress(OSError, ValueError, IndexError):
                os.kill(int((datadir / "postmaster.pid").read_text().split()[0]), signal.SIGKILL)
                time.sleep(1)
    shutil.rmtree(top, ignore_errors=True)


def running(pg: PgCluster) -> bool:
    """True while the cluster's postmaster process is alive."""
    pid_file = Path(pg.datadir) / "postmaster.pid"
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
        return True
    except (OSError, ValueError, IndexError):
        return False


@contextlib.contextmanager
def cluster(dbname: str = "mediamon", base: str | None = None) -> Iterator[PgCluster]:
    """``with cluster() as pg:`` a started cluster, stopped and removed on exit (also on error)."""
    pg = start(dbname, base)
    try:
        yield pg
    finally:
        stop(pg)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start", help="create and start a cluster; print its DSN")
    s.add_argument("--db", default="mediamon", help="database to create (default mediamon)")
    s.add_argument("--base", default=None, help="parent directory for the cluster dir (default: temp dir)")
    s.add_argument("--env", action="store_true", help="print PGCLUSTER_DSN=... and PGCLUSTER_DIR=... lines")
    t = sub.add_parser("stop", help="stop the cluster and remove its directory")
    t.add_argument("dir", help="cluster directory printed by start")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "start":
            pg = start(a.db, a.base)
            if a.env:
                print(f"PGCLUSTER_DSN={pg.dsn}\nPGCLUSTER_DIR={pg.dir}\nPGCLUSTER_SQLALCHEMY={pg.sqlalchemy_url}")
            else:
                print(pg.dsn)
                print(f"pgcluster: dir {pg.dir} (stop with: python scripts/pgcluster.py stop {pg.dir})", file=sys.stderr)
        else:
            stop(a.dir)
    except PgClusterError as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
