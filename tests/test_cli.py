"""The ``mediamon`` command over the same stage functions (no Airflow)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, write_demo_config
from mediamon.cli import main

MEDIAMON = str(Path(sys.executable).with_name("mediamon"))


def test_run_reprocess_and_report(demo_site, tmp_path, capsys):
    cdir = write_demo_config(tmp_path, demo_site)
    assert main(["--config", str(cdir), "run", "--date", "2022-02-02"]) == 0
    out, err = capsys.readouterr()
    # progress per stage on stderr, summary on stdout
    for stage in ("[discover]", "[   fetch]", "[    load]", "[  enrich]", "[  report]"):
        assert stage in err
    assert "pages fetched" in err and "extracted" in err
    assert "mediamon coverage report for 2022-02-02" in out and "Kabar Nusantara" in out
    db = tmp_path / "data" / "mediamon.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    before = con.execute("SELECT article_id, content_hash, version FROM articles ORDER BY 1").fetchall()
    n_log = con.execute("SELECT count(*) FROM fetch_log").fetchone()[0]
    con.close()
    assert len(before) >= 9

    # every response was archived as WARC: re-extraction without refetching changes nothing
    assert main(["--config", str(cdir), "reprocess", "--since", "2000-01-01"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["extract"]["articles"] >= len(before) and res["load"]["new_versions"] == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT article_id, content_hash, version FROM articles ORDER BY 1").fetchall() == before
    con.close()

    assert main(["--config", str(cdir), "report", "--date", "2022-02-02"]) == 0
    assert (tmp_path / "reports" / "2022-02-02" / "index.html").is_file()
    assert main(["--config", str(cdir), "search", "Ukraina"]) == 0
    assert "Ukraina" in capsys.readouterr().out
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM fetch_log").fetchone()[0] == n_log
    con.close()


def test_extract_saved_file_prints_json(tmp_path):
    page = ROOT / "demo" / "site" / "kabar-nusantara" / "internasional" / "2022" / "02" / "02" / "rusia-dan-as-saling-serang-argumen-soal-ukraina-di-pbb.html"
    html = page.read_text(encoding="utf-8").replace("{{BASE}}", "https://kabar.example")
    f = tmp_path / "seed.html"
    f.write_text(html, encoding="utf-8")
    r = subprocess.run([MEDIAMON, "extract", str(f), "--url", "https://kabar.example/x.html"], capture_output=True, text=True, check=True)
    rec = json.loads(r.stdout)
    assert set(rec) >= {"text", "title", "authors", "published_at", "language", "canonical_url", "tags"}
    assert rec["language"] == "id" and rec["published_at"].startswith("2022-02-02T12:15:00+07:00")
    assert "Baca Juga" not in rec["text"] and rec["canonical_url"].startswith("https://kabar.example/")


def test_bad_config_exits_2_with_named_field(tmp_path):
    (tmp_path / "sources.yaml").write_text("sources:\n  - id: x\n    name: X\n    homepage: notaurl\n    language: id\n    feeds: [https://x.example/rss]\n")
    r = subprocess.run([MEDIAMON, "--config", str(tmp_path), "run", "--date", "2022-02-02"], capture_output=True, text=True)
    assert r.returncode == 2
    assert "sources.yaml" in r.stderr and "'x'" in r.stderr and "homepage" in r.stderr
    assert not (tmp_path / "data").exists()


def test_missing_file_and_bad_date():
    r = subprocess.run([MEDIAMON, "extract", "/nonexistent/page.html"], capture_output=True, text=True)
    assert r.returncode == 2 and "no such file" in r.stderr
    r = subprocess.run([MEDIAMON, "report", "--date", "2022-13-45"], capture_output=True, text=True)
    assert r.returncode == 2 and "not a date" in r.stderr


def test_sentiment_command_reads_stdin_lines():
    r = subprocess.run([MEDIAMON, "sentiment"], input="Banjir besar menewaskan puluhan warga\nThe festival was a wonderful success\n",
                       capture_output=True, text=True, check=True)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["language"], x["label"]) for x in lines] == [("id", "negative"), ("en", "positive")]
    assert all(-1 <= x["score"] <= 1 and x["method"] for x in lines)


def test_import_warc_from_shared_fixture(shared_dir, tmp_path, capsys):
    warc = shared_dir / "corpus" / "warc-warcio" / "example.warc.gz"
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "sources.yaml").write_text(
        "sources:\n  - id: iana\n    name: IANA\n    homepage: http://example.com/\n    language: en\n    feeds: [http://example.com/rss]\n")
    (tmp_path / "c" / "settings.yaml").write_text(f"data_dir: {tmp_path}/data\ndb_path: {tmp_path}/data/m.duckdb\nreports_dir: {tmp_path}/r\n")
    assert main(["--config", str(tmp_path / "c"), "import-warc", str(warc)]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["extract"]["files"] == 1 and res["extract"]["responses"] >= 1
    # a malformed WARC is a clean error naming the file, and nothing is loaded
    bad = shared_dir / "corpus" / "warc-warcio" / "example-bad.warc.gz.bad"
    assert main(["--config", str(tmp_path / "c"), "import-warc", str(bad)]) == 1
    assert bad.name in capsys.readouterr().err


def test_cli_errors_are_one_line_not_tracebacks(tmp_path):
    cfg_file = tmp_path / "sources.yaml"
    cfg_file.write_text("sources: []\n")
    cases = [
        (["--config", str(cfg_file), "validate"], 2, "not a directory"),
        (["import-warc", str(tmp_path / "missing.warc.gz")], 2, "missing.warc.gz"),
        (["import-warc", str(cfg_file)], 1, "not a WARC"),
        (["search", "x", "--limit", "-1"], 2, "must be at least 1"),
        (["extract", str(tmp_path)], 2, "not a file"),
    ]
    for args, code, msg in cases:
        r = subprocess.run([MEDIAMON, *args], capture_output=True, text=True)
        assert r.returncode == code, (args, r.returncode, r.stderr[-500:])
        assert msg in r.stderr and "Traceback" not in r.stderr, (args, r.stderr[-500:])


def test_search_without_database(tmp_path):
    (tmp_path / "sources.yaml").write_text("sources:\n  - id: a\n    name: A\n    homepage: https://a.example/\n    language: id\n    feeds: [https://a.example/rss]\n")
    (tmp_path / "settings.yaml").write_text(f"data_dir: {tmp_path}/data\ndb_path: {tmp_path}/data/m.duckdb\n")
    r = subprocess.run([MEDIAMON, "--config", str(tmp_path), "search", "x"], capture_output=True, text=True)
    assert r.returncode == 1 and "does not exist yet" in r.stderr
    assert not (tmp_path / "data").exists()


def test_extract_url_uses_the_configured_allowlist(demo_site, tmp_path):
    cdir = write_demo_config(tmp_path, demo_site)
    url = f"{demo_site}/kabar-nusantara/internasional/2022/02/02/rusia-dan-as-saling-serang-argumen-soal-ukraina-di-pbb.html"
    r = subprocess.run([MEDIAMON, "--config", str(cdir), "extract", url], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["language"] == "id"
    # without a config allowing it, loopback stays refused
    r = subprocess.run([MEDIAMON, "--config", str(tmp_path / "nowhere"), "extract", url], capture_output=True, text=True)
    assert r.returncode != 0


def test_extract_gz_bomb_and_non_gzip_are_one_line_errors_exit_2(tmp_path):
    from gzbomb import gzip_zeros

    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip_zeros(64))  # 66 KB inflating to 64 MiB, over the default 10 MB cap
    notgz = tmp_path / "saved.html.gz"
    notgz.write_bytes(b"<html><body><p>not compressed</p></body></html>")
    for f, msg in ((bomb, "decompressed size exceeds 10000000 bytes"), (notgz, "not gzip data")):
        r = subprocess.run([MEDIAMON, "extract", str(f)], capture_output=True, text=True)
        assert r.returncode == 2, (f, r.returncode, r.stderr[-500:])
        assert r.stderr.count("\n") == 1 and str(f) in r.stderr and msg in r.stderr and "Traceback" not in r.stderr, r.stderr[-500:]
        assert r.stdout == ""
    # the cap is the configuration's settings.fetch.max_bytes
    small = tmp_path / "small.html.gz"
    small.write_bytes(gzip_zeros(4))
    cdir = tmp_path / "c"
    cdir.mkdir()
    (cdir / "sources.yaml").write_text("sources:\n  - id: a\n    name: A\n    homepage: https://a.example/\n    language: en\n    feeds: [https://a.example/rss]\n")
    (cdir / "settings.yaml").write_text(f"data_dir: {tmp_path}/data\ndb_path: {tmp_path}/data/m.duckdb\nfetch:\n  max_bytes: 1000000\n")
    r = subprocess.run([MEDIAMON, "--config", str(cdir), "extract", str(small)], capture_output=True, text=True)
    assert r.returncode == 2 and "exceeds 1000000 bytes" in r.stderr, r.stderr[-500:]
    r = subprocess.run([MEDIAMON, "extract", str(small)], capture_output=True, text=True)  # 4 MiB: under the default cap
    assert r.returncode == 0 and json.loads(r.stdout)["page_type"] == "empty", r.stderr[-500:]


def test_report_before_start_date_is_refused_clearly(tmp_path):
    from mediamon import stages

    (tmp_path / "sources.yaml").write_text("sources:\n  - id: a\n    name: A\n    homepage: https://a.example/\n    language: id\n    feeds: [https://a.example/rss]\n")
    (tmp_path / "settings.yaml").write_text(f"start_date: 2023-03-04\ndata_dir: {tmp_path}/data\n"
                                            f"db_path: {tmp_path}/data/m.duckdb\nreports_dir: {tmp_path}/reports\n")
    r = subprocess.run([MEDIAMON, "--config", str(tmp_path), "report", "--date", "2023-03-03"], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr[-500:]
    assert "report day 2023-03-03 is before start_date 2023-03-04" in r.stderr
    assert "settings.yaml" in r.stderr and "start_date" in r.stderr
    assert not (tmp_path / "reports").exists() and not (tmp_path / "data").exists()  # nothing written
    with pytest.raises(stages.DateBeforeStartError) as ei:
        stages.build_report("2023-03-03", str(tmp_path))
    assert ei.value.field == "start_date"
    out = stages.build_report("2023-03-04", str(tmp_path))  # the start day itself is fine
    assert out["day"] == "2023-03-04" and Path(out["files"]["html"]).is_file()


@pytest.mark.parametrize("sources, settings, expected", [
    ('    name: "X\\uD800"\n', None, "field 'name': Value error, contains a lone UTF-16 surrogate U+D800"),
    ("    name: X\n    country: NO\n", None, "field 'country': Input should be a valid string: YAML read the unquoted NO as the boolean false; quote it: country: \"NO\""),
    ("    name: X\n", "lol1: &l1 [a, a, a, a, a, a, a, a, a, a]\n" + "".join(
        f"lol{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]\n" for k in range(2, 10)), "refused YAML: aliases expand"),
])
def test_validate_bad_config_is_one_line(tmp_path, sources, settings, expected):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - id: x\n" + sources + "    homepage: https://x.example/\n    language: id\n    feeds: [https://x.example/rss]\n")
    if settings:
        (tmp_path / "settings.yaml").write_text(settings)
    r = subprocess.run([MEDIAMON, "--config", str(tmp_path), "validate"], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr[-500:]
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr[-500:]
    assert expected in r.stderr and ("settings.yaml" if settings else "sources.yaml: entry 'x'") in r.stderr
