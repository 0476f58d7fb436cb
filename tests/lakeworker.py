"""Writer processes for the DuckLake multi-writer test and ``benchmarks/ducklake.py``.

- :func:`write_config(root, catalog, n_workers)`: a mediamon config dir (``store: ducklake`` with the
  given catalog, or the DuckDB file when ``catalog`` is None) whose data dir is ``root/data``; sources
  ``w0..w<n-1>`` and ``shared``; one topic (``banjir``).
- :func:`stage_run(cfg, worker, n, shared, wire)`: writes the staging batches of run ``w<worker>`` as
  ``fetch_extract`` would (typed records): ``n`` articles on the worker's own hosts
  (``w<worker>-h<0..2>.example``), ``shared`` articles on ``shared.example`` with the same canonical URLs
  and text in every worker (several writers upsert one key), and, with ``wire``, one copy of a wire story
  at a URL of the worker's own (the copies must end in one story whoever clusters last). Generated
  text (nothing from a corpus), MinHash signatures as the pipeline computes them. Returns the fetch
  results naming the batches.
- Run as a script: ``python lakeworker.py CONFIG_DIR WORKER N SHARED WIRE GO_FILE [PHASES [warm]]`` stages its
  run (with ``warm``, also opens the store once: ``open_s`` in the output), creates ``GO_FILE.ready<WORKER>``, waits until ``GO_FILE`` exists, then runs ``stages.load`` and
  (unless ``PHASES`` is ``load``) ``stages.enrich`` for it and prints one JSON line ``{"run_id", "load",
  "enrich", "load_s", "enrich_s", "conflict_retries", "end"}`` (``end``: ``time.time()`` when done).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "plugins"))

_WORDS = ("pemerintah kota warga pasar harga beras naik turun hujan deras jalan tol menteri keuangan anggaran daerah "
          "sekolah rumah sakit pelabuhan kapal nelayan petani panen gagal bagus baik buruk senang kecewa marah bantuan "
          "listrik air bersih gedung baru lama presiden gubernur bupati kecamatan desa").split()
DAY = date(2022, 2, 2)
T0 = datetime(2022, 2, 2, 3, tzinfo=timezone.utc)


def _text(seed: int, flood: bool) -> str:
    rng = random.Random(seed)
    paras = []
    for _ in range(rng.randint(4, 7)):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(30, 60))]
        if flood and not paras:
            words[3] = "banjir"
        paras.append(" ".join(words).capitalize() + ".")
    return "\n".join(paras)


def write_config(root: Path, catalog: str | None, n_workers: int) -> Path:
    """See the module doc. Returns the config dir."""
    cdir = root / "config"
    cdir.mkdir(parents=True, exist_ok=True)
    srcs = [{"id": s, "name": s.upper(), "homepage": f"https://{s}.example/", "language": "id",
             "feeds": [f"https://{s}.example/rss.xml"]} for s in [*(f"w{i}" for i in range(n_workers)), "shared"]]
    (cdir / "sources.yaml").write_text(json.dumps({"sources": srcs}), encoding="utf-8")  # JSON is YAML
    (cdir / "topics.yaml").write_text(json.dumps({"topics": [{"id": "banjir", "name": "Banjir", "terms": {"id": ["banjir"]}}]}),
                                      encoding="utf-8")
    settings = {"data_dir": str(root / "data"), "db_path": str(root / "data" / "m.duckdb"), "reports_dir": str(root / "reports"),
                "timezone": "Asia/Jakarta"}
    if catalog:
        settings.update(store="ducklake", ducklake={"catalog": catalog, "data_path": str(root / "lake"), "max_retries": 50,
                                                     "retry_wait_s": 0.05})
    (cdir / "settings.yaml").write_text(json.dumps(settings), encoding="utf-8")
    return cdir


def _article(run_id: str, source_id: str, url: str, text: str, fetched: datetime, title: str):
    from mediamon.enrich.dedup import content_hash, signature
    from mediamon.records import ArticleRecord

    return ArticleRecord(article_id=hashlib.sha1(url.encode()).hexdigest()[:16], canonical_url=url, url=url, source_id=source_id,
                         title=title, text=text, published_at=fetched - timedelta(hours=1), day=DAY, language="id",
                         content_hash=content_hash(text), minhash=signature(text), n_chars=len(text), fetched_at=fetched,
                         extractor_version="lakeworker", run_id=run_id)


def _log_row(run_id: str, source_id: str, url: str, fetched: datetime):
    from mediamon.records import FetchLogRow

    return FetchLogRow(run_id=run_id, source_id=source_id, url=url, final_url=url, host=url.split("/")[2], kind="article",
                       status=200, outcome="ok", n_bytes=30_000, elapsed_s=0.2, retries=0, robots="allowed", fetched_at=fetched)


def stage_run(cfg, worker: int, n: int, shared: int, wire: bool) -> list[dict]:
    """See the module doc."""
    from mediamon.runtime import build_runtime

    rt = build_runtime(cfg)
    run_id = f"w{worker}"
    own: list = []
    common: list = []
    for i in range(n):
        url = f"https://w{worker}-h{i % 3}.example/berita/{i:06d}.html"
        fa = T0 + timedelta(seconds=worker * 100_000 + i)
        own += [_log_row(run_id, run_id, url, fa), _article(run_id, run_id, url, _text(worker * 1_000_003 + i, i % 4 == 0), fa,
                                                           f"Berita {worker}-{i}")]
    if wire:
        url = f"https://w{worker}-h0.example/wire/ap-banjir.html"
        fa = T0 + timedelta(minutes=5 + worker)
        own += [_log_row(run_id, run_id, url, fa), _article(run_id, run_id, url, _text(424242, True), fa, "Banjir (AP)")]
    for i in range(shared):
        url = f"https://shared.example/berita/{i:06d}.html"
        fa = T0 + timedelta(hours=1, seconds=i)
        common += [_log_row(run_id, "shared", url, fa), _article(run_id, "shared", url, _text(7_000_000 + i, False), fa,
                                                                f"Bersama {i}")]
    out = [{"source_id": run_id, "batch": rt.staging.write_batch(run_id, f"fetch-{run_id}", own)}]
    if common:
        out.append({"source_id": "shared", "batch": rt.staging.write_batch(run_id, "fetch-shared", common)})
    return out


class _Count(logging.Handler):
    def __init__(self):
        super().__init__()
        self.n = 0

    def emit(self, record):
        if "commit conflict" in record.getMessage():
            self.n += 1


def main(argv: list[str]) -> int:
    cdir, worker, n, shared, wire, go = argv[0], int(argv[1]), int(argv[2]), int(argv[3]), argv[4] == "1", Path(argv[5])
    phases = argv[6] if len(argv) > 6 else "load,enrich"
    warm = len(argv) > 7 and argv[7] == "warm"
    from mediamon import stages

    counter = _Count()
    lg = logging.getLogger("mediamon.store.ducklake")
    lg.setLevel(logging.DEBUG if os.environ.get("MEDIAMON_LAKE_DEBUG") else logging.INFO)
    if os.environ.get("MEDIAMON_LAKE_DEBUG"):
        logging.basicConfig(stream=sys.stderr, format=f"w{worker} %(relativeCreated)d %(message)s")
    lg.addHandler(counter)
    cfg = stages.load_config(cdir)
    fetched = stage_run(cfg, worker, n, shared, wire)
    if warm:  # open the store before the start signal (DuckLake: extensions loaded, lake attached, schema there)
        import pyarrow  # noqa: F401 - imported by the first bulk write; not part of the timed work

        from mediamon.runtime import build_runtime

        t = time.perf_counter()
        with build_runtime(cfg).store.session():
            pass
        t_open = time.perf_counter() - t
    else:
        t_open = None
    go.with_name(f"{go.name}.ready{worker}").touch()
    while not go.exists():
        time.sleep(0.01)
    run_id = f"w{worker}"
    t = time.perf_counter()
    load = stages.load(run_id, cdir, fetched=fetched)
    t_load = time.perf_counter() - t
    enrich, t_enrich = None, 0.0
    if "enrich" in phases:
        t = time.perf_counter()
        enrich = stages.enrich(run_id, cdir)
        t_enrich = time.perf_counter() - t
    print(json.dumps({"run_id": run_id, "load": load, "enrich": enrich, "load_s": t_load, "enrich_s": t_enrich,
                      "conflict_retries": counter.n, "end": time.time(), "open_s": t_open}, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
