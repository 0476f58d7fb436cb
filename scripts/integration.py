#!/usr/bin/env python3
"""`make test-integration`: mediamon under Airflow's REAL scheduler, with PostgreSQL.

1. A throwaway PostgreSQL cluster on 127.0.0.1 (scripts/pgcluster.py; Debian's ``postgresql``
   is installed with apt-get when absent) holds Airflow's metadata DB.
2. ``airflow scheduler`` (LocalExecutor), ``airflow dag-processor`` and ``airflow api-server``
   (the task execution API), all bound to 127.0.0.1, run the repository's DAGs.
3. The sample site (demo/serve.py) is served on a free port; ``mediamon_ingest`` and
   ``mediamon_daily_report`` are triggered at the same moment; the ingest's asset event then
   queues another report run.
4. ``airflow backfill create`` rebuilds the reports of two past days, twice
   (``--reprocess-behavior completed``).

Proves (exit 1 with a one-line reason each, otherwise prints a summary with durations):
every DAG run succeeded; the pool ``mediamon_duckdb`` was respected (no two of its task
instances overlapped in time, from ``task_instance`` start/end dates); no DuckDB lock error or
lock wait in any task log; the articles equal those of ``mediamon run`` over the same site
(canonical URL + content hash), and so do the daily coverage rows of the report day; the
backfill's rows are identical the second time; the data-quality checks and the ``runs`` row
were written; finally the cluster is stopped and its directory removed (also on failure).

Usage: ``python scripts/integration.py [--keep]`` (``--keep`` leaves the work directory).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DAY = "2022-02-02"                              # the sample site's news day (as `make demo`)
BACKFILL = ("2022-02-01", "2022-02-02")         # report days rebuilt by the backfill, twice
LOCK_MARKERS = ("Could not set lock", "is locked by another process", "Conflicting lock")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


pgcluster = _load("pgcluster", ROOT / "scripts" / "pgcluster.py")


class Failed(Exception):
    """A proof did not hold (the message says which)."""


def log(msg: str) -> None:
    print(f"[integration {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise Failed(f"{what} exited with code {proc.returncode} before listening on port {port}")
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise Failed(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


class Procs:
    """Background processes started here, each in its own session (process group); stopped by
    their group id: SIGTERM, then SIGKILL after 20 s."""

    def __init__(self, logdir: Path):
        self.logdir, self.procs = logdir, []

    def start(self, name: str, cmd: list[str], env: dict) -> subprocess.Popen:
        out = open(self.logdir / f"{name}.log", "wb")
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        self.procs.append((name, p, out))
        return p

    def stop(self) -> None:
        for _, p, _ in self.procs:
            if p.poll() is None:
                with _suppress():
                    os.killpg(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _, p, out in self.procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            with _suppress():
                os.killpg(p.pid, signal.SIGKILL)  # leftover children of the group
            with _suppress():
                p.wait(timeout=5)
            out.close()


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], (OSError, ProcessLookupError, subprocess.TimeoutExpired))


def airflow_env(home: Path, pg, api_port: int, cfg_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": pg.sqlalchemy_url,
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API_AUTH__JWT_SECRET": "mediamon-integration-" + os.urandom(8).hex(),
        "AIRFLOW__API__SECRET_KEY": os.urandom(16).hex(),
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "MEDIAMON_CONFIG_DIR": str(cfg_dir),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    return env


def run(cmd: list[str], env: dict, what: str, timeout: float = 300) -> str:
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if r.returncode != 0:
        tail = " | ".join((r.stderr or r.stdout).strip().splitlines()[-4:])
        raise Failed(f"{what} failed (exit {r.returncode}): {tail}")
    return r.stdout


def write_config(cfg_dir: Path, data: Path, site_port: int) -> None:
    cfg_dir.mkdir(parents=True)
    (cfg_dir / "sources.yaml").write_text((ROOT / "config" / "sources.yaml").read_text().replace("127.0.0.1:8765", f"127.0.0.1:{site_port}"))
    shutil.copy(ROOT / "config" / "topics.yaml", cfg_dir / "topics.yaml")
    (cfg_dir / "settings.yaml").write_text(
        "timezone: Asia/Jakarta\nstart_date: 2022-01-01\n"
        f"data_dir: {data}\ndb_path: {data}/m.duckdb\nreports_dir: {data}/reports\n"
        "fetch: {per_host_delay_s: 0.2}\n")


class Meta:
    """Read-only queries on Airflow's metadata DB (psycopg2)."""

    def __init__(self, dsn: str):
        import psycopg2

        self.con = psycopg2.connect(dsn)
        self.con.autocommit = True

    def rows(self, q: str, *args) -> list[tuple]:
        with self.con.cursor() as c:
            c.execute(q, args)
            return c.fetchall()


def wait_runs(meta: Meta, where: str, args: tuple, n: int, timeout: float, what: str) -> list[tuple]:
    """Wait until ``n`` dag runs matching ``where`` are finished; returns (dag_id, run_id, state, run_type, start, end)."""
    deadline = time.monotonic() + timeout
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        rows = meta.rows(f"SELECT dag_id, run_id, state, run_type, start_date, end_date FROM dag_run WHERE {where} ORDER BY id", *args)
        if len(rows) >= n and all(r[2] in ("success", "failed") for r in rows):
            return rows
        time.sleep(3)
    raise Failed(f"{what}: runs not finished within {timeout:.0f} s: {[(r[0], r[1], r[2]) for r in rows]}")


def wait_backfill(meta: Meta, timeout: float, what: str) -> list[tuple]:
    """Wait until the newest backfill is completed and its runs are finished; returns its runs
    as (dag_id, run_id, state, logical_date). A run that already existed for a date is cleared and
    re-run by the backfill (``--reprocess-behavior completed``), keeping its run id."""
    deadline = time.monotonic() + timeout
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        done = meta.rows("SELECT completed_at IS NOT NULL FROM backfill ORDER BY id DESC LIMIT 1")
        rows = meta.rows("SELECT r.dag_id, r.run_id, r.state, r.logical_date FROM backfill_dag_run b "
                         "JOIN dag_run r ON r.id = b.dag_run_id WHERE b.backfill_id = (SELECT max(id) FROM backfill) "
                         "ORDER BY r.logical_date")
        if done and done[0][0] and rows and all(r[2] in ("success", "failed") for r in rows):
            return rows
        time.sleep(3)
    raise Failed(f"{what}: not finished within {timeout:.0f} s: {rows}")


def check_pool(meta: Meta, pool: str) -> tuple[int, float]:
    """No two task instances of ``pool`` overlapped in time; returns (count, total seconds in the pool)."""
    tis = meta.rows("SELECT dag_id, run_id, task_id, map_index, start_date, end_date FROM task_instance "
                    "WHERE pool = %s AND start_date IS NOT NULL ORDER BY start_date", pool)
    if not tis:
        raise Failed(f"no task instance ran in pool {pool}")
    for a, b in zip(tis, tis[1:]):
        if a[5] is None or b[4] < a[5]:
            raise Failed(f"pool {pool} not respected: {a[0]}.{a[2]} ({a[4]}..{a[5]}) overlaps {b[0]}.{b[2]} (from {b[4]})")
    dags = {t[0] for t in tis}
    if not {"mediamon_ingest", "mediamon_daily_report"} <= dags:  # the maintenance DAG may hold it too
        raise Failed(f"pool {pool} held tasks of {sorted(dags)} only: both DAGs should have contended")
    return len(tis), sum((t[5] - t[4]).total_seconds() for t in tis)


def check_logs(logdir: Path) -> int:
    n = 0
    for f in logdir.rglob("*"):
        if f.is_file():
            n += 1
            text = f.read_text(errors="replace")
            for m in LOCK_MARKERS:
                if m in text:
                    line = next(ln for ln in text.splitlines() if m in ln)
                    raise Failed(f"DuckDB lock error/wait in {f}: {line.strip()[:200]}")
    return n


def duck(path: Path, q: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(q).fetchall()
    finally:
        con.close()


def _terminated(signum, frame):
    raise Failed(f"stopped by signal {signum}")


def main() -> int:
    signal.signal(signal.SIGTERM, _terminated)  # clean up (processes, cluster) when CI or a user stops us
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs, DuckDB files)")
    a = ap.parse_args()
    t0 = time.monotonic()
    times: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix="mediamon-integration-"))
    logdir = work / "logs"
    logdir.mkdir()
    pg = None
    procs = Procs(logdir)
    ok = False
    try:
        with ExitStack():
            log("starting a throwaway PostgreSQL cluster on 127.0.0.1")
            pg = pgcluster.start(dbname="airflow")
            log(f"PostgreSQL up: {pg.dsn} (dir {pg.dir})")
            times["postgres_start_s"] = time.monotonic() - t0

            site_port, api_port = free_port(), free_port()
            site = procs.start("site", [sys.executable, str(ROOT / "demo" / "serve.py"), "--port", str(site_port), "--quiet"], dict(os.environ))
            wait_port(site_port, 30, "sample site", site)
            cfg_af, cfg_cli = work / "cfg-airflow", work / "cfg-cli"
            write_config(cfg_af, work / "data-airflow", site_port)
            write_config(cfg_cli, work / "data-cli", site_port)
            home = work / "airflow-home"
            env = airflow_env(home, pg, api_port, cfg_af)
            t = time.monotonic()
            run(["airflow", "db", "migrate"], env, "airflow db migrate", timeout=600)
            run(["airflow", "pools", "set", "mediamon_duckdb", "1", "mediamon: one DuckDB writer"], env, "airflow pools set")
            times["airflow_db_migrate_s"] = time.monotonic() - t
            log(f"metadata DB migrated in {times['airflow_db_migrate_s']:.0f} s; starting api-server, dag-processor, scheduler")
            # the oracle: the same site through `mediamon run` (CLI, no Airflow) while Airflow starts
            cli_env = {**os.environ, "MEDIAMON_CONFIG_DIR": str(cfg_cli)}
            t = time.monotonic()
            oracle = subprocess.Popen([str(BIN / "mediamon"), "run", "--date", DAY], env=cli_env, cwd=ROOT,
                                      stdout=open(logdir / "mediamon-run.log", "wb"), stderr=subprocess.STDOUT)
            # the execution API first: task processes report to it from their first moment
            api = procs.start("api-server", ["airflow", "api-server", "--host", "127.0.0.1", "--port", str(api_port)], env)
            wait_port(api_port, 180, "airflow api-server", api)
            procs.start("dag-processor", ["airflow", "dag-processor"], env)
            procs.start("scheduler", ["airflow", "scheduler"], env)
            meta = Meta(pg.dsn)
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                parsed = {r[0] for r in meta.rows("SELECT dag_id FROM dag WHERE dag_id LIKE 'mediamon%%' AND NOT is_stale")}
                if {"mediamon_ingest", "mediamon_daily_report"} <= parsed:
                    break
                time.sleep(2)
            else:
                raise Failed("the dag-processor did not register mediamon_ingest and mediamon_daily_report within 240 s")
            times["airflow_up_s"] = time.monotonic() - t0
            if oracle.wait(timeout=600) != 0:
                raise Failed(f"mediamon run (oracle) failed; see {logdir / 'mediamon-run.log'}")
            times["oracle_mediamon_run_s"] = time.monotonic() - t
            log(f"DAGs registered; oracle `mediamon run` done in {times['oracle_mediamon_run_s']:.0f} s")

            # both DAGs at the same moment: they contend for the one-slot pool
            t = time.monotonic()
            trig = [subprocess.Popen(["airflow", "dags", "trigger", dag, "--run-id", rid] + extra, env=env, cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                    for dag, rid, extra in (("mediamon_ingest", "integ__ingest", []),
                                            ("mediamon_daily_report", "integ__report", ["--logical-date", f"{DAY}T00:00:00+07:00"]))]
            for p in trig:
                out = p.communicate(timeout=120)[0]
                if p.returncode != 0:
                    raise Failed(f"airflow dags trigger failed: {out.decode(errors='replace')[-300:]}")
            runs = wait_runs(meta, "run_id IN ('integ__ingest', 'integ__report')", (), 2, 900, "ingest + report")
            # the ingest's asset event queues one more report run (run_type asset_triggered)
            asset_runs = wait_runs(meta, "dag_id = 'mediamon_daily_report' AND run_type = 'asset_triggered'", (), 1, 300,
                                   "asset-triggered report")
            times["ingest_and_report_s"] = time.monotonic() - t
            bad = [r for r in runs + asset_runs if r[2] != "success"]
            if bad:
                failed_tis = meta.rows("SELECT dag_id, task_id, map_index, state FROM task_instance WHERE run_id = ANY(%s) "
                                       "AND state <> 'success'", [r[1] for r in bad])
                raise Failed(f"runs not successful: {[(r[0], r[1], r[2]) for r in bad]}; task instances {failed_tis}")
            log(f"ingest + report (+ asset-triggered report) succeeded in {times['ingest_and_report_s']:.0f} s")

            # backfill two past report days, twice: identical rows
            db = work / "data-airflow" / "m.duckdb"
            cov_q = (f"SELECT day, source_id, topic_id, articles, unique_stories, round(mean_sentiment, 9), positive, neutral, "
                     f"negative, round(share_of_voice, 9) FROM daily_coverage WHERE day IN ('{BACKFILL[0]}', '{BACKFILL[1]}') ORDER BY ALL")
            snapshots = []
            for i in (1, 2):
                t = time.monotonic()
                run(["airflow", "backfill", "create", "--dag-id", "mediamon_daily_report",
                     "--from-date", f"{BACKFILL[0]}T00:00:00+07:00", "--to-date", f"{BACKFILL[1]}T00:00:00+07:00",
                     "--reprocess-behavior", "completed"], env, f"airflow backfill create (pass {i})")
                bf = wait_backfill(meta, 600, f"backfill pass {i}")
                if len(bf) != 2 or any(r[2] != "success" for r in bf):
                    raise Failed(f"backfill pass {i}: expected 2 successful runs, got {[(r[1], r[2]) for r in bf]}")
                times[f"backfill_pass{i}_s"] = time.monotonic() - t
                snapshots.append(duck(db, cov_q))
            if not snapshots[0]:
                raise Failed(f"the backfill wrote no daily_coverage rows for {BACKFILL}")
            if snapshots[0] != snapshots[1]:
                raise Failed("backfill is not idempotent: daily_coverage rows differ between the two passes")
            log(f"backfill {BACKFILL[0]}..{BACKFILL[1]} twice: {len(snapshots[0])} identical daily_coverage rows")

            # a run that fails (unknown source id): the on_failure_callback reports it through the notifier
            t = time.monotonic()
            run(["airflow", "dags", "trigger", "mediamon_ingest", "--run-id", "integ__fail",
                 "--conf", '{"sources": ["no-such-source"]}'], env, "airflow dags trigger (failing run)")
            failed = wait_runs(meta, "run_id = 'integ__fail'", (), 1, 300, "failing run")
            if failed[0][2] != "failed":
                raise Failed(f"the run with an unknown source id ended {failed[0][2]}, not failed")
            alert = "ALERT mediamon: mediamon_ingest.validate_config failed (run integ__fail)"
            logs = list((home / "logs" / "dag_id=mediamon_ingest" / "run_id=integ__fail").rglob("*.log"))
            if not any(alert in f.read_text(errors="replace") for f in logs):
                raise Failed(f"no failure notification in the failed task's log ({len(logs)} log files): expected {alert!r}")
            times["failing_run_s"] = time.monotonic() - t
            log(f"failing run reported by the failure callback: {alert!r}")

            # every other run the scheduler made (the DAGs' own scheduled runs too) finished successfully
            every = [r for r in wait_runs(meta, "true", (), 1, 600, "all runs") if r[1] != "integ__fail"]
            bad = [(r[0], r[1], r[2]) for r in every if r[2] != "success"]
            if bad:
                raise Failed(f"runs not successful: {bad}")
            # proofs on the finished state
            n_pool, pool_s = check_pool(meta, "mediamon_duckdb")
            n_logs = check_logs(home / "logs")
            oracle_db = work / "data-cli" / "m.duckdb"
            art_q = "SELECT canonical_url, content_hash, source_id, language FROM articles ORDER BY canonical_url"
            got, want = duck(db, art_q), duck(oracle_db, art_q)
            if not want:
                raise Failed("the oracle `mediamon run` stored no article")
            if got != want:
                missing = {r[0] for r in want} - {r[0] for r in got}
                extra = {r[0] for r in got} - {r[0] for r in want}
                raise Failed(f"articles differ from `mediamon run`: {len(got)} vs {len(want)}; missing {sorted(missing)[:3]}, "
                             f"extra {sorted(extra)[:3]}")
            day_q = cov_q.replace(f"IN ('{BACKFILL[0]}', '{BACKFILL[1]}')", f"= '{DAY}'")
            if duck(db, day_q) != duck(oracle_db, day_q):
                raise Failed(f"daily_coverage of {DAY} differs from `mediamon run`'s")
            sentiment_q = "SELECT article_id, label FROM article_sentiment ORDER BY 1"
            if duck(db, sentiment_q) != duck(oracle_db, sentiment_q):
                raise Failed("article_sentiment differs from `mediamon run`'s")
            extras = ops_checks(db)
            labels = {r[0] for r in meta.rows("SELECT rendered_map_index FROM task_instance WHERE run_id = 'integ__ingest' "
                                              "AND task_id = 'discover'")}
            sources = {r[0] for r in duck(db, "SELECT source_id FROM sources")}
            # each mapped discover task is named by its source (or its group of sources) in the UI
            unnamed = [s for s in sources if not any(lb and s in lb for lb in labels)]
            if unnamed or None in labels:
                raise Failed(f"mapped discover tasks are not named by source in the UI: {sorted(map(str, labels))}")
            extras.append(f"mapped discover tasks named by source (map_index_template): {sorted(labels)}")
            summary = {r[0]: r[1] for r in duck(db, "SELECT source_id, count(*) FROM articles GROUP BY 1 ORDER BY 1")}
            log(f"{len(every)} DAG runs, all successful: " + ", ".join(f"{r[0]}/{r[3]}" for r in every))
            log(f"pool mediamon_duckdb: {n_pool} task instances, none overlapping ({pool_s:.0f} s held in total)")
            log(f"no DuckDB lock error or wait in {n_logs} task log files")
            log(f"articles equal `mediamon run`'s: {len(got)} ({summary}); daily_coverage {DAY} and sentiment equal too")
            for line in extras:
                log(line)
            ok = True
    except Failed as e:
        print(f"integration: FAILED: {e}", file=sys.stderr)
        print(f"integration: logs in {logdir}" + ("" if a.keep else " (removed; rerun with --keep)"), file=sys.stderr)
        for name in ("scheduler", "api-server", "dag-processor"):
            f = logdir / f"{name}.log"
            if f.exists():
                print(f"--- last lines of {name}.log ---\n" + "\n".join(f.read_text(errors="replace").splitlines()[-15:]), file=sys.stderr)
    finally:
        procs.stop()
        if pg is not None:
            pgcluster.stop(pg)
            gone = not Path(pg.dir).exists() and not pgcluster.running(pg)
            log(f"PostgreSQL cluster stopped and removed: {gone}")
            ok = ok and gone
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    times["total_s"] = time.monotonic() - t0
    log("durations: " + ", ".join(f"{k} {v:.0f}" for k, v in times.items()))
    print(f"integration: {'1 passed, 0 failed' if ok else '0 passed, 1 failed'}")
    return 0 if ok else 1


def ops_checks(db: Path) -> list[str]:
    """The operations tables the ingest run writes (quality checks, runs), when the schema has them."""
    tables = {r[0] for r in duck(db, "SELECT table_name FROM information_schema.tables")}
    out = []
    if "quality_checks" in tables:
        # every ingest run (the scheduled one fetched the site first; the manual one then found all known)
        rows = duck(db, "SELECT run_id, check_name, status, count(*) FROM quality_checks GROUP BY ALL ORDER BY ALL")
        if not any(r[0] == "integ__ingest" for r in rows):
            raise Failed("the ingest run wrote no quality_checks rows")
        if any(r[2] == "fail" for r in rows):
            raise Failed(f"quality checks failed on the sample site: {rows}")
        if not any(r[2] == "ok" and r[1] != "volume" for r in rows):
            raise Failed(f"no extraction/text check passed on the sample site (all skipped?): {rows}")
        out.append("quality checks: " + "; ".join(f"{r[0]} {r[1]} {r[2]} x{r[3]}" for r in rows))
    if "runs" in tables:
        rows = duck(db, "SELECT stage, duration_s, counts FROM runs WHERE run_id = 'integ__ingest' ORDER BY started_at")
        if not rows:
            raise Failed("the ingest run wrote no runs rows")
        out.append("runs table (ingest stages, s): " + ", ".join(f"{s} {d:.1f}" for s, d, _ in rows))
    return out


if __name__ == "__main__":
    sys.exit(main())
