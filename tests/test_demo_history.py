"""The demo's month of history (demo/history.py): the sample site serves the archive pages, they
are written as WARC files, and one outlet's file goes through the normal import path
(``stages.import_warc``: extraction, load, enrichment) into articles on 30 days whose trends show
the flood spike and the quiet week."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
import yaml
from lxml import html as lxml_html

from mediamon import stages, store

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    sys.path.insert(0, str(ROOT / "demo"))
    spec = importlib.util.spec_from_file_location(f"demo_{name}", ROOT / "demo" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def site():
    server, thread, base = _load("serve").start_server("127.0.0.1", 0)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_history_pages_are_served_with_their_own_dates(site):
    history = _load("history")
    arts = history.history_articles()
    assert {a["date"] for a in arts} == {(history.FIRST_DAY + timedelta(days=i)).isoformat() for i in range(30)}
    a = next(a for a in arts if a["outlet"] == "warta-harian" and a["date"] == "2022-01-20")
    r = requests.get(f"{site}/{a['outlet']}/{a['path']}.html", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/html; charset=utf-8"
    doc = lxml_html.fromstring(r.content)
    assert doc.xpath("//meta[@property='article:published_time']/@content")[0].startswith("2022-01-20T")
    assert a["title"] in r.text and "{{BASE}}" not in r.text and site in r.text
    assert requests.get(f"{site}/warta-harian/arsip/2022/01/20/nope.html", timeout=10).status_code == 404


def test_history_warc_imports_through_the_normal_path(tmp_path):
    build_site, history = _load("build_site"), _load("history")
    files = build_site.write_history_warcs(tmp_path / "warc", "http://127.0.0.1:8765")
    assert sorted(f.name for f in files) == ["jakarta-daily-ledger.warc.gz", "kabar-nusantara.warc.gz", "warta-harian.warc.gz"]
    cdir = tmp_path / "config"
    shutil.copytree(ROOT / "config", cdir)
    settings = yaml.safe_load((cdir / "settings.yaml").read_text())
    settings.update(data_dir=str(tmp_path / "data"), db_path=str(tmp_path / "data" / "m.duckdb"), reports_dir=str(tmp_path / "reports"))
    (cdir / "settings.yaml").write_text(yaml.safe_dump(settings))
    out = stages.import_warc(tmp_path / "warc" / "jakarta-daily-ledger.warc.gz", "jakarta-daily-ledger", str(cdir))
    expected = [a for a in history.history_articles() if a["outlet"] == "jakarta-daily-ledger"]
    assert out["load"]["inserted"] == len(expected)
    with store.connect(tmp_path / "data" / "m.duckdb") as con:
        store.upsert_topics(con, stages.load_config(str(cdir)).topics)
        store.build_analytics(con, history.FIRST_DAY, history.DEMO_DAY - timedelta(days=1), "Asia/Jakarta")
        cov = store.as_rows(store.coverage(con, history.FIRST_DAY, history.DEMO_DAY))
        trends = store.as_rows(store.topic_trends(con, history.FIRST_DAY, history.DEMO_DAY))
    days = {r["day"] for r in cov if r["source_id"] == "jakarta-daily-ledger" and r["topic_id"] == ""}
    assert days == {history.FIRST_DAY + timedelta(days=i) for i in range(30)}  # one publication day each, in WIB
    per_day = {r["day"]: r["articles"] for r in cov if r["source_id"] == "" and r["topic_id"] == ""}
    assert sum(per_day.values()) == len(expected)
    floods = {r["day"]: r for r in trends if r["source_id"] == "" and r["topic_id"] == "banjir"}
    assert all(floods[d]["articles"] == 0 for d in history.QUIET_FLOODS)
    assert [d for d, r in floods.items() if r["is_spike"]] == [history.FLOOD_SPIKE]
    assert floods[history.FLOOD_SPIKE]["articles"] == sum(
        1 for a in expected if a["date"] == history.FLOOD_SPIKE.isoformat() and a["section"] == "Indonesia")
    assert date(2022, 1, 20) == history.FLOOD_SPIKE
