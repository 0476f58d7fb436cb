"""Benchmark for the load stage (``stages.load``): seconds per 1,000 articles.

Synthetic run, built at run time (nothing downloaded, no shared data): ``--n`` articles from
5 invented outlets, 3-5 kB of text each (random words from a small invented vocabulary), with
one ``fetch_log`` row per article plus one feed row per outlet, written as the staging batches
``fetch_extract`` writes (typed records, ``<data_dir>/staging/<run_id>/fetch-<source>.jsonl``)
under a temporary data dir with its own config. Each repeat times, on a fresh database (reading
the batches into records included):

- ``insert``: ``stages.load`` of run A (every article new);
- ``reload``: ``stages.load`` of run B, the same canonical URLs refetched, half of them with
  changed text (new versions archived to ``article_versions``), half unchanged.

``--store PATH`` swaps in another store module (``store/duckdb.py``, or the flat ``store.py`` of older
commits; loaded by path) for the one the runtime's DuckDB adapter uses,
to measure an older implementation with the same harness, e.g. the one before issue 9::

    git show b9bcb2d:plugins/mediamon/store.py > /tmp/store_old.py
    mkdir -p /tmp/sql_old && for f in $(git ls-tree --name-only b9bcb2d sql/); do git show b9bcb2d:$f > /tmp/sql_old/$(basename $f); done
    MEDIAMON_SQL_DIR=/tmp/sql_old .venv/bin/python benchmarks/load.py --store /tmp/store_old.py
    .venv/bin/python benchmarks/load.py

The last line of each run prints a digest of the resulting tables, so two implementations can be
checked to produce the same rows (article ids, versions, URLs, first_seen_at, hashes, archived
versions, fetch_log).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from mediamon import runtime as runtime_mod  # noqa: E402
from mediamon import stages  # noqa: E402
from mediamon.records import ArticleRecord, FetchLogRow  # noqa: E402

SOURCES = [f"outlet-{i}" for i in range(5)]
_SYLL = ["ka", "ba", "ra", "ta", "na", "si", "lu", "me", "do", "pe", "ri", "ja", "wa", "ko", "gu", "an", "ng", "ter", "kan", "per"]


def _vocab(rng: random.Random, n: int = 3000) -> list[str]:
    return ["".join(rng.choice(_SYLL) for _ in range(rng.randint(1, 4))) for _ in range(n)]


def _text(rng: random.Random, vocab: list[str]) -> str:
    target = rng.randint(3000, 5000)
    paras, size = [], 0
    while size < target:
        p = " ".join(rng.choice(vocab) for _ in range(rng.randint(40, 90))).capitalize() + "."
        paras.append(p)
        size += len(p) + 1
    return "\n".join(paras)


def _write_config(root: Path) -> Path:
    cdir = root / "config"
    cdir.mkdir()
    srcs = [{"id": s, "name": s.title(), "homepage": f"https://{s}.example/", "language": "id",
             "feeds": [f"https://{s}.example/rss.xml"]} for s in SOURCES]
    (cdir / "sources.yaml").write_text(json.dumps({"sources": srcs}), encoding="utf-8")  # JSON is YAML
    (cdir / "settings.yaml").write_text(json.dumps({"data_dir": str(root / "data"), "db_path": str(root / "data" / "m.duckdb"),
                                                    "reports_dir": str(root / "reports")}), encoding="utf-8")
    return cdir


def _write_run(rt, run_id: str, n: int, texts: list[str], fetched: datetime) -> list[dict]:
    """Write the run's batches; returns fetch_extract-like results naming them."""
    by_source: dict[str, list[dict]] = {s: [] for s in SOURCES}
    for i in range(n):
        src = SOURCES[i % len(SOURCES)]
        url = f"https://{src}.example/news/{i:07d}/judul-berita-{i}"
        fa = (fetched + timedelta(seconds=i)).isoformat()
        text = texts[i]
        by_source[src].append({"type": "fetch", "run_id": run_id, "source_id": src, "url": url, "final_url": url,
                               "host": f"{src}.example", "kind": "article", "status": 200, "outcome": "ok",
                               "n_bytes": len(text.encode()) * 3, "elapsed_s": 0.21, "retries": 0, "robots": "allowed",
                               "fetched_at": fa, "content_type": "text/html", "encoding": "utf-8", "replacement_chars": 0})
        by_source[src].append({
            "type": "article", "article_id": hashlib.sha1(url.encode()).hexdigest()[:16], "canonical_url": url, "url": url,
            "source_id": src, "title": f"Judul berita nomor {i}", "text": text, "authors": ["Penulis Satu", "Penulis Dua"],
            "editor": "Redaktur", "published_at": (fetched - timedelta(hours=1)).isoformat(), "modified_at": None,
            "day": fetched.date().isoformat(), "language": "id", "tags": ["politik", "ekonomi"], "categories": ["Nasional"],
            "image": f"https://{src}.example/img/{i}.jpg", "syndication": None, "credits": {"editor": "Redaktur"},
            "methods": {"title": "jsonld", "published_at": "jsonld"}, "content_hash": hashlib.sha1(text.encode()).hexdigest(),
            "minhash": None, "n_chars": len(text), "replacement_chars": 0, "fetched_at": fa, "extractor_version": "bench",
            "run_id": run_id})
    for src, rows in by_source.items():
        rows.insert(0, {"type": "fetch", "run_id": run_id, "source_id": src, "url": f"https://{src}.example/rss.xml",
                        "kind": "feed", "status": 200, "outcome": "ok", "fetched_at": fetched.isoformat()})
        rows[:] = [(FetchLogRow if r.pop("type") == "fetch" else ArticleRecord).from_dict(r) for r in rows]
    return [{"source_id": src, "batch": rt.staging.write_batch(run_id, f"fetch-{src}", rows)} for src, rows in by_source.items()]


def _digest(db: Path) -> str:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    h = hashlib.sha1()
    for q in ("SELECT article_id, canonical_url, url, version, first_seen_at::VARCHAR, fetched_at::VARCHAR, content_hash, run_id FROM articles ORDER BY 1",
              "SELECT article_id, version, content_hash, status, fetched_at::VARCHAR FROM article_versions ORDER BY 1, 2",
              "SELECT run_id, url, kind, outcome, fetched_at::VARCHAR FROM fetch_log ORDER BY ALL"):
        for row in con.execute(q).fetchall():
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()[:12]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="articles per run (default 1000)")
    ap.add_argument("--repeat", type=int, default=5, help="repeats (fresh database each; default 5)")
    ap.add_argument("--store", help="path of another store module (store/duckdb.py or an old store.py) to use instead of mediamon.store")
    a = ap.parse_args()

    label = "mediamon.store"
    if a.store:
        spec = importlib.util.spec_from_file_location("mediamon_store_under_test", a.store)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        runtime_mod.store = mod
        label = a.store

    rng = random.Random(9)
    vocab = _vocab(rng)
    texts_a = [_text(rng, vocab) for _ in range(a.n)]
    texts_b = [t if i % 2 else t + "\nPembaruan: " + _text(rng, vocab)[:200] for i, t in enumerate(texts_a)]
    t0 = datetime(2022, 2, 2, 6, tzinfo=timezone.utc)
    kb = sum(len(t.encode()) for t in texts_a) / a.n / 1000
    print(f"store: {label}; {a.n} articles/run, mean text {kb:.1f} kB; {a.repeat} repeats")

    times: dict[str, list[float]] = {"insert": [], "reload": []}
    digest = ""
    for _ in range(a.repeat):
        root = Path(tempfile.mkdtemp(prefix="mediamon-bench-load-"))
        try:
            cdir = _write_config(root)
            cfg = stages.load_config(str(cdir))
            rt = runtime_mod.build_runtime(cfg)
            runs = {"bench-a": _write_run(rt, "bench-a", a.n, texts_a, t0),
                    "bench-b": _write_run(rt, "bench-b", a.n, texts_b, t0 + timedelta(hours=6))}
            for phase, run_id in (("insert", "bench-a"), ("reload", "bench-b")):
                t = time.perf_counter()
                out = stages.load(run_id, fetched=runs[run_id], runtime=runtime_mod.build_runtime(cfg))
                times[phase].append(time.perf_counter() - t)
                if phase == "reload":
                    assert out["updated"] == a.n and out["new_versions"] == (a.n + 1) // 2, out
                else:
                    assert out["inserted"] == a.n, out
            digest = _digest(runtime_mod.db_path(cfg))
        finally:
            shutil.rmtree(root, ignore_errors=True)
    for phase, ts in times.items():
        per_k = [t / a.n * 1000 for t in ts]
        print(f"{phase:<7} s per 1,000 articles: min {min(per_k):.3f}  median {statistics.median(per_k):.3f}"
              f"  (runs: {', '.join(f'{x:.3f}' for x in per_k)})")
    print(f"digest of resulting tables: {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
