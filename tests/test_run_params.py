"""Run parameters of ``mediamon_ingest`` threaded through the stage functions (``sources``,
``reprocess_since``, ``force_poll``) and the day a report run covers (``report_day``),
against a real local news site."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from localsite import Site
from mediamon import stages
from test_pipeline import PARAS, config, page, q, runtime


@pytest.fixture()
def site():
    s = Site()
    yield s
    s.close()


def two_sources(tmp_path, site: Site) -> str:
    site.feed("/rss.xml", ["/a.html"])
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    site.feed("/lain.xml", ["/b.html"])
    site.routes["/a.html"] = (200, page("Taman baru di Bandung", PARAS), "text/html; charset=utf-8")
    site.routes["/b.html"] = (200, page("Jalan tol dibuka", [p.replace("taman", "jalan tol") for p in PARAS]),
                              "text/html; charset=utf-8")
    lain = {"id": "lain", "name": "Kabar Lain", "homepage": f"{site.base}/", "language": "id",
            "feeds": [f"{site.base}/lain.xml"], "allow_private_network": True}
    return config(tmp_path, site, [lain])


def dag_like(cdir: str, run_id: str, *, sources=None, reprocess_since=None, force=False, now=None) -> dict:
    """The stage calls in the order and with the arguments the ingest DAG's tasks use."""
    rt = runtime(cdir, now)  # each Airflow task builds its own from the config; one here, its clock at ``now``
    selected = stages.validate_config(cdir, sources=sources, reprocess_since=reprocess_since)["sources"]
    out = {"sources": selected,
           "discover": [stages.discover(s, run_id, force=force, reprocess_since=reprocess_since, runtime=rt)
                        for s in selected]}
    out["plan"] = stages.plan(run_id, discovered=out["discover"], sources=sources, reprocess_since=reprocess_since,
                              runtime=rt)
    out["fetch"] = [stages.fetch_extract(p["source_id"], run_id, planned=p, reprocess_since=reprocess_since, runtime=rt)
                    for p in out["plan"]]
    out["load"] = stages.load(run_id, discovered=out["discover"], planned=out["plan"], fetched=out["fetch"], runtime=rt)
    out["enrich"] = stages.enrich(run_id, runtime=rt)
    return out


def test_validate_config_selects_sources_and_names_unknown_ones(site, tmp_path):
    cdir = two_sources(tmp_path, site)
    assert stages.validate_config(cdir)["sources"] == ["kota", "lain"]
    assert stages.validate_config(cdir, sources=[])["sources"] == ["kota", "lain"]
    # config order, whatever order the run asked for
    assert stages.validate_config(cdir, sources=["lain", "kota"])["sources"] == ["kota", "lain"]
    assert stages.validate_config(cdir, sources=["lain"])["sources"] == ["lain"]
    with pytest.raises(ValueError) as e:
        stages.validate_config(cdir, sources=["lain", "nope", "gone"])
    assert "'sources'" in str(e.value) and "'nope', 'gone'" in str(e.value) and "kota, lain" in str(e.value)
    with pytest.raises(ValueError, match="'sources'"):
        stages.validate_config(cdir, sources="lain")
    assert stages.validate_config(cdir, reprocess_since="2022-02-02")["sources"] == ["kota", "lain"]
    for bad in ("2022-13-01", "20220202", "yesterday"):
        with pytest.raises(ValueError, match="'reprocess_since'"):
            stages.validate_config(cdir, reprocess_since=bad)


def test_sources_param_ingests_only_those_sources(site, tmp_path):
    cdir = two_sources(tmp_path, site)
    r1 = dag_like(cdir, "run1", sources=["lain"])
    assert r1["sources"] == ["lain"] and [p["source_id"] for p in r1["plan"]] == ["lain"]
    assert q(tmp_path, "SELECT source_id, count(*) FROM articles GROUP BY 1") == [("lain", 1)]
    assert {s for (s,) in q(tmp_path, "SELECT DISTINCT source_id FROM fetch_log")} == {"lain"}
    # both sources' articles stored; a day later both are due for refresh, but a run for
    # "kota" alone plans and refetches only kota's
    dag_like(cdir, "run2")
    assert q(tmp_path, "SELECT source_id, count(*) FROM articles GROUP BY 1 ORDER BY 1") == [("kota", 1), ("lain", 1)]
    later = datetime.now(timezone.utc) + timedelta(hours=25)
    r3 = dag_like(cdir, "run3", sources=["kota"], now=later)
    assert [(p["source_id"], p["refresh"]) for p in r3["plan"]] == [("kota", 1)]
    assert {s for (s,) in q(tmp_path, "SELECT DISTINCT source_id FROM fetch_log WHERE run_id = 'run3'")} == {"kota"}


def test_force_poll_polls_feeds_that_are_not_due(site, tmp_path):
    cdir = two_sources(tmp_path, site)
    dag_like(cdir, "run1")
    soon = datetime.now(timezone.utc) + timedelta(minutes=1)
    r2 = dag_like(cdir, "run2", now=soon)
    assert [d["not_due"] for d in r2["discover"]] == [2, 1]
    assert q(tmp_path, "SELECT count(*) FROM fetch_log WHERE run_id = 'run2' AND kind = 'feed'") == [(0,)]
    r3 = dag_like(cdir, "run3", now=soon, force=True)
    assert [d["not_due"] for d in r3["discover"]] == [0, 0]
    assert q(tmp_path, "SELECT count(*) FROM fetch_log WHERE run_id = 'run3' AND kind = 'feed'") == [(3,)]


def test_reprocess_since_reextracts_archive_without_fetching(site, tmp_path):
    cdir = two_sources(tmp_path, site)
    dag_like(cdir, "run1")
    before = q(tmp_path, "SELECT article_id, content_hash, version FROM articles ORDER BY 1")
    assert len(before) == 2
    # the site now answers differently: anything fetched would show in fetch_log or change a text
    site.routes = {k: (500, b"down", "text/plain") for k in site.routes}
    # archive partitions are UTC fetch days: <data_dir>/warc/<day>/<source>/
    days = sorted(d.name for d in (tmp_path / "data" / "warc").iterdir())
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    r = dag_like(cdir, "re1", reprocess_since=(first - timedelta(days=1)).isoformat())
    assert [(d["candidates"], d["fetches"]) for d in r["discover"]] == [(0, 0), (0, 0)]
    assert [p["to_fetch"] for p in r["plan"]] == [0, 0]
    assert [(f["source_id"], f["fetched"], f["articles"], f["failed"]) for f in r["fetch"]] == [("kota", 0, 1, 0), ("lain", 0, 1, 0)]
    assert q(tmp_path, "SELECT count(*) FROM fetch_log WHERE run_id = 're1'") == [(0,)]
    assert r["load"]["articles"] == 2 and r["load"]["new_versions"] == 0
    assert q(tmp_path, "SELECT article_id, content_hash, version FROM articles ORDER BY 1") == before
    # only the selected source, and only archive days >= the date
    r = dag_like(cdir, "re2", sources=["lain"], reprocess_since=first.isoformat())
    assert [(f["source_id"], f["articles"]) for f in r["fetch"]] == [("lain", 1)]
    r = dag_like(cdir, "re3", reprocess_since=(last + timedelta(days=1)).isoformat())
    assert [f["articles"] for f in r["fetch"]] == [0, 0]


def test_report_day_scheduled_manual_and_asset_triggered():
    tz = "Asia/Jakarta"
    # scheduled run for [2022-02-02, 2022-02-03) Jakarta: logical date = interval start -> the completed day
    start = datetime(2022, 2, 1, 17, 0, tzinfo=timezone.utc)  # 2022-02-02 00:00 +07
    assert stages.report_day(tz, logical_date=start, data_interval_start=start,
                               run_after=start + timedelta(days=1)) == date(2022, 2, 2)
    # asset-triggered run: no logical date, no data interval -> the day of run_after in the report tz
    assert stages.report_day(tz, run_after=datetime(2022, 2, 2, 18, 30, tzinfo=timezone.utc)) == date(2022, 2, 3)
    assert stages.report_day("UTC", run_after=datetime(2022, 2, 2, 18, 30, tzinfo=timezone.utc)) == date(2022, 2, 2)
    with pytest.raises(ValueError, match="no logical date"):
        stages.report_day(tz)
