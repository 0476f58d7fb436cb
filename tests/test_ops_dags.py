"""Operations wiring of the parsed DAGs: every task reports its failure through
stages.notify_failure, mapped tasks are named by source (map_index_template), and the
data-quality check runs last in the ingest, in the DuckDB pool, without retries."""

from __future__ import annotations

import pytest

from conftest import ROOT
from mediamon import stages

pytestmark = pytest.mark.airflow


@pytest.fixture(scope="module")
def dags():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert not bag.import_errors, bag.import_errors
    return bag.dags


def _callbacks(t) -> list:
    cb = t.on_failure_callback
    return list(cb) if isinstance(cb, (list, tuple)) else [cb]


def test_every_task_has_the_failure_callback(dags):
    for dag_id in ("mediamon_ingest", "mediamon_daily_report"):
        for t in dags[dag_id].tasks:
            assert stages.notify_failure in _callbacks(t), f"{dag_id}.{t.task_id}"


def test_mapped_tasks_are_named_by_source(dags):
    tasks = {t.task_id: t for t in dags["mediamon_ingest"].tasks}
    for tid in ("discover", "fetch_extract"):
        assert tasks[tid].map_index_template, tid


def test_check_quality_runs_after_enrich_in_the_pool_without_retry(dags):
    tasks = {t.task_id: t for t in dags["mediamon_ingest"].tasks}
    q = tasks["check_quality"]
    assert q.pool == stages.DUCKDB_POOL and q.retries == 0
    assert {"enrich", "load", "discover", "fetch_extract"} <= q.upstream_task_ids
    assert not q.downstream_task_ids  # the last task: its failure marks the run
