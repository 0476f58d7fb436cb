"""Fetch throughput vs the politeness bound, with server-side politeness check.

Runs N loopback HTTP servers (one per port on 127.0.0.1: each port is one politeness host)
with injected latency, fetches M pages per host with one Fetcher.fetch_many call, and reports:

- pages/s (article pages only) and requests/s (including each host's robots.txt fetch),
- the politeness bound = hosts / per_host_delay_s (requests/s),
- ratio = requests/s / bound (target >= 0.9) and pages/s / bound,
- politeness violations measured server-side: consecutive request starts on one host closer
  than per_host_delay_s (target 0), and the smallest gap seen.

Usage: ``.venv/bin/python benchmarks/fetch.py [--hosts 8] [--pages 30] [--delay 0.2] [--latency 0.05]``
Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from faultserver import FaultServer  # noqa: E402
from mediamon.config import FetchSettings  # noqa: E402
from mediamon.fetch import Fetcher  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=8)
    ap.add_argument("--pages", type=int, default=30, help="pages per host")
    ap.add_argument("--delay", type=float, default=0.2, help="per-host delay, seconds")
    ap.add_argument("--latency", type=float, default=0.05, help="injected server latency, seconds")
    ap.add_argument("--workers", type=int, default=0, help="fetch workers (default: hosts)")
    a = ap.parse_args()

    servers = [FaultServer(latency_s=a.latency).start() for _ in range(a.hosts)]
    try:
        st = FetchSettings(per_host_delay_s=a.delay, max_workers=a.workers or a.hosts, retries=0)
        f = Fetcher(st, allow_private_hosts={s.hostport for s in servers})
        urls = [s.url(f"/page/{i}") for i in range(a.pages) for s in servers]
        t0 = time.monotonic()
        results = f.fetch_many(urls)
        wall = time.monotonic() - t0
        ok = sum(r.ok for r in results)
        n_req = sum(len(s.log) for s in servers)
        bound = a.hosts / a.delay
        violations, min_gap = 0, float("inf")
        for s in servers:
            ts = sorted(h.t for h in s.log)
            gaps = [b - x for x, b in zip(ts, ts[1:])]
            violations += sum(g < a.delay for g in gaps)
            min_gap = min([min_gap, *gaps])
        print(f"hosts={a.hosts} pages/host={a.pages} delay={a.delay}s latency={a.latency}s workers={st.max_workers}")
        print(f"pages ok: {ok}/{len(urls)}  requests (incl. robots.txt): {n_req}  wall: {wall:.2f}s")
        print(f"politeness bound: {bound:.1f} req/s")
        print(f"pages/s: {ok / wall:.2f}  ratio pages/s / bound: {ok / wall / bound:.3f}")
        print(f"requests/s: {n_req / wall:.2f}  ratio requests/s / bound: {n_req / wall / bound:.3f}")
        print(f"politeness violations (server-side gap < {a.delay}s): {violations}  min gap: {min_gap:.4f}s")
        return 0 if violations == 0 and ok == len(urls) else 1
    finally:
        for s in servers:
            s.stop()


if __name__ == "__main__":
    raise SystemExit(main())
