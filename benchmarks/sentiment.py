"""Sentiment benchmark: macro-F1 per labelled set and backend, and articles/s, in one run.

Usage::

    .venv/bin/python benchmarks/sentiment.py [--shared ../shared] [--onnx-model-dir DIR]
                                             [--articles 300] [--json out.json]

Sets (from ``../shared/sentiment``, read-only, never copied): NusaX-Senti Indonesian and
English valid splits (and train splits, which ``calibrate_sentiment.py`` uses for the
thresholds, reported for transparency), IndoNLU SmSA valid, and VADER's NYT editorial snippets
(rating/4 > 0.05 positive, < -0.05 negative, else neutral). Metric: macro-F1 over
negative/neutral/positive (unweighted mean of per-class F1).

Backends: each language's default (vader for en, lexicon-id for id) under both threshold profiles
(``reviews``: calibrated on NusaX train; ``news``: VADER's +-0.05); the row marked ``<- target``
uses the profile that fits the set (reviews for NusaX and SmSA, news for the NYT snippets),
``onnx`` when a model directory is given, and for reference ``vader-raw`` (VADER compound of
the whole text, its documented +-0.05 cut-offs).

Throughput: synthetic 3,000-character articles assembled from the sets' sentences, scored with
``score_text`` on one core (single process), for each default backend; sentence-level caches
are not used, so repeated sentences do not flatter the figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from mediamon import sentiment  # noqa: E402
from mediamon.sentiment.base import LABELS  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"


def load_set(shared: Path, name: str) -> list[tuple[str, str]]:
    """[(text, label)] of a named set under ``shared/sentiment``."""
    d = shared / "sentiment"
    if name.startswith("nusax_"):
        with open(d / f"{name}.csv", encoding="utf-8", newline="") as f:
            return [(r["text"], r["label"]) for r in csv.DictReader(f)]
    if name == "smsa_valid":
        out = []
        for line in open(d / "smsa_valid.tsv", encoding="utf-8"):
            if "\t" in line:
                t, lab = line.rstrip("\n").rsplit("\t", 1)
                out.append((t, lab.strip()))
        return out
    if name == "nyt_dev":
        out = []
        for line in open(d / "nyt_editorial_snippets_dev.tsv", encoding="utf-8"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                r = float(parts[1]) / 4
                out.append(("\t".join(parts[2:]), "positive" if r > 0.05 else "negative" if r < -0.05 else "neutral"))
        return out
    raise KeyError(name)


SETS = {  # name -> (language, target domain profile: reviews/comments or news)
    "nusax_ind_valid": ("id", "reviews"), "smsa_valid": ("id", "reviews"), "nusax_eng_valid": ("en", "reviews"),
    "nyt_dev": ("en", "news"), "nusax_ind_train": ("id", "reviews"), "nusax_eng_train": ("en", "reviews"),
}


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Unweighted mean over LABELS of per-class F1 (0 for a class with no predictions and no gold)."""
    f1s = []
    for c in LABELS:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def predict(rows, lang, backend, domain="reviews"):
    if backend == "vader-raw":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        sia = SentimentIntensityAnalyzer()
        out = []
        for t, _ in rows:
            c = sia.polarity_scores(t)["compound"]
            out.append("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral")
        return out
    return [sentiment.score_text(t, lang, backend=backend, domain=domain).label for t, _ in rows]


def make_articles(texts: list[str], lang: str, n: int, chars: int = 3000, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    sents = [s for t in texts for s in sentiment.split_sentences(t, lang) if len(s) > 20]
    arts = []
    for _ in range(n):
        buf, size = [], 0
        while size < chars:
            s = rng.choice(sents)
            buf.append(s)
            size += len(s) + 1
        arts.append(" ".join(buf)[:chars])
    return arts


def throughput(lang: str, backend: str | None, articles: list[str]) -> float:
    b = sentiment.get_backend(lang, backend)
    sentiment.score_text(articles[0], lang, backend=backend)  # warm-up (lexicon load)
    t0 = time.perf_counter()
    for a in articles:
        sentiment.score_text(a, lang, backend=backend)
    dt = time.perf_counter() - t0
    del b
    return len(articles) / dt


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--onnx-model-dir")
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-train", action="store_true", help="skip the train (calibration) splits")
    args = ap.parse_args(argv)
    if not (args.shared / "sentiment").is_dir():
        print(f"no labelled sets at {args.shared / 'sentiment'}", file=sys.stderr)
        return 2
    if args.onnx_model_dir:
        sentiment.configure(None, args.onnx_model_dir)
    results = []
    print(f"{'set':18} {'lang':4} {'backend':12} {'profile':8} {'n':>5} {'macro-F1':>8}")
    for name, (lang, target) in SETS.items():
        if args.no_train and name.endswith("_train"):
            continue
        rows = load_set(args.shared, name)
        gold = [g for _, g in rows]
        backends = [sentiment.get_backend(lang).name]
        if args.onnx_model_dir and "onnx" in sentiment.available_backends(lang):
            backends.append("onnx")
        backends.append("vader-raw")
        for b in backends:
            domains = ["-"] if b == "vader-raw" else [target] + [d for d in sentiment.DOMAINS if d != target]
            for d in domains:
                f1 = macro_f1(gold, predict(rows, lang, b, None if d == "-" else d))
                results.append({"set": name, "lang": lang, "backend": b, "profile": d, "target_profile": d == target,
                                "n": len(rows), "macro_f1": round(f1, 4)})
                note = "  (calibration split)" if name.endswith("_train") and d == "reviews" else ""
                note += "  <- target" if d == target and b != "vader-raw" else ""
                print(f"{name:18} {lang:4} {b:12} {d:8} {len(rows):5d} {f1:8.3f}{note}")
    print()
    print(f"{'throughput':18} {'lang':4} {'backend':12} {'articles':>8} {'art/s':>8}  (3,000 chars each, 1 process)")
    for lang, srcs in (("id", ["nusax_ind_train", "smsa_valid"]), ("en", ["nusax_eng_train", "nyt_dev"])):
        texts = [t for s in srcs for t, _ in load_set(args.shared, s)]
        arts = make_articles(texts, lang, args.articles)
        names = [None] + (["onnx"] if args.onnx_model_dir and "onnx" in sentiment.available_backends(lang) else [])
        for b in names:
            subset = arts if b is None else arts[: max(10, args.articles // 10)]
            rate = throughput(lang, b, subset)
            bname = b or sentiment.get_backend(lang).name
            results.append({"set": "throughput", "lang": lang, "backend": bname, "articles_per_s": round(rate, 1)})
            print(f"{'throughput':18} {lang:4} {bname:12} {len(subset):8d} {rate:8.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
