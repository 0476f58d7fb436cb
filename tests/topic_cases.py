"""Deterministic topic-matching cases for the matcher equivalence test (tests/test_topics.py).

``cases(n, seed)`` builds realistic and adversarial inputs: texts mixing Indonesian and English
words, names with diacritics, acronyms in every case (``AS``/``as``), hyphenated and dotted words
(``covid-19``, ``U.S.``), odd whitespace; topics with per-language ``terms`` (phrases, ``prefix*``,
terms that are prefixes of other terms) and boolean queries (AND/OR/NOT, adjacency, nesting).

``tests/fixtures/topic_matches.json`` holds these cases with the results of the matcher before the
word-index rewrite (the combined-alternation regex, commit 7c04f3c). Regenerate it with that matcher only::

    .venv/bin/python tests/topic_cases.py --write
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "topic_matches.json"

WORDS = (
    "presiden menteri rakyat pemerintah harga beras naik turun pasar saham bank rupiah dolar "
    "the president said minister market prices rose fell bank bridge flood rain city people "
    "as us un is it at on in an and or not dan atau bukan yang di ke dari untuk dengan "
    "ukraina ukraine ukrainian ukrain rusia russia moskow kremlin kyiv kiev perang war damai peace "
    "jakarta bali surabaya bandung asean nato pbb dpr kpk polri tni banjir gempa"
).split()
NAMES = [
    "Joko Widodo", "Jokowi", "Prabowo Subianto", "Prabowo", "Zelenskyy", "Zélenskyy", "Zelensky", "Volodymyr Zelenskyy",
    "Anies Baswedan", "Ganjar Pranowo", "Sri Mulyani", "Amerika Serikat", "AS", "US", "UN", "DPR", "KPK", "NATO", "Nato",
    "U.S.", "covid-19", "COVID-19", "Covid", "e-mail", "Straße", "İstanbul", "Istanbul", "São Paulo", "Sao Paulo",
    "ΣΟΦΙΑ", "Σοφια", "naïve", "café", "Café", "co-op", "Joko", "Widodo", "Ma'ruf Amin", "Rp5", "5G", "G20", "K-pop",
]
PUNCT = [".", ",", "!", "?", ";", ":", " -", " —", "'s", ")", ""]


def _case(rng: random.Random, w: str) -> str:
    r = rng.random()
    return w.upper() if r < 0.15 else w.title() if r < 0.45 else w.lower() if r < 0.6 else w


def text(rng: random.Random, sentences: int) -> str:
    """A text of ``sentences`` sentences, paragraphs separated by newlines, odd whitespace kept."""
    out = []
    for s in range(sentences):
        n = rng.randint(4, 18)
        toks = []
        for _ in range(n):
            toks.append(rng.choice(NAMES) if rng.random() < 0.25 else _case(rng, rng.choice(WORDS)))
            if rng.random() < 0.12:
                toks[-1] += rng.choice(PUNCT)
            if rng.random() < 0.05:
                toks[-1] = "(" + toks[-1]
        sep = rng.choice([" ", " ", " ", "  ", "\t", " \n"])
        sent = sep.join(toks)
        sent = sent[0].upper() + sent[1:] + rng.choice([".", ".", "!", "?", "…"])
        out.append(sent)
        if s < sentences - 1:
            out.append(rng.choice([" ", " ", "\n", "\n\n"]))
    return "".join(out)


def term(rng: random.Random, sample_text: str) -> str:
    """One term: a vocabulary word or name, a phrase cut from ``sample_text``, or a prefix with ``*``."""
    r = rng.random()
    if r < 0.3:
        w = _case(rng, rng.choice(WORDS))
    elif r < 0.6:
        w = rng.choice(NAMES)
    elif r < 0.8:
        words = sample_text.split()
        i = rng.randrange(len(words))
        w = " ".join(x.strip(".,!?;:()—…'") for x in words[i : i + rng.randint(1, 3)]).strip()
        w = " ".join(x for x in w.split() if x) or rng.choice(WORDS)
    else:
        base = rng.choice(NAMES + WORDS).split()[0]
        w = base[: max(1, rng.randint(1, len(base)))] + "*"
    if "*" in w[:-1] or w.strip("*") == "" or any(c in w for c in '"“”()'):
        w = rng.choice(WORDS)
    return w


def _quote(t: str) -> str:
    if " " in t or t in ("AND", "OR", "NOT"):
        return f'"{t}"'
    return t


def query(rng: random.Random, sample_text: str, depth: int = 0) -> str:
    """A random boolean query string (may be invalid: the caller keeps only parseable ones)."""
    if depth > 2 or rng.random() < 0.35:
        return _quote(term(rng, sample_text))
    k = rng.randint(2, 4)
    parts = [query(rng, sample_text, depth + 1) for _ in range(k)]
    out = parts[0]
    for p in parts[1:]:
        op = rng.choice([" AND ", " OR ", " ", " AND NOT ", " NOT "])
        out += op + p
    return f"({out})" if depth and rng.random() < 0.7 else out


def cases(n: int = 220, seed: int = 20260509) -> list[dict]:
    """``n`` cases: ``{"topics": [{id, terms, query, fold}], "title", "text", "language"}``."""
    from mediamon.enrich.topics import parse_query

    rng = random.Random(seed)
    out = []
    while len(out) < n:
        body = text(rng, rng.randint(1, 9))
        title = text(rng, 1) if rng.random() < 0.7 else None
        topics = []
        for t in range(rng.randint(1, 4)):
            sample = body if rng.random() < 0.8 else text(rng, 2)
            terms: dict[str, list[str]] = {}
            for lang in rng.sample(["id", "en", "*"], rng.randint(0, 3)):
                terms[lang] = [term(rng, sample) for _ in range(rng.randint(1, 6))]
            q = None
            if rng.random() < 0.6 or not terms:
                for _ in range(20):
                    cand = query(rng, sample)
                    try:
                        parse_query(cand)
                    except ValueError:
                        continue
                    q = cand
                    break
            if not terms and q is None:
                terms = {"*": [term(rng, sample)]}
            topics.append({"id": f"t{t}", "terms": terms, "query": q, "fold": rng.random() < 0.8})
        out.append({"topics": topics, "title": title, "text": body, "language": rng.choice(["id", "en", "ms", None])})
    return out


# The fields the recorded results hold (prominence fields added later are checked by their own tests).
RECORDED = ("topic_id", "terms", "count", "sentences", "in_title")


def run(case: dict) -> list[dict]:
    """Results of :func:`mediamon.enrich.topics.match_topics` for one case, as dicts of the
    :data:`RECORDED` fields."""
    from mediamon.enrich.topics import TopicMatcher, match_topics

    ms = [TopicMatcher(t["id"], t["terms"], t["query"], fold_diacritics=t["fold"]) for t in case["topics"]]
    return [{k: m.to_dict()[k] for k in RECORDED} for m in match_topics(ms, case["text"], case["title"], case["language"])]


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(__doc__)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
    cs = cases()
    data = [{**c, "expected": run(c)} for c in cs]
    FIXTURE.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    hits = sum(1 for d in data if d["expected"])
    print(f"wrote {len(data)} cases ({hits} with a match, {sum(len(d['expected']) for d in data)} matches) to {FIXTURE}")
