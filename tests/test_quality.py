"""Data-quality checks after an ingest (mediamon.quality, stages.check_quality): real pipeline runs
against a local site; a run with mis-decoded pages or a collapsed volume fails its checks (recorded,
raised), a healthy one passes; the runs metrics table gets the stage counts and durations."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import duckdb
import pytest
import yaml

from localsite import Site
from mediamon import stages
from mediamon.config.quality import QualitySettings
from mediamon.quality import evaluate
from test_pipeline import PARAS, page, runtime

NOW = datetime(2022, 2, 2, 6, 0, tzinfo=timezone.utc)


@pytest.fixture()
def site():
    s = Site()
    yield s
    s.close()


def _config(tmp_path, site: Site, quality: dict | None = None) -> str:
    cdir = tmp_path / "config"
    cdir.mkdir(exist_ok=True)
    sources = [{"id": "kota", "name": "Kabar Kota", "homepage": f"{site.base}/", "language": "id",
                "feeds": [f"{site.base}/rss.xml"], "allow_private_network": True}]
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}))
    (cdir / "topics.yaml").write_text(yaml.safe_dump({"topics": [{"id": "bandung", "name": "Bandung", "terms": {"id": ["Bandung"]}}]}))
    settings = {"data_dir": str(tmp_path / "data"), "db_path": str(tmp_path / "data" / "m.duckdb"),
                "reports_dir": str(tmp_path / "reports"), "fetch": {"per_host_delay_s": 0, "retries": 0}}
    if quality:
        settings["quality"] = quality
    (cdir / "settings.yaml").write_text(yaml.safe_dump(settings))
    return str(cdir)


def _pages(site: Site, n: int, prefix: str, mojibake: bool = False) -> None:
    links = []
    for i in range(n):
        paras = [f"{p} Nomor {prefix}{i}." for p in PARAS]
        if mojibake:  # text mangled upstream (a CMS that stored a mis-decoded page): U+FFFD for "an"
            paras = [p.replace("an", "\ufffd\ufffd") for p in paras]
        body = page(f"Berita {prefix}{i} tentang Bandung", paras)
        site.routes[f"/{prefix}{i}.html"] = (200, body, "text/html; charset=utf-8")
        links.append(f"/{prefix}{i}.html")
    site.feed("/rss.xml", links)


def _ingest(cdir: str, run_id: str, now: datetime) -> dict:
    rt = runtime(cdir, now)
    out = {"discover": [stages.timed(stages.discover, s.id, run_id, runtime=rt) for s in rt.config.sources]}
    planned = stages.plan(run_id, discovered=out["discover"], runtime=rt)
    out["fetch_extract"] = [stages.timed(stages.fetch_extract, p["source_id"], run_id, planned=p, runtime=rt) for p in planned]
    out["load"] = stages.timed(stages.load, run_id, discovered=out["discover"], planned=planned, fetched=out["fetch_extract"], runtime=rt)
    out["enrich"] = stages.timed(stages.enrich, run_id, runtime=rt)
    return out


def _rows(cdir_tmp, sql: str, *args):
    con = duckdb.connect(str(cdir_tmp / "data" / "m.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(args)).fetchall()
    finally:
        con.close()


def test_healthy_run_passes_and_records_checks_and_run_metrics(tmp_path, site):
    _pages(site, 6, "a")
    cdir = _config(tmp_path, site)
    results = _ingest(cdir, "r1", NOW)
    out = stages.check_quality("r1", cdir, results=results, run_started_at=NOW - timedelta(minutes=2), runtime=runtime(cdir, NOW))
    assert out["status"] == "ok" and out["counts"]["fail"] == 0
    got = {(c, s): (v, st) for c, s, v, st in _rows(tmp_path, "SELECT check_name, subject, value, status FROM quality_checks WHERE run_id = 'r1'")}
    assert got[("extraction_failure_rate", "kota")] == (0.0, "ok")
    assert got[("empty_text_ratio", "kota")] == (0.0, "ok")
    assert got[("replacement_char_ratio", "kota")] == (0.0, "ok")
    assert got[("volume", "kota/id")] == (6.0, "skipped")  # no earlier run to compare with
    runs = {s: (d, t, json.loads(c)) for s, d, t, c in _rows(tmp_path, "SELECT stage, duration_s, tasks, CAST(counts AS VARCHAR) FROM runs WHERE run_id = 'r1'")}
    assert set(runs) == {"discover", "fetch_extract", "load", "enrich", "quality", "run"}
    assert runs["fetch_extract"][2]["articles"] == 6 and runs["load"][2]["inserted"] == 6 and runs["discover"][1] == 1
    assert all(runs[s][0] is not None and runs[s][0] >= 0 for s in runs)
    assert runs["run"][0] >= 120  # from run_started_at
    # rerun of the same run replaces its rows
    stages.check_quality("r1", cdir, results=results, runtime=runtime(cdir, NOW))
    assert _rows(tmp_path, "SELECT count(*) FROM quality_checks WHERE run_id = 'r1'")[0][0] == len(got)


def test_mis_decoded_pages_fail_the_run_and_are_recorded(tmp_path, site):
    _pages(site, 6, "m", mojibake=True)
    cdir = _config(tmp_path, site)
    results = _ingest(cdir, "r1", NOW)
    with pytest.raises(stages.QualityCheckFailed, match=r"run r1: 1 data-quality check\(s\) failed: replacement_char_ratio kota"):
        stages.check_quality("r1", cdir, results=results, runtime=runtime(cdir, NOW))
    (value, status), = _rows(tmp_path, "SELECT value, status FROM quality_checks WHERE run_id = 'r1' AND check_name = 'replacement_char_ratio'")
    assert status == "fail" and value > 0.001
    # recorded before raising: the runs metrics too
    assert _rows(tmp_path, "SELECT count(*) FROM runs WHERE run_id = 'r1'")[0][0] == 5
    # not raised when asked (the CLI reports it instead)
    out = stages.check_quality("r1", cdir, results=results, raise_on_fail=False, runtime=runtime(cdir, NOW))
    assert out["status"] == "fail" and "FAIL replacement_char_ratio kota" in out["text"]


def test_volume_collapse_fails_against_the_baseline(tmp_path, site):
    cdir = _config(tmp_path, site, {"volume_min_baseline": 3, "volume_baseline_runs": 3})
    for i in range(3):  # three runs of 4 new articles each: baseline median 4
        _pages(site, 4, f"v{i}-")
        _ingest(cdir, f"r{i}", NOW + timedelta(hours=i))
        assert stages.check_quality(f"r{i}", cdir, runtime=runtime(cdir, NOW + timedelta(hours=i)))["status"] == "ok"
    _pages(site, 0, "none")  # the feed empties: no article this run
    _ingest(cdir, "r3", NOW + timedelta(hours=3))
    with pytest.raises(stages.QualityCheckFailed, match="volume kota/id"):
        stages.check_quality("r3", cdir, runtime=runtime(cdir, NOW + timedelta(hours=3)))
    (value, baseline, status), = _rows(tmp_path, "SELECT value, baseline, status FROM quality_checks WHERE run_id = 'r3' AND check_name = 'volume'")
    assert (value, baseline, status) == (0.0, 4.0, "fail")


def test_evaluate_flags_extraction_failures_empty_text_and_floods():
    limits = QualitySettings(min_pages=5, volume_min_baseline=10)
    rates = [{"source_id": "a", "pages": 10, "extraction_failed": 3, "empty_text": 0, "articles": 7, "chars": 7000, "replacement_chars": 0},
             {"source_id": "b", "pages": 10, "extraction_failed": 0, "empty_text": 4, "articles": 6, "chars": 6000, "replacement_chars": 6},
             {"source_id": "c", "pages": 2, "extraction_failed": 2, "empty_text": 0, "articles": 0, "chars": 0, "replacement_chars": 0}]
    volume = [{"source_id": "a", "language": "id", "articles": 200}]
    history = [{"run_id": f"r{i}", "subject": "a/id", "value": 20} for i in range(3)]
    res = {(r["check_name"], r["subject"]): r["status"] for r in evaluate({"rates": rates, "volume": volume, "history": history}, limits, NOW)}
    assert res[("extraction_failure_rate", "a")] == "fail"   # 0.3 > 0.2
    assert res[("empty_text_ratio", "b")] == "fail"          # 0.4 > 0.3
    assert res[("replacement_char_ratio", "b")] == "ok"      # 0.001 is the limit itself
    assert res[("extraction_failure_rate", "c")] == "skipped"  # 2 pages < min_pages
    assert res[("volume", "a/id")] == "warn"                   # 200 > 5 x 20


def test_quality_settings_reject_inverted_volume_ratios():
    with pytest.raises(ValueError, match="volume_min_ratio"):
        QualitySettings(volume_min_ratio=2, volume_max_ratio=1)


def test_stage_metrics_sum_counts_and_share_a_task_timing():
    from mediamon.stages import stage_metrics, timed

    group = timed(lambda: [{"source_id": "a", "candidates": 3}, {"source_id": "b", "candidates": 4}])
    single = timed(lambda: {"source_id": "c", "candidates": 5, "outcomes": {"ok": 2}})
    assert group[0]["timing"] == group[1]["timing"] and "timing" in single
    rows = {r["stage"]: r for r in stage_metrics({"discover": [group, [single]]}, run_started_at=None, now=NOW)}
    d = rows["discover"]
    assert d["tasks"] == 3 and d["counts"] == {"candidates": 12, "outcome_ok": 2}
    assert d["task_s"] == round(group[0]["timing"]["duration_s"] + single["timing"]["duration_s"], 3)
    assert set(rows) == {"discover"}  # no run row without its start


def test_crashed_extraction_workers_count_as_extraction_failures(tmp_path, site):
    """Pages whose processing raised (outcome 'error', e.g. a dead extraction worker: 0 articles from
    the run) fail the extraction check; network failures (timeout, http_error) are not pages."""
    from mediamon.records import FetchLogRow

    cdir = _config(tmp_path, site)
    rt = runtime(cdir, NOW)
    rows = [FetchLogRow(run_id="r1", source_id="kota", url=f"http://x/{i}", kind="article", outcome="error",
                        error_class="ExtractorCrashed", error="the extraction worker process died", fetched_at=NOW)
            for i in range(6)]
    rows += [FetchLogRow(run_id="r1", source_id="kota", url=f"http://x/t{i}", kind="article", outcome="timeout",
                         error_class="ReadTimeout", fetched_at=NOW) for i in range(4)]
    with rt.store.session() as s:
        s.replace_fetch_log("r1", rows)
    with pytest.raises(stages.QualityCheckFailed, match="extraction_failure_rate kota"):
        stages.check_quality("r1", cdir, runtime=rt)
    (value, detail), = _rows(tmp_path, "SELECT value, detail FROM quality_checks WHERE check_name = 'extraction_failure_rate'")
    assert (value, detail) == (1.0, "6 of 6 pages")
