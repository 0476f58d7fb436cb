"""Typed records, the staging contract (file and in-memory), stages run on an injected clock and
staging, load reading exactly the batch refs it is given, extraction errors reaching fetch_log."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from doubles import FixedClock, MemoryStaging
from localsite import Site
from mediamon import stages
from mediamon.config import SourceRules
from mediamon.records import (RECORD_TYPES, ArticleRecord, Candidate, FetchLogRow, RecordError, SentimentRow, StoryRow,
                              TakedownRow, TopicMatchRow, columns, record_from_json)
from mediamon.runtime import build_runtime
from mediamon.staging import FileStaging, StagingError
from test_pipeline import PARAS, config, page, q

T0 = datetime(2022, 2, 2, 6, 0, tzinfo=timezone.utc)
WIB = timezone(timedelta(hours=7))


def _article(url: str, run_id: str, text: str = " ".join(PARAS)) -> ArticleRecord:
    from mediamon.enrich.dedup import content_hash

    return ArticleRecord(article_id=url[-16:].rjust(16, "0"), canonical_url=url, url=url, source_id="kota", title="T",
                         text=text, day=date(2022, 2, 2), content_hash=content_hash(text), fetched_at=T0,
                         extractor_version="t", run_id=run_id)


SAMPLES = [
    Candidate(url="https://k.example/a", source_id="kota", via="https://k.example/rss", title="Judul",
              published_at=datetime(2022, 2, 2, 9, 0, tzinfo=WIB), lastmod=T0, max_retries=2, refresh=True),
    FetchLogRow(run_id="r1", source_id="kota", url="https://k.example/a", final_url="https://k.example/a?x", host="k.example",
                kind="article", status=200, outcome="ok", n_bytes=1234, elapsed_s=0.25, retries=1, error_class="TypeError",
                error="boom: ü", robots="allowed", skip_reason="empty", fetched_at=datetime(2022, 2, 2, 6, 0, 0, 123000, timezone.utc),
                content_type="text/html", encoding="utf-8", replacement_chars=2),
    ArticleRecord(article_id="0123456789abcdef", canonical_url="https://k.example/a", url="https://k.example/a?utm=1",
                  source_id="kota", title="Judul", text="satu\ndua", authors=["A", "B"], editor="E",
                  published_at=datetime(2022, 2, 2, 9, 0, tzinfo=WIB), modified_at=None, day=date(2022, 2, 2),
                  language="id", tags=["x"], categories=["Nasional"], image="https://k.example/i.jpg", syndication="AP",
                  credits={"editor": "E"}, methods={"title": "jsonld"}, content_hash="ab" * 20, minhash=b"\x00\x01\xff",
                  n_chars=8, replacement_chars=0, fetched_at=T0, first_seen_at=T0 - timedelta(days=1),
                  extractor_version="v9", version=3, run_id="r1"),
    TakedownRow(url="https://k.example/a", status=410, fetched_at=T0),
    SentimentRow(article_id="0123456789abcdef", label="negative", score=-0.25, method="lexicon-id", version="1",
                 n_sentences=4, computed_at=T0),
    TopicMatchRow(article_id="0123456789abcdef", topic_id="bandung", matched_terms=["Bandung"], mentions=2,
                  sentiment_label="neutral", sentiment_score=0.0, sentiment_method="lexicon-id"),
    StoryRow(article_id="0123456789abcdef", story_id="fedcba9876543210", exact_duplicate_of=None, story_size=2),
]


@pytest.mark.parametrize("rec", SAMPLES, ids=lambda r: type(r).__name__)
def test_records_json_round_trip(rec):
    line = rec.to_json()
    assert "\n" not in line and json.loads(line)["type"] == rec.record_type
    back = type(rec).from_json(line)
    assert back == rec and record_from_json(line) == rec
    # every value survives: aware datetimes keep their instant and offset, bytes their bytes
    for name in columns(type(rec)):
        assert getattr(back, name) == getattr(rec, name), name
    assert tuple(rec.to_dict()) == columns(type(rec))


def test_record_errors_name_the_type_and_field():
    assert set(RECORD_TYPES) == {"candidate", "fetch", "article", "takedown", "sentiment", "topic_match", "story",
                                 "article_scored"}
    with pytest.raises(RecordError, match=r"FetchLogRow\.fetched_at"):
        FetchLogRow.from_dict({"run_id": "r", "source_id": "s", "url": "u", "fetched_at": "yesterday"})
    with pytest.raises(RecordError, match="ArticleRecord"):
        ArticleRecord.from_dict({"canonical_url": "u"})  # required fields missing
    with pytest.raises(RecordError, match="unknown record type"):
        record_from_json('{"type": "nope"}')
    with pytest.raises(RecordError, match="expected 'fetch'"):
        FetchLogRow.from_json(SAMPLES[0].to_json())


# --------------------------------------------------------------------------- staging contract

@pytest.fixture(params=["file", "memory"])
def staging(request, tmp_path):
    return FileStaging(tmp_path / "staging") if request.param == "file" else MemoryStaging()


def test_staging_contract(staging):
    ref = staging.write_batch("run 1", "fetch-kota", SAMPLES)
    assert isinstance(ref, str) and len(ref) < 200 and json.loads(json.dumps(ref)) == ref  # small JSON for XCom
    assert staging.read_batch(ref) == SAMPLES  # typed, in order
    # rewriting a batch replaces it; another run's batch of the same name is another batch
    assert staging.write_batch("run 1", "fetch-kota", SAMPLES[:2]) == ref
    other = staging.write_batch("run 2", "fetch-kota", SAMPLES[2:3])
    assert other != ref and staging.read_batch(ref) == SAMPLES[:2] and staging.read_batch(other) == SAMPLES[2:3]
    empty = staging.write_batch("run 1", "capped-kota", [])
    assert staging.read_batch(empty) == []
    assert staging.list_refs("run 1") == sorted([ref, empty]) and staging.list_refs("run 2") == [other]
    assert staging.list_refs("never") == []
    with pytest.raises(FileNotFoundError, match="plan-lain"):
        staging.read_batch(ref.replace("fetch-kota", "plan-lain"))
    with pytest.raises(StagingError, match="not a ref"):
        staging.read_batch("../../etc/passwd")
    assert staging.clean(keep_s=3600) == 0  # nothing is that old


def test_file_staging_names_the_bad_line(tmp_path):
    st = FileStaging(tmp_path)
    ref = st.write_batch("r", "fetch-kota", SAMPLES[:2])
    with (tmp_path / ref).open("a", encoding="utf-8") as f:
        f.write('{"type": "fetch", "url": 3}\n')
    with pytest.raises(StagingError, match=r"fetch-kota.jsonl' line 3"):
        st.read_batch(ref)


# --------------------------------------------------------------------------- stages on an injected runtime

@pytest.fixture()
def site():
    s = Site()
    yield s
    s.close()


def _ingest(rt, run_id: str, force: bool = False) -> dict:
    out = {"discover": [stages.discover(s.id, run_id, force=force, runtime=rt) for s in rt.config.sources]}
    out["plan"] = stages.plan(run_id, discovered=out["discover"], runtime=rt)
    out["fetch"] = [stages.fetch_extract(p["source_id"], run_id, planned=p, runtime=rt) for p in out["plan"]]
    out["load"] = stages.load(run_id, discovered=out["discover"], planned=out["plan"], fetched=out["fetch"], runtime=rt)
    return out


def test_stages_on_fixed_clock_and_memory_staging(site, tmp_path):
    items = "".join(f"<item><title>t</title><link>{u}</link></item>"
                    for u in (f"{site.base}/a.html", f"{site.base}/c.html", "javascript:alert(1)"))
    site.routes["/rss.xml"] = (200, f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode(), "application/rss+xml")
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    site.routes["/a.html"] = (200, page("Taman baru di Bandung", PARAS), "text/html; charset=utf-8")
    site.routes["/c.html"] = (500, b"boom", "text/plain")
    cdir = config(tmp_path, site)
    clock, staging = FixedClock(datetime.now(timezone.utc)), MemoryStaging()
    rt = build_runtime(stages.load_config(cdir), clock=clock, staging=staging)
    r1 = _ingest(rt, "run1")
    assert r1["load"]["inserted"] == 1 and all(ref.startswith("mem:run1/") for ref in staging.list_refs("run1"))
    assert list((tmp_path / "data" / "staging").rglob("*.jsonl")) == []  # no batch touched the disk
    # rows made without a response carry the injected clock's time
    (at,) = q(tmp_path, "SELECT fetched_at FROM fetch_log WHERE outcome = 'blocked_scheme'")[0]
    assert at == clock.now()
    # 30 minutes later by the clock (feeds polled although not due): the failed page is backing
    # off (next try 1 h after the first), the stored one is not refetched
    clock.set(clock.now() + timedelta(minutes=30))
    r2 = _ingest(rt, "run2", force=True)
    assert [(p["to_fetch"], p["backing_off"]) for p in r2["plan"]] == [(0, 1)]
    clock.set(clock.now() + timedelta(hours=1))
    assert [p["to_fetch"] for p in _ingest(rt, "run3", force=True)["plan"]] == [1]


def test_load_reads_exactly_the_refs_it_is_given(site, tmp_path):
    cdir = config(tmp_path, site)
    rt = build_runtime(stages.load_config(cdir))
    log_row = FetchLogRow(run_id="new", source_id="kota", url="https://k.example/a", kind="article", outcome="ok", fetched_at=T0)
    mine = rt.staging.write_batch("new", "fetch-kota", [log_row, _article("https://k.example/a", "new")])
    # a stale batch of another run, and one in this run's own staging that no result names
    rt.staging.write_batch("old", "fetch-kota", [_article("https://k.example/stale", "old")])
    rt.staging.write_batch("new", "fetch-gone", [_article("https://k.example/unnamed", "new")])
    out = stages.load("new", fetched=[{"source_id": "kota", "batch": mine}], runtime=rt)
    assert out["articles"] == 1 and out["fetch_log_rows"] == 1
    assert q(tmp_path, "SELECT canonical_url FROM articles") == [("https://k.example/a",)]
    with pytest.raises(FileNotFoundError):  # a named batch that is gone fails the task (Airflow retries it)
        stages.load("new", fetched=[{"source_id": "kota", "batch": "new/fetch-lost.jsonl"}], runtime=rt)


def test_extraction_error_reaches_fetch_log(site, tmp_path):
    site.feed("/rss.xml", ["/a.html"])
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    site.routes["/a.html"] = (200, page("Taman baru di Bandung", PARAS), "text/html; charset=utf-8")
    cfg = stages.load_config(config(tmp_path, site))
    # rules that slipped past validation make the extractor raise inside (a real TypeError from re)
    cfg.source("kota").rules = SourceRules.model_construct(extra_boilerplate_patterns=[123])
    rt = build_runtime(cfg, staging=MemoryStaging())
    r = _ingest(rt, "run1")
    assert r["fetch"][0]["skipped"] == 1 and r["load"]["inserted"] == 0
    rows = q(tmp_path, "SELECT outcome, skip_reason, error_class, error FROM fetch_log WHERE url LIKE '%a.html'")
    assert rows == [("ok", "empty", "TypeError", "TypeError: first argument must be string or compiled pattern")]
