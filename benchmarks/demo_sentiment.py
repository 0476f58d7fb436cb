"""Label distribution of the demo site's articles: old scoring vs the news-aware default.

Usage: ``.venv/bin/python benchmarks/demo_sentiment.py`` (offline: extracts demo/site/**/*.html
with mediamon.extract, one article per canonical URL, AMP copies skipped).
Columns: old = backends without news rules, whole-text ``score_text``, 'calibrated' thresholds
(the behaviour before issue 14); default = ``score_article_text`` (news rules, title/lead weights,
boilerplate out), 'calibrated'; news = the same scores, profile 'news'.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from mediamon.enrich import sentiment  # noqa: E402
from mediamon.enrich.sentiment.base import label_for, thresholds  # noqa: E402
from mediamon.extract import extract_article  # noqa: E402
from sentiment_news import OLD_NAME, old_backend, old_score  # noqa: E402


def main() -> int:
    seen = set()
    counts = {k: Counter() for k in ("old", "default", "news")}
    olds = {}
    for f in sorted((ROOT / "demo" / "site").rglob("*.html")):
        if "/amp/" in str(f) or f.name == "index.html":
            continue
        url = "http://127.0.0.1:8765/" + str(f.relative_to(ROOT / "demo" / "site"))
        try:
            ext = extract_article(f.read_text(encoding="utf-8"), url)
        except Exception as e:  # noqa: BLE001 - a page that is not an article
            print(f"skip {f.name}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        d = ext.to_dict()
        text, title, lang = d.get("text") or "", d.get("title"), d.get("language") or "und"
        key = (title or "").strip().lower() or d.get("canonical_url") or url  # one article per story page
        if not text or key in seen or lang not in ("en", "id"):
            continue
        seen.add(key)
        ob = olds.setdefault(lang, old_backend(lang))
        o = label_for(old_score(ob, text, lang), *thresholds(lang, OLD_NAME[lang], "calibrated"))
        r = sentiment.score_article_text(text, lang, title=title)
        n = label_for(r.score, *thresholds(lang, r.method, "news", "article"))
        counts["old"][o] += 1
        counts["default"][r.label] += 1
        counts["news"][n] += 1
        print(f"{lang} {o:8} -> {r.label:8} / news {n:8} {r.score:+.2f}  {title}")
    for k, c in counts.items():
        print(f"{k:8} " + "  ".join(f"{lab} {c[lab]}" for lab in ("positive", "neutral", "negative")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
