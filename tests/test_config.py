"""Configuration validation: a bad file names the file, the entry and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediamon.config import ConfigError, load_config
from conftest import ROOT

GOOD_SOURCE = """
sources:
  - id: a
    name: A
    homepage: https://a.example/
    language: id
    feeds: [https://a.example/rss]
"""


def _write(tmp: Path, sources: str, topics: str | None = None, settings: str | None = None) -> Path:
    (tmp / "sources.yaml").write_text(sources, encoding="utf-8")
    if topics is not None:
        (tmp / "topics.yaml").write_text(topics, encoding="utf-8")
    if settings is not None:
        (tmp / "settings.yaml").write_text(settings, encoding="utf-8")
    return tmp


def test_shipped_config_is_valid():
    cfg = load_config(ROOT / "config")
    assert len(cfg.sources) >= 3
    assert {s.language for s in cfg.sources} >= {"id", "en"}
    assert cfg.topics


def test_good_minimal_config(tmp_path):
    cfg = load_config(_write(tmp_path, GOOD_SOURCE))
    assert cfg.sources[0].id == "a" and cfg.topics == []
    assert cfg.settings.fetch.per_host_delay_s == 1.0 and cfg.settings.fetch.max_bytes == 10_000_000


def test_bad_feed_url_names_file_entry_and_field(tmp_path):
    _write(tmp_path, GOOD_SOURCE.replace("https://a.example/rss", "ftp://a.example/rss"))
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    e = ei.value
    assert e.file.endswith("sources.yaml") and e.entry == "'a'" and e.field == "feeds"
    assert "ftp://a.example/rss" in str(e)


def test_missing_required_field(tmp_path):
    _write(tmp_path, "sources:\n  - id: b\n    homepage: https://b.example/\n    language: en\n    feeds: [https://b.example/f]\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.field == "name" and ei.value.entry == "'b'"


def test_entry_without_id_is_named_by_index(tmp_path):
    _write(tmp_path, GOOD_SOURCE + "  - name: no id\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.entry == "#1"


def test_duplicate_source_id(tmp_path):
    _write(tmp_path, GOOD_SOURCE + GOOD_SOURCE.split("sources:\n", 1)[1])
    with pytest.raises(ConfigError, match="duplicate id 'a'"):
        load_config(tmp_path)


def test_invalid_yaml(tmp_path):
    _write(tmp_path, "sources: [\n  - id: x")
    with pytest.raises(ConfigError, match="invalid YAML") as ei:
        load_config(tmp_path)
    assert ei.value.file.endswith("sources.yaml")


def test_bad_regex_in_rules(tmp_path):
    _write(tmp_path, GOOD_SOURCE + "    rules:\n      extra_boilerplate_patterns: ['(unclosed']\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.field == "rules.extra_boilerplate_patterns" and "(unclosed" in str(ei.value)


def test_bad_topic_query_names_topic(tmp_path):
    _write(tmp_path, GOOD_SOURCE, topics="topics:\n  - id: t1\n    name: T\n    query: '(Ukraina OR'\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.file.endswith("topics.yaml") and ei.value.entry == "'t1'"


def test_topic_needs_terms_or_query(tmp_path):
    _write(tmp_path, GOOD_SOURCE, topics="topics:\n  - id: t1\n    name: T\n")
    with pytest.raises(ConfigError, match="needs 'terms' or 'query'"):
        load_config(tmp_path)


def test_bad_setting_type(tmp_path):
    _write(tmp_path, GOOD_SOURCE, settings="fetch:\n  per_host_delay_s: -1\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.file.endswith("settings.yaml") and ei.value.field == "fetch.per_host_delay_s"


def test_unknown_field_is_rejected(tmp_path):
    _write(tmp_path, GOOD_SOURCE + "    feed: https://typo.example/\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.field == "feed"


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path)
