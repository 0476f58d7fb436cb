"""WARC archive: write/read round trip, partitioning, and the shared WARC/ARC fixtures."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mediamon.warc import WarcArchive, WarcError, WarcResponse, iter_warc_responses, warc_files_since

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
T = datetime(2024, 5, 1, 3, 4, 5, tzinfo=timezone.utc)


def test_round_trip_and_partitioning(tmp_path):
    a = WarcArchive(tmp_path)
    body = "<html><body>Berita hari ini — café</body></html>".encode("utf-8")
    p1 = a.write_response("https://x.id/a", fetched_at=T, status=200, reason="OK",
                          headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip",
                                   "Content-Length": "12"}, body=body, source_id="src-a")
    p2 = a.write_response("https://x.id/b", fetched_at=T, status=404, body=b"gone", source_id="src-a")
    p3 = a.write_response("https://y.id/c", fetched_at=T.replace(day=2), status=200, body=b"c", source_id=None)
    assert p1 == p2 and p1.relative_to(tmp_path).parts[:2] == ("2024-05-01", "src-a") and p1.name.endswith(".warc.gz")
    assert p3.relative_to(tmp_path).parts[:2] == ("2024-05-02", "_unknown")
    got = list(iter_warc_responses(p1, check_digests=True))
    assert [(w.url, w.status) for w in got] == [("https://x.id/a", 200), ("https://x.id/b", 404)]
    assert got[0].body == body and got[0].fetched_at == T
    assert got[0].headers["Content-Type"] == "text/html; charset=utf-8"
    assert got[0].headers["Content-Length"] == str(len(body)) and "Content-Encoding" not in got[0].headers
    assert got[0].headers["X-Mediamon-Original-Content-Encoding"] == "gzip"
    assert warc_files_since(tmp_path, "2024-05-02") == [p3]
    assert warc_files_since(tmp_path) == [p1, p3]


def test_bad_inputs_raise_warc_error_naming_file(tmp_path):
    missing = tmp_path / "nope.warc.gz"
    with pytest.raises(WarcError, match="nope.warc.gz"):
        list(iter_warc_responses(missing))
    html = tmp_path / "page.warc"
    html.write_bytes(b"<html><body>not a warc</body></html>")
    with pytest.raises(WarcError, match="page.warc"):
        list(iter_warc_responses(html))
    a = WarcArchive(tmp_path / "w")
    p = a.write_response("https://x.id/a", fetched_at=T, status=200, body=b"x" * 5000, source_id="s")
    a.write_response("https://x.id/b", fetched_at=T, status=200, body=bytes(range(256)) * 40, source_id="s")
    data = p.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 400])  # inside the second response payload
    got = []
    with pytest.raises(WarcError, match="cut.warc.gz"):
        for w in iter_warc_responses(cut):
            got.append(w)
    assert [w.url for w in got] == ["https://x.id/a"]  # records before the damage are kept


EXPECT_ERROR = {"example-bad-non-chunked.warc.gz", "example-bad.warc.gz.bad", "example-wrong-chunks.warc.gz"}


@pytest.mark.shared
def test_shared_warc_fixtures_read_or_rejected_clearly():
    files = sorted(f for d in ("warc-warcio", "warc-ukwa") if (CORPUS / d).exists() for f in (CORPUS / d).iterdir()
                   if f.is_file() and (".warc" in f.name or ".arc" in f.name))
    if not files:
        pytest.skip("../shared corpus absent")
    n_ok = n_err = 0
    for f in files:
        try:
            recs = list(iter_warc_responses(f))
        except WarcError as e:
            assert str(f) in str(e) and e.path == str(f)
            n_err += 1
            assert f.name in EXPECT_ERROR, f"unexpected rejection: {e}"
            continue
        n_ok += 1
        assert f.name not in EXPECT_ERROR
        for r in recs:
            assert isinstance(r, WarcResponse) and r.url and isinstance(r.body, bytes) and isinstance(r.status, int)
    assert n_ok >= 10 and n_err == len([f for f in files if f.name in EXPECT_ERROR])
    # digest checking rejects the record with a bad digest, naming the file
    bad = CORPUS / "warc-warcio" / "example-digest.warc"
    if bad.exists():
        with pytest.raises(WarcError, match="digest"):
            list(iter_warc_responses(bad, check_digests=True))
    ex = CORPUS / "warc-warcio" / "example.warc.gz"
    if ex.exists():
        (r,) = list(iter_warc_responses(ex, check_digests=True))
        assert r.url == "http://example.com/" and r.status == 200 and b"Example Domain" in r.body
