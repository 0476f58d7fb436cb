"""DAG integrity (DB-free, DagBag) and end-to-end ``dag.test()`` runs on the sample site."""

from __future__ import annotations

import ast
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, write_demo_config

DAG_FILES = sorted((ROOT / "dags").glob("*.py"))


def test_dag_files_import_only_stages_from_mediamon():
    for f in DAG_FILES:
        tree = ast.parse(f.read_text())
        mods = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                mods.add(node.module + ":" + ",".join(a.name for a in node.names))
            elif isinstance(node, ast.Import):
                mods.update(a.name for a in node.names)
        mediamon = {m for m in mods if m.startswith("mediamon")}
        assert mediamon == {"mediamon:stages"}, (f.name, mediamon)


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
    assert set(dagbag.dags) == {"mediamon_ingest", "mediamon_daily_report", "mediamon_maintenance"}


def test_ingest_dag_structure(dagbag):
    dag = dagbag.dags["mediamon_ingest"]
    assert dag.catchup is False and dag.max_active_runs == 1
    tasks = {t.task_id: t for t in dag.tasks}
    assert set(tasks) == {"validate_config", "discover", "plan", "fetch_extract", "load", "enrich", "check_quality"}
    # only the tasks that open DuckDB are in the 1-slot pool; parallel mapped tasks are not
    for tid in ("plan", "load", "enrich", "check_quality"):
        assert tasks[tid].pool == "mediamon_duckdb", tid
    for tid in ("discover", "fetch_extract"):
        assert tasks[tid].pool != "mediamon_duckdb", tid
    assert [o.uri for o in tasks["enrich"].outlets] == ["mediamon://duckdb/articles"]
    assert tasks["fetch_extract"].upstream_task_ids == {"plan"}
    # load reads exactly the batches named by the discover, plan and fetch_extract results
    assert tasks["load"].upstream_task_ids == {"discover", "plan", "fetch_extract"}
    assert tasks["enrich"].upstream_task_ids == {"load", "fetch_extract"}  # reuses the scores the fetch tasks staged


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


def test_ingest_params_schema(dagbag):
    from airflow.sdk.definitions.param import ParamValidationError

    params = dagbag.dags["mediamon_ingest"].params
    assert set(params) == {"force_poll", "sources", "reprocess_since"}
    assert {k: params[k] for k in params} == {"force_poll": False, "sources": [], "reprocess_since": None}
    force, sources, since = (params.get_param(k) for k in ("force_poll", "sources", "reprocess_since"))
    assert force.schema["type"] == "boolean"
    assert sources.schema["type"] == "array" and sources.schema["items"]["type"] == "string"
    assert since.schema["type"] == ["null", "string"] and since.schema["format"] == "date"
    # Airflow validates a manual trigger's conf against these schemas
    assert since.resolve("2022-02-02") == "2022-02-02" and sources.resolve(["kabar-nusantara"]) == ["kabar-nusantara"]
    for param, bad in ((since, "2022-13-01"), (since, "20220202"), (sources, "kabar-nusantara"), (sources, [1]),
                       (force, "yes")):
        with pytest.raises(ParamValidationError):
            param.resolve(bad)
    assert all(t.doc_md for t in dagbag.dags["mediamon_ingest"].tasks)  # task docstrings shown in the UI


def test_report_dag_scheduled_on_time_or_articles_asset(dagbag):
    from airflow.sdk import AssetOrTimeSchedule, CronDataIntervalTimetable
    from airflow.serialization.serialized_objects import DagSerialization
    from airflow.timetables.base import TimeRestriction
    from airflow.timetables.interval import CronDataIntervalTimetable as CoreCron

    from mediamon import stages

    dag = dagbag.dags["mediamon_daily_report"]
    assert dag.tasks[0].doc_md
    tt = dag.timetable
    assert isinstance(tt, AssetOrTimeSchedule) and isinstance(tt.timetable, CronDataIntervalTimetable)
    sched = stages.schedules()
    assert tt.timetable.expression == sched["report_cron"] and tt.timetable.timezone.name == sched["timezone"]
    assert [a.uri for a in tt.asset_condition.objects] == ["mediamon://duckdb/articles"]
    # what the scheduler sees: the serialized DAG's timetable. Its time-scheduled runs are the
    # runs of the plain cron data-interval timetable the DAG had before (unchanged behaviour)
    core = DagSerialization.from_dict(DagSerialization.to_dict(dag)).timetable
    assert [a.uri for _, a in core.asset_condition.iter_assets()] == ["mediamon://duckdb/articles"]
    before = CoreCron(sched["report_cron"], timezone=sched["timezone"])
    restriction = TimeRestriction(datetime(2022, 1, 1, tzinfo=timezone.utc), None, True)
    last = None
    for _ in range(3):
        info = core.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        assert info == before.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        # a scheduled run reports on the completed day that starts at its logical date
        assert info.logical_date == info.data_interval.start and info.run_after == info.data_interval.end
        day = stages.report_day(sched["timezone"], logical_date=info.logical_date,
                                  data_interval_start=info.data_interval.start, run_after=info.run_after)
        assert day == info.data_interval.start.in_timezone(sched["timezone"]).date()
        last = info.data_interval


def _run_dag(dag_id: str, logical_date: datetime):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    dag = bag.dags[dag_id]
    dr = dag.test(logical_date=logical_date)
    return dr


@pytest.mark.airflow
def test_ingest_run_conf_sources_only_ingests_those(airflow_db, demo_site, tmp_path, monkeypatch):
    """A manual trigger with ``{"sources": [one id]}`` reaches the stage functions: only that
    source is discovered, fetched and stored; an unknown id fails the run in validate_config."""
    from airflow.dag_processing.dagbag import DagBag

    cdir = write_demo_config(tmp_path, demo_site)
    monkeypatch.setenv("MEDIAMON_CONFIG_DIR", str(cdir))
    db = tmp_path / "data" / "mediamon.duckdb"
    dag = DagBag(dag_folder=str(ROOT / "dags")).dags["mediamon_ingest"]
    dr = dag.test(logical_date=datetime(2022, 2, 3, tzinfo=timezone.utc), run_conf={"sources": ["jakarta-daily-ledger"]})
    assert str(dr.state) in ("success", "DagRunState.SUCCESS"), dr.state
    assert [s for (s,) in _table(db, "SELECT DISTINCT source_id FROM articles")] == ["jakarta-daily-ledger"]
    assert [s for (s,) in _table(db, "SELECT DISTINCT source_id FROM fetch_log")] == ["jakarta-daily-ledger"]
    assert _table(db, "SELECT count(*) FROM articles")[0][0] >= 2

    dr = dag.test(logical_date=datetime(2022, 2, 4, tzinfo=timezone.utc), run_conf={"sources": ["no-such-outlet"]})
    assert str(dr.state) in ("failed", "DagRunState.FAILED"), dr.state
    states = {ti.task_id: str(ti.state) for ti in dr.get_task_instances()}
    assert states["validate_config"] in ("failed", "TaskInstanceState.FAILED"), states


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
    html = tmp_path / "reports" / "2022-02-02" / "index.html"
    assert html.is_file() and "Kabar Nusantara" in html.read_text(encoding="utf-8")

    # re-running the same logical date leaves the same rows (idempotent)
    before = _table(db, "SELECT article_id, content_hash, version FROM articles ORDER BY 1")
    dr = _run_dag("mediamon_ingest", day)
    assert str(dr.state) in ("success", "DagRunState.SUCCESS")
    dr = _run_dag("mediamon_daily_report", day)
    assert _table(db, "SELECT article_id, content_hash, version FROM articles ORDER BY 1") == before
    assert _table(db, "SELECT * FROM daily_coverage ORDER BY ALL") == cov1
