"""Leave-one-outlet-out helpers for ``benchmarks/extraction.py``: outlets, per-outlet scores, threshold
selection for the ensemble and for the learned site boilerplate, and the ``--devset`` loader.

Leave-one-outlet-out (LOO): for each outlet O, every threshold is chosen (grid search, best
pooled F1) on the pages of the *other* outlets, then O's pages are extracted with that choice;
the "left-out" figure scores all pages, each with the thresholds chosen without its own outlet.
It is reported beside the pooled figure of the shipped defaults.

Ensemble thresholds are searched on cached candidates (``page_candidates``: the fast precision
pass, trafilatura precision/balanced without fast, readability-lxml, the page's link texts, the
title): the decision of ``mediamon.extract.core._body`` is replayed per grid point with the
module constants of ``mediamon.extract.ensemble`` set, then the line rules run, so no page is
re-extracted per grid point.
"""

from __future__ import annotations

import itertools
import json
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

#: Ensemble grid: name -> values (the shipped default is one of them).
ENSEMBLE_GRID = {
    "TAIL_LINK_MIN": (2, 3, 4),
    "TAIL_LINK_SHARE": (0.3, 0.4, 0.6),
    "PROSE_LINE_TOKENS": (10, 15, 25),
}
#: Site boilerplate grid: (MIN_ARTICLES, MIN_SHARE); (10**9, 1.0) = learn nothing.
BOILER_GRID = [(2, 0.3), (2, 0.5), (3, 0.3), (3, 0.5), (3, 0.8), (10**9, 1.0)]


_SECOND_LEVEL = {"co", "com", "or", "ac", "go", "net", "org", "web", "sch", "gov", "edu", "ne"}


def outlet_of(page: dict) -> str:
    """The outlet of a benchmark page: its URL's registrable domain's name, else the corpus
    sub-folder / site named in the page name (``slasherrb/detik`` -> ``detik``)."""
    host = (urlsplit(page.get("url") or "").hostname or "").lower().removeprefix("www.")
    if host and host != "web.archive.org":
        labels = host.split(".")
        # the registrable domain's name: finance.detik.com -> detik, news.example.co.id -> example
        keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
        return labels[-keep] if len(labels) >= keep else host  # detik.com -> detik (the id corpora name sites so)
    name = page["name"]
    if name.startswith(("slasherrb/", "anpandu/")):
        return re.split(r"[_\-/.0-9]", name.split("/", 1)[1])[0]
    return name.split(".")[0] if "." in name else name


# --- devset (trafilatura's evaluation format) --------------------------------------------------

def load_devset(root: str | Path) -> list[dict]:
    """Pages of a labelled devset directory in trafilatura's evaluation format: ``evaldata.json``
    (url -> {file, with: [snippets], without: [snippets], author?}) and the HTML files under
    ``cache/`` or ``eval/`` (found at ``root`` or ``root/tests``). Returns dicts with name,
    url, html (bytes), with, without, author. Raises FileNotFoundError naming the missing file."""
    root = Path(root)
    base = root / "tests" if (root / "tests" / "evaldata.json").exists() else root
    ev_path = base / "evaldata.json"
    if not ev_path.exists():
        raise FileNotFoundError(f"--devset {root}: no evaldata.json (trafilatura evaluation format) found")
    out = []
    for url, item in sorted(json.loads(ev_path.read_text(encoding="utf-8")).items()):
        for sub in ("cache", "eval"):
            p = base / sub / item["file"]
            if p.exists():
                out.append({"name": item["file"], "url": url, "html": p.read_bytes(), "with": item["with"],
                            "without": item["without"], "author": item.get("author")})
                break
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def snippet_counts(page: dict, text: str) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one devset page: ``with`` snippets found, ``without`` snippets found,
    ``with`` missed, ``without`` absent (whitespace-normalised substring match, as trafilatura's
    tests/eval_common.py ``count_item``)."""
    t = _norm(text)
    tp = sum(_norm(w) in t for w in page["with"])
    fp = sum(_norm(w) in t for w in page["without"])
    return tp, fp, len(page["with"]) - tp, len(page["without"]) - fp


def snippet_score(pages: list[dict], texts: list[str]) -> dict:
    """Pooled snippet precision/recall/F1 (trafilatura's evaluation metric) and the number of
    leaked ``without`` snippets (``leaks``)."""
    tp = fp = fn = 0
    for p, t in zip(pages, texts):
        a, b, c, _ = snippet_counts(p, t)
        tp, fp, fn = tp + a, fp + b, fn + c
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0, "precision": prec, "recall": rec, "leaks": fp}


# --- cached candidates and the replayed decision -----------------------------------------------

def page_candidates(html: str, url: str | None) -> dict | None:
    """What ``extract.core._body`` sees for one page: title, fast precision text, the three
    ensemble candidates (computed once, untimed) and the page's link texts. None when the page
    does not parse."""
    from trafilatura import bare_extraction

    from mediamon.extract.core import _parse
    from mediamon.extract.ensemble import candidate_texts, page_link_texts
    from mediamon.extract.htmlprep import prune_widgets, wrap_loose_text
    from mediamon.extract.metadata import choose_title, page_metadata
    from mediamon.extract.options import Extraction

    tree = _parse(html, Extraction())
    if tree is None:
        return None
    meta = page_metadata(tree, url)
    title, _ = choose_title(tree, meta)
    prune_widgets(tree)
    wrap_loose_text(tree)
    kw = dict(url=url or meta.get("canonical"), include_comments=False, include_tables=True, with_metadata=False)
    doc = bare_extraction(tree, favor_precision=True, fast=True, **kw)
    return {"title": title, "fast": (doc.text if doc is not None else "") or "",
            "cands": candidate_texts(tree, kw), "links": page_link_texts(tree)}


@contextmanager
def ensemble_params(**params):
    """Set ``mediamon.extract.ensemble`` module constants for the ``with`` block."""
    import mediamon.extract.ensemble as E

    old = {k: getattr(E, k) for k in params}
    try:
        for k, v in params.items():
            setattr(E, k, v)
        yield
    finally:
        for k, v in old.items():
            setattr(E, k, v)


def replay(c: dict | None) -> str:
    """The body text ``extract.core._body`` would give from cached candidates ``c`` (with the
    ensemble constants in force), after the line rules."""
    import mediamon.extract.ensemble as E
    from mediamon.extract.lines import clean_lines

    if c is None:
        return ""
    raw, links = c["fast"], c["links"]
    if len(raw) < 500 or E.tail_is_links(raw, links):
        cands = c["cands"]
        texts = {"precision": cands["precision"], "readability": cands["readability"]}
        if not texts["precision"] or E.agreement(E.shingles(texts["precision"]), E.shingles(texts["readability"])) < E.PAIR_AGREEMENT:
            texts["balanced"] = cands["balanced"]
        name, text, _ = E.choose(texts, links)
        if name != "none":
            raw = text
    else:
        raw = "\n".join(E.cut_link_tail([ln for ln in raw.split("\n") if ln.strip()], links))
    kept, _, _ = clean_lines(raw, title=c["title"])
    return "\n".join(kept)


class Scorer:
    """Scores of page subsets from cached per-document statistics: ``doc_fn(page, text)`` ->
    a per-document statistic (computed once per distinct (page, text)), ``agg_fn(stats)`` ->
    ``{'f1', 'precision', 'recall', 'n_leaks'}``. Calling it as ``scorer(pages, texts)``
    gives the aggregate; the grid search calls it thousands of times, so nothing is recomputed."""

    def __init__(self, doc_fn, agg_fn):
        self.doc_fn, self.agg_fn, self.cache = doc_fn, agg_fn, {}

    def __call__(self, pages: list[dict], texts: list[str]) -> dict:
        stats = []
        for p, t in zip(pages, texts):
            key = (id(p), t)
            if key not in self.cache:
                self.cache[key] = self.doc_fn(p, t)
            stats.append(self.cache[key])
        return self.agg_fn(stats)


def grid_points() -> list[dict]:
    keys = list(ENSEMBLE_GRID)
    return [dict(zip(keys, vals)) for vals in itertools.product(*(ENSEMBLE_GRID[k] for k in keys))]


def loo_ensemble(pages: list[dict], cached: list[dict | None], score_fn) -> dict:
    """Leave-one-outlet-out choice of the ensemble grid point.

    ``score_fn(pages, texts) -> {'f1', ...}``. Returns ``{'pooled': score at the shipped
    defaults, 'left_out': score with each outlet's texts made with the point chosen on the other
    outlets, 'per_outlet': {outlet: (chosen point, left-out score, default score)}}``."""
    import mediamon.extract.ensemble as E

    outlets = [outlet_of(p) for p in pages]
    points = grid_points()
    texts_at = []
    for pt in points:
        with ensemble_params(**pt):
            texts_at.append([replay(c) for c in cached])
    default = {k: getattr(E, k) for k in ENSEMBLE_GRID}
    default_texts = [replay(c) for c in cached]
    left_texts = list(default_texts)
    per_outlet = {}
    for o in sorted(set(outlets)):
        train = [i for i, x in enumerate(outlets) if x != o]
        test = [i for i, x in enumerate(outlets) if x == o]
        if not train:
            continue
        best = max(range(len(points)), key=lambda j: (round(score_fn([pages[i] for i in train], [texts_at[j][i] for i in train])["f1"], 4),
                                                    points[j] == default))
        for i in test:
            left_texts[i] = texts_at[best][i]
        per_outlet[o] = (points[best], score_fn([pages[i] for i in test], [texts_at[best][i] for i in test]),
                         score_fn([pages[i] for i in test], [default_texts[i] for i in test]))
    return {"pooled": score_fn(pages, default_texts), "left_out": score_fn(pages, left_texts),
            "per_outlet": per_outlet, "default": default}


def loo_boilerplate(pages: list[dict], texts: list[str], score_fn) -> dict:
    """Leave-one-outlet-out choice of the site-boilerplate thresholds (:data:`BOILER_GRID`) on
    outlets with several pages: each outlet's boilerplate is learned from its own pages'
    extracted ``texts`` (as the load stage does with the stored articles of a source), the
    learned lines dropped, the result scored. Returns ``{'none': score without learning,
    'pooled': score at the shipped defaults, 'left_out': ..., 'per_outlet': {outlet: (chosen,
    left-out score)}}``."""
    from collections import Counter

    from mediamon.extract import siteboiler as S

    outlets = [outlet_of(p) for p in pages]
    by_outlet: dict[str, list[int]] = {}
    for i, o in enumerate(outlets):
        by_outlet.setdefault(o, []).append(i)
    counts = {o: Counter(k for i in idx for k in S.line_keys(texts[i])) for o, idx in by_outlet.items()}

    def stripped(min_articles, min_share):
        out = list(texts)
        for o, idx in by_outlet.items():
            keys = {k for k, n in counts[o].items()
                    if S.is_boilerplate(n, len(idx), min_articles=min_articles, min_share=min_share)}
            for i in idx:
                out[i] = S.strip_lines(texts[i], keys)[0]
        return out

    at = [stripped(*g) for g in BOILER_GRID]
    default_texts = stripped(S.MIN_ARTICLES, S.MIN_SHARE)
    left = list(texts)
    per_outlet = {}
    for o, idx in sorted(by_outlet.items()):
        train = [i for i, x in enumerate(outlets) if x != o]
        best = max(range(len(BOILER_GRID)), key=lambda j: (round(score_fn([pages[i] for i in train], [at[j][i] for i in train])["f1"], 4),
                                                          BOILER_GRID[j] == (S.MIN_ARTICLES, S.MIN_SHARE)))
        for i in idx:
            left[i] = at[best][i]
        per_outlet[o] = (BOILER_GRID[best], score_fn([pages[i] for i in idx], [at[best][i] for i in idx]))
    return {"none": score_fn(pages, texts), "pooled": score_fn(pages, default_texts), "left_out": score_fn(pages, left),
            "per_outlet": per_outlet, "default_texts": default_texts}
