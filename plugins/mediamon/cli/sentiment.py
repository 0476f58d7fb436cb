"""``mediamon sentiment [score]`` (one text per stdin line -> JSON lines) and
``mediamon sentiment train --data labelled.tsv --lang L --out DIR`` (fit a ``trained`` model).

``train`` reads a labelled TSV (``text<TAB>label`` or a header with ``text`` and ``label``
columns; see :func:`mediamon.enrich.sentiment.trained.read_labelled`), fits the scikit-learn model
of :mod:`mediamon.enrich.sentiment.trained` (CPU; minutes for tens of thousands of texts), fits its
label thresholds on 5-fold out-of-fold scores and writes ``DIR/model.joblib`` and ``DIR/meta.json``.
It prints one JSON summary line (language, rows used, rows skipped, cross-validated macro-F1,
thresholds, output directory). Skipped rows are reported on stderr (first 10). Use the model with
``settings.sentiment_backends: {L: trained}`` and ``settings.sentiment_model_dir: DIR``, or
``mediamon sentiment --backend trained --model-dir DIR``.

Exit status: 0 done; 2 bad input (unreadable file, too few rows or labels, a bad ``--lang``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mediamon.config.checks import SENTIMENT_BACKENDS


def cmd_sentiment(a) -> int:
    from mediamon.config import config_dir_from_env, load_config
    from mediamon.enrich.sentiment import cli as sentiment_cli

    if a.action == "train":
        return cmd_train(a)
    argv = []
    cdir = a.config or str(config_dir_from_env())
    if Path(cdir, "sources.yaml").exists():
        argv += ["--config-dir", cdir]  # honours settings.sentiment_backends / onnx_model_dir / sentiment_model_dir
    if a.lang:
        argv += ["--lang", a.lang]
    if a.backend:
        argv += ["--backend", a.backend]
    if a.profile:
        argv += ["--domain", a.profile]
    if a.model_dir:
        argv += ["--model-dir", a.model_dir]
    return sentiment_cli.main(argv, load_settings=lambda d: load_config(d).settings)


def cmd_train(a) -> int:
    from mediamon.enrich.sentiment import normalize_language
    from mediamon.enrich.sentiment.trained import TrainingDataError, read_labelled, save_model, train_model

    if not a.data or not a.out or not a.lang:
        print("error: sentiment train needs --data FILE, --lang L and --out DIR", file=sys.stderr)
        return 2
    try:
        lang = normalize_language(a.lang)
        texts, labels, problems = read_labelled(a.data)
        for msg in problems[:10]:
            print(f"skipped: {msg}", file=sys.stderr)
        if len(problems) > 10:
            print(f"skipped: ... and {len(problems) - 10} more rows", file=sys.stderr)
        model, info = train_model(texts, labels, folds=a.folds)
    except (TrainingDataError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = save_model(model, info, a.out, lang, source=Path(a.data).name)
    print(json.dumps({"language": lang, "rows": len(texts), "skipped": len(problems),
                      "cv_macro_f1": info["cv_macro_f1"], "thresholds": info["thresholds"], "out": str(out)}))
    return 0


def register(sub) -> None:
    """Add the ``sentiment`` subcommand (score | train) to ``sub`` (argparse subparsers)."""
    s = sub.add_parser("sentiment", help="score one text per stdin line (JSON lines out), or train a model")
    s.add_argument("action", nargs="?", choices=["score", "train"], default="score",
                   help="score (default): stdin lines -> JSON lines; train: fit a model on labelled TSV")
    s.add_argument("--lang", help="language of every line (default: detect per line); for train: the model's language")
    s.add_argument("--backend", choices=SENTIMENT_BACKENDS, help="backend (default: configured per language)")
    s.add_argument("--profile", choices=["calibrated", "news"], help="label thresholds (default: settings.sentiment_profile, 'calibrated')")
    s.add_argument("--model-dir", help="trained model directory for --backend trained (default: settings.sentiment_model_dir)")
    s.add_argument("--data", help="train: labelled TSV (text<TAB>label, or a header with text and label columns)")
    s.add_argument("--out", help="train: output directory (model.joblib, meta.json)")
    s.add_argument("--folds", type=int, default=5, help="train: cross-validation folds for the thresholds (default 5)")
    s.set_defaults(func=cmd_sentiment)
