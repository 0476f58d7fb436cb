"""The notifier (mediamon.alerts.notify) against a real local SMTP server and a real local HTTP
endpoint, and the validation of the ``alerts:`` settings section."""

from __future__ import annotations

import json
import logging

import pytest
import yaml

from alertservers import SmtpSink, WebhookSink, free_port
from mediamon.alerts import Notifier, build_notifier
from mediamon.config import ConfigError, Settings, load_config


def _settings(**alerts) -> Settings:
    return Settings.model_validate({"alerts": alerts})


def test_log_only_by_default(caplog):
    n = build_notifier(Settings())
    assert n.channels == ["log"]
    with caplog.at_level(logging.WARNING, logger="mediamon.alerts"):
        assert n.send("Spike: ukraine", "12 articles", {"rule": "topic-spike"}) == ["log"]
    assert any("ALERT Spike: ukraine" in r.getMessage() and "12 articles" in r.getMessage() for r in caplog.records)
    assert build_notifier(None).channels == ["log"]


def test_email_and_webhook_delivered():
    with SmtpSink() as smtp, WebhookSink() as hook:
        n = build_notifier(_settings(
            email={"host": "127.0.0.1", "port": smtp.port, "security": "none", "sender": "mm@example.org",
                   "to": ["desk@example.org", "ed@example.org"]},
            webhook={"url": hook.url}))
        assert n.channels == ["log", "email", "webhook"]
        out = n.send("Spike:\r\nBcc: x@evil.example ukraine", "Ukraine: 14 articles (baseline 3)",
                     {"rule": "topic-spike", "subject": "ukraine", "day": "2022-02-02", "score": 6.5})
        assert out == ["log", "email", "webhook"]
    assert len(smtp.messages) == 1
    m = smtp.messages[0]
    # the CR/LF in the subject became one header line: no injected Bcc header
    assert m["Subject"] == "[mediamon] Spike: Bcc: x@evil.example ukraine"
    assert m["Bcc"] is None
    assert m["From"] == "mm@example.org"
    assert smtp.envelopes[0] == ("mm@example.org", ["desk@example.org", "ed@example.org"])
    assert "Ukraine: 14 articles (baseline 3)" in m.get_content()
    assert len(hook.requests) == 1
    path, headers, body = hook.requests[0]
    assert path == "/hook"
    assert headers["Content-Type"].startswith("application/json")
    doc = json.loads(body)
    assert doc["subject"] == "Spike: Bcc: x@evil.example ukraine"
    assert doc["text"] == "Ukraine: 14 articles (baseline 3)"
    assert doc["payload"] == {"rule": "topic-spike", "subject": "ukraine", "day": "2022-02-02", "score": 6.5}


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_with_password_from_environment(monkeypatch):
    monkeypatch.setenv("MM_TEST_SMTP_PW", "s3cret")
    with SmtpSink(users={"mediamon": "s3cret"}) as smtp:
        n = build_notifier(_settings(email={"host": "127.0.0.1", "port": smtp.port, "security": "none",
                                            "username": "mediamon", "password_env": "MM_TEST_SMTP_PW",
                                            "sender": "mm@example.org", "to": ["desk@example.org"]}))
        assert n.send("s", "t", {}) == ["log", "email"]
        monkeypatch.setenv("MM_TEST_SMTP_PW", "wrong")
        assert n.send("s2", "t2", {}) == ["log"]  # authentication refused: logged, not raised
    assert [m["Subject"] for m in smtp.messages] == ["[mediamon] s"]


def test_failing_channels_are_logged_not_raised(caplog):
    closed = free_port()  # nothing listens there: connection refused
    with WebhookSink(status=500) as hook:
        n = build_notifier(_settings(
            email={"host": "127.0.0.1", "port": closed, "security": "none", "sender": "a@example.org",
                   "to": ["b@example.org"], "timeout_s": 2},
            webhook={"url": hook.url, "timeout_s": 2}))
        with caplog.at_level(logging.ERROR, logger="mediamon.alerts"):
            assert n.send("Silent source: kabar", "no articles", {"when": object()}) == ["log"]
    assert len(hook.requests) == 1  # it was tried, and answered 500
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("channel email failed" in e for e in errors)
    assert any("channel webhook failed" in e and "HTTP 500" in e for e in errors)


def test_webhook_token_from_environment(monkeypatch):
    monkeypatch.setenv("MM_TEST_HOOK_TOKEN", "tok123")
    with WebhookSink() as hook:
        n = build_notifier(_settings(webhook={"url": hook.url, "token_env": "MM_TEST_HOOK_TOKEN"}))
        assert n.send("x", "y", {"n": 1}) == ["log", "webhook"]
    assert hook.requests[0][1]["Authorization"] == "Bearer tok123"


def test_build_notifier_accepts_config_and_rejects_others(tmp_path):
    n = Notifier()
    assert n.channels == ["log"]
    with pytest.raises(TypeError, match="build_notifier needs"):
        build_notifier(42)


def _config_dir(tmp_path, alerts) -> str:
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"id": "a", "name": "A", "homepage": "https://a.example/", "language": "en", "feeds": ["https://a.example/rss"]}]}))
    (tmp_path / "settings.yaml").write_text(yaml.safe_dump({"alerts": alerts}))
    return str(tmp_path)


def test_settings_alerts_section_loads_and_defaults(tmp_path):
    cfg = load_config(_config_dir(tmp_path, {"webhook": {"url": "https://hooks.example.org/x"},
                                              "rules": [{"id": "big-spike", "kind": "spike", "min_score": 5}]}))
    a = cfg.settings.alerts
    assert [r.id for r in a.rules] == ["big-spike"] and a.rules[0].min_score == 5 and a.rules[0].min_articles == 3
    assert build_notifier(cfg).channels == ["log", "webhook"]
    assert [r.kind for r in Settings().alerts.rules] == ["spike", "silent_source", "empty_feed", "error_rate"]


@pytest.mark.parametrize("alerts, field, words", [
    ({"rules": [{"id": "x", "kind": "tsunami"}]}, "alerts.rules.0", "kind"),
    ({"rules": [{"id": "x", "kind": "error_rate", "max_rate": 2}]}, "alerts.rules.0.error_rate.max_rate", "less than or equal to 1"),
    ({"rules": [{"id": "x", "kind": "spike"}, {"id": "x", "kind": "empty_feed"}]}, "alerts.rules", "duplicate rule id 'x'"),
    ({"webhook": {"url": "ftp://x"}}, "alerts.webhook.url", "not an http(s) URL"),
    ({"email": {"host": "h", "sender": "not-an-address", "to": ["a@b.c"]}}, "alerts.email.sender", "pattern"),
    ({"email": {"host": "h", "sender": "a@b.c", "to": []}}, "alerts.email.to", "at least 1"),
    ({"email": {"host": "h", "sender": "a@b.c", "to": ["a@b.c"], "password": "x"}}, "alerts.email.password", "unknown field"),
    ({"email": {"host": "h", "sender": "a@b.c", "to": ["a@b.c"], "password_env": "PW"}}, "alerts.email.username", "username is not"),
])
def test_settings_alerts_section_errors(tmp_path, alerts, field, words):
    with pytest.raises(ConfigError) as ei:
        load_config(_config_dir(tmp_path, alerts))
    msg = str(ei.value)
    assert "settings.yaml" in msg and field in msg and words in msg, msg
