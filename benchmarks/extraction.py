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

Run:  ``.venv/bin/python benchmarks/extraction.py [--quick] [--repeats N] [--raw-bytes] [--show-leaks]``
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the slower plain-trafilatura runs on AEB")
    ap.add_argument("--show-leaks", action="store_true")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--worst", type=int, default=0, help="print the N worst pages per corpus")
    ap.add_argument("--repeats", type=int, default=5, help="timed repeats over the corpus (interleaved contenders)")
    ap.add_argument("--raw-bytes", action="store_true",
                    help="feed the undecoded file bytes instead of the pipeline's decoded text")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")
    metric = load_metric()
    if metric is None or not CORPUS.exists():
        print(f"shared corpus not found at {SHARED}; nothing to benchmark.")
        return 0
    sys.path.insert(0, str(ROOT / "plugins"))
    corpora = {"scrapinghub-aeb": (load_aeb(), None), "id": (load_id()[0], "id")}
    _, listings = load_id()
    feed = (lambda ps: ps) if args.raw_bytes else pipeline_input
    print(f"input: {'raw file bytes' if args.raw_bytes else 'pipeline text (fetch.decode_body)'}; "
          f"speed: {args.repeats} repeats, contenders interleaved page by page; pages/s from the median total")
    rows = []
    for cname, (pages, lang) in corpora.items():
        systems = [("trafilatura default", _trafilatura(False)),
                   ("trafilatura precision", _trafilatura(True)),
                   ("mediamon", _mediamon(lang))]
        if args.quick and cname == "scrapinghub-aeb":
            systems = systems[2:]
        speeds = {}
        outputs, totals = run_interleaved(systems, feed(pages), args.repeats)
        for sname, fn in systems:
            outs = outputs[sname]
            texts = [o.text if hasattr(o, "text") else o for o in outs]
            m = score(metric, pages, texts)
            speeds[sname] = len(pages) / statistics.median(totals[sname])
            extra = ""
            if sname == "mediamon":
                md = metadata_accuracy(pages, outs)
                extra = f"  title {md['title'][0]}/{md['title'][1]}  date {md['date'][0]}/{md['date'][1]}"
                if args.show_misses:
                    for x in md["misses"]:
                        print("   MISS", x)
                types = {}
                for o in outs:
                    types[o.page_type] = types.get(o.page_type, 0) + 1
                extra += f"  page_types {types}"
            rows.append((cname, sname, m, speeds[sname]))
            print(f"{cname:16s} {sname:22s} F1 {m['f1']:.3f}  P {m['precision']:.3f}  R {m['recall']:.3f}"
                  f"  acc {m['accuracy']:.3f}  leaked_lines {len(m['leaks']):3d}  {speeds[sname]:6.1f} pages/s"
                  f"  (total s min {min(totals[sname]):.2f} median {statistics.median(totals[sname]):.2f}){extra}",
                  flush=True)
            if args.show_leaks and sname == "mediamon":
                for name, line in m["leaks"]:
                    print(f"   LEAK {name}: {line[:140]!r}")
            if args.worst and sname == "mediamon":
                per = sorted(zip(m["per_doc"], pages, texts), key=lambda x: x[0][0])[: args.worst]
                for (tp, fp, fn_), p, t in per:
                    print(f"   WORST {p['name']}: tp {tp:.2f} fp {fp:.2f} fn {fn_:.2f} len_pred {len(t)} len_true {len(p['text'])}")
        if "trafilatura default" in speeds:
            ratios = [t / m for t, m in zip(totals["trafilatura default"], totals["mediamon"])]
            print(f"{cname:16s} speed ratio mediamon / trafilatura default: median {statistics.median(ratios):.2f}"
                  f"  min {min(ratios):.2f}  max {max(ratios):.2f}  over {len(ratios)} repeats  "
                  f"[{' '.join(f'{x:.2f}' for x in ratios)}]")
    fn = _mediamon("id")
    got = [fn(p).page_type for p in feed(listings)]
    print(f"id listing pages: {sum(g == 'listing' for g in got)}/{len(listings)} typed 'listing' {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
