"""stages.notify_failure, the DAG tasks' on_failure_callback: the failure goes through the report's
notifier (log always, webhook when configured); a broken configuration still logs; it never raises.
The DAGs wire it on every task (checked on the parsed DAGs)."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import yaml

from alertservers import WebhookSink
from mediamon import stages


def _cdir(tmp_path, alerts: dict | None = None) -> str:
    cdir = tmp_path / "config"
    cdir.mkdir()
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"id": "kota", "name": "Kota", "homepage": "https://kota.example/", "language": "id", "feeds": ["https://kota.example/rss"]}]}))
    (cdir / "topics.yaml").write_text(yaml.safe_dump({"topics": []}))
    (cdir / "settings.yaml").write_text(yaml.safe_dump({"data_dir": str(tmp_path / "d"), **({"alerts": alerts} if alerts else {})}))
    return str(cdir)


def _context(exc: BaseException) -> dict:
    ti = SimpleNamespace(dag_id="mediamon_ingest", task_id="fetch_extract", run_id="manual__1", map_index=2,
                         rendered_map_index="kabar-nusantara", try_number=3, log_url="http://127.0.0.1:8080/log")
    return {"ti": ti, "exception": exc}


def test_failure_goes_to_the_webhook_and_the_log(tmp_path, caplog):
    with WebhookSink() as hook:
        cdir = _cdir(tmp_path, {"webhook": {"url": hook.url, "timeout_s": 5}})
        with caplog.at_level(logging.WARNING, logger="mediamon.alerts"):
            out = stages.notify_failure(_context(TimeoutError("read timed out")), cdir)
    assert out == ["log", "webhook"]
    body = json.loads(hook.requests[0][2])
    assert body["subject"] == "mediamon: mediamon_ingest.fetch_extract[kabar-nusantara] failed (run manual__1)"
    assert body["payload"]["error"] == "TimeoutError: read timed out" and body["payload"]["try_number"] == 3
    assert "log: http://127.0.0.1:8080/log" in body["text"]
    assert any("ALERT mediamon: mediamon_ingest.fetch_extract[kabar-nusantara] failed" in r.getMessage() for r in caplog.records)


def test_broken_configuration_still_logs_the_failure(tmp_path, caplog):
    cdir = tmp_path / "missing-config"
    with caplog.at_level(logging.WARNING, logger="mediamon.alerts"):
        out = stages.notify_failure(_context(ValueError("boom")), str(cdir))
    assert out == ["log"]
    msg = next(r.getMessage() for r in caplog.records if "ALERT" in r.getMessage())
    assert "ValueError: boom" in msg and "configuration not readable" in msg


def test_never_raises_on_a_strange_context(tmp_path):
    assert stages.notify_failure({"ti": None, "exception": None}, _cdir(tmp_path)) == ["log"]
    assert stages.notify_failure(None, _cdir(tmp_path / "x" if (tmp_path / "x").mkdir() is None else tmp_path)) == []  # not even a mapping: logged, not raised
