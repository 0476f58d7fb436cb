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

Usage::

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality-articles", type=int, default=2000)
    ap.add_argument("--speed-articles", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--quick", action="store_true", help="500 / 2,000 articles")
    ap.add_argument("--repeats", type=int, default=5, help="timed repeats of the two clusterings (alternating)")
    a = ap.parse_args(argv)
    if a.repeats < 1:
        ap.error("--repeats must be >= 1")
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
