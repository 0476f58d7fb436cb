"""User-trainable sentiment: a compact scikit-learn model fitted on the user's own labelled news.

``mediamon sentiment train --data labelled.tsv --lang L --out DIR`` calls :func:`train_model` and
:func:`save_model`; the ``trained`` backend (:class:`TrainedBackend`) loads ``DIR`` (or
``DIR/<lang>/``) configured as ``Settings.sentiment_model_dir``.

Model (scikit-learn, CPU, a few minutes at most for tens of thousands of texts): TF-IDF of word
1-2-grams (sublinear tf, min_df 2) and of character 2-5-grams within word boundaries, concatenated,
into a multinomial logistic regression (lbfgs, C=4, balanced class weights). This is the
classical text-classification baseline (e.g. the TF-IDF + LR rows of the NusaX paper, Winata et
al. 2023); character n-grams cover Indonesian affixation and spelling variants. Sentence score =
P(positive) - P(negative), in [-1, 1].

Labels of a trained model come from two thresholds fitted on its own 5-fold out-of-fold scores
of the training data (the same grid search as ``benchmarks/calibrate_sentiment.py``) and stored
in ``meta.json``; they never come from ``data/thresholds.json``.

Directory layout written by :func:`save_model`::

    DIR/model.joblib   the fitted sklearn Pipeline (joblib; load only models you trained: joblib
                       files can run code when loaded, like pickle)
    DIR/meta.json      {"format": "mediamon-sentiment-trained/1", "language", "labels", "n_train",
                        "class_counts", "thresholds": [neg_below, pos_above], "cv_macro_f1",
                        "sklearn_version", "trained_at" (UTC ISO 8601), "source": data file name}
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from .base import LABELS, SentimentBackend, macro_f1

FORMAT = "mediamon-sentiment-trained/1"
MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
LABEL_ALIASES = {"pos": "positive", "neg": "negative", "neu": "neutral", "1": "positive", "0": "neutral",
                 "-1": "negative", "positif": "positive", "negatif": "negative", "netral": "neutral"}


class TrainingDataError(ValueError):
    """The labelled file cannot be used for training (message names the file and the problem)."""


def read_labelled(path: str | Path) -> tuple[list[str], list[str], list[str]]:
    """Read a labelled TSV: ``(texts, labels, problems)``.

    Accepted shapes: a header row with ``text`` and ``label`` columns (other columns ignored, e.g.
    NewsMTSC's ``target``), or headerless ``text<TAB>label`` rows (the label is the last column).
    Labels: positive/neutral/negative (also pos/neu/neg, 1/0/-1, positif/netral/negatif, any
    case). A row with an unknown label or empty text is skipped and described in ``problems``
    (``'<file>:<line>: ...'``), so one bad row never sinks a training run. Raises
    TrainingDataError when the file cannot be read.
    """
    p = Path(path)
    try:
        fh = open(p, encoding="utf-8", newline="")
    except OSError as e:
        raise TrainingDataError(f"{p}: cannot read labelled data: {e.strerror or e}") from None
    csv.field_size_limit(sys.maxsize)
    texts, labels, problems = [], [], []
    with fh:
        rows = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        first = next(rows, None)
        if first is None:
            return texts, labels, problems
        head = [c.strip().lower() for c in first]
        if "text" in head and "label" in head:
            ti, li = head.index("text"), head.index("label")
            start = 2
        else:
            ti, li = 0, -1
            rows = [first, *rows]
            start = 1
        for n, r in enumerate(rows, start):
            if len(r) < 2:
                problems.append(f"{p}:{n}: expected text<TAB>label, got {len(r)} column(s)")
                continue
            text = r[ti].strip()
            lab = r[li].strip().lower()
            lab = LABEL_ALIASES.get(lab, lab)
            if lab not in LABELS:
                problems.append(f"{p}:{n}: unknown label {r[li]!r} (expected positive/neutral/negative)")
                continue
            if not text:
                problems.append(f"{p}:{n}: empty text")
                continue
            texts.append(text)
            labels.append(lab)
    return texts, labels, problems


def build_pipeline(c: float = 4.0):
    """The untrained sklearn Pipeline (see module doc). Raises RuntimeError without scikit-learn."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, Pipeline
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise RuntimeError("sentiment training needs scikit-learn (pip install scikit-learn)") from e
    feats = FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                 lowercase=True, max_features=300_000)),
    ])
    return Pipeline([("features", feats),
                     ("clf", LogisticRegression(C=c, max_iter=2000, class_weight="balanced"))])


def _scores(model, texts: list[str]):
    import numpy as np

    proba = model.predict_proba(texts)
    cls = list(model.classes_)
    pos = proba[:, cls.index("positive")] if "positive" in cls else np.zeros(len(texts))
    neg = proba[:, cls.index("negative")] if "negative" in cls else np.zeros(len(texts))
    return pos - neg


def fit_thresholds(scores, gold: list[str], step: float = 0.02) -> tuple[tuple[float, float], float]:
    """((neg_below, pos_above), macro-F1): the pair maximising 3-class macro-F1 of ``scores``
    (floats in [-1, 1]) against ``gold`` on a ``step`` grid over [-0.9, 0.9]; ties to the pair
    nearest symmetric. Our own grid search (as benchmarks/calibrate_sentiment.py)."""
    import numpy as np

    s = np.asarray(scores, dtype=float)
    g = np.asarray(gold)
    grid = np.round(np.arange(-0.9, 0.9 + 1e-9, step), 4)
    best = (-1.0, 0.0, (-0.05, 0.05))
    for lo in grid:
        for hi in grid[grid >= lo]:
            pred = np.where(s < lo, "negative", np.where(s > hi, "positive", "neutral"))
            f = macro_f1(list(g), list(pred))
            key = (round(f, 6), -abs(lo + hi))
            if key > best[:2]:
                best = (key[0], key[1], (float(lo), float(hi)))
    return best[2], best[0]


def train_model(texts: list[str], labels: list[str], folds: int = 5, seed: int = 0) -> tuple[object, dict]:
    """Fit the pipeline on ``texts``/``labels`` and fit label thresholds on ``folds``-fold
    out-of-fold scores. Returns ``(model, info)`` with ``info`` = {"thresholds", "cv_macro_f1",
    "cv_macro_f1_argmax", "n_train", "class_counts"}. Raises TrainingDataError when fewer than
    two classes or fewer than 10 texts per fold are given."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    counts = {c: labels.count(c) for c in LABELS}
    if sum(1 for v in counts.values() if v) < 2:
        raise TrainingDataError(f"training needs at least two labels, got {counts}")
    k = max(2, min(folds, min(v for v in counts.values() if v)))
    if len(texts) < 10 * k:
        raise TrainingDataError(f"training needs at least {10 * k} labelled texts, got {len(texts)}")
    cv = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    proba = cross_val_predict(build_pipeline(), texts, labels, cv=cv, method="predict_proba")
    classes = sorted(set(labels))
    pos = proba[:, classes.index("positive")] if "positive" in classes else 0.0
    neg = proba[:, classes.index("negative")] if "negative" in classes else 0.0
    oof = pos - neg
    thr, f1 = fit_thresholds(oof, labels)
    argmax = [classes[i] for i in proba.argmax(axis=1)]
    model = build_pipeline().fit(texts, labels)
    return model, {"thresholds": list(thr), "cv_macro_f1": round(f1, 4),
                   "cv_macro_f1_argmax": round(macro_f1(labels, argmax), 4), "folds": k,
                   "n_train": len(texts), "class_counts": counts}


def save_model(model, info: dict, out_dir: str | Path, language: str, source: str = "") -> Path:
    """Write ``model.joblib`` and ``meta.json`` into ``out_dir`` (created); returns the directory."""
    import joblib
    import sklearn

    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, d / MODEL_FILE, compress=3)
    meta = {"format": FORMAT, "language": language, "labels": list(LABELS), **info,
            "sklearn_version": sklearn.__version__,
            "trained_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(), "source": source}
    (d / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return d


def resolve_trained_dir(base: str | Path, language: str | None = None) -> Path:
    """``<base>/<language>/`` if it holds a trained model, else ``<base>/``. Raises
    FileNotFoundError naming the directory when neither holds model.joblib and meta.json."""
    base = Path(base).expanduser()
    for d in ([base / language] if language else []) + [base]:
        if (d / MODEL_FILE).is_file() and (d / META_FILE).is_file():
            return d
    raise FileNotFoundError(f"trained sentiment model not found in {base}"
                            + (f" or {base / language}" if language else "") + f": need {MODEL_FILE} and {META_FILE}"
                            " (mediamon sentiment train --out DIR)")


class TrainedBackend(SentimentBackend):
    """Backend ``trained``: a model written by :func:`save_model`. Scores are P(pos) - P(neg);
    ``thresholds`` (neg_below, pos_above) come from the model's meta.json. Sentences are scored in
    one batch per call. Raises FileNotFoundError/ValueError for a missing or foreign directory."""

    name = "trained"

    def __init__(self, model_dir: str | Path):
        import joblib

        d = Path(model_dir)
        meta = json.loads((d / META_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{d / META_FILE}: not a mediamon trained sentiment model (format {meta.get('format')!r})")
        self.model = joblib.load(d / MODEL_FILE)
        self.meta = meta
        self.thresholds = tuple(float(x) for x in meta["thresholds"])
        self.languages = (meta.get("language"),) if meta.get("language") else ()
        digest = hashlib.sha1((d / MODEL_FILE).read_bytes()).hexdigest()[:10]
        self.version = f"trained-1+{digest}"

    def score_sentences(self, sentences: list[str]) -> list[float]:
        """P(positive) - P(negative) per sentence, same order; [] for []. Raises TypeError for non-str."""
        for s in sentences:
            if not isinstance(s, str):
                raise TypeError(f"score_sentences: expected str, got {type(s).__name__}")
        if not sentences:
            return []
        return [float(x) for x in _scores(self.model, sentences)]
