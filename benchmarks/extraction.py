"""Extraction benchmark: body-text F1/P/R, leaked boilerplate lines, metadata accuracy and speed.

Compares, in one run, plain trafilatura 2.3.1 (default and ``favor_precision=True``, text only)
with ``mediamon.extract.extract_article`` on:

- ``scrapinghub-aeb``: the article-extraction-benchmark (181 pages, ``ground-truth.json``
  ``articleBody``), https://github.com/scrapinghub/article-extraction-benchmark
- ``id``: the 25 Indonesian article pages with ground truth (``id-slasherrb`` 10 pages with
  ``<name>_expectation.txt``; ``id-anpandu`` 15 article pages from ``expectations.json``),
  plus the anpandu listing pages for the page-type check.

Metric: ``../shared/tools/extraction_score.py`` (the benchmark's own metric: per-document
multisets of 4-token shingles of ``\\w+`` tokens, P and R averaged over documents, F1 their
harmonic mean). A *leaked line* is a non-empty predicted body line whose text is not in the
ground truth (see :func:`leaked_lines`).

Input: what the pipeline passes to ``extract_article``: the page as fetched, decoded by
``mediamon.acquire.encoding.decode_body`` (the fetcher's decoding; the corpus files carry no HTTP header,
as a server sending ``Content-Type: text/html`` without a charset). Every contender gets that
same text. ``--raw-bytes`` feeds the undecoded file bytes instead (each contender then does its
own charset detection).

Speed: the contenders are timed interleaved, page by page (for each page every contender runs
once, the order rotating from page to page and from repeat to repeat), so a change in machine
load hits all of them alike; this is repeated ``--repeats`` times (default 5). Reported: per
contender the min and median over repeats of its total time for the corpus (pages/s from the
median), and the speed ratio mediamon / trafilatura default (= trafilatura's time / mediamon's
time within one repeat) as min and median over repeats. Quality figures come from the first
repeat's outputs (extraction is deterministic).

Also readability-lxml 0.9 (``Document.summary()``, one line per block) as a contender.

Per corpus and per left-out outlet (``benchmarks/extraction_loo.py``): F1/P/R of every
contender, leaked boilerplate lines, listing pages typed article, false paywall drops (pages
with a ground-truth body that mediamon types ``paywall``), title/author/date accuracy, the
speed ratio; the ensemble thresholds and the site-boilerplate thresholds chosen
leave-one-outlet-out, the left-out figure beside the pooled one.

``--devset DIR``: a labelled set outside the repository in trafilatura's evaluation format
(``evaldata.json`` with ``with``/``without`` snippets and ``author``, HTML under ``cache/`` or
``eval/``; e.g. trafilatura's ``tests/``), scored with that set's own snippet metric.

Run:  ``.venv/bin/python benchmarks/extraction.py [--quick] [--repeats N] [--raw-bytes] [--show-leaks] [--devset DIR] [--no-loo]``
Exits with status 0 and a message when ``../shared`` is absent.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def load_metric():
    """Import ``../shared/tools/extraction_score.py`` by path; returns the module or None."""
    path = SHARED / "tools" / "extraction_score.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("extraction_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _read_html(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def load_aeb() -> list[dict]:
    """scrapinghub-aeb pages: dicts with name, html (bytes), url, text (ground truth)."""
    base = CORPUS / "scrapinghub-aeb"
    gt = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for key in sorted(gt):
        p = base / "html" / f"{key}.html.gz"
        if p.exists():
            out.append({"name": key, "html": _read_html(p), "url": gt[key].get("url"),
                        "text": gt[key].get("articleBody") or ""})
    return out


def load_id() -> tuple[list[dict], list[dict]]:
    """Indonesian pages: (articles, listings). Article dicts have name, html, url, text and,
    where known, title and published (UTC datetime from ``date_epoch_ms``)."""
    arts, lists = [], []
    sl = CORPUS / "id-slasherrb"
    for exp in sorted(sl.glob("*_expectation.txt")):
        name = exp.name[: -len("_expectation.txt")]
        html = sl / f"{name}.html"
        if html.exists():
            arts.append({"name": f"slasherrb/{name}", "html": html.read_bytes(), "url": None,
                         "text": exp.read_text(encoding="utf-8")})
    an = CORPUS / "id-anpandu"
    ej = an / "expectations.json"
    if ej.exists():
        for rel, v in json.loads(ej.read_text(encoding="utf-8")).items():
            p = an / rel
            if not p.exists():
                continue
            d = {"name": f"anpandu/{rel}", "html": p.read_bytes(), "url": v.get("url")}
            if v.get("type") == "article":
                d["text"] = v.get("content") or ""
                d["title"] = v.get("title")
                if v.get("date_epoch_ms"):
                    d["published"] = datetime.fromtimestamp(v["date_epoch_ms"] / 1000, tz=timezone.utc)
                arts.append(d)
            else:
                lists.append(d)
    return arts, lists


def _tokens(s: str) -> list[str]:
    return _TOKEN_RE.findall(s or "")


def leaked_lines(truth: str, pred: str) -> list[str]:
    """Predicted body lines that are not part of the ground truth.

    A line of >= 4 tokens leaks when fewer than half of its 4-token shingles occur in the
    truth; a shorter line leaks when its token sequence does not occur contiguously in the
    truth. Comparison is case-insensitive on ``\\w+`` tokens (the metric's tokenisation).
    """
    tt = [t.lower() for t in _tokens(truth)]
    shingles = {tuple(tt[i:i + 4]) for i in range(max(0, len(tt) - 3))}
    joined = " " + " ".join(tt) + " "
    out = []
    for line in (pred or "").split("\n"):
        lt = [t.lower() for t in _tokens(line)]
        if not lt:
            continue
        if len(lt) >= 4:
            sh = [tuple(lt[i:i + 4]) for i in range(len(lt) - 3)]
            if sum(s in shingles for s in sh) / len(sh) < 0.5:
                out.append(line)
        elif " " + " ".join(lt) + " " not in joined:
            out.append(line)
    return out


def pipeline_input(pages: list[dict]) -> list[dict]:
    """Copies of ``pages`` whose ``html`` is what the pipeline hands ``extract_article``: the
    fetched bytes decoded by :func:`mediamon.acquire.encoding.decode_body` (no Content-Type charset)."""
    from mediamon.acquire.encoding import decode_body

    return [{**p, "html": decode_body(p["html"], None)[0]} for p in pages]


def run_interleaved(systems: list[tuple[str, object]], pages: list[dict], repeats: int) -> tuple[dict, dict]:
    """Time every contender on every page, interleaved page by page, ``repeats`` times.

    ``systems``: [(name, fn(page) -> output)]. For page i of repeat r the contenders run in the
    order of ``systems`` rotated by ``i + r``. One untimed warm-up call per contender first, so
    one-time model/stoplist loading is not counted. Returns ``(outputs, totals)``: outputs of
    the first repeat per name (list aligned with ``pages``) and per name the list of total
    seconds (``time.perf_counter``) of each repeat."""
    k = len(systems)
    if pages:
        for _, fn in systems:
            fn(pages[0])
    outputs = {name: [] for name, _ in systems}
    totals = {name: [] for name, _ in systems}
    for r in range(repeats):
        tot = {name: 0.0 for name, _ in systems}
        for i, p in enumerate(pages):
            for j in range(k):
                name, fn = systems[(i + r + j) % k]
                t0 = time.perf_counter()
                out = fn(p)
                tot[name] += time.perf_counter() - t0
                if r == 0:
                    outputs[name].append(out)
        for name in tot:
            totals[name].append(tot[name])
    return outputs, totals


def _trafilatura(precision: bool):
    import trafilatura

    def fn(p):
        return trafilatura.extract(p["html"], url=p.get("url"), favor_precision=precision,
                                   include_comments=False) or ""
    return fn


def _readability():
    from lxml import html as lhtml

    from mediamon.extract.ensemble import readability_text

    def fn(p):
        try:
            tree = lhtml.document_fromstring(p["html"])
        except Exception:  # noqa: BLE001 - an unparseable page scores as empty
            return ""
        return readability_text(tree, p.get("url"))
    return fn


def _mediamon(language: str | None):
    from mediamon.extract import extract_article

    def fn(p):
        return extract_article(p["html"], p.get("url"), source_language=language)
    return fn


def score(metric, pages, texts) -> dict:
    m = metric.evaluate([(p["text"], t) for p, t in zip(pages, texts)], n_bootstrap=200)
    m["leaks"] = [(p["name"], line) for p, t in zip(pages, texts) for line in leaked_lines(p["text"], t)]
    return m


def metadata_accuracy(pages, exs) -> dict:
    """Title exact match and publication datetime equal to the minute (where truth has them)."""
    n_t = ok_t = n_d = ok_d = 0
    misses = []
    for p, e in zip(pages, exs):
        if p.get("title"):
            n_t += 1
            if (e.title or "").strip() == p["title"].strip():
                ok_t += 1
            else:
                misses.append((p["name"], "title", p["title"], e.title))
        if p.get("published"):
            n_d += 1
            got = None
            if e.published_at:
                try:
                    got = datetime.fromisoformat(e.published_at).astimezone(timezone.utc)
                except ValueError:
                    got = None
            if got and got.replace(second=0, microsecond=0) == p["published"].replace(second=0, microsecond=0):
                ok_d += 1
            else:
                misses.append((p["name"], "date", p["published"].isoformat(), e.published_at))
    return {"title": (ok_t, n_t), "date": (ok_d, n_d), "misses": misses}


def _authors_ok(gold, got: list[str]) -> bool:
    """Author match: the gold name(s) equal the extracted names (case- and space-insensitive, as sets)."""
    g = gold if isinstance(gold, list) else [x for x in re.split(r";\s*", gold or "") if x]
    norm = lambda xs: {" ".join(x.lower().split()) for x in xs}  # noqa: E731
    return bool(g) and norm(g) == norm(got or [])


def _print_scores(cname, sname, m, speed, totals, extra=""):
    print(f"{cname:16s} {sname:22s} F1 {m['f1']:.3f}  P {m['precision']:.3f}  R {m['recall']:.3f}"
          f"  leaked {m['n_leaks']:4d}  {speed:6.1f} pages/s (total s median {statistics.median(totals):.2f}){extra}", flush=True)


def run_corpus(cname: str, pages: list[dict], lang, score_fn, args, feed) -> dict:
    """Run every contender interleaved on ``pages``; print F1/P/R, leaks, metadata, speed;
    return ``{'mediamon': [Extraction], 'scores': {name: m}}``."""
    from extraction_loo import outlet_of

    systems = [("trafilatura default", _trafilatura(False)), ("trafilatura precision", _trafilatura(True)),
               ("readability-lxml", _readability()), ("mediamon", _mediamon(lang))]
    if args.quick:
        systems = [systems[0], systems[3]]
    fed = feed(pages)
    outputs, totals = run_interleaved(systems, fed, args.repeats)
    scores = {}
    for sname, _ in systems:
        outs = outputs[sname]
        texts = [o.text if hasattr(o, "text") else o for o in outs]
        m = score_fn(pages, texts)
        scores[sname] = (m, texts)
        extra = ""
        if sname == "mediamon":
            md = metadata_accuracy(pages, outs)
            n_a = sum(1 for p in pages if p.get("author"))
            ok_a = sum(1 for p, o in zip(pages, outs) if p.get("author") and _authors_ok(p["author"], o.authors))
            types = {}
            for o in outs:
                types[o.page_type] = types.get(o.page_type, 0) + 1
            # a paywall drop is false when the ground truth holds a full body (>= 150 words), not a teaser
            n_pw = sum(1 for o in outs if o.page_type == "paywall")
            paywall = sum(1 for p, o in zip(pages, outs) if o.page_type == "paywall"
                          and len(_tokens(p.get("text") or " ".join(p.get("with") or []))) >= 150)
            extra = (f"  title {md['title'][0]}/{md['title'][1]}  author {ok_a}/{n_a}  date {md['date'][0]}/{md['date'][1]}"
                     f"  paywall {n_pw} (false drops {paywall})  page_types {types}")
            if args.show_misses:
                for x in md["misses"]:
                    print("   MISS", x)
        _print_scores(cname, sname, m, len(pages) / statistics.median(totals[sname]), totals[sname], extra)
        if args.show_leaks and sname == "mediamon":
            for name, line in m.get("leaks", []):
                print(f"   LEAK {name}: {line[:140]!r}")
    ratios = [t / m for t, m in zip(totals["trafilatura default"], totals["mediamon"])]
    print(f"{cname:16s} speed ratio mediamon / trafilatura default: median {statistics.median(ratios):.2f}"
          f"  min {min(ratios):.2f}  max {max(ratios):.2f}  over {len(ratios)} repeats  [{' '.join(f'{x:.2f}' for x in ratios)}]")
    # per outlet (all outlets when few, else the 8 where mediamon is furthest below the best contender)
    outlets = [outlet_of(p) for p in pages]
    names = sorted(set(outlets))
    rows = []
    for o in names:
        idx = [i for i, x in enumerate(outlets) if x == o]
        f = {s: score_fn([pages[i] for i in idx], [scores[s][1][i] for i in idx]) for s in scores}
        rows.append((o, len(idx), f))
    if len(names) > 12:
        rows.sort(key=lambda r: r[2]["mediamon"]["f1"] - max(v["f1"] for v in r[2].values()))
        print(f"{cname:16s} {len(names)} outlets; the 8 where mediamon is furthest below the best contender:")
        rows = rows[:8]
    for o, n, f in rows:
        print(f"   outlet {o[:30]:30s} n={n:3d}  " + "  ".join(f"{s.split()[0][:5]}{'-p' if 'precision' in s else ''} {v['f1']:.3f}" for s, v in f.items())
              + f"  mediamon leaked {f['mediamon']['n_leaks']}")
    return {"mediamon": outputs["mediamon"], "scores": scores, "fed": fed}


def shingle_score(metric):
    def fn(pages, texts):
        m = score(metric, pages, texts)
        m["n_leaks"] = len(m["leaks"])
        return m
    return fn


def devset_score(pages, texts):
    from extraction_loo import snippet_score

    m = snippet_score(pages, texts)
    m["n_leaks"] = m["leaks"]
    m["leaks"] = []
    return m


def loo_scorer(metric):
    """A cached scorer (extraction_loo.Scorer) with the corpus's own metric: AEB shingles when
    ``metric`` is given, else the devset snippet counts."""
    from extraction_loo import Scorer, snippet_counts

    if metric is None:
        def agg(stats):
            tp, fp, fn = (sum(s[i] for s in stats) for i in range(3))
            return {"f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0, "precision": tp / (tp + fp) if tp + fp else 0.0,
                    "recall": tp / (tp + fn) if tp + fn else 0.0, "n_leaks": fp}
        return Scorer(snippet_counts, agg)

    def doc(p, t):
        return metric.tp_fp_fn(p["text"], t), len(leaked_lines(p["text"], t))

    def agg(stats):
        m = metric.agg([s[0] for s in stats])
        m["n_leaks"] = sum(s[1] for s in stats)
        return m
    return Scorer(doc, agg)


def report_loo(cname: str, pages: list[dict], fed: list[dict], score_fn, texts: list[str]) -> None:
    """Leave-one-outlet-out: ensemble thresholds (on cached candidates) and site-boilerplate
    thresholds; ``score_fn`` a cached :func:`loo_scorer`."""
    from extraction_loo import loo_boilerplate, loo_ensemble, page_candidates

    cached = [page_candidates(p["html"], p.get("url")) for p in fed]
    r = loo_ensemble(pages, cached, score_fn)
    changed = {o: v for o, v in r["per_outlet"].items() if v[0] != r["default"]}
    print(f"{cname:16s} LOO ensemble thresholds {r['default']}: pooled F1 {r['pooled']['f1']:.3f} P {r['pooled']['precision']:.3f}"
          f" R {r['pooled']['recall']:.3f} leaked {r['pooled']['n_leaks']} | left-out F1 {r['left_out']['f1']:.3f}"
          f" P {r['left_out']['precision']:.3f} R {r['left_out']['recall']:.3f} leaked {r['left_out']['n_leaks']}"
          f" | outlets choosing another point: {len(changed)}/{len(r['per_outlet'])}")
    for o, (pt, left, dflt) in list(changed.items())[:8]:
        print(f"   left out {o[:30]:30s} chose {pt}: F1 {left['f1']:.3f} (defaults {dflt['f1']:.3f})")
    outlets = {}
    from extraction_loo import outlet_of
    for p in pages:
        outlets[outlet_of(p)] = outlets.get(outlet_of(p), 0) + 1
    multi = [i for i, p in enumerate(pages) if outlets[outlet_of(p)] >= 2]
    if len({outlet_of(pages[i]) for i in multi}) >= 2:
        b = loo_boilerplate([pages[i] for i in multi], [texts[i] for i in multi], score_fn)
        print(f"{cname:16s} LOO site boilerplate on {len(multi)} pages of outlets with >= 2 pages: no learning F1 {b['none']['f1']:.3f}"
              f" leaked {b['none']['n_leaks']} | defaults pooled F1 {b['pooled']['f1']:.3f} leaked {b['pooled']['n_leaks']}"
              f" | left-out F1 {b['left_out']['f1']:.3f} leaked {b['left_out']['n_leaks']}")
        for o, (g, m) in b["per_outlet"].items():
            print(f"   left out {o[:30]:30s} chose (min_articles, min_share) {g}: F1 {m['f1']:.3f} leaked {m['n_leaks']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="only trafilatura default and mediamon (speed ratio and mediamon's figures)")
    ap.add_argument("--show-leaks", action="store_true")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--repeats", type=int, default=5, help="timed repeats over the corpus (interleaved contenders)")
    ap.add_argument("--raw-bytes", action="store_true",
                    help="feed the undecoded file bytes instead of the pipeline's decoded text")
    ap.add_argument("--devset", metavar="DIR", help="also run on a labelled devset in trafilatura's evaluation format")
    ap.add_argument("--no-loo", action="store_true", help="skip the leave-one-outlet-out threshold selection")
    ap.add_argument("--only", choices=["aeb", "id", "devset"], action="append", help="run only these corpora")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")
    sys.path.insert(0, str(ROOT / "plugins"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    metric = load_metric()
    corpora = []
    if metric is not None and CORPUS.exists():
        arts, listings = load_id()
        corpora += [("scrapinghub-aeb", "aeb", load_aeb(), None, shingle_score(metric), metric),
                    ("id", "id", arts, "id", shingle_score(metric), metric)]
    else:
        print(f"shared corpus not found at {SHARED}; skipping scrapinghub-aeb and id.")
        listings = []
    if args.devset:
        from extraction_loo import load_devset

        corpora.append(("devset", "devset", load_devset(args.devset), None, devset_score, None))
    if args.only:
        corpora = [c for c in corpora if c[1] in args.only]
    if not corpora:
        print("nothing to benchmark.")
        return 0
    feed = (lambda ps: ps) if args.raw_bytes else pipeline_input
    print(f"input: {'raw file bytes' if args.raw_bytes else 'pipeline text (fetch.decode_body)'}; "
          f"speed: {args.repeats} repeats, contenders interleaved page by page; pages/s from the median total")
    for cname, _, pages, lang, score_fn, corpus_metric in corpora:
        res = run_corpus(cname, pages, lang, score_fn, args, feed)
        if not args.no_loo:
            report_loo(cname, pages, res["fed"], loo_scorer(corpus_metric), [o.text for o in res["mediamon"]])
    if listings and (not args.only or "id" in args.only):
        fn = _mediamon("id")
        got = [fn(p).page_type for p in feed(listings)]
        print(f"id listing pages: {sum(g == 'listing' for g in got)}/{len(listings)} typed 'listing', "
              f"{sum(g == 'article' for g in got)} typed article {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
