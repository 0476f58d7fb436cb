"""Benchmark for mediamon.enrich.topics: query parse and matcher compile time for very large topics.

Synthetic queries built at run time (nothing downloaded): ``N`` distinct words joined by ``OR``,
every tenth also as a two-word phrase sharing a word with others (the case the matcher's
shadowing check exists for). Reports, per ``N``, the seconds to parse the query, to compile
the matcher (the combined regex and the shadowing index) and to match one 500-character text,
median of ``--repeat`` runs. Before issue 8 the compile step was quadratic (all pairs of terms):
~100 s for 8,000 terms; it is now O(n log n). Matching still costs O(text length x terms): the
combined alternation regex tries every alternative at every word start.

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
    return {"parse_s": t1 - t0, "compile_s": t2 - t1, "match_s": t3 - t2}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[8000, 20000])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    print(f"{'terms':>8} {'parse s':>9} {'compile s':>10} {'match s':>9}")
    for n in a.sizes:
        runs = [measure(n) for _ in range(a.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"{n:>8} {med['parse_s']:>9.3f} {med['compile_s']:>10.3f} {med['match_s']:>9.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
