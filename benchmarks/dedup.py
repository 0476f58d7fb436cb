"""Benchmark for mediamon.analytics.stories story clustering: quality and throughput on synthetic articles.

Synthetic set, built at run time (nothing downloaded, no shared data):
- a first-order word Markov chain trained on the invented wire texts in ``tests/test_dedup.py``
  generates distinct "stories" of ~3,000 characters. Because all stories come from the same
  small vocabulary and chain, they share many word pairs and short phrases (hard negatives,
  like different stories on one topic);
- 20% of stories are follow-ups reusing 40% of the previous story's sentences as
  background (hard negatives: different stories sharing paragraphs);
- each story gets 0-4 syndicated copies: every sentence dropped with probability ``p_drop``,
  1-2 new sentences inserted (own intro, boilerplate), a few words substituted.

Reports pairwise precision / recall / F1 of ``cluster_stories`` against the true story labels
at several thresholds, and throughput (articles/s) of ``cluster_stories`` on 10,000 articles
with signatures computed from text vs. read from stored bytes (the pipeline's case). The two
clusterings are timed alternately (order swapped every repeat) over ``--repeats`` repeats
(default 5); reported: min and median time of each, and the ratio text/stored within one
repeat as min and median over repeats.

Incremental stories (issue 11, ``--incremental``): the time and peak memory (RSS) of one
enrich-stage story update (:func:`mediamon.enrichment.update_stories`: band keys, candidate
join, exact verification, writes, cross-language links) adding ``--new`` articles to a DuckDB
store holding each of ``--stored`` articles. Every store holds the same 2,000 recent generated
articles (:class:`ZipfGenerator`), clustered by the pipeline, of which 10 % of the new articles are copies;
the rest of the history is *filler*: rows written by SQL with the footprint of a clustered
article (article, placement, story, 42 random band keys, 15 line hashes, 25 fingerprint tokens
from a skewed vocabulary) spread over the 365 days before, i.e. unrelated stored articles. Each
timed run is a subprocess (peak RSS of its own) that rolls its transaction back, so repeats see
the same store; sizes alternate within each repeat; reported: min/median per size and the ratio
to the smallest size within a repeat.

Usage::

    .venv/bin/python benchmarks/dedup.py --incremental --stored 10000,1000000 --new 10000 --repeats 3
    .venv/bin/python benchmarks/dedup.py            # full run (~3-5 min on 2 cores)
    .venv/bin/python benchmarks/dedup.py --quick    # smaller sets
    .venv/bin/python benchmarks/dedup.py --repeats 3
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from mediamon.analytics.stories import cluster_stories  # noqa: E402
from mediamon.enrich.dedup import content_hash, signature  # noqa: E402


def _seed_texts() -> list[str]:
    spec = importlib.util.spec_from_file_location("_test_dedup_texts", ROOT / "tests" / "test_dedup.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return list(mod.WIRE) + list(mod.OTHER)


class Generator:
    """First-order Markov chain over words of the seed texts."""

    def __init__(self, texts: list[str], rng: random.Random):
        self.rng = rng
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for t in texts:
            for sent in re.split(r"(?<=[.!?])\s+", t):
                words = sent.split()
                if len(words) < 3:
                    continue
                self.starts.append(words[0])
                for a, b in zip(words, words[1:]):
                    self.next[a].append(b)
        self.vocab = sorted({w for t in texts for w in t.split()})

    def sentence(self) -> str:
        w = self.rng.choice(self.starts)
        out = [w]
        target = self.rng.randint(14, 32)
        while len(out) < target:
            nxt = self.next.get(w)
            w = self.rng.choice(nxt) if nxt else self.rng.choice(self.vocab)
            out.append(w)
        s = " ".join(out).rstrip(",;:-")
        return s if s.endswith((".", "!", "?")) else s + "."

    def story(self, chars: int = 3000) -> list[str]:
        sents: list[str] = []
        while sum(len(s) + 1 for s in sents) < chars:
            sents.append(self.sentence())
        return sents

    def copy(self, sents: list[str], p_drop: float, n_insert: int, n_subst: int) -> list[str]:
        out = [s for s in sents if self.rng.random() >= p_drop] or sents[:1]
        for _ in range(n_insert):
            out.insert(self.rng.choice([0, len(out)]), self.sentence())
        for _ in range(n_subst):
            i = self.rng.randrange(len(out))
            words = out[i].split()
            words[self.rng.randrange(len(words))] = self.rng.choice(self.vocab)
            out[i] = " ".join(words)
        return out


def to_text(sents: list[str], rng: random.Random) -> str:
    paras, cur = [], []
    for s in sents:
        cur.append(s)
        if len(cur) >= rng.randint(2, 3):
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return "\n".join(paras)


def build_set(gen: Generator, n_articles: int, rng: random.Random, p_drop: float, max_copies: int = 4, p_followup: float = 0.2):
    """Returns (articles, truth: article_id -> story label).

    With probability ``p_followup`` a story is a *follow-up* of the previous one: it reuses
    40% of the previous story's sentences as background (a different story that must
    not be joined: the hard negatives)."""
    arts, truth = [], {}
    s = 0
    prev: list[str] | None = None
    while len(arts) < n_articles:
        base = gen.story()
        if prev and rng.random() < p_followup:
            k = int(len(prev) * 0.4)
            background = prev[-k:]
            base = base[: len(base) - k] + background
        prev = base
        versions = [base] + [
            gen.copy(base, p_drop, rng.randint(1, 2), rng.randint(0, 3)) for _ in range(rng.randint(0, max_copies))
        ]
        for v_i, v in enumerate(versions):
            if len(arts) >= n_articles:
                break
            aid = f"s{s:05d}-v{v_i}"
            day = rng.randint(1, 28)
            arts.append({
                "article_id": aid,
                "text": to_text(v, rng),
                "published_at": f"2025-01-{day:02d}T{rng.randint(0, 23):02d}:00:00Z" if rng.random() < 0.9 else None,
                "fetched_at": f"2025-02-01T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z",
            })
            truth[aid] = s
        s += 1
    return arts, truth


def pair_scores(pred: dict[str, str], truth: dict[str, int]) -> tuple[float, float, float]:
    def pairs(labels: dict) -> set[tuple[str, str]]:
        groups = defaultdict(list)
        for k, v in labels.items():
            groups[v].append(k)
        return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}

    p_pred, p_true = pairs(pred), pairs(truth)
    tp = len(p_pred & p_true)
    prec = tp / len(p_pred) if p_pred else 1.0
    rec = tp / len(p_true) if p_true else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


RECENT = 2000
DAY0 = "2025-03-01"


class ZipfGenerator(Generator):
    """Texts of words drawn from a 40,000-word Zipf vocabulary (rank r has weight 1/r): unrelated
    texts share about as few word triples as unrelated news reports do. The Markov generator's
    small vocabulary makes every pair of texts share phrases (fine for quality, not for load)."""

    def __init__(self, rng: random.Random, n_words: int = 40_000):
        self.rng = rng
        sylls = ["ka", "ri", "to", "ma", "se", "lu", "an", "po", "di", "ne", "ba", "gu", "te", "sa", "mo", "el"]
        words: set[str] = set()
        while len(words) < n_words:
            words.add("".join(rng.choice(sylls) for _ in range(rng.randint(1, 4))))
        self.vocab = sorted(words)
        rng.shuffle(self.vocab)
        cum, acc = [], 0.0
        for r in range(1, n_words + 1):
            acc += 1.0 / r
            cum.append(acc)
        self.cum = cum

    def sentence(self) -> str:
        words = self.rng.choices(self.vocab, cum_weights=self.cum, k=self.rng.randint(14, 32))
        return " ".join(words).capitalize() + "."


def _records(texts: list[tuple[str, str]], day: str, rng: random.Random) -> list[dict]:
    from mediamon.enrich.dedup import signature as sig

    out = []
    for url, text in texts:
        t = f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+00:00"
        out.append({"canonical_url": url, "url": url, "source_id": f"src{rng.randint(0, 49)}", "title": text[:60], "text": text,
                    "authors": [], "editor": None, "published_at": t, "modified_at": None, "day": day, "language": "en",
                    "tags": [], "categories": [], "image": None, "syndication": None, "credits": {}, "methods": {},
                    "content_hash": content_hash(text), "minhash": sig(text), "n_chars": len(text), "replacement_chars": 0,
                    "fetched_at": t, "extractor_version": "bench", "run_id": "bench"})
    return out


def build_store(path: Path, n_stored: int, n_new: int, seed: int) -> None:
    """The benchmark store: filler history, RECENT clustered real articles, and the new articles
    (loaded, not yet clustered). Same real texts for every size (same seed)."""
    import duckdb

    from mediamon import store
    from mediamon.config.models import Settings
    from mediamon.enrichment import update_stories
    from mediamon.runtime import DuckDBSession
    from datetime import datetime, timezone

    rng = random.Random(seed)
    gen = ZipfGenerator(rng)
    recent = [(f"https://recent.example/{i}", to_text(gen.story(), rng)) for i in range(RECENT)]
    new = []
    for i in range(n_new):
        if i % 10 == 0:  # a copy of a recent story: new intro, dropped sentences, a few words changed
            base = recent[rng.randrange(RECENT)][1].replace("\n", " ")
            sents = re.split(r"(?<=[.!?])\s+", base)
            new.append((f"https://new.example/{i}", to_text(gen.copy(sents, 0.1, 1, 2), rng)))
        else:
            new.append((f"https://new.example/{i}", to_text(gen.story(), rng)))
    filler = n_stored - RECENT
    with duckdb.connect(str(path)) as con:
        store.ensure_schema(con)
        con.execute(f"""
            CREATE TEMP TABLE f AS SELECT i, 'f' || i AS aid,
                   (DATE '{DAY0}' - 365 + CAST(floor(i * 365.0 / {max(filler, 1)}) AS INTEGER)) AS day
            FROM range({filler}) t(i);
            INSERT INTO articles (article_id, canonical_url, url, source_id, title, text, published_at, day, language,
                                  content_hash, fetched_at, first_seen_at, extractor_version)
            SELECT aid, 'https://filler.example/' || i, 'https://filler.example/' || i, 'src' || (i % 50), 'filler ' || i,
                   'filler text ' || i, CAST(day AS TIMESTAMPTZ) + INTERVAL 6 HOUR, day, CASE WHEN i % 3 = 0 THEN 'id' ELSE 'en' END,
                   md5(aid), CAST(day AS TIMESTAMPTZ) + INTERVAL 7 HOUR, CAST(day AS TIMESTAMPTZ) + INTERVAL 7 HOUR, 'filler'
            FROM f ORDER BY i;
            INSERT INTO article_stories SELECT aid, aid, NULL, 1, now() FROM f ORDER BY i;
            INSERT INTO stories SELECT aid, CAST(day AS TIMESTAMPTZ), CAST(day AS TIMESTAMPTZ), day, [day], 1, 1, ['en'],
                   aid, 'filler ' || i, NULL FROM f ORDER BY i;
            INSERT INTO story_bands SELECT CAST(hash(aid || '/' || b) >> 1 AS BIGINT), aid, day FROM f, range(42) r(b) ORDER BY i;
            INSERT INTO story_lines SELECT 'src' || (i % 50), CAST(hash(aid || ':' || l) >> 1 AS BIGINT), aid FROM f, range(15) r(l) ORDER BY i;
            INSERT INTO story_entities SELECT 't' || CAST(pow(random(), 3) * 200000 AS INTEGER), aid, day,
                   CASE WHEN i % 3 = 0 THEN 'id' ELSE 'en' END FROM f, range(25) r(k) ORDER BY i;
        """)
    with store.connect(path) as con:
        recs = _records(recent, DAY0, rng)
        store.upsert_articles(con, recs)
        rows = store.articles_to_enrich(con, run_id="bench")
        update_stories(DuckDBSession(con), rows, Settings(), datetime(2025, 3, 2, tzinfo=timezone.utc), run_id="recent")
        store.upsert_articles(con, _records(new, DAY0, rng))


def time_run(path: Path) -> tuple[float, int, dict]:
    """One timed update_stories over the store's unclustered articles, rolled back: (seconds, peak RSS bytes, counts)."""
    import resource

    from mediamon import store
    from mediamon.config.models import Settings
    from mediamon.enrichment import update_stories
    from mediamon.runtime import DuckDBSession
    from datetime import datetime, timezone

    import duckdb

    con = duckdb.connect(str(path))
    con.execute(store.sql("session_timezone"), {"tz": "UTC"})
    rows = [r for r in store.articles_to_enrich(con, run_id="bench") if r["canonical_url"].startswith("https://new.")]
    con.begin()
    t0 = time.perf_counter()
    counts = update_stories(DuckDBSession(con), rows, Settings(), datetime(2025, 3, 2, tzinfo=timezone.utc), run_id="new")
    dt = time.perf_counter() - t0
    con.rollback()
    con.close()
    return dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, counts


def incremental(a) -> int:
    import json
    import subprocess
    import tempfile

    sizes = [int(x) for x in a.stored.split(",")]
    tmp = Path(a.workdir or tempfile.mkdtemp(prefix="mediamon-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    paths = {}
    for n in sizes:
        paths[n] = tmp / f"stored{n}.duckdb"
        if not paths[n].exists():
            t0 = time.perf_counter()
            build_store(paths[n], n, a.new, a.seed)
            print(f"built store with {n} stored articles in {time.perf_counter() - t0:.0f} s: {paths[n]} "
                  f"({paths[n].stat().st_size / 1e9:.2f} GB)", flush=True)
    times: dict[int, list[float]] = {n: [] for n in sizes}
    rss: dict[int, list[int]] = {n: [] for n in sizes}
    for rep in range(a.repeats):
        for n in (sizes if rep % 2 == 0 else sizes[::-1]):
            out = subprocess.run([sys.executable, __file__, "--time-run", str(paths[n])], capture_output=True, text=True, check=True)
            dt, peak, counts = json.loads(out.stdout.strip().splitlines()[-1])
            times[n].append(dt)
            rss[n].append(peak)
            print(f"  repeat {rep + 1}: {n:>9} stored: {dt:7.2f} s, peak RSS {peak / 1e6:7.0f} MB, {counts}", flush=True)
    base = sizes[0]
    print(f"\n# incremental story update adding {a.new} articles ({a.repeats} repeats, sizes alternating)")
    for n in sizes:
        ratios = [t / b for t, b in zip(times[n], times[base])]
        print(f"{n:>9} stored: min {min(times[n]):7.2f} s  median {statistics.median(times[n]):7.2f} s  "
              f"peak RSS max {max(rss[n]) / 1e6:6.0f} MB  ratio to {base}: median {statistics.median(ratios):.2f}x "
              f"min {min(ratios):.2f}x [{' '.join(f'{r:.2f}' for r in ratios)}]")
    return 0


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 3 and sys.argv[1] == "--time-run":
        import json

        print(json.dumps(time_run(Path(sys.argv[2]))))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incremental", action="store_true", help="incremental story update benchmark (issue 11)")
    ap.add_argument("--stored", default="10000,1000000", help="stored history sizes, comma-separated (first = baseline)")
    ap.add_argument("--new", type=int, default=10_000, help="articles added by the timed run")
    ap.add_argument("--workdir", help="directory for the benchmark stores (kept; reused when present)")
    ap.add_argument("--quality-articles", type=int, default=2000)
    ap.add_argument("--speed-articles", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--quick", action="store_true", help="500 / 2,000 articles")
    ap.add_argument("--repeats", type=int, default=5, help="timed repeats of the two clusterings (alternating)")
    a = ap.parse_args(argv)
    if a.repeats < 1:
        ap.error("--repeats must be >= 1")
    if a.incremental:
        return incremental(a)
    if a.quick:
        a.quality_articles, a.speed_articles = 500, 2000
    rng = random.Random(a.seed)
    gen = Generator(_seed_texts(), rng)

    print(f"# quality: pairwise precision/recall over {a.quality_articles} articles (seed {a.seed})")
    print(f"{'edits':<28} {'thr':>4} {'prec':>6} {'recall':>6} {'F1':>6} {'stories':>8} {'true':>6}")
    for label, p_drop in (("light (drop 10% sentences)", 0.10), ("heavy (drop 30% sentences)", 0.30)):
        arts, truth = build_set(gen, a.quality_articles, rng, p_drop)
        for thr in (0.3, 0.4, 0.5, 0.6, 0.7):
            pred = cluster_stories(arts, threshold=thr)
            p, r, f = pair_scores(pred, truth)
            print(f"{label:<28} {thr:>4.1f} {p:>6.3f} {r:>6.3f} {f:>6.3f} {len(set(pred.values())):>8} {len(set(truth.values())):>6}")

    arts, truth = build_set(gen, a.speed_articles, rng, 0.10)
    mean_chars = sum(len(x["text"]) for x in arts) / len(arts)
    print(f"\n# throughput: {len(arts)} articles, mean {mean_chars:.0f} chars")
    t0 = time.perf_counter()
    stored = [{**x, "signature": signature(x["text"]), "content_hash": content_hash(x["text"])} for x in arts]
    t_sig = time.perf_counter() - t0
    times: dict[str, list[float]] = {"text": [], "stored": []}
    preds: dict[str, dict] = {}
    for rep in range(a.repeats):
        for name in (("text", "stored") if rep % 2 == 0 else ("stored", "text")):
            t0 = time.perf_counter()
            preds[name] = cluster_stories(arts if name == "text" else stored)
            times[name].append(time.perf_counter() - t0)
    pred = preds["text"]
    assert pred == preds["stored"], "stored signatures must give the same stories"
    p, r, f = pair_scores(pred, truth)
    med = {k: statistics.median(v) for k, v in times.items()}
    ratios = [t / s for t, s in zip(times["text"], times["stored"])]
    print(f"({a.repeats} repeats, alternating order; rates from the median time)")
    print(f"cluster_stories from text           : min {min(times['text']):7.2f} s  median {med['text']:7.2f} s"
          f"  {len(arts) / med['text']:8.0f} articles/s")
    print(f"signature()+content_hash() per text : {t_sig:7.2f} s  {len(arts) / t_sig:8.0f} articles/s  (once)")
    print(f"cluster_stories, stored signatures  : min {min(times['stored']):7.2f} s  median {med['stored']:7.2f} s"
          f"  {len(arts) / med['stored']:8.0f} articles/s")
    print(f"ratio text/stored                   : median {statistics.median(ratios):.2f}x  min {min(ratios):.2f}x"
          f"  max {max(ratios):.2f}x  [{' '.join(f'{x:.2f}' for x in ratios)}]")
    print(f"quality on this set (thr 0.5)       : precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
