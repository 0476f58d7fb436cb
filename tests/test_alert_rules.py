"""Alert rules (mediamon.alerts.rules.evaluate) on report data rows: thresholds, watched subjects,
disabled rules, and rows of other days."""

from __future__ import annotations

from datetime import date

from mediamon.alerts.rules import evaluate
from mediamon.config.alerting import AlertSettings

DAY = date(2022, 2, 2)
DATA = {
    "trends": [
        {"day": DAY, "topic_id": "banjir", "topic_name": "Banjir", "articles": 14, "baseline": 3.0, "spike_score": 6.35},
        {"day": DAY, "topic_id": "ukraine", "topic_name": "Ukraine", "articles": 2, "baseline": 0.0, "spike_score": 9.0},
        {"day": date(2022, 2, 1), "topic_id": "ekonomi", "topic_name": "Ekonomi", "articles": 30, "spike_score": 20.0},
        {"day": "2022-02-02", "topic_id": "pemilu", "topic_name": "Pemilu", "articles": 5, "spike_score": None},
    ],
    "source_health": [
        {"source_id": "ledger", "source_name": "Ledger", "silent": True, "baseline": 4.0, "empty_feed": True,
         "feed_polls": 2, "empty_feed_polls": 2, "requests": 2, "fetch_errors": 0, "error_rate": 0.0},
        {"source_id": "warta", "source_name": "Warta", "silent": False, "empty_feed": False, "requests": 12,
         "fetch_errors": 8, "extraction_failures": 1, "error_rate": 0.6667},
        {"source_id": "kabar", "source_name": "Kabar", "silent": False, "requests": 4, "fetch_errors": 4, "error_rate": 1.0},
    ],
}


def _rules(rules, **kw) -> AlertSettings:
    return AlertSettings.model_validate({"rules": rules, **kw})


def test_default_rules():
    fired = evaluate(AlertSettings(), DATA, DAY)
    assert [(a.rule_id, a.subject) for a in fired] == [
        ("topic-spike", "banjir"),  # ukraine: 2 articles < 3; ekonomi: another day; pemilu: no score
        ("silent-source", "ledger"), ("empty-feed", "ledger"),
        ("fetch-errors", "warta")]  # kabar: 4 requests < 10
    spike = fired[0]
    assert spike.key == ("topic-spike", "banjir", DAY)
    assert spike.title == "Spike: Banjir: 14 articles on 2022-02-02"
    assert spike.payload["spike_score"] == 6.35 and spike.payload["baseline"] == 3.0
    err = fired[-1]
    assert err.title == "Errors: Warta: 67% of requests failed on 2022-02-02" and err.payload["requests"] == 12


def test_thresholds_subjects_and_switches():
    a = _rules([{"id": "s", "kind": "spike", "min_score": 7, "min_articles": 1},
                {"id": "e", "kind": "error_rate", "max_rate": 0.9, "min_requests": 1},
                {"id": "q", "kind": "silent_source", "sources": ["warta"]},
                {"id": "off", "kind": "empty_feed", "enabled": False}])
    assert [(x.rule_id, x.subject) for x in evaluate(a, DATA, DAY)] == [("s", "ukraine"), ("e", "kabar")]
    b = _rules([{"id": "s", "kind": "spike", "topics": ["ukraine"], "min_articles": 1}])
    assert [x.subject for x in evaluate(b, DATA, DAY)] == ["ukraine"]
    assert evaluate(_rules([{"id": "s", "kind": "spike"}], enabled=False), DATA, DAY) == []
    assert evaluate(AlertSettings(), {}, DAY) == []
