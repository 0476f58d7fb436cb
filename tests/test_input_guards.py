"""Bad input found by a new-user trial: each gets a clear error before anything is fetched, or
is one record that never sinks the run (issue 8, "a run never dies on one record")."""

from __future__ import annotations

import gzip
import subprocess
import sys
import zlib
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from localsite import Site
from mediamon import stages
from mediamon.acquire.archive import WarcArchive
from mediamon.acquire.encoding import gunzip_capped
from mediamon.acquire.sitemaps import parse_sitemap
from mediamon.config import ConfigError
from mediamon.extract import extract_file
from mediamon.runcalendar import RunParamError
from test_pipeline import PARAS, config, page, q

MEDIAMON = str(Path(sys.executable).with_name("mediamon"))


@pytest.fixture()
def site():
    s = Site()
    yield s
    s.close()


def _settings(cdir: str, **changes) -> None:
    p = Path(cdir) / "settings.yaml"
    s = yaml.safe_load(p.read_text())
    s.update(changes)
    p.write_text(yaml.safe_dump(s))


def test_reprocess_files_an_archive_without_source_under_the_configured_outlet(site, tmp_path):
    """`mediamon extract URL` archives under warc/<day>/_unknown/: reprocess used to die on that
    directory name (not a valid source id). The record goes to the source whose host it is."""
    cdir = config(tmp_path, site)
    url = f"{site.base}/x.html"
    WarcArchive(tmp_path / "data" / "warc").write_response(
        url, fetched_at=datetime(2022, 2, 2, 3, 0, tzinfo=timezone.utc), status=200,
        headers={"Content-Type": "text/html; charset=utf-8"}, body=page("Taman baru di Bandung", PARAS), source_id=None)
    assert [p.parent.name for p in (tmp_path / "data" / "warc").rglob("*.warc.gz")] == ["_unknown"]
    out = stages.reprocess("2022-02-01", cdir)
    assert out["extract"]["articles"] == 1 and out["extract"]["errors"] == []
    assert q(tmp_path, "SELECT source_id, canonical_url FROM articles") == [("kota", url)]


def test_import_warc_refuses_a_malformed_source_id(site, tmp_path):
    cdir = config(tmp_path, site)
    warc = WarcArchive(tmp_path / "w").write_response(
        f"{site.base}/x.html", fetched_at=datetime(2022, 2, 2, tzinfo=timezone.utc), status=200,
        headers={"Content-Type": "text/html"}, body=page("Taman", PARAS), source_id="kota")
    with pytest.raises(RunParamError, match="import-warc source id 'Bad ID!'"):
        stages.import_warc(warc, "Bad ID!", cdir)
    r = subprocess.run([MEDIAMON, "--config", cdir, "import-warc", "--source", "_x", str(warc)], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr[-500:]
    assert "import-warc source id '_x'" in r.stderr
    assert not (tmp_path / "data" / "m.duckdb").exists()  # nothing loaded


@pytest.mark.parametrize("field", ["data_dir", "db_path", "reports_dir"])
def test_unwritable_paths_fail_before_anything_is_fetched(site, tmp_path, field):
    cdir = config(tmp_path, site)
    site.routes["/rss.xml"] = (200, b"<rss version='2.0'><channel><title>t</title></channel></rss>", "application/rss+xml")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    _settings(cdir, **{field: str(blocker / "sub" / ("m.duckdb" if field == "db_path" else "d"))})
    with pytest.raises(ConfigError) as ei:
        stages.validate_config(cdir)
    assert ei.value.field == field and "cannot be created or written" in ei.value.message
    r = subprocess.run([MEDIAMON, "--config", cdir, "run", "--date", "2022-02-02"], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and f"field '{field}'" in r.stderr, r.stderr[-500:]


class _CountingRoutes(dict):
    """Site routes that count the requests the server answers."""

    requests = 0

    def get(self, key, default=None):
        self.requests += 1
        return super().get(key, default)


def test_run_for_a_day_before_start_date_fetches_nothing(site, tmp_path):
    cdir = config(tmp_path, site)
    site.routes = _CountingRoutes(site.routes)
    site.routes["/rss.xml"] = (200, b"<rss version='2.0'><channel><title>t</title></channel></rss>", "application/rss+xml")
    r = subprocess.run([MEDIAMON, "--config", cdir, "run", "--date", "2021-06-01"], capture_output=True, text=True)
    assert r.returncode == 2 and "before start_date 2022-01-01" in r.stderr and r.stderr.count("\n") == 1, r.stderr[-500:]
    assert not (tmp_path / "data").exists() and site.routes.requests == 0  # no database, no staging, no request
    r = subprocess.run([MEDIAMON, "--config", cdir, "run", "--date", "2022-02-02"], capture_output=True, text=True)
    assert r.returncode == 0 and site.routes.requests > 0  # the counter sees a real run's requests


def test_truncated_gz_page_is_an_error_but_a_truncated_sitemap_keeps_what_arrived(tmp_path):
    body = ("<html><body>" + "".join(f"<p>isi berita nomor {i * 7919 % 10007}</p>" for i in range(3000))
            + "</body></html>").encode()
    cut = gzip.compress(body)[:-200]
    assert len(cut) > 1000
    p = tmp_path / "page.html.gz"
    p.write_bytes(cut)
    with pytest.raises(ValueError, match=r"page\.html\.gz: not gzip data, or cut short .*truncated gzip data"):
        extract_file(p)
    with pytest.raises(zlib.error, match="truncated"):
        gunzip_capped(cut, 10_000_000)
    assert gunzip_capped(gzip.compress(body), 10_000_000) == body
    (tmp_path / "empty.html.gz").write_bytes(b"")
    with pytest.raises(ValueError, match="empty.html.gz: not gzip data, or cut short"):
        extract_file(tmp_path / "empty.html.gz")
    locs = "".join(f"<url><loc>https://k.example/{i}.html</loc></url>" for i in range(400))
    sm = gzip.compress(f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{locs}</urlset>".encode())
    parsed = parse_sitemap(sm[: len(sm) // 2])
    assert 0 < len(parsed.entries) < 400 and parsed.entries[0].url == "https://k.example/0.html"
