"""A throwaway PostgreSQL cluster for the DuckLake tests and ``benchmarks/ducklake.py``.

:func:`start_cluster` finds the server binaries (``/usr/lib/postgresql/<ver>/bin``, else ``initdb`` on
``PATH``), installs Debian's ``postgresql`` package when they are absent and we are root with
``apt-get``, initialises a cluster in a temporary directory (as the ``postgres`` user when run as
root: ``initdb`` refuses root), starts it on a free loopback port (socket in that directory, trust
authentication for the cluster's own user ``mediamon``) and returns a :class:`Cluster`;
:meth:`Cluster.stop` stops it and removes the directory. :class:`Unavailable` says why a cluster
cannot be had (the tests skip with that reason).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "mediamon"


class Unavailable(RuntimeError):
    """No PostgreSQL cluster can be started here (the message says why)."""


def _bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def find_or_install() -> Path:
    """Directory of ``initdb``/``pg_ctl``/``createdb``; installs Debian's ``postgresql`` (root +
    apt-get only) when absent. Raises :class:`Unavailable` naming what is missing."""
    b = _bindir()
    if b:
        return b
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise Unavailable("PostgreSQL server binaries not found and cannot install them (needs root and apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"]):
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if r.returncode:
            raise Unavailable(f"{' '.join(cmd)} failed: {r.stderr.strip()[-300:]}")
    b = _bindir()
    if not b:
        raise Unavailable("installed postgresql but found no initdb under /usr/lib/postgresql")
    return b


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A running cluster: ``port`` on 127.0.0.1, superuser ``mediamon`` (trust), files under ``root``."""

    bindir: Path
    root: Path
    port: int
    run_as: str | None

    def _cmd(self, *args: str) -> list[str]:
        return (["runuser", "-u", self.run_as, "--"] if self.run_as else []) + list(args)

    def dsn(self, dbname: str = "postgres") -> str:
        """libpq DSN of database ``dbname``."""
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user={USER}"

    def create_database(self, name: str) -> str:
        """Create database ``name``; returns its DSN."""
        subprocess.run([str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, name],
                       check=True, capture_output=True, timeout=60)
        return self.dsn(name)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its directory."""
        subprocess.run(self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop"),
                       capture_output=True, timeout=120)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(max_connections: int = 200) -> Cluster:
    """Initialise and start a throwaway cluster (see the module doc). Raises :class:`Unavailable`."""
    bindir = find_or_install()
    run_as = None
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
            run_as = "postgres"
        except KeyError:
            raise Unavailable("running as root and there is no 'postgres' user for initdb") from None
    root = Path(tempfile.mkdtemp(prefix="mediamon-pg-"))
    if run_as:
        shutil.chown(root, user=run_as)
    port = _free_port()
    c = Cluster(bindir, root, port, run_as)
    try:
        r = subprocess.run(c._cmd(str(bindir / "initdb"), "-D", str(root / "data"), "-A", "trust", "-U", USER, "-E", "UTF8"),
                           capture_output=True, text=True, timeout=300)
        if r.returncode:
            raise Unavailable(f"initdb failed: {r.stderr.strip()[-300:]}")
        opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections={max_connections} -c fsync=off"
        r = subprocess.run(c._cmd(str(bindir / "pg_ctl"), "-D", str(root / "data"), "-o", opts, "-l", str(root / "log"), "-w",
                                  "-t", "120", "start"), capture_output=True, text=True, timeout=180)
        if r.returncode:
            log = (root / "log").read_text(errors="replace")[-400:] if (root / "log").exists() else ""
            raise Unavailable(f"pg_ctl start failed: {r.stderr.strip()[-200:]} {log}")
    except BaseException:
        c.stop()
        raise
    return c
