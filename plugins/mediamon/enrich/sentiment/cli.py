"""``mediamon sentiment [--lang LANG] [--backend NAME] [--domain calibrated|news] [--onnx-model-dir DIR] [--config-dir DIR]``.

Reads one text per line from stdin (UTF-8) and writes one JSON object per non-empty input line
to stdout, in input order::

    {"line": 3, "label": "positive", "score": 0.61, "language": "en", "method": "vader-pattern",
     "version": "...", "n_sentences": 2}

``line`` is the 1-based line number in the input. Empty (whitespace-only) lines are skipped:
they produce no output, but still count for ``line``, so output objects always point at their
input line.

Language: ``--lang`` applies to every line and is normalised by
:func:`mediamon.enrich.sentiment.normalize_language` (``EN`` -> ``en``, ``id-ID``/``in`` -> ``id``);
without it each line's language is detected (mediamon.enrich.langid, else py3langid), e.g. ``und``
for an emoji-only line.

A line that cannot be scored (its language has no backend, e.g. ``--lang fr`` or a detected
``und``; a backend failure) does not stop processing: it gives
``{"line": n, "language": "...", "error": "<message>"}`` and the next line is read.

Exit status: 0 when every non-empty line produced an output object (error objects included);
1 when some line produced none (an object could not be written); 2 for bad arguments or
configuration (unknown ``--backend`` or ``--domain``, a ``--lang`` that is not a language code,
an unreadable ``--config-dir``) -- then nothing is read.

Threshold profile: ``--domain`` (alias ``--profile``) ``calibrated`` (``reviews`` is accepted as
an alias) or ``news``; default: the configured profile (``--config-dir``:
``settings.sentiment_profile``), else ``calibrated``.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import KNOWN_BACKENDS, configure, configure_from_settings, default_config, detect_language, normalize_language, score_text


def _score_line(n: int, text: str, lang: str | None, backend: str | None, domain: str | None) -> dict:
    """One output object for input line ``n``; never raises for a bad line."""
    language = lang
    try:
        if language is None:
            language = detect_language(text)[0]
        r = score_text(text, language, backend=backend, domain=domain)
    except Exception as e:  # noqa: BLE001 - one bad line never sinks the others
        return {"line": n, "language": language, "error": f"{type(e).__name__}: {e}"}
    return {"line": n, "label": r.label, "score": r.score, "language": normalize_language(language),
            "method": r.method, "version": r.version, "n_sentences": r.n_sentences}


def main(argv: list[str] | None = None, stdin=None, stdout=None, *, load_settings=None) -> int:
    """Run the CLI on ``argv`` (default ``sys.argv[1:]``), reading ``stdin`` and writing JSON
    lines to ``stdout`` (defaults: the process's). ``load_settings``: callable ``config dir ->
    Settings`` used for ``--config-dir`` (``mediamon sentiment`` passes
    ``mediamon.config.load_config(dir).settings``; enrich does not import the config package, which
    imports the topic query parser from enrich). Returns the exit status (see module doc)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    p = argparse.ArgumentParser(prog="mediamon sentiment", description="Score one text per stdin line; JSON lines out.")
    p.add_argument("--lang", help="ISO 639-1 language of all lines, case-insensitive, region ignored "
                                  "('EN', 'id-ID'); default: detect per line")
    p.add_argument("--backend", choices=KNOWN_BACKENDS,
                   help="backend name (default: per language from config)")
    p.add_argument("--onnx-model-dir", help="directory with model.onnx, tokenizer.json, config.json")
    p.add_argument("--domain", "--profile", dest="domain", choices=("calibrated", "news", "reviews"),
                   help="threshold profile (default: configured, else 'calibrated'); 'news' = VADER's +-0.05; "
                        "'reviews' = alias of 'calibrated'")
    p.add_argument("--config-dir", help="mediamon config directory (uses settings.sentiment_backends)")
    p.add_argument("--model-dir", help="directory written by 'mediamon sentiment train' (backend 'trained')")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    lang = None
    if args.lang is not None:
        try:
            lang = normalize_language(args.lang)
        except ValueError as e:
            print(f"mediamon sentiment: --lang: {e}", file=sys.stderr)
            return 2
    try:
        if args.config_dir:
            if load_settings is None:
                raise ValueError("--config-dir needs the mediamon command (mediamon sentiment --config DIR)")
            configure_from_settings(load_settings(args.config_dir))
        if args.onnx_model_dir or args.model_dir:
            cur = default_config()
            configure(cur.backends, args.onnx_model_dir or cur.onnx_model_dir, cur.domain,
                      args.model_dir or cur.trained_model_dir)
    except Exception as e:  # noqa: BLE001 - reported, not raised
        print(f"mediamon sentiment: configuration error: {e}", file=sys.stderr)
        return 2
    missing = 0
    for n, line in enumerate(stdin, 1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        obj = _score_line(n, text, lang, args.backend, args.domain)
        try:
            stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
            stdout.flush()
        except (TypeError, ValueError, UnicodeError) as e:
            missing += 1
            print(f"mediamon sentiment: line {n}: cannot write output: {e}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
