"""WARC archive: write/read round trip, partitioning, and the shared WARC/ARC fixtures."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from mediamon.acquire.archive import WarcArchive, WarcError, WarcResponse, iter_warc_responses, warc_files_since

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


# ---- issue 8: a record that inflates past the fetcher's byte cap is skipped and reported

PARAS = [
    "The city council approved a network of protected bike lanes on Tuesday evening after a long public debate.",
    "Supporters said the lanes would make cycling safer for children and commuters across the downtown district.",
    "Opponents worried about parking, but the plan keeps most spaces by narrowing the car lanes on three avenues.",
    "Construction is expected to start in the spring and finish before the end of next year, officials said.",
]


def _page(title: str) -> bytes:
    return (f"<html lang='en'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            + "".join(f"<p>{p} ({title})</p>" for p in PARAS) + "</article></body></html>").encode()


def _warc_with_bombs(path: Path, n_mib: int = 256) -> Path:
    from gzbomb import MIB, gzip_zeros, warc_record

    html = [("Content-Type", "text/html; charset=utf-8")]
    path.write_bytes(b"".join([
        warc_record("https://news.example/a.html", html, [(_page("Bike lanes approved"), 1)]),
        # the record itself inflates to n_mib MiB (a 1 MB WARC inflating to 1 GiB, scaled down)
        warc_record("https://news.example/bomb-record.html", html, [(bytes(MIB), n_mib)]),
        # a small record whose HTTP Content-Encoding inflates to n_mib MiB
        warc_record("https://news.example/bomb-encoding.html", [*html, ("Content-Encoding", "gzip")],
                    [(gzip_zeros(n_mib), 1)]),
        warc_record("https://news.example/b.html", html, [(_page("Ferry schedule changes"), 1)]),
    ]))
    return path


def test_record_over_the_byte_cap_is_skipped_reported_and_memory_stays_bounded(tmp_path):
    import tracemalloc

    from gzbomb import MIB

    def read(n_mib: int) -> tuple[list, int]:
        p = _warc_with_bombs(tmp_path / f"bombs-{n_mib}.warc.gz", n_mib)
        assert p.stat().st_size < n_mib * MIB // 100  # two n_mib MiB payloads in a file this small
        tracemalloc.start()
        try:
            got = [(r.url.rsplit("/", 1)[1], len(r.body), r.skipped) for r in iter_warc_responses(p, max_bytes=MIB)]
            return got, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    got, peak = read(256)
    assert [(u, n > 0, s is None) for u, n, s in got] == [
        ("a.html", True, True), ("bomb-record.html", False, False), ("bomb-encoding.html", False, False), ("b.html", True, True)]
    assert all(s.startswith(f"too_large: payload exceeds max_bytes {MIB}") for _, _, s in got[1:3])
    # bounded by the cap plus warcio's read buffers (one 64 KiB block inflates to at most ~64 MiB),
    # not by the 256 MiB each bomb inflates to; and a 4x smaller bomb needs as much memory
    assert peak < 128 * MIB, peak
    _, peak_small = read(64)
    assert peak < peak_small + 8 * MIB, (peak, peak_small)


def test_import_warc_skips_a_bomb_record_under_the_configured_cap_and_loads_the_rest(tmp_path):
    import yaml

    from mediamon import stages

    cdir = tmp_path / "config"
    cdir.mkdir()
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": [{"id": "news", "name": "News", "homepage": "https://news.example/",
                                                                     "language": "en", "feeds": ["https://news.example/rss"]}]}))
    (cdir / "settings.yaml").write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "db_path": str(tmp_path / "data" / "m.duckdb"),
                                                        "reports_dir": str(tmp_path / "reports"), "fetch": {"max_bytes": 1 << 20}}))
    p = _warc_with_bombs(tmp_path / "bombs.warc.gz", n_mib=16)
    out = stages.import_warc(p, config_dir=str(cdir))
    ex = out["extract"]
    assert (ex["responses"], ex["articles"], ex["too_large"], ex["skipped"]) == (4, 2, 2, 2)
    assert [e.split(": ")[1] for e in ex["errors"]] == ["https://news.example/bomb-record.html", "https://news.example/bomb-encoding.html"]
    assert all(str(p) in e and "exceeds max_bytes 1048576" in e for e in ex["errors"])
    assert out["load"]["articles"] == 2 and out["enrich"]["failed"] == 0
