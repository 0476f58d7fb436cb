"""``mediamon sentiment [--lang LANG] [--backend NAME] [--domain calibrated|news] [--onnx-model-dir DIR] [--config-dir DIR]``.

Reads one text per line from stdin, writes one JSON object per input line to stdout:
``{"label", "score", "language", "method", "version", "n_sentences"}``. Without ``--lang``
the language of each line is detected (mediamon.langid, else py3langid). A line that cannot
be scored gives ``{"line": n, "error": "..."}`` and processing continues; blank lines give
``{"line": n, "error": "empty text"}``. Exit status 0, or 1 if any line failed (2 for bad
arguments or configuration).

Threshold profile: ``--domain`` (alias ``--profile``) ``calibrated`` (``reviews`` is accepted as
an alias) or ``news``; default: the configured profile (``--config-dir``:
``settings.sentiment_profile``), else ``calibrated``.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import configure, configure_from_settings, detect_language, score_text


def main(argv: list[str] | None = None, stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    p = argparse.ArgumentParser(prog="mediamon sentiment", description="Score one text per stdin line; JSON lines out.")
    p.add_argument("--lang", help="ISO 639-1 language of all lines (default: detect per line)")
    p.add_argument("--backend", help="backend name: vader-pattern, vader, lexicon-id, onnx (default: per language from config)")
    p.add_argument("--onnx-model-dir", help="directory with model.onnx, tokenizer.json, config.json")
    p.add_argument("--domain", "--profile", dest="domain", choices=("calibrated", "news", "reviews"),
                   help="threshold profile (default: configured, else 'calibrated'); 'news' = VADER's +-0.05; "
                        "'reviews' = alias of 'calibrated'")
    p.add_argument("--config-dir", help="mediamon config directory (uses settings.sentiment_backends)")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    try:
        if args.config_dir:
            from mediamon.config import load_config

            configure_from_settings(load_config(args.config_dir).settings)
        if args.onnx_model_dir:
            from . import _config

            configure(_config["backends"], args.onnx_model_dir, _config["domain"])
    except Exception as e:  # noqa: BLE001 - reported, not raised
        print(f"mediamon sentiment: configuration error: {e}", file=sys.stderr)
        return 2
    failed = 0
    for n, line in enumerate(stdin, 1):
        text = line.rstrip("\r\n")
        if not text.strip():
            stdout.write(json.dumps({"line": n, "error": "empty text"}) + "\n")
            continue
        try:
            lang = args.lang or detect_language(text)[0]
            r = score_text(text, lang, backend=args.backend, domain=args.domain)
            obj = {"label": r.label, "score": r.score, "language": lang, "method": r.method, "version": r.version,
                   "n_sentences": r.n_sentences}
        except Exception as e:  # noqa: BLE001 - one bad line never sinks the others
            failed += 1
            obj = {"line": n, "error": f"{type(e).__name__}: {e}"}
        stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
