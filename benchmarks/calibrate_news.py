"""Calibrate the 'news' threshold profile on the *tune* halves of the news dev sets.

Usage::

    .venv/bin/python benchmarks/calibrate_news.py [--shared ../shared] [--dry-run]

Procedure (only two numbers per language and backend come from data): score the tune half
(``news_sets.half``) of the language's news dev sets -- English: NewsMTSC dev real-world and
multi-target, scored toward their given target with ``target_sentiment`` (key ``vader-pattern``),
and PerSenT dev articles with ``score_article_text`` (key ``vader-pattern@article``, the pair for
whole articles); Indonesian: CNBC Indonesia headlines dev, scored with ``score_article_text``
(headline as title; key ``lexicon-id``, also used for articles) -- and grid-search
the pair maximising 3-class macro-F1 (``trained.fit_thresholds``, step 0.02). The pair is written
to ``data/thresholds.json`` under ``profiles.news[lang][backend]`` with a ``fits_news`` record.
The report halves are never used here (``benchmarks/sentiment.py`` measures them).
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

from mediamon.enrich import sentiment  # noqa: E402
from mediamon.enrich.sentiment import base  # noqa: E402
from mediamon.enrich.sentiment.trained import fit_thresholds  # noqa: E402
from news_sets import load_news  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
# (language, threshold key) -> tune sets; '<backend>@article' is the pair for whole articles
TUNE_SETS = {("en", "vader-pattern"): ["newsmtsc_rw", "newsmtsc_mt"], ("en", "vader-pattern@article"): ["persent_doc"],
             ("id", "lexicon-id"): ["cnbc_id"]}  # plain vader keeps VADER's +-0.05; id articles use the headline pair


def news_score(row, lang: str, backend: str | None = None) -> float:
    """Score of one news dev row as the benchmark measures it: a PerSenT article (it has a title)
    with ``score_article_text``; a NewsMTSC sentence toward its target (``target_sentiment``,
    falling back to the sentence); a headline as an article's title."""
    if row.target and not row.title:
        t = sentiment.target_sentiment(row.text, [row.target], lang, backend=backend)
        if t is not None:
            return t[0]
    if row.title:
        return sentiment.score_article_text(row.text, lang, title=row.title, backend=backend).score
    return sentiment.score_article_text("", lang, title=row.text, backend=backend).score


def fit_news_profile(shared: Path) -> dict:
    """{(lang, key): {"thresholds": [neg_below, pos_above], "n", "macro_f1_tune", "sets"}} fitted on
    the tune halves (see module doc). Raises FileNotFoundError when a set is absent."""
    out = {}
    for (lang, key), names in TUNE_SETS.items():
        rows = [r for n in names for r in load_news(shared, n, "tune")]
        backend = key.split("@")[0]
        scores = [news_score(r, lang, backend) for r in rows]
        (lo, hi), f1 = fit_thresholds(scores, [r.label for r in rows])
        out[(lang, key)] = {"thresholds": [round(lo, 2), round(hi, 2)], "n": len(rows), "macro_f1_tune": round(f1, 4),
                            "sets": [f"{n}:tune" for n in names], "backend": backend}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    data = json.loads(base.THRESHOLDS_FILE.read_text(encoding="utf-8"))
    prof = data.setdefault("profiles", {}).setdefault("news", {})
    fits = data.setdefault("fits_news", {})
    for (lang, key), fit in fit_news_profile(args.shared).items():
        lo, hi = fit["thresholds"]
        prof.setdefault(lang, {})[key] = [lo, hi]
        fits.setdefault(lang, {})[key] = {"sets": fit["sets"], "n": fit["n"], "macro_f1_tune": fit["macro_f1_tune"],
                                          "backend_version": sentiment.get_backend(lang, fit["backend"]).version}
        print(f"{lang} {key:22} n={fit['n']} thresholds=({lo:.2f}, {hi:.2f}) tune macro-F1 {fit['macro_f1_tune']:.3f}")
    data["procedure_news"] = ("profiles.news[lang][backend]: benchmarks/calibrate_news.py, grid search (step 0.02) "
                              "maximising macro-F1 on the tune halves of the news dev sets; '<backend>@article': the "
                              "pair for whole articles (PerSenT); profiles.news['*']: VADER's +-0.05 for other backends")
    data["written_at_news"] = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    if not args.dry_run:
        base.THRESHOLDS_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
