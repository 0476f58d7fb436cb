"""The ingest DAG over host shards (``dag.test()``): discovery mapped over host-disjoint source
groups, fetching mapped over host shards named by their hosts in the UI (map_index_template),
politeness per host on the servers' clocks, every article scored in the fetch tasks."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pytest

from conftest import ROOT
from faultserver import FaultServer
from newsload import host_gaps, serve_news, write_config

DELAY = 0.2


@pytest.mark.airflow
def test_dag_maps_fetch_over_host_shards(airflow_db, tmp_path, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    servers = [FaultServer(latency_s=0.01).start() for _ in range(4)]
    try:
        for s in servers:
            serve_news(s, 3, n_bytes=20_000)
        cdir = write_config(tmp_path, [(f"src{i}", s) for i, s in enumerate(servers)], DELAY, shards=2, extract_workers=2)
        monkeypatch.setenv("MEDIAMON_CONFIG_DIR", str(cdir))
        dag = DagBag(dag_folder=str(ROOT / "dags")).dags["mediamon_ingest"]
        dr = dag.test(logical_date=datetime(2024, 5, 1, 12, tzinfo=timezone.utc))
        assert str(dr.state) in ("success", "DagRunState.SUCCESS"), dr.state
        tis = {}
        for ti in dr.get_task_instances():
            tis.setdefault(ti.task_id, []).append(ti)
        assert len(tis["discover"]) == 2 and len(tis["fetch_extract"]) == 2
        labels = sorted(ti.rendered_map_index for ti in tis["fetch_extract"])
        assert [x.split(":")[0] for x in labels] == ["shard-00", "shard-01"], labels
        named = [h for x in labels for h in x.split(": ", 1)[1].split(", ")]
        assert sorted(named) == sorted(s.hostport for s in servers)  # each host named by exactly one shard
        for s in servers:
            gaps = host_gaps(s)
            assert min(gaps) >= DELAY, (s.hostport, gaps)
        con = duckdb.connect(str(tmp_path / "data" / "m.duckdb"), read_only=True)
        try:
            assert con.execute("SELECT count(*), count(DISTINCT source_id) FROM articles").fetchone() == (12, 4)
            assert con.execute("SELECT count(*) FROM article_sentiment").fetchone() == (12,)
        finally:
            con.close()
    finally:
        for s in servers:
            s.stop()
