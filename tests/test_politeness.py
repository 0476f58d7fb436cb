"""Politeness holds across stages, processes and runs (issue 8): one host sees one gate.

The assertions are the politeness requirement itself, measured on the server's clock:
every gap between two request arrivals on a host is >= the configured delay (or the
robots.txt Crawl-delay). They hold on a loaded machine by design (the gate is stamped when a
response's headers arrive, which is after the server received the request; see
mediamon.acquire.politeness), so they cannot flake from slowness; no speed is asserted.
"""

from __future__ import annotations

import json
import time

import pytest

from faultserver import FaultServer
from mediamon import stages
from mediamon.records import FetchLogRow
from mediamon.runtime import build_runtime
from mediamon.config import FetchSettings
from mediamon.acquire.http import Fetcher
from mediamon.acquire.politeness import FileHostGate, LocalHostGate, margin
from newsload import cpu_hog, host_gaps, serve_news, start_workers, wait_workers, write_config

DELAY = 0.3


@pytest.fixture()
def srv():
    with FaultServer() as s:
        yield s


def _rows(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_discover_and_fetch_stages_share_gate_and_robots(srv, tmp_path):
    serve_news(srv, 4, n_bytes=60_000)
    cdir = write_config(tmp_path, [("kota", srv)], DELAY)
    d = stages.discover("kota", "r1", cdir)
    assert d["candidates"] == 4
    (p,) = stages.plan("r1", cdir, discovered=[d])
    fx = stages.fetch_extract("kota", "r1", cdir, planned=p)
    assert fx["fetched"] == 4 and fx["failed"] == 0
    paths = [h.path for h in srv.hits()]
    gaps = host_gaps(srv)
    assert min(gaps) >= DELAY, (gaps, paths)
    assert paths.count("/robots.txt") == 1 and paths.count("/rss.xml") == 1 and len(paths) == 6
    # the robots fetch is logged once, by the stage that made it
    staging = build_runtime(stages.load_config(cdir)).staging
    robots_rows = [r for ref in (d["batch"], fx["batch"]) for r in staging.read_batch(ref)
                   if isinstance(r, FetchLogRow) and r.kind == "robots"]
    assert len(robots_rows) == 1 and robots_rows[0].outcome == "ok"
    assert len(list((tmp_path / "data" / "state" / "robots").glob("*.json"))) == 1
    assert len(list((tmp_path / "data" / "state" / "hosts").glob("*.lock"))) == 1


def test_processes_share_gate_under_cpu_load(srv, tmp_path):
    """Three processes (the production fetcher, same data dir) fetch one host at once while
    two busy loops load the CPUs: the server never sees a gap below the delay."""
    urls = serve_news(srv, 12, n_bytes=50_000)
    cdir = write_config(tmp_path, [("kota", srv)], DELAY)
    go = tmp_path / "go"
    procs = start_workers([["fetch", cdir, "kota", *urls[i::3]] for i in range(3)], go)
    with cpu_hog(2):
        time.sleep(1.0)  # let the workers import and block on the go file
        go.touch()
        out = wait_workers(procs)
    assert [o["outcomes"] for o in out] == [["ok"] * 4] * 3
    gaps = host_gaps(srv)
    assert min(gaps) >= DELAY, gaps
    paths = [h.path for h in srv.hits()]
    assert paths.count("/robots.txt") == 1 and len(paths) == 13
    assert sum(o["robots_logged"] for o in out) == 1  # logged by the one process that fetched it


def test_crawl_delay_honoured_across_processes(srv, tmp_path):
    srv.robots_txt = "User-agent: *\nCrawl-delay: 0.6\nAllow: /\n"
    urls = serve_news(srv, 6, n_bytes=20_000)
    cdir = write_config(tmp_path, [("kota", srv)], 0.05)
    go = tmp_path / "go"
    procs = start_workers([["fetch", cdir, "kota", *urls[i::3]] for i in range(3)], go)
    time.sleep(0.5)
    go.touch()
    out = wait_workers(procs)
    assert [o["outcomes"] for o in out] == [["ok"] * 2] * 3
    gaps = host_gaps(srv)
    assert min(gaps) >= 0.6, gaps
    assert [h.path for h in srv.hits()].count("/robots.txt") == 1 and len(gaps) == 6


def test_fetchers_without_state_dir_keep_their_own_gate(srv, tmp_path):
    """Backward compatible: ``Fetcher(settings)`` works without a data dir (in-process gate,
    in-memory robots); with ``state_dir`` two fetchers share gate and robots."""
    st = FetchSettings(per_host_delay_s=DELAY, retries=0)
    a = Fetcher(st, allow_private_hosts={srv.hostport})
    assert isinstance(a.gate, LocalHostGate) and not isinstance(a.gate, FileHostGate)
    assert a.fetch(srv.url("/page/a")).ok
    b = Fetcher(st, allow_private_hosts={srv.hostport}, state_dir=tmp_path / "state")
    c = Fetcher(st, allow_private_hosts={srv.hostport}, state_dir=tmp_path / "state")
    assert b.gate is c.gate and isinstance(b.gate, FileHostGate)
    n0 = len(srv.hits())
    assert b.fetch(srv.url("/page/b")).ok and c.fetch(srv.url("/page/c")).ok
    assert [h.path for h in srv.hits()[n0:]] == ["/robots.txt", "/page/b", "/page/c"]
    assert len(b.pop_robots_results()) == 1 and c.pop_robots_results() == []
    assert min(host_gaps(srv)[n0:]) >= DELAY


def test_gate_stamps_after_response_headers(tmp_path):
    """The next request waits delay + margin from the *end* of the previous exchange: with a
    slow server (headers after 0.4 s) and a 0.3 s delay the server sees >= 0.7 s gaps, and
    the state file holds the wall-clock completion time."""
    with FaultServer(latency_s=0.4) as s:
        f = Fetcher(FetchSettings(per_host_delay_s=DELAY, retries=0, respect_robots=False),
                    allow_private_hosts={s.hostport}, state_dir=tmp_path)
        before = time.time()
        assert all(r.ok for r in f.fetch_many([s.url(f"/page/{i}") for i in range(3)]))
        assert min(host_gaps(s)) >= 0.4 + DELAY + margin(DELAY)
        state = json.loads(f.gate.path(s.hostport).read_text())
        assert state["host"] == s.hostport and before < state["last_end"] <= time.time()


def test_retry_after_and_corrupt_state_are_shared(srv, tmp_path):
    """A Retry-After deferral recorded by one fetcher holds for another sharing the state
    dir; an unreadable state file costs one delay, never a burst."""
    st = FetchSettings(per_host_delay_s=0.05, retries=1, respect_robots=False)
    a = Fetcher(st, allow_private_hosts={srv.hostport}, state_dir=tmp_path)
    r = a.fetch(srv.url("/flaky/k/1/503?ra=9999"))  # Retry-After beyond backoff_max_s: deferred, not retried
    assert r.status == 503
    state = json.loads(a.gate.path(srv.hostport).read_text())
    assert state["defer_until"] >= time.time() + 3000  # capped at one hour
    # another process's gate (a separate instance on the same directory) honours a deferral
    other = FileHostGate(tmp_path / "hosts")
    assert other is not a.gate
    a.gate.defer("example.org:80", time.time() + 0.5)
    t = time.time()
    other.acquire("example.org:80", 0.0)
    other.release("example.org:80")
    assert time.time() - t >= 0.45
    g = FileHostGate(tmp_path / "other")
    g.path(srv.hostport).write_text("{not json")
    t = time.monotonic()
    waited = g.acquire(srv.hostport, 0.2)
    g.release(srv.hostport)
    assert waited >= 0.2 and time.monotonic() - t >= 0.2
    assert json.loads(g.path(srv.hostport).read_text())["last_end"] > 0
