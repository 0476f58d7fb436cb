"""The store-maintenance DAG (wiring) and its stage on the DuckDB file (CHECKPOINT); the DuckLake
side is exercised in tests/test_ducklake.py."""

from __future__ import annotations

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def dagbag():
    pytest.importorskip("airflow")
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


def test_maintenance_dag_is_one_pooled_task_on_the_configured_schedule(dagbag):
    dag = dagbag.dags["mediamon_maintenance"]
    assert [t.task_id for t in dag.tasks] == ["maintain_store"]
    assert dag.tasks[0].pool == "mediamon_duckdb"
    assert dag.catchup is False and dag.max_active_runs == 1
    from mediamon import stages

    assert stages.schedules()["maintenance"] == "@daily"


def test_maintain_store_checkpoints_the_duckdb_file(tmp_path):
    import json

    from mediamon import stages

    cdir = tmp_path / "config"
    cdir.mkdir()
    (cdir / "sources.yaml").write_text(json.dumps({"sources": [{"id": "a", "name": "A", "homepage": "https://a.example/", "language": "id", "feeds": ["https://a.example/rss.xml"]}]}))
    (cdir / "settings.yaml").write_text(json.dumps({"data_dir": str(tmp_path / "data"), "db_path": str(tmp_path / "data" / "m.duckdb"),
                                                    "reports_dir": str(tmp_path / "reports")}))
    out = stages.maintain_store(str(cdir))
    assert out == {"store": "duckdb", "checkpointed": True}
    assert (tmp_path / "data" / "m.duckdb").is_file()
    assert not (tmp_path / "data" / "m.duckdb.wal").exists()  # checkpointed: nothing left in the WAL
