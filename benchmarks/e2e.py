"""End-to-end throughput on one machine: the ingest DAG (``dag.test()``) and ``mediamon run`` on a
local multi-host news site, against the politeness bound.

The site: ``--hosts`` loopback hosts (one :class:`faultserver.FaultServer` per port = one
politeness host, each answering after ``--latency`` seconds), each with robots.txt, an RSS
feed and ``--per-host`` article pages. Pages are generated: a news-site template (navigation,
JSON-LD NewsArticle, og/article meta, byline, related and most-read widgets, footer; 30-110 kB)
whose body is paragraphs re-composed from the demo outlets' article text (``demo/content.py``),
shuffled per article, in Indonesian or English by host, with one article in 20 syndicated
(the same text on another host), so that extraction, sentiment, topics and story clustering
do real work.

Contenders, each on fresh data directories, interleaved ``--repeat`` times:

- ``run``: ``mediamon run`` (CLI subprocess) with the default host shards (``fetch.shards``,
  shards fetched in parallel threads, one extraction process pool);
- ``run-1``: the same with ``fetch.shards: 1`` (the DAG's configuration below);
- ``dag``: the ingest DAG with ``dag.test()`` in a subprocess (a throwaway Airflow home,
  migrated once before timing, ``scripts/airflow_env.sh``-style variables) with
  ``fetch.shards: 1``: ``dag.test()`` runs mapped tasks one after another, so on one machine
  one shard holding every host is the parallel configuration; with a real executor the shards
  run at once on as many workers.

Figures per contender (median of the repeats): wall seconds of the process (imports and
Airflow start included), articles stored, articles/s, the ratio to the politeness bound
``hosts / delay`` (goal >= 0.8), peak memory (RSS summed over the process tree, sampled every
0.2 s, MB), CPU seconds per article (user + system, process tree), politeness violations
(server-side gaps < delay between request arrivals on a host; must be 0), and the Airflow
overhead ``dag / run-1`` (goal <= 1.3). Articles/day: at the measured rate, and the CPU
capacity of this machine ``cores * 86400 / CPU-seconds per article`` (the rate when hosts are
many and politeness no longer bounds it).

Usage: ``.venv/bin/python benchmarks/e2e.py [--hosts 24] [--per-host 42] [--delay 1.0]
[--latency 0.05] [--repeat 1] [--quick] [--skip-dag]``; ``--quick``: 20 hosts x 4 articles.
Exit status 1 when a politeness violation is seen. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "demo"))

from faultserver import FaultServer  # noqa: E402

DAY = "2024-05-01"


# -- the site ----------------------------------------------------------------------------------
def _sentences(lang: str) -> list[str]:
    from content import ARTICLES, OUTLETS

    langs = {o["id"]: o["language"] for o in OUTLETS}
    out = []
    for a in ARTICLES:
        if langs[a["outlet"]] != lang:
            continue
        for p in a["paras"]:
            out.extend(s.strip() + "." for s in p.split(". ") if len(s.split()) >= 5)
    return out


def page(host: int, i: int, lang: str, sents: list[str], titles: list[str], base: str, path: str,
         seed_text: int | None = None) -> bytes:
    """One article page (see the module doc). ``seed_text``: the seed of the body (a syndicated
    copy reuses another article's)."""
    rng = random.Random(seed_text if seed_text is not None else host * 100_003 + i)
    paras = []
    for _ in range(rng.randint(6, 16)):
        paras.append(" ".join(rng.choice(sents) for _ in range(rng.randint(2, 4))))
    title = f"{rng.choice(titles)} ({rng.randint(1, 9999)})"
    hour = 6 + (i * 7) % 12
    published = f"{DAY}T{hour:02d}:{(i * 13) % 60:02d}:00+07:00"
    nav = "".join(f"<li><a href='{base}/kanal/{k}'>Kanal {k}</a></li>" for k in range(30))
    rel = "".join(f"<li><a href='{base}/news/{(i + k) % 997}.html'>{rng.choice(titles)}</a></li>" for k in range(1, 25))
    pop = "".join(f"<li><a href='{base}/populer/{k}'>{rng.choice(titles)}</a></li>" for k in range(20))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": published, "author": {"@type": "Person", "name": f"Penulis {host}"},
                     "inLanguage": lang}, ensure_ascii=False)
    body = "".join(f"<p>{p}</p>" for p in paras)
    html = (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
            f"<link rel='canonical' href='{base}{path}'><meta property='og:title' content='{title}'>"
            f"<meta property='og:url' content='{base}{path}'><meta property='article:published_time' content='{published}'>"
            f"<script type='application/ld+json'>{ld}</script></head><body>"
            f"<header><div class='logo'>Outlet {host}</div><nav><ul>{nav}</ul></nav></header>"
            f"<main><article><h1>{title}</h1><div class='byline'>Penulis {host} - {published}</div>{body}"
            f"<div class='tags'>Tag: berita, kota</div></article>"
            f"<aside><h3>Terkait</h3><ul>{rel}</ul><h3>Terpopuler</h3><ul>{pop}</ul></aside></main>"
            f"<footer>Hak cipta &copy; Outlet {host}. Semua hak dilindungi.</footer></body></html>")
    pad = rng.randint(0, 60_000)
    return html.replace("</body>", f"<!-- {'x' * pad} --></body>").encode("utf-8")


def build_site(n_hosts: int, per_host: int, latency: float) -> list[FaultServer]:
    """Start the hosts with their feeds and pages; returns the servers (caller stops them)."""
    from content import ARTICLES

    servers = [FaultServer(latency_s=latency).start() for _ in range(n_hosts)]
    pools = {"id": _sentences("id"), "en": _sentences("en")}
    titles = [a["title"] for a in ARTICLES]
    for h, s in enumerate(servers):
        lang = "en" if h % 3 == 2 else "id"
        paths = [f"/news/{i}.html" for i in range(per_host)]
        for i, p in enumerate(paths):
            syndicated = (h * per_host + i) % 20 == 0 and h > 0
            seed = ((h - 1) * 100_003 + i) if syndicated else None  # the same text as the previous host's article
            s.add(p, page(h, i, lang, pools[lang], titles, s.base, p, seed_text=seed))
        items = "".join(f"<item><title>Berita {i}</title><link>{s.base}{p}</link>"
                        f"<pubDate>Wed, 01 May 2024 0{i % 10}:00:00 GMT</pubDate></item>" for i, p in enumerate(paths))
        s.add("/rss.xml", f"<?xml version='1.0'?><rss version='2.0'><channel><title>o{h}</title>{items}</channel></rss>",
              content_type="application/rss+xml")
    return servers


def write_config(root: Path, servers: list[FaultServer], delay: float, shards: int | None) -> Path:
    import yaml

    cdir = root / "config"
    cdir.mkdir(parents=True, exist_ok=True)
    src = [{"id": f"outlet{h:02d}", "name": f"Outlet {h}", "homepage": f"{s.base}/", "language": "en" if h % 3 == 2 else "id",
            "feeds": [f"{s.base}/rss.xml"], "allow_private_network": True} for h, s in enumerate(servers)]
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": src}))
    (cdir / "topics.yaml").write_text((ROOT / "config" / "topics.yaml").read_text(encoding="utf-8"))
    s = yaml.safe_load((ROOT / "config" / "settings.yaml").read_text(encoding="utf-8")) or {}
    data = root / "data"
    s.update({"data_dir": str(data), "db_path": str(data / "mediamon.duckdb"), "reports_dir": str(root / "reports"),
              "start_date": "2024-01-01"})
    s.setdefault("fetch", {})["per_host_delay_s"] = delay
    if shards is not None:
        s["fetch"]["shards"] = shards
    (cdir / "settings.yaml").write_text(yaml.safe_dump(s))
    return cdir


# -- measuring a process tree -----------------------------------------------------------------
def measure(cmd: list[str], env: dict) -> dict:
    """Run ``cmd``; returns ``{"wall_s", "peak_rss_mb", "cpu_s", "rc", "stdout", "stderr"}``
    (RSS summed over the process tree, sampled every 0.2 s; CPU = user + system of every
    process seen, last sample)."""
    import psutil

    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc = psutil.Process(p.pid)
    peak, cpu = 0, {}
    out: list[str] = []

    import threading

    def drain(stream, sink):
        sink.append(stream.read())

    so, se = [], []
    ts = [threading.Thread(target=drain, args=(p.stdout, so)), threading.Thread(target=drain, args=(p.stderr, se))]
    for t in ts:
        t.start()
    while p.poll() is None:
        try:
            procs = [proc] + proc.children(recursive=True)
        except psutil.NoSuchProcess:
            break
        rss = 0
        for q in procs:
            try:
                rss += q.memory_info().rss
                c = q.cpu_times()
                cpu[q.pid] = c.user + c.system
            except psutil.Error:
                pass
        peak = max(peak, rss)
        time.sleep(0.2)
    p.wait()
    wall = time.monotonic() - t0
    for t in ts:
        t.join()
    out = so
    return {"wall_s": wall, "peak_rss_mb": peak / 2**20, "cpu_s": sum(cpu.values()), "rc": p.returncode,
            "stdout": "".join(out), "stderr": "".join(se)}


def airflow_home(tmp: Path) -> dict:
    """A migrated throwaway Airflow home with the DuckDB pool; returns the environment."""
    home = tmp / "airflow"
    home.mkdir()
    env = {**os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"), "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
           "AIRFLOW__CORE__UNIT_TEST_MODE": "False", "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING"}
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], check=True, env=env, capture_output=True)
    subprocess.run([str(airflow), "pools", "set", "mediamon_duckdb", "1", "mediamon"], check=True, env=env, capture_output=True)
    return env


def _dag_main() -> int:
    """Subprocess: one ``dag.test()`` of the ingest DAG (config from MEDIAMON_CONFIG_DIR)."""
    from datetime import datetime, timezone

    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(ROOT / "dags")).dags["mediamon_ingest"]
    t0 = time.monotonic()
    dr = dag.test(logical_date=datetime(2024, 5, 1, 12, tzinfo=timezone.utc))
    tasks = {}
    for ti in dr.get_task_instances():
        if ti.start_date and ti.end_date:
            tasks[ti.task_id] = round(tasks.get(ti.task_id, 0) + (ti.end_date - ti.start_date).total_seconds(), 2)
    print(json.dumps({"state": str(dr.state), "test_s": round(time.monotonic() - t0, 2), "tasks": tasks}))
    return 0 if "success" in str(dr.state).lower() else 1


def articles_in(cdir: Path) -> int:
    import duckdb

    con = duckdb.connect(str(cdir.parent / "data" / "mediamon.duckdb"), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def violations(servers: list[FaultServer], delay: float, since: float) -> tuple[int, float]:
    """Gaps < delay between request arrivals on a host after ``since``; smallest gap / delay."""
    bad, ratio = 0, float("inf")
    for s in servers:
        ts = sorted(h.t for h in s.hits() if h.t >= since)
        gaps = [b - a for a, b in zip(ts, ts[1:])]
        bad += sum(g < delay for g in gaps)
        if gaps:
            ratio = min(ratio, min(gaps) / delay)
    return bad, ratio


def one(kind: str, servers: list[FaultServer], a: argparse.Namespace, af_env: dict | None) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"mediamon-e2e-{kind}-") as tmp:
        cdir = write_config(Path(tmp), servers, a.delay, None if kind == "run" else 1)
        time.sleep(a.delay + 0.1)  # the previous contender's last request is more than a delay ago
        since = time.monotonic()
        if kind == "dag":
            env = {**af_env, "MEDIAMON_CONFIG_DIR": str(cdir)}
            m = measure([sys.executable, str(Path(__file__).resolve()), "_dag"], env)
        else:
            env = dict(os.environ)
            m = measure([str(Path(sys.executable).with_name("mediamon")), "--config", str(cdir), "run", "--date", DAY], env)
        if m["rc"] != 0:
            raise RuntimeError(f"{kind} failed ({m['rc']}): {m['stderr'][-3000:]}")
        m["articles"] = articles_in(cdir)
        m["load_avg"] = os.getloadavg()[0]
        if kind == "dag":
            m["dag"] = json.loads(m["stdout"].strip().splitlines()[-1])
        m["violations"], m["min_gap_ratio"] = violations(servers, a.delay, since)
        return m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", type=int, default=24)
    ap.add_argument("--per-host", type=int, default=42)
    ap.add_argument("--delay", type=float, default=1.0)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="20 hosts x 4 articles")
    ap.add_argument("--skip-dag", action="store_true")
    a = ap.parse_args(argv)
    if a.quick:
        a.hosts, a.per_host = 20, 4
    kinds = ["run", "run-1"] + ([] if a.skip_dag else ["dag"])
    res: dict[str, list[dict]] = {k: [] for k in kinds}
    servers = build_site(a.hosts, a.per_host, a.latency)
    try:
        with tempfile.TemporaryDirectory(prefix="mediamon-e2e-af-") as aft:
            af_env = None if a.skip_dag else airflow_home(Path(aft))
            for r in range(a.repeat):
                for k in (kinds if r % 2 == 0 else kinds[::-1]):
                    m = one(k, servers, a, af_env)
                    res[k].append(m)
                    print(f"  [{k} #{r + 1}] {m['articles']} articles in {m['wall_s']:.1f} s, peak {m['peak_rss_mb']:.0f} MB, "
                          f"cpu {m['cpu_s']:.1f} s, violations {m['violations']}, load average {m['load_avg']:.1f}"
                          + (f", dag.test {m['dag']['test_s']} s, tasks {m['dag']['tasks']}" if "dag" in m else ""), flush=True)
    finally:
        for s in servers:
            s.stop()
    bound = a.hosts / a.delay
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    print(f"\nsite: {a.hosts} hosts x {a.per_host} articles = {a.hosts * a.per_host}, delay {a.delay} s, "
          f"latency {a.latency} s; politeness bound {bound:.1f} articles/s; {cores} cores; {a.repeat} repeat(s): "
          f"min (median) wall")
    print("| contender | articles | wall s | articles/s | ratio to bound | peak MB | CPU s/article | violations |")
    print("|---|---|---|---|---|---|---|---|")
    med = {}
    for k in kinds:
        ms = res[k]
        wall, wmed = min(m["wall_s"] for m in ms), statistics.median(m["wall_s"] for m in ms)
        n = min(m["articles"] for m in ms)
        cpu = statistics.median(m["cpu_s"] / max(1, m["articles"]) for m in ms)
        med[k] = {"wall": wall, "wmed": wmed, "rate": n / wall, "cpu": cpu}
        print(f"| {k} | {n:.0f} | {wall:.1f} ({wmed:.1f}) | {n / wall:.2f} ({n / wmed:.2f}) | {n / wall / bound:.2f} "
              f"({n / wmed / bound:.2f}) | {max(m['peak_rss_mb'] for m in ms):.0f} | {cpu:.3f} | "
              f"{sum(m['violations'] for m in ms)} |")
    if "dag" in med:
        print(f"\nAirflow overhead, dag / run-1 wall: {med['dag']['wall'] / med['run-1']['wall']:.2f} "
              f"(median {med['dag']['wmed'] / med['run-1']['wmed']:.2f}); dag / run: "
              f"{med['dag']['wall'] / med['run']['wall']:.2f} (median {med['dag']['wmed'] / med['run']['wmed']:.2f})")
    best = max(med.values(), key=lambda m: m["rate"])
    print(f"articles/day at the measured rate ({a.hosts} hosts): {best['rate'] * 86400:,.0f}; "
          f"CPU capacity of this machine ({cores} cores / {best['cpu']:.3f} CPU s per article): "
          f"{cores * 86400 / best['cpu']:,.0f} articles/day")
    return 1 if any(m["violations"] for ms in res.values() for m in ms) else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_dag"]:
        raise SystemExit(_dag_main())
    raise SystemExit(main())
