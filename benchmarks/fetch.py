"""Politeness under load, measured on the servers, through the pipeline's real fetch path.

Starts N loopback news hosts (one FaultServer per port = one politeness host; an RSS feed and
M article pages of 50-150 kB HTML each) and one source per host, and runs the real stages
``stages.discover`` + ``plan`` + ``fetch_extract`` (WARC writing on, as in production) in
worker processes (``tests/newsload.py run``; sources in parallel threads, like mapped tasks):

1. one process (one run),
2. P processes at once on the same data dir (P runs hitting the same hosts: the
   cross-process gate in ``<data_dir>/state/hosts`` and the shared robots.txt cache).

Unless ``--no-hog``, two busy-loop processes keep the CPUs loaded throughout. For each phase
it reports, measured server-side per host (arrival of each request on the server's clock):
the smallest gap / delay ratio and the number of violations (gap < per_host_delay_s; target 0),
robots.txt fetches per host (target 1 for the whole phase), requests and pages fetched,
and throughput: requests/s over the whole phase (discovery, planning, extraction and
WARC writing included) vs the politeness bound ``hosts / per_host_delay_s``, and the
per-host request rate while articles are fetched vs ``1 / per_host_delay_s`` (the gate
waits ``delay + margin`` after each response's headers, so expect about
``delay / (delay + margin + latency)``).

Usage: ``.venv/bin/python benchmarks/fetch.py [--hosts 4] [--pages 10] [--delay 0.3]
[--latency 0.02] [--procs 3] [--no-hog]``. Exit status 1 when any violation is seen.
Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from faultserver import FaultServer  # noqa: E402
from newsload import cpu_hog, host_gaps, serve_news, start_workers, wait_workers, write_config  # noqa: E402


def phase(name: str, a: argparse.Namespace, procs: int) -> int:
    """Run one phase with fresh servers and data dir; print its figures; return violations."""
    servers = [FaultServer(latency_s=a.latency).start() for _ in range(a.hosts)]
    try:
        for s in servers:
            serve_news(s, a.pages, n_bytes=(50_000, 150_000))
        with tempfile.TemporaryDirectory(prefix="mediamon-bench-fetch-") as tmp:
            cdir = write_config(Path(tmp), [(f"host{i}", s) for i, s in enumerate(servers)], a.delay)
            go = Path(tmp) / "go"
            workers = start_workers([["run", cdir, f"bench{p}", ] for p in range(procs)], go)
            time.sleep(a.warmup)  # imports done, workers waiting on the go file
            t0 = time.monotonic()
            go.touch()
            out = wait_workers(workers)
            wall = time.monotonic() - t0
        n_req = sum(len(s.hits()) for s in servers)
        pages = sum(f["fetched"] - f["failed"] for o in out for f in o["fetch"])
        articles = sum(f["articles"] for o in out for f in o["fetch"])
        violations, ratios, robots, rates = 0, [], [], []
        for s in servers:
            art = sorted(h.t for h in s.hits("/news/"))
            if len(art) > 1:  # article fetching: per-host request rate while the gate is busy
                rates.append((len(art) - 1) / (art[-1] - art[0]))
            gaps = host_gaps(s)
            violations += sum(g < a.delay for g in gaps)
            ratios.append(min(gaps) / a.delay if gaps else float("inf"))
            robots.append(len(s.hits("/robots.txt")))
        bound = a.hosts / a.delay
        print(f"[{name}] processes={procs} hosts={a.hosts} pages/host={a.pages} delay={a.delay}s latency={a.latency}s")
        print(f"  requests: {n_req} (robots.txt per host: {robots})  pages fetched: {pages}  articles: {articles}  wall: {wall:.2f}s")
        print(f"  server-side min gap / delay per host: {', '.join(f'{r:.3f}' for r in ratios)}  (min {min(ratios):.3f})")
        print(f"  politeness violations (gap < {a.delay}s): {violations}")
        print(f"  throughput: {n_req / wall:.2f} req/s  politeness bound: {bound:.2f} req/s  ratio: {n_req / wall / bound:.3f}")
        if rates:
            per = sum(rates) / len(rates)
            print(f"  article fetching, per host: {per:.2f} req/s vs bound 1/delay = {1 / a.delay:.2f} req/s"
                  f"  ratio: {per * a.delay:.3f}")
        return violations + sum(r != 1 for r in robots)
    finally:
        for s in servers:
            s.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--pages", type=int, default=10, help="article pages per host")
    ap.add_argument("--delay", type=float, default=0.3, help="per-host delay, seconds")
    ap.add_argument("--latency", type=float, default=0.02, help="injected server latency (time to first byte), seconds")
    ap.add_argument("--procs", type=int, default=3, help="concurrent processes in phase 2")
    ap.add_argument("--warmup", type=float, default=4.0, help="seconds for worker start-up before the go signal")
    ap.add_argument("--no-hog", action="store_true", help="do not load the CPUs with two busy loops")
    a = ap.parse_args()
    with cpu_hog(0 if a.no_hog else 2):
        print(f"CPU hog: {'off' if a.no_hog else '2 busy-loop processes'}")
        bad = phase("single process", a, 1)
        bad += phase("concurrent processes", a, a.procs)
    print(f"total violations (incl. robots.txt fetched more than once per host): {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
