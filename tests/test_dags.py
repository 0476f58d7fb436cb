"""DAG integrity (DB-free, DagBag) and end-to-end ``dag.test()`` runs on the sample site."""

from __future__ import annotations

import ast
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, write_demo_config

DAG_FILES = sorted((ROOT / "dags").glob("*.py"))


def test_dag_files_import_only_pipeline_from_mediamon():
    for f in DAG_FILES:
        tree = ast.parse(f.read_text())
        mods = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                mods.add(node.module + ":" + ",".join(a.name for a in node.names))
            elif isinstance(node, ast.Import):
                mods.update(a.name for a in node.names)
        mediamon = {m for m in mods if m.startswith("mediamon")}
        assert mediamon == {"mediamon:pipeline"}, (f.name, mediamon)


def test_stage_modules_never_import_airflow():
    for f in (ROOT / "plugins" / "mediamon").rglob("*.py"):
        tree = ast.parse(f.read_text())
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not any(n.split(".")[0] == "airflow" for n in names), f


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


def test_dagbag_imports_cleanly(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dags) == {"mediamon_ingest", "mediamon_daily_report"}


def test_ingest_dag_structure(dagbag):
    dag = dagbag.dags["mediamon_ingest"]
    assert dag.catchup is False and dag.max_active_runs == 1
    tasks = {t.task_id: t for t in dag.tasks}
    assert set(tasks) == {"validate_config", "discover", "plan", "fetch_extract", "load", "enrich"}
    # only the tasks that open DuckDB are in the 1-slot pool; parallel mapped tasks are not
    for tid in ("plan", "load", "enrich"):
        assert tasks[tid].pool == "mediamon_duckdb", tid
    for tid in ("discover", "fetch_extract"):
        assert tasks[tid].pool != "mediamon_duckdb", tid
    assert [o.uri for o in tasks["enrich"].outlets] == ["mediamon://duckdb/articles"]
    assert tasks["fetch_extract"].upstream_task_ids == {"plan"}
    assert tasks["load"].upstream_task_ids == {"fetch_extract"}
    assert tasks["enrich"].upstream_task_ids == {"load"}


def test_report_dag_structure(dagbag):
    dag = dagbag.dags["mediamon_daily_report"]
    assert [t.task_id for t in dag.tasks] == ["build_report"]
    assert dag.tasks[0].pool == "mediamon_duckdb"
    assert dag.catchup is False


def test_dag_start_date_from_settings(tmp_path, monkeypatch):
    import pendulum
    from airflow.dag_processing.dagbag import DagBag

    default = DagBag(dag_folder=str(ROOT / "dags"))  # the shipped config/settings.yaml: 2022-01-01, Asia/Jakarta
    for dag_id in ("mediamon_ingest", "mediamon_daily_report"):
        assert default.dags[dag_id].start_date == pendulum.datetime(2022, 1, 1, tz="Asia/Jakarta"), dag_id
    cdir = write_demo_config(tmp_path, "http://127.0.0.1:8765")
    text = (cdir / "settings.yaml").read_text()
    (cdir / "settings.yaml").write_text(text.replace("start_date: 2022-01-01", "start_date: 2023-03-04"))
    assert "start_date: 2023-03-04" in (cdir / "settings.yaml").read_text()
    monkeypatch.setenv("MEDIAMON_CONFIG_DIR", str(cdir))
    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert bag.import_errors == {}
    for dag_id in ("mediamon_ingest", "mediamon_daily_report"):
        start = bag.dags[dag_id].start_date
        assert start == pendulum.datetime(2023, 3, 4, tz="Asia/Jakarta"), (dag_id, start)


def _run_dag(dag_id: str, logical_date: datetime):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    dag = bag.dags[dag_id]
    dr = dag.test(logical_date=logical_date)
    return dr


def _table(db: Path, q: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(q).fetchall()
    finally:
        con.close()


@pytest.mark.airflow
def test_end_to_end_dag_test_on_sample_site(airflow_db, demo_site, tmp_path, monkeypatch):
    cdir = write_demo_config(tmp_path, demo_site)
    monkeypatch.setenv("MEDIAMON_CONFIG_DIR", str(cdir))
    db = tmp_path / "data" / "mediamon.duckdb"
    day = datetime(2022, 2, 2, tzinfo=timezone.utc)

    dr = _run_dag("mediamon_ingest", day)
    assert str(dr.state) in ("success", "DagRunState.SUCCESS"), dr.state

    n_articles, n_sources = _table(db, "SELECT count(*), count(DISTINCT source_id) FROM articles")[0]
    assert n_sources >= 3 and n_articles >= 9
    assert _table(db, "SELECT count(*) FROM articles WHERE text = '' OR title IS NULL") == [(0,)]
    # every article has sentiment; the Indonesian ones were scored as Indonesian
    assert _table(db, "SELECT count(*) FROM articles WHERE article_id NOT IN (SELECT article_id FROM article_sentiment)") == [(0,)]
    langs = dict(_table(db, "SELECT source_id, mode(language) FROM articles GROUP BY 1"))
    assert langs["kabar-nusantara"] == "id" and langs["jakarta-daily-ledger"] == "en"
    # the seed story and its syndicated copy at another outlet form one story
    multi = _table(db, "SELECT story_id, count(DISTINCT a.source_id) FROM article_stories s JOIN articles a USING (article_id) "
                       "GROUP BY story_id HAVING count(*) > 1")
    assert any(n >= 2 for _, n in multi), multi
    # every attempted URL is in fetch_log, feeds included
    kinds = dict(_table(db, "SELECT kind, count(*) FROM fetch_log GROUP BY 1"))
    assert kinds.get("feed", 0) >= 3 and kinds.get("article", 0) >= n_articles
    topics = dict(_table(db, "SELECT topic_id, count(*) FROM article_topics GROUP BY 1"))
    assert topics.get("ukraine", 0) >= 2

    dr = _run_dag("mediamon_daily_report", day)
    assert str(dr.state) in ("success", "DagRunState.SUCCESS"), dr.state
    cov1 = _table(db, "SELECT * FROM daily_coverage ORDER BY ALL")
    assert cov1 and all(str(r[0]) == "2022-02-02" for r in cov1)
    html = tmp_path / "reports" / "2022-02-02" / "coverage.html"
    assert html.is_file() and "Kabar Nusantara" in html.read_text(encoding="utf-8")

    # re-running the same logical date leaves the same rows (idempotent)
    before = _table(db, "SELECT article_id, content_hash, version FROM articles ORDER BY 1")
    dr = _run_dag("mediamon_ingest", day)
    assert str(dr.state) in ("success", "DagRunState.SUCCESS")
    dr = _run_dag("mediamon_daily_report", day)
    assert _table(db, "SELECT article_id, content_hash, version FROM articles ORDER BY 1") == before
    assert _table(db, "SELECT * FROM daily_coverage ORDER BY ALL") == cov1
