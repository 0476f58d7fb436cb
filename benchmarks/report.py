"""Benchmark for the daily analytics of the report (issue 12): seconds and peak memory on a
synthetic database of ``--articles`` articles (default 5,000,000) over ``--days`` days (180).

The database is generated with DuckDB SQL straight into the schema's real tables (``sources``,
``topics``, ``articles``, ``article_topics``, ``article_sentiment``, ``article_stories``,
``fetch_log``, ``comparison_sets``; schema applied by ``store.connect``), in a few statements:
50 outlets (one of them silent for the last 3 days), 20 topics (about 45 % of articles match one,
14 % a second; topic-0 spikes on the last day), 40 % of articles are copies in 3-copy stories,
10 % carry a wire credit, one article fetch row per article plus 24 feed polls per outlet and day
(some empty, some rotated), and a failed fetch for 2 % of articles. Generated once per ``--db``
path and reused (``--regenerate`` to force).

Measured in a fresh child process per repeat (so its peak RSS is the analytics' own, not the
generator's), for the last day, as the report stage does it (``stages.report.build_report``):

- ``build``: ``store.build_analytics`` for the day and the 34 days before (``TREND_HISTORY_DAYS``:
  the 28-day baselines need them; late articles count) -> ``daily_coverage``, ``daily_source_stats``;
- ``build_1day``: the same for the day alone (an incremental build, as a contender);
- ``trends`` / ``share_of_voice`` / ``top_stories`` / ``source_health``: the queries of
  ``store.analytics_data`` (30 days of trends and share of voice, the day's top 10 stories per
  topic and source health), each timed alone;
- ``report_data``: the per-day page data of today's report (``store.report_data``: summary,
  coverage, sentiment, stories, every article of the day);
- ``render``: ``--render module:function`` when given, called as ``function(day, data, out_dir)``
  with ``data = store.analytics_data(...) | store.report_data(...)``; the sizes of the files it
  writes under ``out_dir`` are reported (the HTML page of the i12 report is the i12r engineer's).

``daily`` = build + the four queries (+ render when given): the daily analytics the target
(< 10 s on this machine) applies to. Repeats interleave the build contenders; min and median
are printed, and the ratio build / build_1day.

    .venv/bin/python benchmarks/report.py                      # 5M articles, 180 days, 3 repeats
    .venv/bin/python benchmarks/report.py --articles 500000 --repeat 2 --db /tmp/bench_small.duckdb
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from mediamon import store  # noqa: E402

START = date(2026, 6, 1)
N_SOURCES = 50
N_TOPICS = 20
SETS = {"brands": [f"topic-{i}" for i in range(4)], "issues": [f"topic-{i}" for i in range(4, 10)]}

# Generation SQL (benchmark data only; the product's SQL lives in plugins/mediamon/sql). $n articles
# spread evenly over $days days from $start; article i is published at start + i/n * days.
GENERATE = [
    """INSERT INTO sources (source_id, name, homepage, language, country, feeds, updated_at)
       SELECT 'outlet-' || i, 'Outlet ' || i, 'https://o' || i || '.example/', CASE WHEN i % 3 = 0 THEN 'en' ELSE 'id' END,
              'ID', ['https://o' || i || '.example/rss'], now()
       FROM range($n_sources) t(i)""",
    """INSERT INTO topics (topic_id, name, query) SELECT 'topic-' || i, 'Topic ' || i, NULL FROM range($n_topics) t(i)""",
    """CREATE TEMP TABLE gen AS
       SELECT i, CAST((i * 7919) % $n_sources AS INTEGER) AS s,
              CAST($start AS TIMESTAMPTZ) + to_seconds(CAST(i AS DOUBLE) / $n * $days * 86400) AS ts
       FROM range($n) t(i)""",
    # outlet 49 (the last) falls silent for the last 3 days
    """DELETE FROM gen WHERE s = $n_sources - 1 AND ts >= CAST($start AS TIMESTAMPTZ) + to_days($days - 3)""",
    """INSERT INTO articles (article_id, canonical_url, url, source_id, title, text, published_at, day, language,
                            syndication, content_hash, n_chars, fetched_at, first_seen_at, extractor_version, run_id)
       SELECT printf('%016x', i), 'https://o' || s || '.example/a/' || i, 'https://o' || s || '.example/a/' || i,
              'outlet-' || s, 'Headline ' || i, 'text of article ' || i, ts, CAST(ts AS DATE),
              CASE WHEN s % 3 = 0 THEN 'en' ELSE 'id' END, CASE WHEN i % 10 = 0 THEN 'ANTARA' END,
              printf('%016x', i), 1500, ts + INTERVAL 10 MINUTE, ts + INTERVAL 10 MINUTE, 'bench', 'bench'
       FROM gen""",
    """INSERT INTO article_sentiment (article_id, label, score, method, version, n_sentences, computed_at)
       SELECT printf('%016x', i), CASE i % 3 WHEN 0 THEN 'positive' WHEN 1 THEN 'neutral' ELSE 'negative' END,
              CASE i % 3 WHEN 0 THEN 0.4 WHEN 1 THEN 0.0 ELSE -0.4 END, 'bench', '1', 10, ts
       FROM gen""",
    # one topic for i % 9 in (0..3), a second one for i % 7 = 0; topic-0 spikes on the last day
    """INSERT INTO article_topics (article_id, topic_id, matched_terms, mentions, sentiment_label, sentiment_score, sentiment_method)
       SELECT DISTINCT ON (article_id, topic_id) * FROM (
           SELECT printf('%016x', i) AS article_id, 'topic-' || ((i * 31) % 97 % $n_topics) AS topic_id, ['x'] AS matched_terms,
                  1 + i % 4 AS mentions, 'neutral' AS sentiment_label, ((i % 11) - 5) / 10.0 AS sentiment_score, 'bench' AS sentiment_method
           FROM gen WHERE i % 9 < 4
           UNION ALL
           SELECT printf('%016x', i), 'topic-' || ((i * 17) % 89 % $n_topics), ['y'], 1, 'neutral', 0.1, 'bench'
           FROM gen WHERE i % 7 = 0
           UNION ALL
           SELECT printf('%016x', i), 'topic-0', ['spike'], 2, 'negative', -0.5, 'bench'
           FROM gen WHERE ts >= CAST($start AS TIMESTAMPTZ) + to_days($days - 1) AND i % 4 = 1)""",
    # stories of 3 copies: i % 5 = 0 is the original of i + 1 and i + 2
    """INSERT INTO article_stories (article_id, story_id, exact_duplicate_of, story_size)
       SELECT printf('%016x', i), printf('%016x', i - i % 5 * CAST(i % 5 < 3 AS INTEGER)),
              CASE WHEN i % 5 IN (1, 2) THEN printf('%016x', i - i % 5) END, CASE WHEN i % 5 < 3 THEN 3 ELSE 1 END
       FROM gen""",
    """INSERT INTO fetch_log (run_id, source_id, url, host, kind, status, outcome, n_bytes, elapsed_s, retries, robots,
                             fetched_at, items, items_overlap)
       SELECT 'bench', 'outlet-' || s, 'https://o' || s || '.example/a/' || i, 'o' || s || '.example', 'article', 200, 'ok',
              20000, 0.2, 0, 'allowed', ts + INTERVAL 10 MINUTE, NULL, NULL
       FROM gen
       UNION ALL
       SELECT 'bench', 'outlet-' || s, 'https://o' || s || '.example/x/' || i, 'o' || s || '.example', 'article', 503,
              'http_error', 0, 1.0, 2, 'allowed', ts + INTERVAL 11 MINUTE, NULL, NULL
       FROM gen WHERE i % 50 = 7""",
    # 24 feed polls per outlet and day: every 97th poll empty, every 89th rotated (no overlap)
    """INSERT INTO fetch_log (run_id, source_id, url, host, kind, status, outcome, n_bytes, elapsed_s, retries, robots,
                             fetched_at, items, items_overlap)
       SELECT 'bench', 'outlet-' || s, 'https://o' || s || '.example/rss', 'o' || s || '.example', 'feed', 200, 'ok',
              50000, 0.3, 0, 'allowed', CAST($start AS TIMESTAMPTZ) + to_hours(h) + to_minutes(s),
              CASE WHEN (h * 50 + s) % 97 = 0 THEN 0 ELSE 30 END,
              CASE WHEN (h * 50 + s) % 97 = 0 THEN 0 WHEN (h * 50 + s) % 89 = 0 THEN 0 ELSE 25 END
       FROM range($n_sources) a(s), range($days * 24) b(h)
       WHERE NOT (s = $n_sources - 1 AND h >= ($days - 3) * 24)""",
    "DROP TABLE gen",
]


def generate(db: Path, n: int, days: int) -> float:
    """Create ``db`` with ``n`` synthetic articles over ``days`` days; returns seconds taken."""
    t = time.perf_counter()
    params = {"n": n, "days": days, "start": START, "n_sources": N_SOURCES, "n_topics": N_TOPICS}
    with store.connect(db) as con:
        for stmt in GENERATE:
            names = {k: params[k] for k in set(re.findall(r"\$(\w+)", stmt))}
            con.execute(stmt, names)
        store.replace_comparison_sets(con, SETS)
        # the history before the measured window, as earlier daily reports would have built it
        last = START + timedelta(days=days - 1)
        store.build_analytics(con, START, last - timedelta(days=1), "UTC")
    return time.perf_counter() - t


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def measure(db: Path, day: date, render: str | None, out_dir: Path) -> dict:
    """One repeat, in this (fresh) process: seconds per step and peak RSS (bytes)."""
    res: dict = {}
    with store.connect(db) as con:
        res["build_1day"], _ = _timed(lambda: store.build_analytics(con, day, day, "UTC"))
        res["build"], built = _timed(lambda: store.build_analytics(
            con, day - timedelta(days=store.TREND_HISTORY_DAYS - 1), day, "UTC"))
        first = day - timedelta(days=29)
        res["trends"], trends = _timed(lambda: store.topic_trends(con, first, day))
        res["share_of_voice"], sov = _timed(lambda: store.share_of_voice(con, first, day))
        res["top_stories"], top = _timed(lambda: store.top_stories(con, day, limit=10))
        res["source_health"], health = _timed(lambda: store.source_health(con, day))
        res["report_data"], page = _timed(lambda: store.report_data(con, day, "UTC"))
        data = {"coverage": store.coverage(con, day), "trends": trends, "share_of_voice": sov, "top_stories": top,
                "source_health": health} | page
    res["rows"] = {"daily_coverage_built": built["daily_coverage"], "trends": trends.num_rows, "share_of_voice": sov.num_rows,
                   "top_stories": top.num_rows, "source_health": health.num_rows, "articles_of_day": len(page["articles"]),
                   "spikes": sum(trends.column("is_spike").to_pylist()),
                   "silent": sum(health.column("silent").to_pylist())}
    res["daily"] = res["build"] + res["trends"] + res["share_of_voice"] + res["top_stories"] + res["source_health"]
    if render:
        mod, _, fn = render.partition(":")
        func = getattr(importlib.import_module(mod), fn)
        res["render"], _ = _timed(lambda: func(day, data, out_dir))
        res["daily"] += res["render"]
        res["files"] = {str(p.relative_to(out_dir)): p.stat().st_size for p in out_dir.rglob("*") if p.is_file()}
    res["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5_000_000)
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", type=Path, default=None, help="database to (re)use (default: /tmp/mediamon_bench_report_<n>_<days>.duckdb)")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--render", default=None, help="module:function(day, data, out_dir) rendering the report")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    db = a.db or Path(tempfile.gettempdir()) / f"mediamon_bench_report_{a.articles}_{a.days}.duckdb"
    day = START + timedelta(days=a.days - 1)
    if a.child:
        with tempfile.TemporaryDirectory() as out:
            print(json.dumps(measure(db, day, a.render, Path(out))))
        return
    if a.regenerate or not db.exists():
        db.unlink(missing_ok=True)
        print(f"generating {a.articles:,} articles over {a.days} days into {db} ...", flush=True)
        print(f"generated in {generate(db, a.articles, a.days):.1f} s, {db.stat().st_size / 1e9:.2f} GB", flush=True)
    runs = []
    for i in range(a.repeat):
        cmd = [sys.executable, __file__, "--child", "--db", str(db), "--articles", str(a.articles), "--days", str(a.days)]
        if a.render:
            cmd += ["--render", a.render]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
        print(f"repeat {i + 1}: daily {runs[-1]['daily']:.2f} s, peak RSS {runs[-1]['peak_rss_bytes'] / 2**20:.0f} MiB", flush=True)
    steps = ["build", "build_1day", "trends", "share_of_voice", "top_stories", "source_health", "report_data"] + (
        ["render"] if a.render else []) + ["daily"]
    print(f"\n{a.articles:,} articles, {a.days} days, day {day}, {a.repeat} repeats (fresh process each)")
    print(f"{'step':<16}{'min s':>9}{'median s':>10}")
    for s in steps:
        v = [r[s] for r in runs]
        print(f"{s:<16}{min(v):>9.2f}{statistics.median(v):>10.2f}")
    print(f"ratio build (35 days) / build_1day: {statistics.median(r['build'] / r['build_1day'] for r in runs):.1f}")
    print(f"peak RSS (max over repeats): {max(r['peak_rss_bytes'] for r in runs) / 2**20:.0f} MiB")
    print("rows:", json.dumps(runs[-1]["rows"]))
    if a.render:
        print("files:", json.dumps(runs[-1].get("files", {})))


if __name__ == "__main__":
    main()
