"""Sentiment benchmark: macro-F1 per labelled set and backend, and articles/s, in one run.

Usage::

    .venv/bin/python benchmarks/sentiment.py [--shared ../shared] [--onnx-model-dir DIR]
                                             [--articles 300] [--json out.json]

Sets (from ``../shared/sentiment``, read-only, never copied): NusaX-Senti Indonesian and
English valid splits (and train splits, which ``calibrate_sentiment.py`` uses for the
thresholds, reported for transparency), IndoNLU SmSA valid, and VADER's NYT editorial snippets
(rating/4 > 0.05 positive, < -0.05 negative, else neutral). Metric: macro-F1 over
negative/neutral/positive (unweighted mean of per-class F1).

Backends: each language's default (vader-pattern for en, lexicon-id for id), for English also
plain ``vader``, under both threshold profiles (``calibrated``, the default: fitted on NusaX
train; ``news``: VADER's +-0.05); the row marked ``<- default`` is the default backend with the
default profile (what ``mediamon sentiment`` and ``score_text`` give without options);
``onnx`` when a model directory is given, and for reference ``vader-raw`` (VADER compound of
the whole text, its documented +-0.05 cut-offs).

CV rows: 5-fold cross-validation of the whole calibration procedure on NusaX train+valid
(thresholds fitted on the training folds only; ``calibrate_sentiment.cross_validate``): the
honest generalisation estimate, since the valid split has only 100 texts per language.

Throughput: synthetic 3,000-character articles assembled from the sets' sentences, scored with
``score_text`` on one core (single process), for each default backend (and plain vader);
sentence-level caches are not used, so repeated sentences do not flatter the figure.
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

from mediamon.enrich import sentiment  # noqa: E402
from mediamon.enrich.sentiment.base import macro_f1  # noqa: E402  (re-exported for the other benchmarks)

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


SETS = ("nusax_ind_valid", "smsa_valid", "nusax_eng_valid", "nyt_dev", "nusax_ind_train", "nusax_eng_train")
LANG = {"nusax_ind_valid": "id", "smsa_valid": "id", "nusax_ind_train": "id",
        "nusax_eng_valid": "en", "nyt_dev": "en", "nusax_eng_train": "en"}
EXTRA = {"en": ["vader"]}


def predict(rows, lang, backend, domain="calibrated"):
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
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validated estimate")
    ap.add_argument("--news", action="store_true", help="also run benchmarks/sentiment_news.py (news dev sets, "
                                                        "old vs default vs news-calibrated, tune/report halves)")
    args = ap.parse_args(argv)
    if not (args.shared / "sentiment").is_dir():
        print(f"no labelled sets at {args.shared / 'sentiment'}", file=sys.stderr)
        return 2
    if args.onnx_model_dir:
        sentiment.configure(None, args.onnx_model_dir)
    results = []
    default_profile = sentiment.DEFAULT_DOMAIN
    print(f"{'set':18} {'lang':4} {'backend':14} {'profile':10} {'n':>5} {'macro-F1':>8}")
    for name in SETS:
        lang = LANG[name]
        if args.no_train and name.endswith("_train"):
            continue
        rows = load_set(args.shared, name)
        gold = [g for _, g in rows]
        default_backend = sentiment.get_backend(lang).name
        backends = [default_backend] + EXTRA.get(lang, [])
        if args.onnx_model_dir and "onnx" in sentiment.available_backends(lang):
            backends.append("onnx")
        backends.append("vader-raw")
        for b in backends:
            domains = ["-"] if b == "vader-raw" else list(sentiment.DOMAINS)
            for d in domains:
                f1 = macro_f1(gold, predict(rows, lang, b, None if d == "-" else d))
                is_default = b == default_backend and d == default_profile
                results.append({"set": name, "lang": lang, "backend": b, "profile": d, "default": is_default,
                                "n": len(rows), "macro_f1": round(f1, 4)})
                note = "  (calibration split)" if name.endswith("_train") and d == "calibrated" else ""
                note += "  <- default" if is_default else ""
                print(f"{name:18} {lang:4} {b:14} {d:10} {len(rows):5d} {f1:8.3f}{note}")
    if not args.no_cv:
        from calibrate_sentiment import HELD_OUT, CALIBRATION, cross_validate

        print()
        print(f"{'5-fold CV':18} {'lang':4} {'backend':14} {'profile':10} {'n':>5} {'pooled':>8} {'fold-mean':>9} "
              f"{'fold-range':>13}  (thresholds fitted on the training folds; 3 seeds)")
        for lang in ("id", "en"):
            rows = load_set(args.shared, CALIBRATION[lang]) + load_set(args.shared, HELD_OUT[lang])
            gold = [g for _, g in rows]
            for b in [sentiment.get_backend(lang).name] + EXTRA.get(lang, []):
                scores = [sentiment.score_text(t, lang, backend=b).score for t, _ in rows]
                cv = cross_validate(scores, gold)
                results.append({"set": "cv5_train+valid", "lang": lang, "backend": b, "profile": "calibrated", **cv})
                print(f"{'cv5 train+valid':18} {lang:4} {b:14} {'calibrated':10} {cv['n']:5d} {cv['pooled']:8.3f} "
                      f"{cv['fold_mean']:9.3f}   {cv['fold_min']:.3f}-{cv['fold_max']:.3f}")
    print()
    print(f"{'throughput':18} {'lang':4} {'backend':14} {'articles':>8} {'art/s':>8}  (3,000 chars each, 1 process)")
    for lang, srcs in (("id", ["nusax_ind_train", "smsa_valid"]), ("en", ["nusax_eng_train", "nyt_dev"])):
        texts = [t for s in srcs for t, _ in load_set(args.shared, s)]
        arts = make_articles(texts, lang, args.articles)
        names = [None] + EXTRA.get(lang, []) + \
            (["onnx"] if args.onnx_model_dir and "onnx" in sentiment.available_backends(lang) else [])
        for b in names:
            subset = arts if b != "onnx" else arts[: max(10, args.articles // 10)]
            rate = throughput(lang, b, subset)
            bname = b or sentiment.get_backend(lang).name
            results.append({"set": "throughput", "lang": lang, "backend": bname, "articles_per_s": round(rate, 1)})
            print(f"{'throughput':18} {lang:4} {bname:14} {len(subset):8d} {rate:8.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.news:
        import sentiment_news

        print()
        return sentiment_news.main(["--shared", str(args.shared)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
