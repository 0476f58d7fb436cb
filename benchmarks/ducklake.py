"""DuckLake benchmark: load throughput with 1, 2 and 4 writer processes, and analytics query time on
DuckLake vs the DuckDB file on the same data.

Starts a throwaway PostgreSQL cluster for the catalog (tests/pgserver.py; installs Debian's
``postgresql`` when absent) and removes it at the end. Synthetic runs (tests/lakeworker.py: generated
Indonesian-like text, 3 hosts per writer, MinHash signatures computed before the clock starts), written
as the staging batches ``fetch_extract`` writes; nothing downloaded, no shared data.

1. Writer scaling: ``--n`` articles in total, split evenly over W writer processes (W = 1, 2, 4), each
   loading its own run (``stages.load``; with ``--enrich`` also ``stages.enrich``) into one fresh lake at
   the same moment. Figure: articles/s = n / (wall time from the start signal to the last writer done).
   The contenders are interleaved in each of ``--repeat`` rounds (fresh catalog and data path each time);
   min/median and the ratio of each median to the 1-writer median are printed. The DuckDB file with its one
   writer is measured in the same rounds, as the reference.
2. Query time: ``--query-n`` articles loaded and enriched by the same 4 writer runs into a DuckDB file, a
   lake, and a second lake then compacted by ``stages.maintain_store``; then, interleaved, ``--repeat`` x 5 times each: the daily coverage rebuild
   (``build_daily_coverage``, the report stage's analytics over every article of the day) and the report's
   read queries (``report_data``), inside an open session (opening costs are printed separately).

    .venv/bin/python benchmarks/ducklake.py                    # defaults: --n 2000 --repeat 3 --query-n 4000
    .venv/bin/python benchmarks/ducklake.py --n 2000 --enrich  # load + enrich per writer
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "tests"))

import lakeworker  # noqa: E402
import pgserver  # noqa: E402

WRITERS = (1, 2, 4)


def _writers(root: Path, catalog: str | None, w: int, n_total: int, phases: str) -> tuple[float, list[dict]]:
    """Run ``w`` writer processes of ``n_total / w`` articles each into the store of ``catalog`` (None: the
    DuckDB file; several writers then take turns on its file lock); returns (wall seconds from the start
    signal to the last one done, their results). The store is primed (an empty load) and each writer opens
    it once before the signal: the per-process open cost is reported apart (``open_s``)."""
    cdir = lakeworker.write_config(root, catalog, w)
    from mediamon import stages

    stages.load("prime", str(cdir))  # a store in service: schema, outlets and topics there already
    go = root / "go"
    per = n_total // w
    procs = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "lakeworker.py"), str(cdir), str(i), str(per), "0", "0",
                               str(go), phases, "warm"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(w)]
    while not all(go.with_name(f"go.ready{i}").exists() for i in range(w)):
        if any(p.poll() not in (None, 0) for p in procs):
            break
        time.sleep(0.02)
    t0 = time.time()
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=3600)
        if p.returncode:
            raise RuntimeError(f"writer failed: {err[-2000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return max(r["end"] for r in results) - t0, results


def _stats(xs: list[float]) -> tuple[float, float]:
    return min(xs), statistics.median(xs)


def scaling(pg, n: int, repeat: int, phases: str) -> None:
    rates: dict[str, list[float]] = {f"ducklake, {w} writer{'s' if w > 1 else ''}": [] for w in WRITERS}
    rates["duckdb file, 1 writer"] = []
    rates["duckdb file, 4 writers (take turns on the file lock)"] = []
    retries: dict[str, list[int]] = {k: [] for k in rates}
    opens: dict[str, list[float]] = {k: [] for k in rates}
    k = 0
    for _ in range(repeat):
        for label in rates:  # interleaved: every contender once per round
            root = Path(tempfile.mkdtemp(prefix="mediamon-bench-lake-"))
            try:
                if label.startswith("duckdb"):
                    wall, res = _writers(root, None, 4 if "4 writers" in label else 1, n, phases)
                else:
                    k += 1
                    catalog = "postgres:" + pg.create_database(f"bench{k}")
                    wall, res = _writers(root, catalog, int(label.split(", ")[1].split()[0]), n, phases)
                rates[label].append(n / wall)
                retries[label].append(sum(r["conflict_retries"] for r in res))
                opens[label] += [r["open_s"] for r in res]
            finally:
                shutil.rmtree(root, ignore_errors=True)
    base = statistics.median(rates["ducklake, 1 writer"])
    print(f"\n{phases} throughput, {n} articles per round, {repeat} rounds (articles/s; higher is better)")
    print("| store, writers | min | median | median / ducklake 1 writer | conflict retries (sum) | open per process, median s |")
    print("|---|---|---|---|---|---|")
    for label, xs in rates.items():
        lo, med = _stats(xs)
        print(f"| {label} | {lo:.0f} | {med:.0f} | {med / base:.2f} | {sum(retries[label])} | {statistics.median(opens[label]):.2f} |")


def queries(pg, n: int, repeat: int) -> None:
    from datetime import date

    from mediamon import stages
    from mediamon.runtime import build_runtime

    root = Path(tempfile.mkdtemp(prefix="mediamon-bench-lakeq-"))
    try:
        lake_root, file_root = root / "lake", root / "file"
        _writers(lake_root, "postgres:" + pg.create_database("benchq"), 4, n, "load,enrich")
        _writers(file_root, None, 4, n, "load,enrich")  # the same runs w0..w3 (taking turns on the file)
        merged_root = root / "merged"  # the same runs again, then the maintenance DAG's stage (files merged)
        _writers(merged_root, "postgres:" + pg.create_database("benchqm"), 4, n, "load,enrich")
        print("maintenance of the third copy:", stages.maintain_store(str(merged_root / "config"), older_than_s=0))
        stores = {name: build_runtime(stages.load_config(str(r / "config"))).store
                  for name, r in (("duckdb file", file_root), ("ducklake", lake_root), ("ducklake after maintenance", merged_root))}
        day = lakeworker.DAY
        times: dict[str, dict[str, list[float]]] = {s: {"open": [], "coverage": [], "report": []} for s in stores}
        rows = {}
        for _ in range(repeat * 5):
            for name, st in stores.items():
                t = time.perf_counter()
                with st.session() as s:
                    t1 = time.perf_counter()
                    rows[name] = s.build_daily_coverage(day)
                    t2 = time.perf_counter()
                    data = s.report_data(day, "Asia/Jakarta")
                    t3 = time.perf_counter()
                times[name]["open"].append(t1 - t)
                times[name]["coverage"].append(t2 - t1)
                times[name]["report"].append(t3 - t2)
                assert data["summary"]["articles"] == n, data["summary"]
        assert len(set(rows.values())) == 1, rows
        print(f"\nquery time on the same {n} articles (one day, loaded and enriched), {repeat * 5} runs each (ms; lower is better)")
        print("| query | duckdb file min / median | ducklake min / median (/ file) | ducklake after maintenance min / median (/ file) |")
        print("|---|---|---|---|")
        for q, label in (("coverage", "daily coverage rebuild (build_daily_coverage)"), ("report", "report reads (report_data)"),
                         ("open", "open a session (cursor / connect)")):
            f_lo, f_med = _stats(times["duckdb file"][q])
            cells = []
            for name in ("ducklake", "ducklake after maintenance"):
                lo, med = _stats(times[name][q])
                cells.append(f"{lo * 1000:.1f} / {med * 1000:.1f} ({med / f_med:.2f})")
            print(f"| {label} | {f_lo * 1000:.1f} / {f_med * 1000:.1f} | {cells[0]} | {cells[1]} |")
        print(f"coverage rows: {rows['ducklake']} (same on all); day {date.isoformat(day)}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="articles per scaling round, split over the writers (default 2000)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    ap.add_argument("--query-n", type=int, default=4000, help="articles for the query comparison (default 4000; 0 = skip)")
    ap.add_argument("--enrich", action="store_true", help="writers load and enrich (default: load only)")
    ap.add_argument("--skip-scaling", action="store_true")
    a = ap.parse_args()
    pg = pgserver.start_cluster()
    try:
        if not a.skip_scaling:
            scaling(pg, a.n, a.repeat, "load,enrich" if a.enrich else "load")
        if a.query_n:
            queries(pg, a.query_n, a.repeat)
    finally:
        pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
