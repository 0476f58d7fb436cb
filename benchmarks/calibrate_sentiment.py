"""Calibrate the two label thresholds per (language, backend) and write data/thresholds.json.

Usage::

    .venv/bin/python benchmarks/calibrate_sentiment.py [--shared ../shared] [--dry-run] [--cv-only]
                                                       [--onnx-model-dir DIR]

Procedure (documented; only two numbers per language and backend are derived from data, no
lexicon entry and no other parameter is):

1. Score every text of the calibration split with ``mediamon.enrich.sentiment.score_text`` (the same
   sentence splitting and aggregation as production): Indonesian -> ``nusax_ind_train.csv``,
   English -> ``nusax_eng_train.csv`` (NusaX-Senti train, 500 texts each, from ``../shared``),
   for each language's default backend and, for English, also plain ``vader``.
2. Grid-search ``neg_below`` in [-0.80, 0.10] and ``pos_above`` in [-0.10, 0.80] (step 0.01,
   ``neg_below < pos_above``): label = negative if score < neg_below, positive if score >
   pos_above, else neutral.
3. Objective: macro-F1 (3 classes) averaged over the 5x5 neighbourhood (+-0.02) of each grid
   point, so that a broad plateau wins over a sharp, over-fitted optimum; ties go to the pair
   closest to symmetric around 0.
4. Write ``plugins/mediamon/enrich/sentiment/data/thresholds.json``:
   ``{"thresholds": {lang: {backend: [neg_below, pos_above]}}, "profiles": {"news": ...},
   "procedure": ..., "fits": ...}``. ``thresholds`` is the ``'calibrated'`` profile (the
   default); the ``'news'`` profile is VADER's documented +-0.05 for every backend, a constant.
   Valid splits are never used for the written thresholds.

Generalisation estimate (:func:`cross_validate`, printed and stored under ``fits``, never used
to choose thresholds): 5-fold cross-validation on train+valid (600 texts per language: 500 train + 100 valid),
thresholds fitted by steps 2-3 on the four training folds only and applied to the held-out
fold; macro-F1 of the pooled out-of-fold labels, mean over 3 random fold assignments (seeds
0-2) and the per-fold mean.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from mediamon.enrich import sentiment  # noqa: E402
from mediamon.enrich.sentiment import base  # noqa: E402
from sentiment import DEFAULT_SHARED, load_set, macro_f1  # noqa: E402  (benchmarks/sentiment.py)

CALIBRATION = {"id": "nusax_ind_train", "en": "nusax_eng_train"}
HELD_OUT = {"id": "nusax_ind_valid", "en": "nusax_eng_valid"}
EXTRA_BACKENDS = {"en": ["vader"]}  # also calibrated, so that --backend vader keeps a fitted pair
# The 'news' profile is not fitted: VADER's documented compound cut-offs for every backend
# on the VADER scale (vader, vader-pattern, lexicon-id); onnx keeps its uncalibrated default.
NEWS_PROFILE = {"*": {"vader": [-0.05, 0.05], "vader-pattern": [-0.05, 0.05], "lexicon-id": [-0.05, 0.05],
                      "onnx": [-0.2, 0.2]}}
STEP = 0.01
RADIUS = 2
NEGS = np.round(np.arange(-0.80, 0.10 + 1e-9, STEP), 2)
POSS = np.round(np.arange(-0.10, 0.80 + 1e-9, STEP), 2)
CLASS = {lab: i for i, lab in enumerate(base.LABELS)}  # negative 0, neutral 1, positive 2


def grid_macro_f1(scores, gold) -> np.ndarray:
    """Macro-F1 (3 classes) of every (neg_below, pos_above) grid point, shape (len(NEGS), len(POSS));
    NaN where neg_below >= pos_above. Same labels as :func:`mediamon.enrich.sentiment.base.label_for`."""
    s = np.asarray(scores, dtype=float)
    g = np.asarray([CLASS[x] for x in gold])
    is_c = [g == c for c in range(3)]
    tot = np.array([m.sum() for m in is_c], dtype=float)
    negc = np.array([[np.sum((s < n) & is_c[c]) for c in range(3)] for n in NEGS], dtype=float)
    posc = np.array([[np.sum((s > p) & is_c[c]) for c in range(3)] for p in POSS], dtype=float)
    prn, prp = negc.sum(1)[:, None], posc.sum(1)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        f_neg = np.nan_to_num(2 * negc[:, 0][:, None] / (prn + tot[0]))
        f_pos = np.nan_to_num(2 * posc[:, 2][None, :] / (prp + tot[2]))
        tpu = tot[1] - negc[:, 1][:, None] - posc[:, 1][None, :]
        f_neu = np.nan_to_num(2 * tpu / (len(s) - prn - prp + tot[1]))
    m = (f_neg + f_pos + f_neu) / 3
    return np.where(NEGS[:, None] < POSS[None, :], m, np.nan)


def fit(scores: list[float], gold: list[str]) -> tuple[float, float, float, float]:
    """(neg_below, pos_above, smoothed macro-F1, raw macro-F1) by the documented grid search."""
    raw = grid_macro_f1(scores, gold)
    pad = np.pad(raw, RADIUS, constant_values=np.nan)
    win = np.lib.stride_tricks.sliding_window_view(pad, (2 * RADIUS + 1, 2 * RADIUS + 1))
    with warnings.catch_warnings():  # all-NaN windows (far below the diagonal) give NaN, masked next
        warnings.simplefilter("ignore", RuntimeWarning)
        smooth = np.nanmean(win, axis=(2, 3))
    smooth = np.where(np.isnan(raw), -1.0, np.round(smooth, 6))
    best = smooth.max()
    cand = np.argwhere(smooth == best)
    i, j = min(cand, key=lambda ij: abs(NEGS[ij[0]] + POSS[ij[1]]))  # tie: closest to symmetric
    return float(NEGS[i]), float(POSS[j]), float(smooth[i, j]), float(raw[i, j])


def cross_validate(scores: list[float], gold: list[str], folds: int = 5, seeds=(0, 1, 2)) -> dict:
    """k-fold CV of the whole calibration procedure: thresholds fitted on the training folds only.

    Returns ``{"pooled": mean over seeds of the macro-F1 of all out-of-fold labels, "fold_mean":
    mean over seeds and folds of per-fold macro-F1, "fold_min", "fold_max", "n", "folds"}``.
    """
    s, g = np.asarray(scores, dtype=float), list(gold)
    pooled, per_fold = [], []
    for seed in seeds:
        idx = np.random.default_rng(seed).permutation(len(s))
        pred = [None] * len(s)
        for f in range(folds):
            test = set(idx[f::folds].tolist())
            train = [i for i in range(len(s)) if i not in test]
            n, p, _, _ = fit(s[train], [g[i] for i in train])
            for i in test:
                pred[i] = base.label_for(s[i], n, p)
            t = sorted(test)
            per_fold.append(macro_f1([g[i] for i in t], [pred[i] for i in t]))
        pooled.append(macro_f1(g, pred))
    return {"pooled": round(float(np.mean(pooled)), 4), "fold_mean": round(float(np.mean(per_fold)), 4),
            "fold_min": round(float(np.min(per_fold)), 4), "fold_max": round(float(np.max(per_fold)), 4),
            "n": len(s), "folds": folds, "seeds": len(seeds)}


def scores_of(rows, lang: str, name: str) -> list[float]:
    return [sentiment.score_text(t, lang, backend=name).score for t, _ in rows]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--dry-run", action="store_true", help="print, do not write thresholds.json")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validated estimate")
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
        held = load_set(args.shared, HELD_OUT[lang])
        names = [sentiment.get_backend(lang).name] + EXTRA_BACKENDS.get(lang, []) + \
            (["onnx"] if args.onnx_model_dir else [])
        for name in names:
            b = sentiment.get_backend(lang, name)
            scores = scores_of(rows, lang, name)
            n, p, smooth, r = fit(scores, gold)
            table.setdefault(lang, {})[name] = [n, p]
            rec = {"split": split, "n": len(rows), "backend_version": b.version,
                   "macro_f1_train": round(r, 4), "macro_f1_smoothed": round(smooth, 4)}
            msg = f"{lang} {name:14} neg_below={n:+.2f} pos_above={p:+.2f} train macro-F1={r:.3f} (smoothed {smooth:.3f})"
            if not args.no_cv:
                hs = scores_of(held, lang, name)
                cv = cross_validate(scores + hs, gold + [g for _, g in held])
                rec["cv_train_plus_valid"] = cv
                msg += f"  5-fold CV on train+valid: pooled {cv['pooled']:.3f}, folds {cv['fold_mean']:.3f} " \
                       f"[{cv['fold_min']:.3f}-{cv['fold_max']:.3f}]"
            fits.setdefault(lang, {})[name] = rec
            print(msg)
    table.setdefault("*", {}).setdefault("onnx", [-0.2, 0.2])
    profiles = old.get("profiles") or {}
    profiles["news"] = NEWS_PROFILE
    out = {"thresholds": table, "profiles": profiles, "fits": fits,
           "procedure": "thresholds = the 'calibrated' profile (default; alias 'reviews'): "
                        "benchmarks/calibrate_sentiment.py grid search (step 0.01) maximising 3-class macro-F1 "
                        "smoothed over +-0.02 on the NusaX-Senti train split of each language; '*'/onnx is an "
                        "uncalibrated default. fits.*.cv_train_plus_valid: 5-fold CV of that procedure on "
                        "train+valid (report only). profiles.news: VADER's documented +-0.05 cut-offs "
                        "(Hutto & Gilbert 2014), not fitted to any data",
           "written_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if args.dry_run:
        print(json.dumps(out, indent=2))
    else:
        base.THRESHOLDS_FILE.write_text(json.dumps(out, indent=2) + "\n")
        print(f"wrote {base.THRESHOLDS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
