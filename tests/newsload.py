"""Realistic news hosts and concurrent fetch workers, for the politeness tests and
``benchmarks/fetch.py``.

- :func:`serve_news(server, n, prefix, n_bytes)`: an RSS feed ``/rss.xml`` listing ``n``
  article pages of about ``n_bytes`` bytes of HTML each (generated text, nothing copied
  from a corpus) on a :class:`faultserver.FaultServer`; returns the article URLs.
- :func:`write_config(root, sources, delay_s, **fetch)`: a mediamon config dir whose data
  dir is ``root/data``; ``sources`` = ``[(source_id, FaultServer), ...]``.
- :func:`cpu_hog(n)`: context manager running ``n`` busy-loop processes (stopped by pid).
- :func:`host_gaps(server)`: gaps (s) between consecutive request arrivals on a server.
- Worker (run as a script): ``python newsload.py fetch CONFIG_DIR SOURCE_ID GO_FILE URL...``
  waits until ``GO_FILE`` exists, fetches the URLs with ``runtime.make_fetcher(cfg, source)``
  (the production fetcher: shared gate in ``<data_dir>/state``) and prints one JSON line
  ``{"outcomes": [...], "robots_logged": n}``. ``python newsload.py run CONFIG_DIR RUN_ID
  GO_FILE`` runs discover + plan + fetch_extract for every source (sources in parallel
  threads, like mapped tasks) and prints the stage results as JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
_WORDS = ("pemerintah kota bandung meresmikan taman baru kawasan dago rabu pagi warga sekitar jalur lari area "
          "bermain anak perpustakaan kecil buka setiap hari wali mengatakan anggaran daerah komunitas lokal "
          "desain fasilitas serupa kecamatan ruang terbuka hijau merata seluruh menteri keuangan harga beras "
          "pasar induk pedagang mengeluh pasokan hujan deras banjir jalan tol").split()


def article_page(title: str, n_bytes: int = 80_000, seed: int = 0) -> bytes:
    """An article page of about ``n_bytes`` bytes (UTF-8 HTML): navigation, a headline, dated
    paragraphs of generated Indonesian-like text, related links, footer."""
    paras: list[str] = []
    k = seed
    size = 0
    while size < n_bytes * 0.6:
        words = [_WORDS[(k * 7 + j * 13) % len(_WORDS)] for j in range(45)]
        k += 1
        p = " ".join(words).capitalize() + "."
        paras.append(f"<p>{p}</p>")
        size += len(p) + 7
    nav = "".join(f"<li><a href='/kanal/{i}'>Kanal {i}</a></li>" for i in range(40))
    rel = "".join(f"<li><a href='/related/{seed}-{i}.html'>Berita terkait nomor {i} tentang kota</a></li>" for i in range(60))
    html = (f"<!doctype html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='2024-05-01T09:00:00+07:00'></head><body>"
            f"<header><nav><ul>{nav}</ul></nav></header><main><article><h1>{title}</h1>{''.join(paras)}</article>"
            f"<aside><ul>{rel}</ul></aside></main><footer>Hak cipta</footer></body></html>")
    pad = max(0, n_bytes - len(html.encode()))
    return (html.replace("</body>", f"<!-- {'x' * pad} --></body>")).encode("utf-8")


def rss(base: str, paths: list[str]) -> bytes:
    """RSS 2.0 listing ``base + path`` for each path."""
    items = "".join(f"<item><title>Berita {i}</title><link>{base}{p}</link>"
                    f"<pubDate>Wed, 01 May 2024 02:00:00 GMT</pubDate></item>" for i, p in enumerate(paths))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode()


def serve_news(server, n: int, prefix: str = "/news", n_bytes: int | tuple[int, int] = 80_000) -> list[str]:
    """Add ``/rss.xml`` and ``n`` article pages under ``prefix`` to ``server``; returns the
    article URLs. ``n_bytes``: page size, or ``(lo, hi)`` for sizes spread evenly over that range."""
    lo, hi = n_bytes if isinstance(n_bytes, tuple) else (n_bytes, n_bytes)
    paths = [f"{prefix}/{i}.html" for i in range(n)]
    body = {p: article_page(f"Berita kota nomor {i} dari {server.port}", lo + (hi - lo) * i // max(1, n - 1), seed=i)
            for i, p in enumerate(paths)}
    for p in paths:
        server.add(p, body[p])
    server.add("/rss.xml", rss(server.base, paths), content_type="application/rss+xml")
    return [server.url(p) for p in paths]


def write_config(root: Path, sources: list, delay_s: float, **fetch) -> str:
    """Write ``root/config`` (sources with ``allow_private_network``, one feed each) and return it."""
    cdir = Path(root) / "config"
    cdir.mkdir(parents=True, exist_ok=True)
    src = [{"id": sid, "name": sid, "homepage": f"{s.base}/", "language": "id", "feeds": [f"{s.base}/rss.xml"],
            "allow_private_network": True} for sid, s in sources]
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": src}))
    (cdir / "topics.yaml").write_text(yaml.safe_dump({"topics": [{"id": "kota", "name": "Kota", "terms": {"id": ["kota"]}}]}))
    data = Path(root) / "data"
    (cdir / "settings.yaml").write_text(yaml.safe_dump({
        "data_dir": str(data), "db_path": str(data / "m.duckdb"), "reports_dir": str(Path(root) / "reports"),
        "fetch": {"per_host_delay_s": delay_s, "retries": 0, **fetch}}))
    return str(cdir)


@contextlib.contextmanager
def cpu_hog(n: int = 2):
    """Run ``n`` busy-loop processes for the duration of the block (each stopped by its pid)."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(max(0, n))]
    try:
        yield procs
    finally:
        for p in procs:
            p.send_signal(signal.SIGKILL)
        for p in procs:
            p.wait()


def host_gaps(server) -> list[float]:
    """Gaps (s) between consecutive request arrivals on ``server`` (server-side clock)."""
    ts = sorted(h.t for h in server.hits())
    return [b - a for a, b in zip(ts, ts[1:])]


def start_workers(args_list: list[list[str]], go_file: Path) -> list[subprocess.Popen]:
    """Start one worker process per argument list (``['fetch', ...]`` or ``['run', ...]``)
    waiting on ``go_file``; create ``go_file`` to release them."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    return [subprocess.Popen([sys.executable, str(Path(__file__).resolve()), *a[:1], *a[1:3], str(go_file), *a[3:]],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for a in args_list]


def wait_workers(procs: list[subprocess.Popen], timeout: float = 300) -> list[dict]:
    """Wait for the workers; returns each one's JSON result. Raises RuntimeError with its
    stderr when one fails."""
    out = []
    for p in procs:
        so, se = p.communicate(timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError(f"worker {p.args} failed ({p.returncode}): {se[-3000:]}")
        out.append(json.loads(so.strip().splitlines()[-1]))
    return out


def _wait_go(go: str) -> None:
    while not os.path.exists(go):
        time.sleep(0.01)


def _main(argv: list[str]) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from mediamon import stages
    from mediamon.runtime import make_fetcher

    mode, cdir, arg, go, *rest = argv
    cfg = stages.load_config(cdir)
    if mode == "fetch":
        f = make_fetcher(cfg, cfg.source(arg))
        _wait_go(go)
        rs = f.fetch_many(rest, source_id=arg)
        print(json.dumps({"outcomes": [r.outcome for r in rs], "robots_logged": len(f.pop_robots_results())}))
        return 0
    if mode == "run":
        run_id = arg
        ids = [s.id for s in cfg.sources]
        _wait_go(go)
        t0 = time.monotonic()
        with ThreadPoolExecutor(len(ids)) as ex:
            disc = list(ex.map(lambda s: stages.discover(s, run_id, cdir), ids))
        for attempt in range(200):  # plan runs in a 1-slot DuckDB pool in Airflow: wait for the lock
            try:
                plan = stages.plan(run_id, cdir, discovered=disc)
                break
            except Exception as e:  # noqa: BLE001 - duckdb lock conflict with another worker
                if "lock" not in str(e).lower() or attempt == 199:
                    raise
                time.sleep(0.05)
        with ThreadPoolExecutor(len(ids)) as ex:
            fx = list(ex.map(lambda p: stages.fetch_extract(p["source_id"], run_id, cdir, planned=p), plan))
        print(json.dumps({"discover": disc, "plan": plan, "fetch": fx, "wall_s": time.monotonic() - t0}, default=str))
        return 0
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
