"""Throughput machinery (issue 13): host shards, the extraction process pool, scores computed in
the fetch tasks, and politeness when shards are fetched in parallel.

The politeness assertions are the requirement itself, measured on the servers' clocks (as in
tests/test_politeness.py): no timing of our own speed is asserted."""

from __future__ import annotations

import random
from pathlib import Path
from datetime import datetime, timezone

import duckdb
import pytest

from crashy import CRASH, HANG, crash_or_process
from faultserver import FaultServer
from mediamon import stages
from mediamon.acquire.politeness import host_key
from mediamon.config import Source
from mediamon.pagepool import PageContext, PageJob, PagePool, prescored
from mediamon.planning import shard_by_host
from mediamon.records import ArticleRecord, ArticleScored, Candidate, FetchLogRow, SentimentRow
from mediamon.runtime import build_runtime
from newsload import article_page, host_gaps, serve_news, write_config


def _cands(spec: dict[str, int], source_of=lambda h: "s-" + h.split(".")[0]) -> list[Candidate]:
    out = []
    for h, n in spec.items():
        for i in range(n):
            out.append(Candidate(url=f"https://{h}/a/{i}.html", source_id=source_of(h), via="feed"))
    return out


def test_shards_never_split_a_host_and_hold_every_url_once():
    rng = random.Random(7)
    spec = {f"h{i}.example": rng.randint(1, 30) for i in range(37)}
    todo = _cands(spec)
    rng.shuffle(todo)
    for k in (1, 2, 5, 8, 37, 100):
        shards = shard_by_host(todo, k)
        assert len(shards) == min(k, len(spec))
        urls = [c.url for s in shards for c in s.todo]
        assert sorted(urls) == sorted(c.url for c in todo) and len(set(urls)) == len(todo)  # each URL exactly once
        owner: dict[str, int] = {}
        for s in shards:
            assert s.hosts == sorted({host_key(c.url) for c in s.todo})
            for h in s.hosts:
                assert owner.setdefault(h, s.index) == s.index  # a host is in one shard only
            # plan order kept inside a shard, records keep their source
            pos = [todo.index(c) for c in s.todo]
            assert pos == sorted(pos)
        assert len(owner) == len(spec)
        # longest-processing-time-first: no shard exceeds the average by more than the largest host
        if k < len(spec):
            sizes = [len(s.todo) for s in shards]
            assert max(sizes) <= len(todo) / len(shards) + max(spec.values())


def test_shards_are_deterministic_and_keep_sources():
    todo = _cands({"a.example": 5, "b.example": 5, "c.example:8443": 2, "d.example": 9}, source_of=lambda h: "one")
    todo += [Candidate(url="https://a.example/other.html", source_id="two", via="feed")]
    s1, s2 = shard_by_host(todo, 2), shard_by_host(list(todo), 2)
    assert [(s.name, s.hosts, [c.url for c in s.todo]) for s in s1] == [(s.name, s.hosts, [c.url for c in s.todo]) for s in s2]
    # a.example's URLs of both sources are in one shard, each keeping its source id
    (sa,) = [s for s in s1 if "a.example:443" in s.hosts]
    assert {c.source_id for c in sa.todo if "a.example" in c.url} == {"one", "two"}
    assert "c.example:8443" in [h for s in s1 for h in s.hosts]
    assert shard_by_host([], 4) == []
    with pytest.raises(ValueError, match="max_shards"):
        shard_by_host(todo, 0)


def _job(i: int, html: str) -> PageJob:
    src = Source(id="kota", name="Kota", homepage="http://127.0.0.1/", language="id", feeds=["http://127.0.0.1/rss.xml"])
    url = f"http://127.0.0.1/news/{i}.html"
    return PageJob(source=src, cand=Candidate(url=url, source_id="kota", via="feed"), final_url=url,
                   fetched_at=datetime(2024, 5, 1, 5, 0, tzinfo=timezone.utc), replacement_chars=0, pages=[html])


def _ctx():
    from mediamon.config import Settings, Topic

    return PageContext(tz="Asia/Jakarta", run_id="r1", settings=Settings(),
                       topics=[Topic(id="kota", name="Kota", terms={"id": ["kota"]})])


def test_pool_records_a_crashing_page_and_stores_the_others():
    pages = [article_page(f"Berita kota nomor {i}", 20_000, seed=i).decode() for i in range(8)]
    pages[3] = pages[3].replace("</body>", CRASH + "</body>")
    with PagePool(_ctx(), workers=2, timeout_s=60, fn=crash_or_process) as pool:
        handles = [pool.submit(_job(i, h)) for i, h in enumerate(pages)]
        outs = [pool.outcome(h) for h in handles]
    assert [o.kind for o in outs] == ["article"] * 3 + ["error"] + ["article"] * 4
    assert outs[3].error_class == "ExtractorCrashed" and pool.crashes == 1
    for o in outs[:3] + outs[4:]:
        rec = o.records[0]
        assert isinstance(rec, ArticleRecord) and rec.source_id == "kota" and "kota" in rec.text.lower()
        assert rec.minhash  # the MinHash signature is computed in the worker
        # scored in the worker: the marker is last, with the sentiment and the topic match before it
        assert isinstance(o.records[-1], ArticleScored) and o.records[-1].content_hash == rec.content_hash
        assert any(isinstance(r, SentimentRow) for r in o.records)
        assert [r.topic_id for r in o.records if type(r).__name__ == "TopicMatchRow"] == ["kota"]


def test_pool_times_out_a_hanging_page_only():
    pages = [article_page(f"Berita kota nomor {i}", 10_000, seed=i).decode() for i in range(3)]
    pages[1] = pages[1].replace("</body>", HANG + "</body>")
    # the limit leaves a loaded machine ample time for an ordinary page; the hanging one sleeps 600 s
    with PagePool(_ctx(), workers=2, timeout_s=30, fn=crash_or_process) as pool:
        outs = [pool.outcome(pool.submit(_job(i, h))) for i, h in enumerate(pages)]
    assert [o.kind for o in outs] == ["article", "error", "article"]
    assert outs[1].error_class == "ExtractionTimeout"


def test_pool_in_process_gives_the_same_records():
    pages = [article_page(f"Berita kota nomor {i}", 10_000, seed=i).decode() for i in range(3)]
    with PagePool(_ctx(), workers=2) as pool:
        a = [pool.outcome(pool.submit(_job(i, h))) for i, h in enumerate(pages)]
    with PagePool(_ctx(), workers=0) as pool:
        b = [pool.outcome(pool.submit(_job(i, h))) for i, h in enumerate(pages)]
    assert [[r.to_json() for r in o.records] for o in a] == [[r.to_json() for r in o.records] for o in b]


DELAY = 0.3


def test_parallel_shards_stay_polite_and_enrich_reuses_the_scores(tmp_path):
    """``mediamon run`` (stages.run) on 6 hosts in 3 shards fetched in parallel, extraction in a
    2-process pool: on every host every gap between request arrivals is >= the delay; each
    article keeps its source; enrich reuses the fetch tasks' scores, and they equal what the
    enrich stage computes itself."""
    servers = [FaultServer(latency_s=0.02).start() for _ in range(6)]
    try:
        for s in servers:
            serve_news(s, 5, n_bytes=(20_000, 60_000))
        cdir = write_config(tmp_path, [(f"src{i}", s) for i, s in enumerate(servers)], DELAY,
                            shards=3, extract_workers=2)
        out = stages.run("2024-05-01", cdir)
        assert len(out["shards"]) == 3
        assert sorted(h for sh in out["shards"] for h in sh["hosts"]) == sorted(f"{s.hostport}" for s in servers)
        assert sum(f["articles"] for f in out["fetch"]) == 30 and sum(f["failed"] for f in out["fetch"]) == 0
        for s in servers:
            gaps = host_gaps(s)
            assert len(gaps) >= 6 and min(gaps) >= DELAY, (s.hostport, gaps)
        assert out["enrich"]["prescored"] == 30 and out["enrich"]["failed"] == 0
        db = tmp_path / "data" / "m.duckdb"
        con = duckdb.connect(str(db), read_only=True)
        try:
            per_source = dict(con.execute("SELECT source_id, count(*) FROM articles GROUP BY 1").fetchall())
            staged = con.execute("SELECT article_id, label, score FROM article_sentiment ORDER BY 1").fetchall()
            topics = con.execute("SELECT article_id, topic_id, mentions FROM article_topics ORDER BY 1, 2").fetchall()
        finally:
            con.close()
        assert per_source == {f"src{i}": 5 for i in range(6)}
        # the enrich stage scoring by itself (no staged scores) writes the same rows
        r = stages.enrich(out["run_id"], cdir)
        assert r["prescored"] == 0 and r["sentiment"] == 30
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert con.execute("SELECT article_id, label, score FROM article_sentiment ORDER BY 1").fetchall() == staged
            assert con.execute("SELECT article_id, topic_id, mentions FROM article_topics ORDER BY 1, 2").fetchall() == topics
        finally:
            con.close()
        # the staged scores are read back per article, matching the stored content hash
        rt = build_runtime(stages.load_config(cdir))
        pre = prescored(rt.staging, out["fetch"])
        assert len(pre) == 30
        recs = [r for f in out["fetch"] for r in rt.staging.read_batch(f["batch"])]
        assert {r.source_id for r in recs if isinstance(r, FetchLogRow) and r.kind == "article"} == {f"src{i}" for i in range(6)}
        # the DAG's reprocess path: one shard per source, re-extracted from the WARC archive, nothing fetched
        n_hits = sum(len(s.hits()) for s in servers)
        shards = stages.plan_shards("re1", cdir, planned=out["plan"], reprocess_since="2000-01-01")
        assert [sh["shard"] for sh in shards] == [f"warc-src{i}" for i in range(6)]
        fx = [stages.fetch_shard(sh, "re1", cdir, reprocess_since="2000-01-01") for sh in shards]
        assert [f["articles"] for f in fx] == [5] * 6 and sum(len(s.hits()) for s in servers) == n_hits
    finally:
        for s in servers:
            s.stop()


def test_discovery_groups_share_no_host():
    from mediamon.config import Source

    def src(i, feeds):
        return Source(id=f"s{i}", name=f"S{i}", homepage=feeds[0], language="id", feeds=feeds)

    sources = [src(0, ["https://a.example/rss"]), src(1, ["https://b.example/rss", "https://a.example/b.xml"]),
               src(2, ["https://c.example/rss"]), src(3, ["https://d.example/rss"]), src(4, ["https://e.example:8080/rss"])]
    from mediamon.planning import group_sources_by_host

    for k in (1, 2, 3, 10):
        groups = group_sources_by_host(sources, k)
        assert sorted(s for g in groups for s in g) == [f"s{i}" for i in range(5)] and all(groups)
        assert len(groups) == min(k, 4)  # s0 and s1 share a.example: one component
        assert any({"s0", "s1"} <= set(g) for g in groups)
        assert groups == group_sources_by_host(list(sources), k)
        for g in groups:
            assert g == sorted(g, key=lambda x: int(x[1:]))  # config order inside a group


MAIN_SCRIPT = '''
import sys
if __name__ != "__main__":  # as bin/airflow does: importing it in a worker initialises (and breaks) a framework
    raise RuntimeError("the parent's __main__ script was re-imported in a worker")
sys.path[:0] = [{tests!r}]
from test_throughput import _ctx, _job
from newsload import article_page
from mediamon.pagepool import PagePool
with PagePool(_ctx(), workers=2) as pool:
    outs = [pool.outcome(pool.submit(_job(i, article_page("Berita kota nomor %d" % i, 5_000, seed=i).decode())))
            for i in range(3)]
print(" ".join(o.kind + ":" + str(o.error_class) for o in outs))
'''


def test_pool_workers_never_import_the_parents_main_script(tmp_path):
    """Under Airflow the task's ``__main__`` is ``bin/airflow``; forkserver workers re-importing it
    failed every page with ExtractorCrashed. A script that refuses to be re-imported stands in for it."""
    import subprocess
    import sys

    script = tmp_path / "main_script.py"
    script.write_text(MAIN_SCRIPT.format(tests=str(Path(__file__).resolve().parent)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["article:None"] * 3
