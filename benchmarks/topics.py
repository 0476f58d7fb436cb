"""Benchmark for mediamon.enrich.topics: query parse and matcher compile time for very large topics.

Synthetic queries built at run time (nothing downloaded): ``N`` distinct words joined by ``OR``,
every tenth also as a two-word phrase sharing a word with others (the case the matcher's
shadowing check exists for). Reports, per ``N``, the seconds to parse the query, to compile
the matcher (word index and shadowing index) and to match one 500-character and one 3,000-character
text (first match of a fresh matcher: includes compiling the few per-term regexes it verifies),
median of ``--repeat`` runs. Before issue 8 the compile step was quadratic (all pairs of terms):
~100 s for 8,000 terms; it is now O(n log n). Before issue 9 matching cost O(text length x terms)
(one alternation regex of all terms, tried at every word start: ~27 s for 3,000 characters at
8,000 terms); the text's words are now looked up in a dict of the terms' first words (and first
word pairs), so matching costs O(text length) plus the candidates it verifies.

Usage::

    .venv/bin/python benchmarks/topics.py                 # 8,000 and 20,000 terms
    .venv/bin/python benchmarks/topics.py --sizes 1000 4000 --repeat 5
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from mediamon.enrich.topics import TopicMatcher, parse_query  # noqa: E402


def big_query(n: int) -> str:
    """``n`` terms (``kata0 OR "Joko kata0" OR kata1 ...``): every tenth also as a phrase."""
    return " OR ".join(f'kata{i} "Joko kata{i}"' if i % 10 == 0 else f"kata{i}" for i in range(n))


def measure(n: int) -> dict[str, float]:
    """Seconds for parse, compile and one match of a ``n``-term query (fresh regex cache)."""
    q = big_query(n)
    re.purge()
    t0 = time.perf_counter()
    parsed = parse_query(q)
    t1 = time.perf_counter()
    m = TopicMatcher("big", query=parsed)
    m._compiled(None)
    t2 = time.perf_counter()
    text = ("Presiden Joko kata10 hadir di acara itu. " * 13)[:500]
    r = m.match(text, None, "id")
    t3 = time.perf_counter()
    assert r is not None and "Joko kata10" in r.terms
    long_text = ("Presiden Joko kata10 hadir di acara itu, kata1234 dan kataX bertemu warga Surabaya. " * 40)[:3000]
    r = m.match(long_text, None, "id")
    t4 = time.perf_counter()
    assert r is not None and "kata1234" in r.terms
    return {"parse_s": t1 - t0, "compile_s": t2 - t1, "match_s": t3 - t2, "match3k_s": t4 - t3}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[8000, 20000])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    print(f"{'terms':>8} {'parse s':>9} {'compile s':>10} {'match 500 s':>12} {'match 3000 s':>13}")
    for n in a.sizes:
        runs = [measure(n) for _ in range(a.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"{n:>8} {med['parse_s']:>9.3f} {med['compile_s']:>10.3f} {med['match_s']:>12.4f} {med['match3k_s']:>13.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
