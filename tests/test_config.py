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
    assert e.file.endswith("sources.yaml") and e.entry == "'a'" and e.field == "feeds.0"
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
    assert ei.value.field == "rules.extra_boilerplate_patterns.0" and "(unclosed" in str(ei.value)


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


@pytest.mark.parametrize("url", ["http://[::1/feed", "http://127.0.0.1:99999/x", "http://127.0.0.1:8766/a b/sitemap.xml", "https:///nohost"])
def test_malformed_urls_are_config_errors(tmp_path, url):
    _write(tmp_path, GOOD_SOURCE + f"    sitemaps: ['{url}']\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.entry == "'a'" and ei.value.field == "sitemaps.0"


def test_source_without_discovery_names_feeds(tmp_path):
    _write(tmp_path, "sources:\n  - id: a\n    name: A\n    homepage: https://a.example/\n    language: id\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.field == "feeds" and "needs at least one of" in str(ei.value)


def test_topic_errors_name_the_field(tmp_path):
    _write(tmp_path, GOOD_SOURCE, topics="topics:\n  - id: t\n    name: T\n    query: '(a OR b'\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.field == "query"
    _write(tmp_path, GOOD_SOURCE, topics="topics:\n  - id: t\n    name: T\n    terms: {id: ['']}\n")
    with pytest.raises(ConfigError, match="empty term") as ei:
        load_config(tmp_path)
    assert ei.value.field == "terms"
    _write(tmp_path, GOOD_SOURCE, topics="topics:\n  - id: t\n    name: T\n    terms: {indonesian: [Ukraina]}\n")
    with pytest.raises(ConfigError, match="not an ISO 639"):
        load_config(tmp_path)


@pytest.mark.parametrize("settings, field", [
    ("sentiment_backends: {id: nonsense}\n", "sentiment_backends"),
    ("sentiment_backends: {en: onnx}\n", "onnx_model_dir"),
    ("ingest_schedule: every tuesday\n", "ingest_schedule"),
    ("report_schedule: '61 * * * *'\n", "report_schedule"),
    ("timezone: Mars/Olympus\n", "timezone"),
    ("polling: {min_interval_s: 900, initial_interval_s: 60}\n", None),
    ("start_date: '2022-13-01'\n", "start_date"),
    ("start_date: 1960-01-01\n", "start_date"),
    ("start_date: yesterday\n", "start_date"),
])
def test_settings_errors_before_any_fetch(tmp_path, settings, field):
    _write(tmp_path, GOOD_SOURCE, settings=settings)
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.file.endswith("settings.yaml")
    if field:
        assert ei.value.field == field


def test_good_schedules_and_backends(tmp_path):
    _write(tmp_path, GOOD_SOURCE, settings="ingest_schedule: '*/30 * * * *'\nreport_schedule: '@weekly'\nsentiment_backends: {en: vader, id: lexicon-id}\n")
    s = load_config(tmp_path).settings
    assert s.ingest_schedule == "*/30 * * * *" and s.sentiment_backends == {"en": "vader", "id": "lexicon-id"}


def test_bad_prune_xpath(tmp_path):
    _write(tmp_path, GOOD_SOURCE + "    rules:\n      prune_xpaths: ['//div[@class=']\n")
    with pytest.raises(ConfigError, match="invalid XPath") as ei:
        load_config(tmp_path)
    assert ei.value.field == "rules.prune_xpaths.0"


def test_duplicate_yaml_keys_rejected(tmp_path):
    _write(tmp_path, GOOD_SOURCE.replace("    name: A\n", "    name: A\n    id: other\n"))
    with pytest.raises(ConfigError, match="duplicate key 'id'"):
        load_config(tmp_path)


def test_config_path_is_a_file_or_files_are_directories(tmp_path):
    f = tmp_path / "sources.yaml"
    f.write_text(GOOD_SOURCE)
    with pytest.raises(ConfigError, match="not a directory"):
        load_config(f)
    d = tmp_path / "d"
    (d / "sources.yaml").mkdir(parents=True)
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(d)


def test_sentiment_backend_names_in_sync():
    from mediamon.enrich import sentiment
    from mediamon.config import SENTIMENT_BACKENDS

    for name, lang in (("vader-pattern", "en"), ("vader", "en"), ("lexicon-id", "id")):
        assert name in SENTIMENT_BACKENDS and sentiment.get_backend(lang, name).name == name
    assert "onnx" in SENTIMENT_BACKENDS


def test_start_date_setting(tmp_path):
    from datetime import date

    _write(tmp_path, GOOD_SOURCE)
    assert load_config(tmp_path).settings.start_date == date(2022, 1, 1)
    _write(tmp_path, GOOD_SOURCE, settings="start_date: 2023-03-04\n")
    assert load_config(tmp_path).settings.start_date == date(2023, 3, 4)
    _write(tmp_path, GOOD_SOURCE, settings="start_date: '2023-03-05'\n")
    assert load_config(tmp_path).settings.start_date == date(2023, 3, 5)


# --- issue 8: no single input sinks a run -------------------------------------------------

@pytest.mark.parametrize("file, text, entry, field", [
    ("sources.yaml", GOOD_SOURCE.replace("name: A", 'name: "A\\uD800"'), "'a'", "name"),
    ("sources.yaml", GOOD_SOURCE + '    rules: {single_page_param: "p=\\uDFFF"}\n', "'a'", "rules.single_page_param"),
    ("topics.yaml", 'topics:\n  - id: t\n    name: T\n    query: "Kyiv OR Ki\\uD800v"\n', "'t'", "query"),
    ("topics.yaml", 'topics:\n  - id: t\n    name: T\n    terms: {en: [ok, "b\\uDC00d"]}\n', "'t'", "terms.en.1"),
    ("settings.yaml", 'fetch: {user_agent: "bot\\uD83D"}\n', "settings", "fetch.user_agent"),
])
def test_lone_surrogates_rejected_in_any_string_field(tmp_path, file, text, entry, field):
    _write(tmp_path, GOOD_SOURCE)
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    e = ei.value
    assert e.file.endswith(file) and e.entry == entry and e.field == field
    assert "lone UTF-16 surrogate" in e.message
    str(e).encode("utf-8")  # the error itself is printable


def _billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["lol1: &lol1 [" + ", ".join(['"lol"'] * width) + "]"]
    for k in range(2, levels + 1):
        lines.append(f"lol{k}: &lol{k} [" + ", ".join([f"*lol{k - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_refused_with_bounded_memory(tmp_path):
    """A billion-laughs settings.yaml: the old loader handed 10^9 expanded nodes to pydantic and the
    process died (abort/MemoryError under a 1 GB address-space limit); now the loader refuses it."""
    import subprocess
    import sys

    _write(tmp_path, GOOD_SOURCE, settings=_billion_laughs())
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from mediamon.config import ConfigError, load_config\n"
        "try:\n"
        f"    load_config({str(tmp_path)!r})\n"
        "except ConfigError as e:\n"
        "    print('CONFIGERROR', e)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-500:]
    assert "CONFIGERROR" in r.stdout and "settings.yaml" in r.stdout and "alias" in r.stdout
    assert "more than the limit of 100,000" in r.stdout


def test_recursive_alias_refused(tmp_path):
    _write(tmp_path, GOOD_SOURCE, settings="refresh_after_s: &r [1, *r]\n")
    with pytest.raises(ConfigError, match="recursive alias") as ei:
        load_config(tmp_path)
    assert ei.value.file.endswith("settings.yaml")


def test_normal_anchors_aliases_and_merge_keys_still_work(tmp_path):
    _write(tmp_path, """
sources:
  - &base
    id: a
    name: A
    homepage: https://a.example/
    language: id
    feeds: &feeds [https://a.example/rss, https://a.example/rss2]
  - <<: *base
    id: b
    sitemaps: *feeds
""", settings="fetch: &f {retries: 2}\npolling: {min_interval_s: 60, initial_interval_s: 60}\n")
    cfg = load_config(tmp_path)
    assert [s.id for s in cfg.sources] == ["a", "b"]
    assert cfg.sources[1].name == "A" and cfg.sources[1].sitemaps == ["https://a.example/rss", "https://a.example/rss2"]
    assert cfg.settings.fetch.retries == 2


def test_aliases_inside_an_entry_are_accepted(tmp_path):
    _write(tmp_path, GOOD_SOURCE, topics="topics:\n  - id: t\n    name: T\n    terms:\n      en: &en [a, b, c]\n      id: *en\n")
    assert load_config(tmp_path).topics[0].terms["id"] == ["a", "b", "c"]


@pytest.mark.parametrize("file, text, key", [
    ("sources.yaml", GOOD_SOURCE + "topics:\n  - id: t\n    name: T\n    query: x\n", "topics"),
    ("topics.yaml", "topics: []\nsources: []\n", "sources"),
    ("settings.yaml", "fetch: {retries: 1}\ningest_shedule: '@daily'\n", "ingest_shedule"),
])
def test_unknown_top_level_keys_rejected(tmp_path, file, text, key):
    _write(tmp_path, GOOD_SOURCE)
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    e = ei.value
    assert e.file.endswith(file) and e.entry is None and e.field == key
    assert f"unknown top-level key {key!r}" in e.message and "allowed:" in e.message
    if file == "settings.yaml":
        assert "ingest_schedule" in e.message  # the list of allowed keys shows the right spelling


def test_unknown_entry_field_lists_allowed_fields(tmp_path):
    _write(tmp_path, GOOD_SOURCE + "    rules: {prune_xpath: ['//aside']}\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.field == "rules.prune_xpath" and "prune_xpaths" in ei.value.message


@pytest.mark.parametrize("file, text, field, hint", [
    ("sources.yaml", GOOD_SOURCE + "    country: NO\n", "country", 'country: "NO"'),
    ("settings.yaml", "fetch: {user_agent: off}\n", "fetch.user_agent", 'user_agent: "off"'),
    ("settings.yaml", "timezone: Yes\n", "timezone", 'timezone: "Yes"'),
    ("topics.yaml", "topics:\n  - id: t\n    name: T\n    terms: {en: [On]}\n", "terms.en.0", '"On"'),
])
def test_yaml_booleans_in_string_fields_get_a_quoting_hint(tmp_path, file, text, field, hint):
    _write(tmp_path, GOOD_SOURCE)
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.field == field
    assert "quote it" in ei.value.message and hint in ei.value.message


def test_quoted_no_is_a_country(tmp_path):
    _write(tmp_path, GOOD_SOURCE + '    country: "NO"\n')
    assert load_config(tmp_path).sources[0].country == "NO"


def test_deep_topic_query_is_a_config_error_with_position(tmp_path):
    q = "(" * 250 + "Kyiv" + ")" * 250
    _write(tmp_path, GOOD_SOURCE, topics=f"topics:\n  - id: deep\n    name: D\n    query: '{q}'\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.entry == "'deep'" and ei.value.field == "query"
    assert "nested too deeply at position 100" in ei.value.message


def test_impossible_unquoted_date_is_a_config_error(tmp_path):
    _write(tmp_path, GOOD_SOURCE, settings="start_date: 2022-13-01\n")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert ei.value.file.endswith("settings.yaml") and "month must be in 1..12" in ei.value.message


@pytest.mark.parametrize("topic", [
    'topics:\n  - id: t\n    name: T\n    terms: {en: ["\\u0301\\u0302"]}\n',
    'topics:\n  - id: t\n    name: T\n    query: "banjir OR \\"\\u0301\\""\n',
])
def test_term_without_letters_is_rejected(tmp_path, topic):
    """A term of combining marks only folds to nothing and crashed matching; config refuses it."""
    _write(tmp_path, GOOD_SOURCE)
    (tmp_path / "topics.yaml").write_text(topic, encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_config(tmp_path)
    assert "has no letter or digit" in ei.value.message and ei.value.entry == "'t'"
