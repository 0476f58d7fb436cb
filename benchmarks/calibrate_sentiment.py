"""Calibrate the two label thresholds per (language, backend) and write data/thresholds.json.

Usage::

    .venv/bin/python benchmarks/calibrate_sentiment.py [--shared ../shared] [--dry-run]
                                                       [--onnx-model-dir DIR]

Procedure (documented; only two numbers per language and backend are derived from data, no
lexicon entry is):

1. Score every text of the calibration split with ``mediamon.sentiment.score_text`` (the same
   sentence splitting and aggregation as production): Indonesian -> ``nusax_ind_train.csv``,
   English -> ``nusax_eng_train.csv`` (NusaX-Senti train, 500 texts each, from ``../shared``).
2. Grid-search ``neg_below`` in [-0.80, 0.10] and ``pos_above`` in [-0.10, 0.80] (step 0.01,
   ``neg_below < pos_above``): label = negative if score < neg_below, positive if score >
   pos_above, else neutral.
3. Objective: macro-F1 (3 classes) averaged over the 5x5 neighbourhood (+-0.02) of each grid
   point, so that a broad plateau wins over a sharp, over-fitted optimum; ties go to the pair
   closest to symmetric around 0.
4. Write ``plugins/mediamon/sentiment/data/thresholds.json``:
   ``{"thresholds": {lang: {backend: [neg_below, pos_above]}}, "profiles": {"news": ...},
   "procedure": ..., "fits": ...}``. ``thresholds`` is the ``'reviews'`` profile; the
   ``'news'`` profile is VADER's documented +-0.05 for every backend, written as a constant.
   Valid splits are never used here; ``benchmarks/sentiment.py`` reports them.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from mediamon import sentiment  # noqa: E402
from mediamon.sentiment import base  # noqa: E402
from sentiment import DEFAULT_SHARED, load_set, macro_f1  # noqa: E402  (benchmarks/sentiment.py)

CALIBRATION = {"id": "nusax_ind_train", "en": "nusax_eng_train"}
# The 'news' profile is not fitted: VADER's documented compound cut-offs for every backend
# on the VADER scale (vader, lexicon-id); onnx keeps its uncalibrated default.
NEWS_PROFILE = {"*": {"vader": [-0.05, 0.05], "lexicon-id": [-0.05, 0.05], "onnx": [-0.2, 0.2]}}
STEP = 0.01


def _labels(scores, neg, pos):
    return [base.label_for(s, neg, pos) for s in scores]


def fit(scores: list[float], gold: list[str]) -> tuple[float, float, float, float]:
    """(neg_below, pos_above, smoothed macro-F1, raw macro-F1) by the documented grid search."""
    negs = [round(-0.80 + i * STEP, 2) for i in range(int(0.90 / STEP) + 1)]
    poss = [round(-0.10 + i * STEP, 2) for i in range(int(0.90 / STEP) + 1)]
    raw: dict[tuple[float, float], float] = {}
    for n in negs:
        for p in poss:
            if n < p:
                raw[(n, p)] = macro_f1(gold, _labels(scores, n, p))
    best = None
    for (n, p), _ in raw.items():
        neigh = [raw.get((round(n + dn * STEP, 2), round(p + dp * STEP, 2))) for dn in range(-2, 3) for dp in range(-2, 3)]
        neigh = [v for v in neigh if v is not None]
        smooth = sum(neigh) / len(neigh)
        key = (round(smooth, 6), -abs(n + p))
        if best is None or key > best[0]:
            best = (key, n, p, smooth, raw[(n, p)])
    _, n, p, smooth, r = best
    return n, p, smooth, r


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--dry-run", action="store_true", help="print, do not write thresholds.json")
    ap.add_argument("--onnx-model-dir", help="also calibrate the onnx backend with this model")
    args = ap.parse_args(argv)
    if not (args.shared / "sentiment").is_dir():
        print(f"no labelled sets at {args.shared / 'sentiment'}", file=sys.stderr)
        return 2
    if args.onnx_model_dir:
        sentiment.configure(None, args.onnx_model_dir)
    old = json.loads(base.THRESHOLDS_FILE.read_text()) if base.THRESHOLDS_FILE.exists() else {}
    table = old.get("thresholds", {})
    fits = old.get("fits", {})
    for lang, split in CALIBRATION.items():
        rows = load_set(args.shared, split)
        gold = [g for _, g in rows]
        names = [sentiment.get_backend(lang).name] + (["onnx"] if args.onnx_model_dir else [])
        for name in names:
            b = sentiment.get_backend(lang, name)
            scores = [sentiment.score_text(t, lang, backend=name, domain="reviews").score for t, _ in rows]
            n, p, smooth, r = fit(scores, gold)
            table.setdefault(lang, {})[name] = [n, p]
            fits.setdefault(lang, {})[name] = {"split": split, "n": len(rows), "backend_version": b.version,
                                               "macro_f1_train": round(r, 4), "macro_f1_smoothed": round(smooth, 4)}
            print(f"{lang} {name:12} neg_below={n:+.2f} pos_above={p:+.2f} train macro-F1={r:.3f} (smoothed {smooth:.3f})")
    table.setdefault("*", {}).setdefault("onnx", [-0.2, 0.2])
    profiles = old.get("profiles") or {}
    profiles["news"] = NEWS_PROFILE
    out = {"thresholds": table, "profiles": profiles, "fits": fits,
           "procedure": "thresholds = 'reviews' profile: benchmarks/calibrate_sentiment.py grid search (step "
                        "0.01) maximising 3-class macro-F1 smoothed over +-0.02 on the NusaX-Senti train split of "
                        "each language; '*'/onnx is an uncalibrated default. profiles.news: VADER's documented "
                        "+-0.05 cut-offs (Hutto & Gilbert 2014), not fitted to any data",
           "written_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if args.dry_run:
        print(json.dumps(out, indent=2))
    else:
        base.THRESHOLDS_FILE.write_text(json.dumps(out, indent=2) + "\n")
        print(f"wrote {base.THRESHOLDS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
