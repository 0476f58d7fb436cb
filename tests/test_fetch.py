"""Fetcher against a real local fault-injecting HTTP server (tests/faultserver.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from faultserver import ARTICLE_HTML, FaultServer
from mediamon.config import FetchSettings, Source, SourceRules
from mediamon.acquire.archive import iter_warc_responses
from mediamon.acquire.encoding import DecompressionBomb, decode_body, gunzip_capped
from mediamon.acquire.guard import allowlist_for_source
from mediamon.acquire.http import LOG_KEYS, Fetcher
from mediamon.acquire.pages import fetch_article_pages, find_next_page, with_query_param

# Timeouts far above what a loopback request needs even on a loaded machine: a test that needs a
# timeout to fire sets a small one itself against a server that stays silent far longer (30 s).
FAST = dict(per_host_delay_s=0.02, connect_timeout_s=5.0, read_timeout_s=5.0, total_timeout_s=20.0, retries=2,
            backoff_base_s=0.02, backoff_max_s=2.0)


def settings(**kw) -> FetchSettings:
    return FetchSettings(**{**FAST, **kw})


@pytest.fixture()
def srv():
    with FaultServer() as s:
        yield s


def fetcher_for(srv: FaultServer, **kw) -> Fetcher:
    return Fetcher(settings(**kw), allow_private_hosts={srv.hostport})


def record_slot_starts(f: Fetcher) -> list[tuple[str, float]]:
    """Observe ``f``'s per-host gate: appends (host, wall time) for every request slot it
    grants (read right after any politeness sleep). Deterministic, unlike gaps
    measured server-side, which include the server's thread-scheduling jitter (that check is in
    benchmarks/fetch.py). Needs ``max_per_host`` 1 (the default), so no other thread of the same
    host can move the gate's record between the slot being granted and it being read."""
    starts: list[tuple[str, float]] = []
    acquire = f.gate.acquire

    def observed(host: str, delay_s: float) -> float:
        waited = acquire(host, delay_s)
        starts.append((host, time.time()))  # the gate's clock (wall), read once the slot is granted
        return waited

    f.gate.acquire = observed
    return starts


def min_slot_gap(starts: list[tuple[str, float]], host: str) -> float:
    ts = sorted(t for h, t in starts if h == host)
    assert len(ts) >= 2, starts
    return min(b - a for a, b in zip(ts, ts[1:]))


def test_ok_page_user_agent_and_log_row(srv):
    f = fetcher_for(srv, user_agent="mediamon-test/1.0", contact_url="https://example.org/contact")
    r = f.fetch(srv.url("/page/hello"), source_id="s1")
    assert r.outcome == "ok" and r.status == 200
    assert "hello" in r.text and r.encoding == "utf-8" and r.encoding_source == "header"
    assert r.n_bytes == len(r.body) > 0 and r.robots == "allowed"
    ua = srv.hits("/page/hello")[0].headers["User-Agent"]
    assert ua.startswith("mediamon-test/1.0") and "https://example.org/contact" in ua
    row = r.log_row("s1", "run-1")
    assert tuple(row.to_dict()) == LOG_KEYS
    assert row.run_id == "run-1" and row.source_id == "s1" and row.host == srv.hostport
    assert row.to_dict()["fetched_at"].endswith("+00:00") and row.outcome == "ok" and row.kind == "article"


@pytest.mark.parametrize("code", [404, 410, 403])
def test_4xx_not_retried(srv, code):
    f = fetcher_for(srv)
    r = f.fetch(srv.url(f"/status/{code}"))
    assert r.outcome == "http_error" and r.status == code and r.retries == 0
    assert len(srv.hits(f"/status/{code}")) == 1
    assert r.error_class == "HTTPError"


def test_429_retry_after_honoured(srv):
    f = fetcher_for(srv)
    t = time.monotonic()
    r = f.fetch(srv.url("/flaky/ra/1/429?ra=0.3"))
    assert r.outcome == "ok" and r.retries == 1
    hits = srv.hits("/flaky/ra")
    assert len(hits) == 2 and hits[1].t - hits[0].t >= 0.3
    assert time.monotonic() - t >= 0.3
    assert r.history[0]["status"] == 429 and r.history[0]["wait_s"] == 0.3


def test_retry_after_above_max_not_retried(srv):
    f = fetcher_for(srv, backoff_max_s=1.0)
    r = f.fetch(srv.url("/flaky/long/5/503?ra=120"))
    assert r.outcome == "http_error" and r.status == 503 and r.retries == 0
    assert "exceeds backoff_max_s" in r.error
    assert len(srv.hits("/flaky/long")) == 1


def test_5xx_retried_with_backoff_then_ok(srv):
    f = fetcher_for(srv)
    r = f.fetch(srv.url("/flaky/x/2/503"))
    assert r.outcome == "ok" and r.retries == 2
    assert [h["status"] for h in r.history] == [503, 503, 200]


def test_persistent_500_gives_up(srv):
    f = fetcher_for(srv, retries=3)
    r = f.fetch(srv.url("/status/500"))
    assert r.outcome == "http_error" and r.status == 500 and r.retries == 3
    assert len(srv.hits("/status/500")) == 4
    waits = [h["wait_s"] for h in r.history[:-1]]
    assert all(w > 0 for w in waits) and waits[2] > waits[0]  # exponential (with jitter in [d/2, d])


def test_slow_ok_and_stall_times_out(srv):
    assert fetcher_for(srv, retries=0).fetch(srv.url("/slow/0.1")).outcome == "ok"  # read timeout 5 s
    # 3 s: far below the server's 30 s silences, and long enough that the stalling page's
    # headers (sent at once) arrive in time on a loaded machine
    f = fetcher_for(srv, retries=0, read_timeout_s=3.0)
    r = f.fetch(srv.url("/slow/30"))  # no headers for 30 s
    assert r.outcome == "timeout" and r.error_class == "ReadTimeout" and r.status is None
    r = f.fetch(srv.url("/stall"))  # headers and 1,000 bytes, then silence for 30 s
    assert r.outcome == "timeout" and r.error_class == "ReadTimeout" and r.status == 200 and r.body is None


def test_timeout_retried(srv):
    f = fetcher_for(srv, retries=1, read_timeout_s=0.3)
    r = f.fetch(srv.url("/stall"))
    assert r.outcome == "timeout" and r.retries == 1 and len(srv.hits("/stall")) == 2


def test_total_deadline_on_drip(srv):
    # a byte every 50 ms never trips the 10 s read timeout; 2,000 bytes would take 100 s
    f = fetcher_for(srv, retries=0, read_timeout_s=10.0, total_timeout_s=1.0)
    r = f.fetch(srv.url("/drip/2000"))
    assert r.outcome == "timeout" and r.error_class == "DeadlineExceeded" and r.body is None
    assert "total deadline 1.0s exceeded while reading" in r.error and r.n_bytes < 2000


def test_truncated_body(srv):
    f = fetcher_for(srv, retries=0)
    r = f.fetch(srv.url("/truncated"))
    assert r.outcome == "connection_error" and r.error_class == "IncompleteRead" and r.body is None


def test_redirects(srv):
    f = fetcher_for(srv, max_redirects=5)
    r = f.fetch(srv.url("/redirect/3"))
    assert r.outcome == "ok" and r.final_url == srv.url("/page/final")
    assert f.fetch(srv.url("/loop/a")).outcome == "redirect_loop"
    r = f.fetch(srv.url("/redirect/8"))
    assert r.outcome == "redirect_loop" and r.error_class == "TooManyRedirects"
    assert len(srv.hits("/redirect/")) == 3 + 6


@pytest.mark.parametrize("path,enc,src,needle", [
    ("/charset/wrong", "cp1252", "detected", "café était très"),
    ("/charset/meta", "cp1252", "meta", "crème brûlée"),
    ("/charset/none", "cp1252", "detected", "café était très"),
    ("/charset/bom", "utf-8", "bom", "café était très"),
    ("/charset/latin1-header", "cp1252", "header", "“quoted”"),
])
def test_charset_declarations(srv, path, enc, src, needle):
    r = fetcher_for(srv).fetch(srv.url(path))
    assert r.outcome == "ok"
    assert (r.encoding, r.encoding_source) == (enc, src)
    assert needle in r.text and r.replacement_chars == 0 and not r.text.startswith("\ufeff")


def test_replacement_chars_counted(srv):
    r = fetcher_for(srv).fetch(srv.url("/charset/broken-utf8"))
    assert r.encoding == "utf-8" and r.replacement_chars == 3 and "Pemerintah" in r.text
    assert r.log_row("s", "r").replacement_chars == 3


def test_decode_body_order():
    # header beats meta; BOM beats meta; meta beats detection
    body = '<meta charset="iso-8859-2"><p>żółć</p>'.encode("utf-8")
    assert decode_body(body, "text/html; charset=utf-8")[1:3] == ("utf-8", "header")
    assert decode_body(b"\xef\xbb\xbf" + body, None)[1:3] == ("utf-8", "bom")
    assert decode_body('<meta charset="iso-8859-2"><p>żółć</p>'.encode("iso-8859-2"), "text/html")[1:3] == ("iso8859-2", "meta")


def test_gzip_bomb_and_byte_cap(srv):
    srv.bomb()  # built (once per process) before it is served, not while the client waits
    f = fetcher_for(srv, retries=0)
    r = f.fetch(srv.url("/gzip-bomb"))
    assert r.outcome == "decompression_bomb" and r.body is None
    assert r.n_bytes <= f.settings.max_bytes + 1 and "bomb" in r.skip_reason
    ok = f.fetch(srv.url("/gzip-ok"))
    assert ok.outcome == "ok" and "gzip ok" in ok.text
    r = f.fetch(srv.url("/big"))  # streamed without Content-Length
    assert r.outcome == "too_large" and r.n_bytes < f.settings.max_bytes + 70_000
    r = f.fetch(srv.url("/big?cl=1"))  # refused on Content-Length before reading
    assert r.outcome == "too_large" and r.n_bytes == 0
    small = fetcher_for(srv, retries=0, max_bytes=1000).fetch(srv.url("/charset/none"))
    assert small.outcome == "too_large"


def test_stacked_content_encoding_is_permanent(srv):
    import gzip
    from datetime import datetime, timezone

    from mediamon.planning import retry_worthwhile

    html = ARTICLE_HTML.format(title="double gzip").encode()
    srv.add("/gz2", gzip.compress(gzip.compress(html)), headers={"Content-Encoding": "gzip, gzip"})
    srv.add("/br", b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"})
    srv.add("/gz-identity", gzip.compress(html), headers={"Content-Encoding": "identity, gzip"})
    f = fetcher_for(srv, retries=2)
    for path in ("/gz2", "/br"):
        r = f.fetch(srv.url(path))
        assert r.outcome == "unsupported_encoding" and r.error_class == "UnsupportedEncoding", (path, r.outcome)
        assert r.retries == 0 and len(srv.hits(path)) == 1  # not retried within the fetch
        row = r.log_row("demo", "run-1")
        hist = {"attempts": 1, "outcome": row.outcome, "status": row.status, "skip_reason": row.skip_reason,
                "fetched_at": r.fetched_at}
        assert retry_worthwhile(hist, datetime.now(timezone.utc)) is False  # plan does not refetch it
    ok = f.fetch(srv.url("/gz-identity"))  # 'identity' entries are no-ops
    assert ok.outcome == "ok" and "<h1>double gzip</h1>" in ok.text


def test_gunzip_capped():
    import gzip

    assert gunzip_capped(gzip.compress(b"abc" * 10) + gzip.compress(b"xyz"), 100) == b"abc" * 10 + b"xyz"
    with pytest.raises(DecompressionBomb):
        gunzip_capped(gzip.compress(b"\0" * 1_000_000), 10_000)


@pytest.mark.parametrize("path,kind", [("/pdf", "application/pdf"), ("/pdf-as-html", "application/pdf"), ("/image", "image/png")])
def test_non_html_skipped_and_recorded(srv, path, kind):
    r = fetcher_for(srv).fetch(srv.url(path))
    assert r.outcome == "non_html" and r.body is None and kind in r.skip_reason
    assert r.log_row("s", "r").skip_reason == r.skip_reason


def test_robots_disallow_crawl_delay_and_cache(srv):
    srv.robots_txt = "User-agent: mediamon\nDisallow: /page/private\nCrawl-delay: 0.15\n\nUser-agent: *\nDisallow: /\n"
    f = fetcher_for(srv)
    starts = record_slot_starts(f)
    r = f.fetch(srv.url("/page/private/x"))
    assert r.outcome == "robots_disallowed" and r.robots == "disallowed" and r.status is None
    assert "robots.txt" in r.skip_reason and not srv.hits("/page/private")
    rs = f.fetch_many([srv.url(f"/page/p{i}") for i in range(4)])
    assert [x.outcome for x in rs] == ["ok"] * 4 and all(x.robots == "allowed" for x in rs)
    assert len(srv.hits("/robots.txt")) == 1  # cached per host
    assert len(starts) == 5 and min_slot_gap(starts, srv.hostport) >= 0.15  # Crawl-delay raised the 0.02 s default
    robots_logged = f.pop_robots_results()
    assert len(robots_logged) == 1 and robots_logged[0].kind == "robots" and robots_logged[0].outcome == "ok"


def test_robots_ttl_expiry(srv):
    f = fetcher_for(srv, robots_ttl_s=0.2)
    f.fetch(srv.url("/page/a"))
    time.sleep(0.25)
    f.fetch(srv.url("/page/b"))
    assert len(srv.hits("/robots.txt")) == 2


def test_robots_4xx_allows_5xx_disallows(srv):
    srv.robots_status = 404
    r = fetcher_for(srv).fetch(srv.url("/page/a"))
    assert r.outcome == "ok" and r.robots == "unavailable"
    srv.robots_status = 503
    f = fetcher_for(srv, retries=0)
    r = f.fetch(srv.url("/page/b"))
    assert r.outcome == "robots_disallowed" and r.robots == "unavailable" and "RFC 9309" in r.skip_reason
    assert not srv.hits("/page/b")


def test_respect_robots_off(srv):
    srv.robots_txt = "User-agent: *\nDisallow: /\n"
    r = fetcher_for(srv, respect_robots=False).fetch(srv.url("/page/a"))
    assert r.outcome == "ok" and r.robots == "not_checked" and not srv.hits("/robots.txt")


def test_per_host_delay_between_request_starts(srv):
    f = fetcher_for(srv, per_host_delay_s=0.05, max_workers=4)
    starts = record_slot_starts(f)
    rs = f.fetch_many([srv.url(f"/page/{i}") for i in range(8)])
    assert all(r.ok for r in rs)
    assert len(starts) == 9 and len(srv.hits()) == 9  # robots.txt + 8 pages, each through the gate
    assert min_slot_gap(starts, srv.hostport) >= 0.05


def test_hosts_fetched_concurrently_order_preserved():
    import threading

    # Host a's first page answers only once host b has been asked for its first page: fetched
    # one host after the other, a's request would wait 60 s and time out (read timeout 30 s).
    b_asked, a_waited = threading.Event(), []
    with FaultServer(latency_s=0.05) as a, FaultServer(latency_s=0.05) as b, FaultServer(latency_s=0.05) as c:
        a.add("/hold", lambda: a_waited.append(b_asked.wait(60)) or ARTICLE_HTML.format(title="held").encode())
        b.add("/release", lambda: b_asked.set() or ARTICLE_HTML.format(title="release").encode())
        f = Fetcher(settings(per_host_delay_s=0.1, max_workers=6, read_timeout_s=30.0, total_timeout_s=60.0),
                    allow_private_hosts={a.hostport, b.hostport, c.hostport})
        starts = record_slot_starts(f)
        urls = [a.url("/hold"), b.url("/release")] + [s.url(f"/page/{i}") for i in range(5) for s in (a, b, c)]
        rs = f.fetch_many(urls)
        assert [r.url for r in rs] == urls and all(r.ok for r in rs)
        assert a_waited == [True]  # b was asked while a's first request was in flight
        for s in (a, b, c):
            assert min_slot_gap(starts, s.hostport) >= 0.1


def test_one_broken_host_does_not_stop_others(srv):
    import socket

    sk = socket.socket()
    sk.bind(("127.0.0.1", 0))
    dead_port = sk.getsockname()[1]
    sk.close()
    f = Fetcher(settings(retries=1), allow_private_hosts={srv.hostport, f"127.0.0.1:{dead_port}"})
    urls = [f"http://127.0.0.1:{dead_port}/page/x", srv.url("/page/ok"), srv.url("/status/500"), "not a url", srv.url("/page/ok2")]
    rs = f.fetch_many(urls)
    assert [r.outcome for r in rs] == ["connection_error", "ok", "http_error", "blocked_scheme", "ok"]


def test_ssrf_guard_refuses_private_addresses(srv):
    f = Fetcher(settings())  # nothing allowlisted
    for u in (srv.url("/page/a"), "http://169.254.169.254/latest/meta-data/", "http://localhost:%d/" % srv.port,
              "http://[::1]:%d/" % srv.port, "http://10.0.0.1/", "http://224.0.0.1/", "http://0.0.0.0/",
              "http://[::ffff:127.0.0.1]/"):
        r = f.fetch(u, source_id="public")
        assert r.outcome == "blocked_address", u
        row = r.log_row("public", "run")
        assert row.outcome == "blocked_address" and row.error_class == "BlockedAddress"
    for u in ("file:///etc/passwd", "ftp://example.com/x", "gopher://x/"):
        assert f.fetch(u).outcome == "blocked_scheme"
    assert srv.hits() == []


def test_ssrf_recheck_after_redirect_and_port_scope(srv):
    f = fetcher_for(srv)
    r = f.fetch(srv.url("/redirect-to?u=http://169.254.169.254/latest/meta-data/"))
    assert r.outcome == "blocked_address" and r.final_url.startswith("http://169.254.169.254")
    r = f.fetch(srv.url("/redirect-to?u=file:///etc/passwd"))
    assert r.outcome == "blocked_scheme"
    with FaultServer() as other:  # same IP, other port: not allowlisted
        r = f.fetch(srv.url("/redirect-to?u=" + other.url("/page/x")))
        assert r.outcome == "blocked_address" and other.hits() == []


def test_allowlist_for_source():
    src = Source(id="demo", name="Demo", homepage="http://127.0.0.1:8123/", language="id",
                 feeds=["http://127.0.0.1:8123/feed.xml"], allow_private_network=True)
    assert allowlist_for_source(src) == {"127.0.0.1:8123"}
    assert allowlist_for_source(src.model_copy(update={"allow_private_network": False})) == set()


def test_conditional_get(srv):
    srv.add("/feed.xml", "<rss version='2.0'><channel></channel></rss>", "application/rss+xml",
            etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    f = fetcher_for(srv)
    r1 = f.fetch(srv.url("/feed.xml"), kind="feed")
    assert r1.outcome == "ok" and r1.headers["ETag"] == '"v1"'
    r2 = f.fetch(srv.url("/feed.xml"), kind="feed", validators={"etag": '"v1"'})
    assert r2.outcome == "not_modified" and r2.status == 304
    assert srv.hits("/feed.xml")[1].headers["If-None-Match"] == '"v1"'
    r3 = f.fetch(srv.url("/feed.xml"), kind="feed", validators={"last_modified": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert r3.outcome == "not_modified"


def test_warc_written_and_readable(srv, tmp_path):
    f = Fetcher(settings(), allow_private_hosts={srv.hostport}, warc_dir=tmp_path)
    rs = f.fetch_many([srv.url("/page/w1"), srv.url("/gzip-ok"), srv.url("/status/404")], source_id="src-a")
    files = sorted(tmp_path.rglob("*.warc.gz"))
    assert files and all(p.relative_to(tmp_path).parts[1] == "src-a" for p in files)
    day = rs[0].fetched_at.strftime("%Y-%m-%d")
    assert files[0].relative_to(tmp_path).parts[0] == day
    got = {w.url: w for p in files for w in iter_warc_responses(p, check_digests=True)}
    for r in rs:
        assert got[r.url].body == r.body and got[r.url].status == r.status
    assert "gzip ok" in got[srv.url("/gzip-ok")].body.decode()
    assert rs[0].warc_path and Path(rs[0].warc_path).exists()


def _pager(n: int, total: int, style: str) -> str:
    if style == "query":
        links = " ".join(f'<a href="?page={i}">{i}</a>' for i in range(1, total + 1))
    else:  # Indonesian "Halaman: 1 2 3" with /N paths
        links = "Halaman: " + " ".join(f'<a href="/berita/d-123/judul-artikel/{i}">{i}</a>' for i in range(1, total + 1))
    return f"<html><body><article><p>Bagian {n} dari artikel.</p></article><div class='pager'>{links}</div>" \
           f"<a href='/berita/lain-lain-123456'>lain</a></body></html>"


def test_multi_page_articles(srv):
    for i in range(1, 4):
        srv.add(f"/news/a?page={i}" if i > 1 else "/news/a", _pager(i, 3, "query"))
        srv.add(f"/berita/d-123/judul-artikel/{i}" if i > 1 else "/berita/d-123/judul-artikel", _pager(i, 3, "path"))
    srv.add("/news/a?page=all", "<html><body><p>Semua bagian.</p></body></html>")
    f = fetcher_for(srv)
    res, pages = fetch_article_pages(f, srv.url("/news/a"), SourceRules())
    assert len(pages) == 3 and [f"Bagian {i}" in p for i, p in enumerate(pages, 1)] == [True] * 3
    res, pages = fetch_article_pages(f, srv.url("/berita/d-123/judul-artikel"), None)
    assert len(pages) == 3 and "Bagian 3" in pages[2]
    res, pages = fetch_article_pages(f, srv.url("/news/a"), SourceRules(single_page_param="page=all"))
    assert len(res) == 1 and pages == ["<html><body><p>Semua bagian.</p></body></html>"]
    res, pages = fetch_article_pages(f, srv.url("/news/a"), None, max_pages=2)
    assert len(pages) == 2


def test_find_next_page_rel_next_and_text():
    html = '<html><head><link rel="next" href="/a/2"></head><body></body></html>'
    assert find_next_page(html, "https://x.id/a") == "https://x.id/a/2"
    html = '<html><body><a href="https://x.id/a?hal=3">Selanjutnya</a><a href="https://evil.com/a?page=2">2</a></body></html>'
    assert find_next_page(html, "https://x.id/a") == "https://x.id/a?hal=3"
    assert find_next_page("<html><body><a href='/other-7'>7</a></body></html>", "https://x.id/a") is None
    assert with_query_param("https://x.id/a?page=2&k=1", "page=all") == "https://x.id/a?k=1&page=all"
