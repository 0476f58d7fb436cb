"""Guards around whole runs (issue 8): a cross-run cap and backoff on retries of failing pages,
one ``mediamon run`` per data directory (run.lock), non-http(s) feed items logged rather than
dropped silently, and a non-zero exit when discovery failed for every source.

Real local servers (tests/faultserver.py, tests/localsite.py), real pipeline runs; the retry
clock is injected through the runtime (``stages.run(runtime=...)`` with a FixedClock)."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
import yaml

from doubles import FixedClock
from faultserver import FaultServer
from localsite import Site
from mediamon import planning, stages
from mediamon.runtime import build_runtime
from mediamon.util.runlock import RunLocked, run_lock

MEDIAMON = str(Path(sys.executable).with_name("mediamon"))
PARAS = ("Pemerintah Kota Bandung meresmikan taman baru di kawasan Dago pada Rabu pagi, disambut antusias warga sekitar. "
         "Taman seluas dua hektare itu dilengkapi jalur lari, area bermain anak, dan perpustakaan kecil yang buka setiap hari.")


def rss(links: list[str]) -> str:
    items = "".join(f"<item><title>t{i}</title><link>{u}</link></item>" for i, u in enumerate(links))
    return f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>"


def write_config(tmp_path: Path, sources: list[dict], fetch: dict | None = None) -> str:
    """Config dir under ``tmp_path`` (data/reports inside it; feeds always due: tiny polling
    intervals; fast in-run backoff). ``sources``: entries for sources.yaml."""
    cdir = tmp_path / "config"
    cdir.mkdir(parents=True, exist_ok=True)
    for s in sources:
        s.setdefault("language", "id")
        s.setdefault("allow_private_network", True)
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}))
    (cdir / "topics.yaml").write_text(yaml.safe_dump({"topics": [{"id": "bandung", "name": "Bandung", "terms": {"id": ["Bandung"]}}]}))
    settings = {"data_dir": str(tmp_path / "data"), "db_path": str(tmp_path / "data" / "m.duckdb"),
                "reports_dir": str(tmp_path / "reports"),
                "polling": {"min_interval_s": 0.001, "initial_interval_s": 0.001, "max_interval_s": 0.001},
                "fetch": {"per_host_delay_s": 0, "backoff_base_s": 0.01, "backoff_max_s": 0.05, **(fetch or {})}}
    (cdir / "settings.yaml").write_text(yaml.safe_dump(settings))
    return str(cdir)


def q(tmp_path: Path, sql: str, params: list | None = None):
    con = duckdb.connect(str(tmp_path / "data" / "m.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --------------------------------------------------------------------------- 1. retry cap + backoff

@pytest.mark.parametrize("path,fetch", [
    ("/status/503", {"retries": 3}),
    ("/slow/3", {"retries": 3, "read_timeout_s": 0.3, "total_timeout_s": 0.5}),  # stalls: every attempt times out
])
def test_failing_page_requested_at_most_max_total_attempts_over_runs(tmp_path, path, fetch):
    with FaultServer() as fs:
        fs.add("/rss.xml", rss([fs.url(path)]), content_type="application/rss+xml")
        cdir = write_config(tmp_path, [{"id": "kota", "name": "Kota", "homepage": fs.url("/"),
                                        "feeds": [fs.url("/rss.xml")]}], fetch)
        cfg = stages.load_config(cdir)
        cap, base = cfg.settings.fetch.max_total_attempts, cfg.settings.fetch.rerun_backoff_base_s
        assert (cap, base) == (5, 3600.0)  # the documented defaults
        t0 = datetime.now(timezone.utc)
        hits = []
        # run 1 now; run 2 half an hour later (backoff: 1 h after the first run); run 3 after
        # the backoff; runs 4 and 5 much later (the cap is reached: never requested again)
        for k, offset in enumerate([timedelta(0), timedelta(minutes=30), timedelta(hours=1, minutes=5),
                                    timedelta(hours=5), timedelta(days=30)]):
            out = stages.run("2022-02-02", cdir, run_id=f"r{k}", runtime=build_runtime(cfg, clock=FixedClock(t0 + offset)))
            hits.append(len(fs.hits(path)))
            assert out["discovery_failed"] is None  # the feed itself is fine
        assert hits == [4, 4, 5, 5, 5], hits  # 1 + 3 retries, nothing (backoff), the last allowed one, then none
        assert max(hits) <= cap
        url = fs.url(path)
        # the requests logged add up to the server's count, and giving up is logged once
        (n_logged,), = q(tmp_path, "SELECT sum(1 + retries) FROM fetch_log WHERE url = ? AND outcome <> 'not_fetched'", [url])
        assert n_logged == hits[-1]
        capped = q(tmp_path, "SELECT run_id, outcome, error FROM fetch_log WHERE url = ? AND skip_reason = 'retry_cap'", [url])
        assert [(r, o) for r, o, _ in capped] == [("r3", "not_fetched")] and "max_total_attempts=5" in capped[0][2]


def test_retry_decision_backoff_doubles_per_run():
    last = datetime(2022, 2, 2, 12, tzinfo=timezone.utc)
    hist = {"attempts": 2, "runs": 2, "outcome": "http_error", "status": 503, "skip_reason": None, "fetched_at": last, "capped": False}
    # 2 runs so far: not before last + 1 h * 2**1
    assert planning.retry_decision(hist, last + timedelta(hours=1, minutes=59)) == "backoff"
    assert planning.retry_decision(hist, last + timedelta(hours=2)) is None
    assert planning.retry_decision(hist, last + timedelta(minutes=20), backoff_base_s=600) is None
    assert planning.retry_decision({**hist, "attempts": 5}, last + timedelta(days=9)) == "retry_cap"
    assert planning.retry_decision({**hist, "attempts": 5}, last + timedelta(days=9), max_attempts=6) is None
    assert planning.retry_decision({**hist, "status": 404}, last + timedelta(days=9)) == "final"


# --------------------------------------------------------------------------- 2. run lock

HOLDER = textwrap.dedent("""
    import sys
    from mediamon.util.runlock import run_lock
    with run_lock(sys.argv[1]):
        print("held", flush=True)
        sys.stdin.readline()
""")


def test_second_run_on_same_data_dir_exits_3_while_lock_held(tmp_path):
    with FaultServer() as fs:
        fs.add("/rss.xml", rss([]), content_type="application/rss+xml")
        cdir = write_config(tmp_path, [{"id": "kota", "name": "Kota", "homepage": fs.url("/"), "feeds": [fs.url("/rss.xml")]}])
        data = tmp_path / "data"
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "held"
            for extra in ([], ["--wait", "0.3"]):
                r = subprocess.run([MEDIAMON, "--config", cdir, "run", "--date", "2022-02-02", *extra], capture_output=True, text=True)
                assert r.returncode == 3, r.stderr[-800:]
                lines = r.stderr.strip().splitlines()
                assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
                assert f"pid {holder.pid}," in lines[0] and str(data / "run.lock") in lines[0]
            assert "after waiting" in lines[0]
            assert not fs.hits("/rss.xml")  # the second run fetched nothing
            with pytest.raises(RunLocked):  # the in-process API sees the same lock
                with run_lock(data):
                    pass
        finally:
            holder.communicate("\n", timeout=60)
        # released when the holder ends: the next run goes ahead
        r = subprocess.run([MEDIAMON, "--config", cdir, "run", "--date", "2022-02-02"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr[-800:]
        assert fs.hits("/rss.xml")


def test_run_lock_released_when_holder_dies(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunLocked, match=f"pid {holder.pid},"):
            with run_lock(tmp_path):
                pass
    finally:
        holder.kill()  # no clean-up code runs: the kernel drops the flock
        holder.wait(timeout=60)
    with run_lock(tmp_path) as p:
        assert p == tmp_path / "run.lock" and p.read_text().startswith("pid ")


# --------------------------------------------------------------------------- 3. non-http(s) items

def test_non_http_feed_and_sitemap_items_get_fetch_log_rows(tmp_path):
    site = Site()
    try:
        site.routes["/rss.xml"] = (200, rss(["file:///etc/passwd", "javascript:alert(1)", f"{site.base}/a.html"]).encode(),
                                   "application/rss+xml")
        site.routes["/sitemap.xml"] = (200, (
            "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            "<url><loc>ftp://files.example/x.html</loc></url></urlset>").encode(), "application/xml")
        site.routes["/a.html"] = (200, (f"<html lang='id'><head><meta charset='utf-8'><title>Taman</title></head><body>"
                                        f"<article><h1>Taman</h1><p>{PARAS}</p><p>{PARAS}</p></article></body></html>").encode(),
                                  "text/html; charset=utf-8")
        cdir = write_config(tmp_path, [{"id": "kota", "name": "Kota", "homepage": f"{site.base}/",
                                        "feeds": [f"{site.base}/rss.xml"], "sitemaps": [f"{site.base}/sitemap.xml"]}])
        stages.run("2022-02-02", cdir, run_id="r1")
    finally:
        site.close()
    rows = q(tmp_path, "SELECT url, kind, outcome, error FROM fetch_log WHERE outcome = 'blocked_scheme' ORDER BY url")
    by_scheme = {u.split(":", 1)[0]: (k, o, e) for u, k, o, e in rows}
    assert set(by_scheme) == {"file", "javascript", "ftp"}, rows
    assert all(k == "article" for k, _, _ in by_scheme.values())
    assert "'file' not allowed" in by_scheme["file"][2] and "rss.xml" in by_scheme["file"][2]
    assert "sitemap.xml" in by_scheme["ftp"][2]
    # the http item went on as usual
    assert q(tmp_path, "SELECT outcome FROM fetch_log WHERE url = ?", [f"{site.base}/a.html"]) == [("ok",)]


# --------------------------------------------------------------------------- 4. exit code when all feeds fail

def test_run_exits_nonzero_only_when_every_source_failed_discovery(tmp_path):
    dead = f"http://127.0.0.1:{closed_port()}"
    with FaultServer() as fs:
        fs.add("/rss.xml", rss([]), content_type="application/rss+xml", etag='"v1"')
        fs.add("/notafeed.xml", "<html><body>not a feed</body></html>", content_type="application/rss+xml")
        all_bad = [{"id": "dead", "name": "Dead", "homepage": f"{dead}/", "feeds": [f"{dead}/rss.xml"]},
                   {"id": "broken", "name": "Broken", "homepage": fs.url("/"),
                    "feeds": [fs.url("/status/500"), fs.url("/notafeed.xml")]}]
        cdir = write_config(tmp_path / "a", all_bad, {"retries": 0})
        r = subprocess.run([MEDIAMON, "--config", cdir, "run", "--date", "2022-02-02"], capture_output=True, text=True)
        assert r.returncode == 1, r.stderr[-800:]
        errs = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
        assert len(errs) == 1 and "discovery failed for every source" in errs[0] and "Traceback" not in r.stderr
        assert "mediamon coverage report" in r.stdout  # the run still loaded its fetch_log and reported
        # with the default polling intervals the next run polls nothing (the failed feeds back
        # off); it must not look healthy
        cdir_c = write_config(tmp_path / "c", [dict(s) for s in all_bad], {"retries": 0})
        settings_c = yaml.safe_load((Path(cdir_c) / "settings.yaml").read_text())
        del settings_c["polling"]
        (Path(cdir_c) / "settings.yaml").write_text(yaml.safe_dump(settings_c))
        codes = []
        for _ in range(2):
            r = subprocess.run([MEDIAMON, "--config", cdir_c, "run", "--date", "2022-02-02"], capture_output=True, text=True)
            codes.append(r.returncode)
        assert codes == [1, 1], r.stderr[-800:]
        errs = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
        assert len(errs) == 1 and "0 feed/sitemap/section fetches" in errs[0], errs
        assert "3 more are backing off after failing earlier" in errs[0], errs

        # one source fine: exit 0; and on the next run its feed answers 304, which is not a failure
        partial = [all_bad[0], {"id": "ok", "name": "Ok", "homepage": fs.url("/"), "feeds": [fs.url("/rss.xml")]}]
        cdir = write_config(tmp_path / "b", partial, {"retries": 0})
        for expected in ("ok", "not_modified"):
            r = subprocess.run([MEDIAMON, "--config", cdir, "run", "--date", "2022-02-02"], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr[-800:]
            assert "error:" not in r.stderr
            assert q(tmp_path / "b", "SELECT outcome FROM fetch_log WHERE url = ? ORDER BY fetched_at DESC LIMIT 1",
                     [fs.url("/rss.xml")]) == [(expected,)]
