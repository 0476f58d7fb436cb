"""News benchmark: macro-F1 on the news dev sets per backend and profile, old vs new, and articles/s.

Usage::

    .venv/bin/python benchmarks/sentiment_news.py [--shared ../shared] [--trained-en DIR] [--train-id]
                                                  [--json out.json]

Every set is reported on its ``tune`` half (used for development choices and for the 'news'
thresholds, ``calibrate_news.py``) and its ``report`` half (never used for a choice), see
``news_sets.py``. Rows:

- ``old-default``: the backends without the news rules (``news=False``), plain sentence
  aggregation of the whole text (``score_text`` before issue 14), 'calibrated' thresholds: the
  figures before this work, kept visible;
- ``default``: the news-aware backends, profile 'calibrated' (the default profile);
- ``news-calibrated``: the same scores, profile 'news' (fitted on the tune halves);
- ``trained``: ``--trained-en DIR`` = a model from ``mediamon sentiment train`` on NewsMTSC train
  (English sets); ``--train-id`` fits one on the CNBC tune half and scores the report half
  (its thresholds come from 5-fold cross-validation on the tune half).

Scoring: NewsMTSC rows toward their target (``target_sentiment``; old-default: the sentence),
PerSenT articles with their title (``score_article_text``), CNBC headlines as titles.
Throughput: PerSenT report-half articles scored with ``score_article_text`` in one process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from mediamon.enrich import sentiment  # noqa: E402
from mediamon.enrich.sentiment.base import aggregate, contrast_multipliers, label_for, thresholds  # noqa: E402
from calibrate_news import news_score  # noqa: E402
from news_sets import NEWS_LANG, load_news  # noqa: E402
from sentiment import macro_f1  # noqa: E402  (benchmarks/sentiment.py)

DEFAULT_SHARED = ROOT.parent / "shared"
SETS = ("newsmtsc_rw", "newsmtsc_mt", "persent_doc", "cnbc_id")
OLD_NAME = {"en": "vader-pattern", "id": "lexicon-id"}


def old_backend(lang: str):
    if lang == "en":
        from mediamon.enrich.sentiment.vader_en import VaderPatternBackend

        return VaderPatternBackend(news=False)
    from mediamon.enrich.sentiment.indonesian import IndonesianLexiconBackend

    return IndonesianLexiconBackend(news=False)


def old_score(b, text: str, lang: str) -> float:
    sents = sentiment.split_sentences(text, lang)
    return aggregate(b.score_sentences(sents), contrast_multipliers(sents, lang)) if sents else 0.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--trained-en", type=Path, help="model dir from 'mediamon sentiment train' on NewsMTSC train")
    ap.add_argument("--train-id", action="store_true", help="fit a trained model on the CNBC tune half")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--throughput-only", action="store_true")
    args = ap.parse_args(argv)
    if not (args.shared / "sentiment" / "news").is_dir():
        print(f"no news sets at {args.shared / 'sentiment' / 'news'}", file=sys.stderr)
        return 2
    results = []
    olds = {lang: old_backend(lang) for lang in ("en", "id")}
    cfg_trained = {}
    if args.trained_en:
        cfg_trained["en"] = sentiment.SentimentConfig.create({"en": "trained"}, trained_model_dir=args.trained_en)
    if args.train_id:
        import tempfile

        from mediamon.enrich.sentiment.trained import save_model, train_model

        tune = load_news(args.shared, "cnbc_id", "tune")
        model, info = train_model([r.text for r in tune], [r.label for r in tune])
        d = save_model(model, info, Path(tempfile.mkdtemp()) / "id", "id", source="cnbc_id:tune")
        cfg_trained["id"] = sentiment.SentimentConfig.create({"id": "trained"}, trained_model_dir=d)
        print(f"trained id on CNBC tune half: 5-fold CV macro-F1 {info['cv_macro_f1']}")
    print(f"{'set':12} {'half':6} {'backend':16} {'profile':11} {'n':>5} {'macro-F1':>8}")
    for name in () if args.throughput_only else SETS:
        lang = NEWS_LANG[name]
        for part in ("tune", "report"):
            rows = load_news(args.shared, name, part)
            gold = [r.label for r in rows]
            neg, pos = thresholds(lang, OLD_NAME[lang], "calibrated")
            old = [label_for(old_score(olds[lang], r.text if not r.title else f"{r.title}\n{r.text}", lang), neg, pos)
                   for r in rows]
            new = [news_score(r, lang) for r in rows]
            variants = [("old-default", OLD_NAME[lang] + "/0", "calibrated", old)]
            scope = "article" if name == "persent_doc" else "text"
            for prof in ("calibrated", "news"):
                n_, p_ = thresholds(lang, OLD_NAME[lang], prof, scope)
                variants.append(("default" if prof == "calibrated" else "news-calibrated", OLD_NAME[lang], prof,
                                 [label_for(s, n_, p_) for s in new]))
            if lang in cfg_trained:
                c = cfg_trained[lang]
                variants.append(("trained", "trained", "own", [
                    sentiment.score_text(r.text if not r.title else f"{r.title}\n{r.text}", lang, config=c).label
                    for r in rows]))
            for kind, b, prof, pred in variants:
                f1 = macro_f1(gold, pred)
                results.append({"set": name, "half": part, "kind": kind, "backend": b, "profile": prof,
                                "n": len(rows), "macro_f1": round(f1, 4)})
                note = "  (training data)" if kind == "trained" and (name, part) == ("cnbc_id", "tune") else ""
                print(f"{name:12} {part:6} {kind + ' ' + b:28} {prof:11} {len(rows):5d} {f1:8.3f}{note}", flush=True)
    arts = load_news(args.shared, "persent_doc", "report")
    chars = sum(len(r.text) for r in arts) / len(arts)
    heads = [r.text for r in load_news(args.shared, "cnbc_id", "report")[:2000]]
    for lang, docs in (("en", [(r.title, r.text) for r in arts]), ("id", [(h, "") for h in heads])):
        ob = olds[lang]
        sentiment.score_article_text(docs[0][1], lang, title=docs[0][0])
        t_old, t_new = [], []
        for _ in range(3):  # interleaved, repeated: min and median as a ratio (the machine is shared)
            t0 = time.perf_counter()
            for title, text in docs:
                old_score(ob, f"{title}\n{text}", lang)
            t_old.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for title, text in docs:
                sentiment.score_article_text(text, lang, title=title)
            t_new.append(time.perf_counter() - t0)
        rate_new, rate_old = len(docs) / min(t_new), len(docs) / min(t_old)
        ratio = sorted(t_new)[1] / sorted(t_old)[1]
        results.append({"set": "throughput", "lang": lang, "docs": len(docs), "articles_per_s": round(rate_new, 1),
                        "old_articles_per_s": round(rate_old, 1), "median_time_ratio_new_over_old": round(ratio, 3)})
        what = f"PerSenT articles, mean {chars:.0f} chars" if lang == "en" else "CNBC headlines"
        print(f"throughput {lang}: default {rate_new:.1f}/s, old-default {rate_old:.1f}/s (best of 3), "
              f"median time new/old {ratio:.2f} ({len(docs)} {what}, 1 process)", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
