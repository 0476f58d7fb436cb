"""Discovery: feeds, sitemaps, section pages, canonical URLs, feed state, refresh policy."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from protego import Protego

from faultserver import FaultServer
from mediamon.config import FetchSettings, Source
from mediamon.acquire.discovery import discover_source
from mediamon.acquire.feeds import parse_feed
from mediamon.acquire.guard import allowlist_for_source
from mediamon.acquire.http import Fetcher, FetchResult
from mediamon.acquire.polling import (FeedState, FeedStateStore, PollPolicy, due_for_refresh, feed_validators,
                                      update_feed_state)
from mediamon.acquire.sitemaps import parse_sitemap
from mediamon.acquire.urls import canonicalize_url, page_canonical, prefer_canonical, section_links

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
NOW = datetime.now(timezone.utc)
FAST = dict(per_host_delay_s=0.01, connect_timeout_s=5.0, read_timeout_s=5.0, total_timeout_s=20.0, retries=1,
            backoff_base_s=0.01, backoff_max_s=1.0)


def rfc822(d: datetime) -> str:
    return d.strftime("%a, %d %b %Y %H:%M:%S +0000")


def rss(items: list[tuple[str, str, datetime]]) -> str:
    body = "".join(f"<item><title>{t}</title><link>{u}</link><pubDate>{rfc822(d)}</pubDate></item>" for u, t, d in items)
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>x</title>{body}</channel></rss>"


@pytest.fixture()
def srv():
    with FaultServer() as s:
        yield s


def make_source(srv: FaultServer, **kw) -> Source:
    base = dict(id="demo", name="Demo", homepage=srv.url("/"), language="id", allow_private_network=True)
    base.update(kw)
    return Source(**base)


def fetcher(src: Source, **kw) -> Fetcher:
    return Fetcher(FetchSettings(**{**FAST, **kw}), allow_private_hosts=allowlist_for_source(src))


# ----------------------------------------------------------------------------- canonical URLs


@pytest.mark.parametrize("raw,canon", [
    ("HTTP://News.Example.COM:80/a/b?utm_source=tw&utm_medium=s&id=5#top", "http://news.example.com/a/b?id=5"),
    ("https://x.co.id/read/1?fbclid=A&gclid=B&ref=home&b=2&a=1", "https://x.co.id/read/1?a=1&b=2"),
    ("https://x.co.id/news/judul-berita/amp", "https://x.co.id/news/judul-berita"),
    ("https://x.co.id/amp/news/judul-berita", "https://x.co.id/news/judul-berita"),
    ("https://x.co.id/news/judul.amp.html", "https://x.co.id/news/judul.html"),
    ("https://x.co.id/news/judul?amp=1", "https://x.co.id/news/judul"),
    ("https://x.co.id/news/judul?outputType=amp", "https://x.co.id/news/judul"),
    ("https://x.co.id/news/judul?outputType=json", "https://x.co.id/news/judul?outputType=json"),
    ("https://x.co.id:443/a/", "https://x.co.id/a/"),
])
def test_canonicalize_url(raw, canon):
    assert canonicalize_url(raw) == canon
    assert canonicalize_url(canon) == canon  # idempotent


@pytest.mark.parametrize("raw,canon", [
    # RFC 3986 sub-delimiters stay as published, in path and query
    ("https://ex.com/news/it's-(big)!;a=1", "https://ex.com/news/it's-(big)!;a=1"),
    ("https://ex.com/a/b,c*d+e$f=g&h@i:j?q=it's&r=(1)!*,;", "https://ex.com/a/b,c*d+e$f=g&h@i:j?q=it's&r=(1)!*,;"),
    # their escapes are not decoded (not equivalent, RFC 3986 6.2.2.2), only upper-cased
    ("https://ex.com/it%27s-%28big%29?q=%2a%3b", "https://ex.com/it%27s-%28big%29?q=%2A%3B"),
    # still normalised: unreserved escapes decoded, hex case, spaces/non-ASCII, dot segments, '//'
    ("https://EX.com/%7Euser/caf%c3%a9/./a/../b//c d?x=caf\u00e9&y=%41", "https://ex.com/~user/caf%C3%A9/b/c%20d?x=caf%C3%A9&y=A"),
    ("https://ex.com/a?b=2&a=1&utm_source=x&z=&fbclid=q", "https://ex.com/a?a=1&b=2"),
])
def test_canonicalize_url_keeps_sub_delims(raw, canon):
    assert canonicalize_url(raw) == canon
    assert canonicalize_url(canon) == canon


def test_canonicalize_url_keeps_content_params_outside_courlan_strict_allowlist():
    """Distinct articles stay distinct: courlan's strict mode would keep only its 14 allowed
    query names and map both of these to ``read.php`` (see canonicalize_url's docstring)."""
    a = canonicalize_url("https://ex.id/read.php?news_id=3&utm_source=x")
    b = canonicalize_url("https://ex.id/read.php?news_id=4&fbclid=y")
    assert (a, b) == ("https://ex.id/read.php?news_id=3", "https://ex.id/read.php?news_id=4")
    assert canonicalize_url("https://ex.id/cari?q=banjir&gclid=z") == "https://ex.id/cari?q=banjir"


def test_sub_delim_urls_requested_as_published(srv):
    """The server 404s any request whose path or query was re-encoded ('%27', '%28', ...)."""
    paths = ["/news/it's-(big)!;a=1", "/news/a*b,c$d+e@f:g", "/news/q?x=it's&y=(1)!"]
    for p in paths:
        srv.add(p, f"<html><body><h1>{p}</h1></body></html>")
    srv.add("/feed.xml", rss([(srv.url(p), p, NOW) for p in paths]), "application/rss+xml")
    src = make_source(srv, feeds=[srv.url("/feed.xml")])
    f = fetcher(src)
    d = discover_source(src, f)
    assert sorted(c.url for c in d.items) == sorted(srv.url(p) for p in paths)
    results = f.fetch_many([c.url for c in d.items], source_id=src.id)
    assert [(r.outcome, r.status) for r in results] == [("ok", 200)] * 3
    assert sorted(h.path for h in srv.hits("/news/")) == sorted(paths)


def test_prefer_canonical():
    assert prefer_canonical("https://amp.kompas.com/read/1/a", "https://nasional.kompas.com/read/1/a") == \
        "https://nasional.kompas.com/read/1/a"
    assert prefer_canonical("https://x.id/a/b?utm_source=1", "/a/c") == "https://x.id/a/c"
    assert prefer_canonical("https://x.id/a/b", "https://other.com/a/b") == "https://x.id/a/b"  # other site
    assert prefer_canonical("https://x.id/a/b", "https://x.id/") == "https://x.id/a/b"  # home page: CMS bug
    assert prefer_canonical("https://x.id/a/b", None) == "https://x.id/a/b"
    assert prefer_canonical("https://x.id/a/b", "javascript:alert(1)") == "https://x.id/a/b"
    html = '<html><head><meta property="og:url" content="https://x.id/og"><link rel="canonical" href="/c"></head></html>'
    assert page_canonical(html) == "/c"
    assert page_canonical('<html><head><meta property="og:url" content="https://x.id/og"></head></html>') == "https://x.id/og"


# ----------------------------------------------------------------------------- feeds


def test_parse_feed_formats():
    t = NOW.replace(microsecond=0)
    r2 = parse_feed(rss([("https://x.id/a", "A", t)]))
    assert r2.kind == "rss20" and r2.entries[0].url == "https://x.id/a" and r2.entries[0].published_at == t
    atom = ("<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title><entry><title>B</title>"
            "<link rel='alternate' href='/b'/><id>urn:x</id><updated>2024-05-01T10:00:00+07:00</updated></entry></feed>")
    pa = parse_feed(atom, "https://x.id/feed")
    assert pa.kind == "atom10" and pa.entries[0].url == "https://x.id/b"
    assert pa.entries[0].published_at == datetime(2024, 5, 1, 3, 0, tzinfo=timezone.utc)
    rdf = ("<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'>"
           "<channel rdf:about='x'><title>t</title></channel><item rdf:about='https://x.id/c'><title>C</title>"
           "<link>https://x.id/c</link></item></rdf:RDF>")
    assert parse_feed(rdf).kind == "rss10" and parse_feed(rdf).entries[0].url == "https://x.id/c"
    r091 = "<rss version='0.91'><channel><title>t</title><item><title>D</title><link>https://x.id/d</link></item></channel></rss>"
    assert parse_feed(r091).kind == "rss091u" and parse_feed(r091).entries[0].title == "D"
    jf = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [
        {"id": "1", "url": "https://x.id/e", "title": "E", "date_published": "2024-05-01T00:00:00Z"},
        {"id": "2", "content_text": "no url"}, "junk"]})
    pj = parse_feed(jf.encode())
    assert pj.kind == "json1.1" and [e.url for e in pj.entries] == ["https://x.id/e"]
    bad = parse_feed(b"<html><body>not a feed</body></html>")
    assert bad.entries == [] and bad.error
    assert parse_feed(b"{not json").error.startswith("invalid JSON")


def test_discover_feeds_dedup_budget_and_broken_feed(srv):
    items = [(srv.url(f"/news/artikel-{i}?utm_source=rss"), f"T{i}", NOW - timedelta(hours=i)) for i in range(6)]
    srv.add("/feed1.xml", rss(items[:4]), "application/rss+xml")
    srv.add("/feed2.xml", rss(items[2:] + [(srv.url("/news/artikel-0"), "T0 again", NOW)]), "application/rss+xml")
    srv.add("/broken.xml", "<html>this is not a feed", "text/html")
    src = make_source(srv, feeds=[srv.url("/feed1.xml"), srv.url("/feed1.xml?utm_campaign=x"), srv.url("/feed2.xml"),
                                  srv.url("/status/500"), srv.url("/broken.xml"), srv.url("/status/404")],
                      max_articles_per_run=4)
    d = discover_source(src, fetcher(src))
    # feed1 deduplicated by normalised URL: fetched once
    assert len(srv.hits("/feed1.xml")) == 1
    # 6 distinct canonical articles, budget 4 per host keeps the newest 4
    assert [c.url for c in d.items] == [srv.url(f"/news/artikel-{i}") for i in range(4)]
    assert d.n_over_budget == 2 and all(c.source_id == "demo" for c in d.items)
    assert d.items[0].title == "T0" and d.items[0].via == srv.url("/feed1.xml")
    assert len(d.errors) == 3 and any("HTTP 500" in e for e in d.errors) and any("HTTP 404" in e for e in d.errors)
    kinds = [(f.kind, f.outcome) for f in d.fetches]
    assert ("feed", "http_error") in kinds and ("robots", "ok") in kinds
    assert {f.url for f in d.fetches if f.kind == "feed"} >= {srv.url("/feed1.xml"), srv.url("/feed2.xml")}


def test_include_exclude_and_known_urls(srv):
    items = [(srv.url(p), p, NOW) for p in ("/news/a-1", "/video/v-1", "/news/a-2", "/news/a-3")]
    srv.add("/f.xml", rss(items), "application/rss+xml")
    src = make_source(srv, feeds=[srv.url("/f.xml")], include_patterns=[r"/news/"], exclude_patterns=[r"a-3$"])
    d = discover_source(src, fetcher(src), known_urls={srv.url("/news/a-2")})
    assert [c.url for c in d.items] == [srv.url("/news/a-1")]
    assert d.n_filtered == 2 and d.n_known == 1


def test_ssrf_feed_items_on_non_allowlisted_source_refused_and_logged(srv):
    with FaultServer() as internal:
        feed = rss([(internal.url("/admin/secret-page"), "loopback", NOW),
                    ("http://169.254.169.254/latest/meta-data/iam", "metadata", NOW),
                    ("http://127.0.0.1/etc", "loopback-80", NOW)])
        srv.add("/feed.xml", feed, "application/rss+xml")
        # the source is not allowlisted: even its own loopback feed is refused and logged
        src = make_source(srv, feeds=[srv.url("/feed.xml")], allow_private_network=False)
        f = fetcher(src)
        d = discover_source(src, f)
        assert d.items == [] and d.fetches[0].outcome == "blocked_address"
        row = d.fetches[0].log_row(src.id, "run-x")
        assert row.outcome == "blocked_address" and row.url == srv.url("/feed.xml")
        assert srv.hits() == []
        # items of such a feed (parsed from the same bytes) are refused one by one and logged
        urls = [e.url for e in parse_feed(feed).entries]
        results = f.fetch_many(urls, source_id=src.id)
        assert [r.outcome for r in results] == ["blocked_address"] * 3
        assert all(r.log_row(src.id, "run-x").error_class == "BlockedAddress" for r in results)
        # an allowlisted feed host does not admit items on other private hosts/ports
        src2 = make_source(srv, feeds=[srv.url("/feed.xml")])
        f2 = fetcher(src2)
        d2 = discover_source(src2, f2)
        assert len(d2.items) == 3
        res2 = f2.fetch_many([c.url for c in d2.items], source_id=src2.id)
        assert [r.outcome for r in res2] == ["blocked_address"] * 3
        assert internal.hits() == []


# ----------------------------------------------------------------------------- conditional GET / polling


def test_conditional_get_and_state_persistence(srv, tmp_path):
    srv.add("/feed.xml", rss([(srv.url("/news/a-1"), "A", NOW)]), "application/rss+xml", etag='"e1"')
    src = make_source(srv, feeds=[srv.url("/feed.xml")])
    f = fetcher(src)
    d1 = discover_source(src, f, state_dir=tmp_path, now=NOW)
    assert len(d1.items) == 1
    st = FeedStateStore(tmp_path, "demo").load()[srv.url("/feed.xml")]
    assert st.etag == '"e1"' and st.last_new_items == 1 and st.validators_trusted
    assert (tmp_path / "feeds" / "demo.json").exists()
    # not due yet: skipped without a request
    d2 = discover_source(src, f, state_dir=tmp_path, now=NOW + timedelta(seconds=10))
    assert d2.skipped_not_due == [srv.url("/feed.xml")] and len(srv.hits("/feed.xml")) == 1
    # due: conditional GET -> 304
    later = NOW + timedelta(seconds=st.poll_interval_s + 1)
    d3 = discover_source(src, f, state_dir=tmp_path, now=later)
    assert d3.fetches[0].outcome == "not_modified" and d3.items == []
    assert srv.hits("/feed.xml")[-1].headers.get("If-None-Match") == '"e1"'
    st3 = FeedStateStore(tmp_path, "demo").load()[srv.url("/feed.xml")]
    assert st3.poll_interval_s > st.poll_interval_s  # nothing new: slower


def test_lying_validators_detected(srv, tmp_path):
    n = {"i": 0}

    def body() -> bytes:
        n["i"] += 1
        return rss([(srv.url(f"/news/a-{n['i']}"), "x", NOW)]).encode()

    # same ETag on every response although the items change; the server ignores If-None-Match
    srv.add("/lying.xml", body, "application/rss+xml", headers={"ETag": '"static"'})
    src = make_source(srv, feeds=[srv.url("/lying.xml")])
    f = fetcher(src)
    discover_source(src, f, state_dir=tmp_path, now=NOW)
    discover_source(src, f, state_dir=tmp_path, now=NOW, force=True)
    st = FeedStateStore(tmp_path, "demo").load()[srv.url("/lying.xml")]
    assert st.validators_trusted is False and feed_validators(st) is None
    discover_source(src, f, state_dir=tmp_path, now=NOW, force=True)
    assert "If-None-Match" not in srv.hits("/lying.xml")[-1].headers  # no longer trusted


def _poll_until_due(src, f, tmp_path, t):
    """One scheduled poll at ``t``; returns (discovery, state, next poll time)."""
    d = discover_source(src, f, state_dir=tmp_path, now=t)
    st = FeedStateStore(tmp_path, "demo").load()[src.feeds[0]]
    return d, st, datetime.fromisoformat(st.next_poll_at)


def test_lying_304_feed_detected_within_verification_schedule(srv, tmp_path):
    """The server answers 304 to a matching If-None-Match although its item list changed."""
    items = ["/news/a-1"]
    srv.add("/lying304.xml", lambda: rss([(srv.url(p), p, NOW) for p in items]).encode(), "application/rss+xml",
            etag='"static"')
    src = make_source(srv, feeds=[srv.url("/lying304.xml")])
    f = fetcher(src)
    t = NOW
    d, st, t = _poll_until_due(src, f, tmp_path, t)
    assert [c.url for c in d.items] == [srv.url("/news/a-1")] and st.validators_trusted
    items.insert(0, "/news/a-2")  # the feed changes; its ETag does not
    polls, found = 1, []
    while not found and polls < 30:
        at = t
        d, st, t = _poll_until_due(src, f, tmp_path, at)
        polls += 1
        found = [c.url for c in d.items if c.url.endswith("/a-2")]
    hits = srv.hits("/lying304.xml")
    assert polls == 1 + PollPolicy().verify_first + 1, polls  # conditional polls, then the verification
    assert [h.headers.get("If-None-Match") for h in hits] == [None, '"static"', '"static"', None]
    assert not st.validators_trusted and st.untrusted_at == at.isoformat(timespec="seconds")
    assert "ETag \"static\" unchanged" in st.untrusted_reason and "after a 304" in st.untrusted_reason
    # from now on: plain GETs (inspected server-side), and every change is picked up on the next poll
    for i in range(3, 6):
        items.insert(0, f"/news/a-{i}")
        d, st, t = _poll_until_due(src, f, tmp_path, t)
        assert [c.url for c in d.items if c.url.endswith(f"/a-{i}")], i
    assert [h.headers.get("If-None-Match") for h in srv.hits("/lying304.xml")[4:]] == [None] * 3
    assert not st.validators_trusted and st.times_untrusted == 1


def test_honest_feed_verification_spacing_grows(srv, tmp_path):
    srv.add("/honest.xml", rss([(srv.url("/news/a-1"), "A", NOW)]), "application/rss+xml", etag='"v1"')
    src = make_source(srv, feeds=[srv.url("/honest.xml")])
    f = fetcher(src)
    pol = PollPolicy(verify_max_age_s=1e9)
    t = NOW
    for _ in range(45):
        discover_source(src, f, state_dir=tmp_path, now=t, policy=pol)
        t = datetime.fromisoformat(FeedStateStore(tmp_path, "demo").load()[src.feeds[0]].next_poll_at)
    uncond = [i + 1 for i, h in enumerate(srv.hits("/honest.xml")) if "If-None-Match" not in h.headers]
    assert uncond == [1, 4, 9, 18, 31, 44]  # spacing 2, 4, 8, then capped at verify_every=12
    st = FeedStateStore(tmp_path, "demo").load()[src.feeds[0]]
    assert st.validators_trusted and st.verify_spacing == 12
    # time cap: a conditional poll becomes a verification once the last one is older than verify_max_age_s
    pol2 = PollPolicy(verify_max_age_s=3600)
    st.polls_since_verify = 0
    last = datetime.fromisoformat(st.last_verified_at)
    assert feed_validators(st, pol2, last + timedelta(seconds=3599)) == {"etag": '"v1"'}
    assert feed_validators(st, pol2, last + timedelta(seconds=3600)) is None


def test_sitemap_with_unlisted_new_urls_triggers_feed_verification(srv, tmp_path):
    items = ["/news/a-1"]
    srv.add("/f304.xml", lambda: rss([(srv.url(p), p, NOW) for p in items]).encode(), "application/rss+xml",
            etag='"static"')
    srv.add("/sm.txt", lambda: "".join(srv.url(p) + "\n" for p in items).encode(), "text/plain")
    src = make_source(srv, feeds=[srv.url("/f304.xml")], sitemaps=[srv.url("/sm.txt")])
    f = fetcher(src)
    pol = PollPolicy(verify_first=10)  # the schedule alone would not verify for 10 polls
    discover_source(src, f, state_dir=tmp_path, now=NOW, policy=pol)
    items.insert(0, "/news/a-2")
    d2 = discover_source(src, f, state_dir=tmp_path, now=NOW, policy=pol, force=True)
    assert d2.fetches[0].outcome == "not_modified" and srv.url("/news/a-2") in {c.url for c in d2.items}
    st = FeedStateStore(tmp_path, "demo").load()[srv.url("/f304.xml")]
    assert st.verify_requested and "sitemap" in st.verify_requested and st.validators_trusted
    discover_source(src, f, state_dir=tmp_path, now=NOW, policy=pol, force=True)
    assert "If-None-Match" not in srv.hits("/f304.xml")[-1].headers
    st = FeedStateStore(tmp_path, "demo").load()[srv.url("/f304.xml")]
    assert not st.validators_trusted and st.verify_requested is None and "verification poll" in st.untrusted_reason


def test_untrusted_feed_retrusted_after_period_and_caught_again():
    pol = PollPolicy(retrust_after_s=1000, verify_first=2)
    st, _ = update_feed_state(None, "f", _res("ok", '"e"'), ["a"], NOW, pol)
    st, _ = update_feed_state(st, "f", _res("not_modified"), None, NOW, pol)
    st, _ = update_feed_state(st, "f", _res("ok", '"e"'), ["a", "b"], NOW, pol)  # same ETag, new item
    assert not st.validators_trusted and st.times_untrusted == 1 and feed_validators(st, pol, NOW) is None
    st, _ = update_feed_state(st, "f", _res("ok", '"e"'), ["a", "b"], NOW + timedelta(seconds=999), pol)
    assert not st.validators_trusted
    st, _ = update_feed_state(st, "f", _res("ok", '"e"'), ["a", "b"], NOW + timedelta(seconds=1000), pol)
    assert st.validators_trusted and feed_validators(st, pol, NOW + timedelta(seconds=1000)) == {"etag": '"e"'}
    t = NOW + timedelta(seconds=1000)
    st, _ = update_feed_state(st, "f", _res("ok", '"e"'), ["a", "b", "c"], t, pol)  # lies again
    assert not st.validators_trusted and st.times_untrusted == 2
    st, _ = update_feed_state(st, "f", _res("ok", '"e"'), ["a", "b", "c"], t + timedelta(seconds=1999), pol)
    assert not st.validators_trusted  # second time: the wait doubles
    st, _ = update_feed_state(st, "f", _res("ok", '"e"'), ["a", "b", "c"], t + timedelta(seconds=2000), pol)
    assert st.validators_trusted


def _res(outcome: str, etag: str | None = None) -> FetchResult:
    return FetchResult(url="u", final_url="u", host="h", status=200 if outcome == "ok" else 304, outcome=outcome,
                       headers={"ETag": etag} if etag else {})


def test_adaptive_polling_bounds():
    pol = PollPolicy(min_interval_s=60, max_interval_s=3600, initial_interval_s=600)
    st, new = update_feed_state(None, "f", _res("ok", '"1"'), ["a", "b"], NOW, pol)
    assert new == ["a", "b"] and st.poll_interval_s == 300
    for i in range(10):  # new items every time -> down to the floor
        st, new = update_feed_state(st, "f", _res("ok", f'"{i + 2}"'), [f"x{i}"], NOW, pol)
    assert st.poll_interval_s == 60 and st.last_new_items == 1
    for _ in range(20):  # nothing new -> up to the ceiling
        st, _ = update_feed_state(st, "f", _res("not_modified"), None, NOW, pol)
    assert st.poll_interval_s == 3600
    assert st.next_poll_at == (NOW + timedelta(seconds=3600)).isoformat(timespec="seconds")
    st2, _ = update_feed_state(st, "f", _res("timeout"), None, NOW, pol)
    assert st2.consecutive_errors == 1 and st2.poll_interval_s == 3600
    # periodic verification: after verify_every polls, an unconditional GET is made
    s = FeedState("f", etag='"e"', polls_since_verify=pol.verify_every)
    assert feed_validators(s, pol) is None
    assert feed_validators(FeedState("f", etag='"e"'), pol) == {"etag": '"e"'}
    assert FeedState.from_dict(st.to_dict()) == st


def test_state_file_corrupt_is_reported(srv, tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "demo.json").write_text("{broken")
    srv.add("/feed.xml", rss([(srv.url("/news/a-1"), "A", NOW)]), "application/rss+xml")
    src = make_source(srv, feeds=[srv.url("/feed.xml")])
    d = discover_source(src, fetcher(src), state_dir=tmp_path)
    assert len(d.items) == 1 and "corrupt feed state" in d.errors[0] and "demo.json" in d.errors[0]
    assert json.loads((tmp_path / "feeds" / "demo.json").read_text())["version"] == 1


def test_state_file_save_failure_keeps_old_file_and_leaves_no_temp(tmp_path):
    """A save that fails half-way through writing (a state that is not JSON-serialisable)
    keeps the previous file and leaves no temporary file beside it (mediamon.util.atomic)."""
    store = FeedStateStore(tmp_path, "demo")
    store.save({"https://x.id/feed": FeedState("https://x.id/feed", etag='"1"', seen=["https://x.id/a"])})
    before = store.path.read_bytes()
    with pytest.raises(TypeError):
        store.save({"https://x.id/feed": FeedState("https://x.id/feed", etag='"2"', seen=["https://x.id/b", object()])})
    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["demo.json"]
    assert store.load()["https://x.id/feed"].etag == '"1"'


def test_due_for_refresh():
    t0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
    h = timedelta(hours=1)
    assert not due_for_refresh(t0, t0, t0 + 23 * h)
    assert due_for_refresh(t0, t0, t0 + 24 * h)
    assert not due_for_refresh(t0, t0 + 25 * h, t0 + 30 * h)  # +24 h done
    assert not due_for_refresh(t0, t0 + 25 * h, t0 + 7 * 24 * h - h)
    assert due_for_refresh(t0, t0 + 25 * h, t0 + 7 * 24 * h)  # +7 d
    assert not due_for_refresh(t0, t0 + 7 * 24 * h, t0 + 30 * 24 * h)
    assert due_for_refresh(t0, None, t0 + 24 * h)
    assert due_for_refresh(t0, t0, t0 + 3 * h, schedule_s=(3600,))


# ----------------------------------------------------------------------------- sitemaps


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/news/berita-satu</loc><news:news><news:publication><news:name>X</news:name><news:language>id</news:language>
</news:publication><news:publication_date>{d1}</news:publication_date><news:title>Berita Satu</news:title></news:news></url>
<url><loc>{base}/news/berita-lama</loc><lastmod>2001-01-01</lastmod></url>
<url><loc>{base}/news/berita-dua</loc><lastmod>{d1}</lastmod></url>
</urlset>"""


def test_parse_sitemap_kinds():
    ns = parse_sitemap(NEWS_SITEMAP.format(base="https://x.id", d1="2024-05-01T10:00:00+07:00"))
    assert ns.kind == "urlset" and ns.entries[0].title == "Berita Satu"
    assert ns.entries[0].published_at == datetime(2024, 5, 1, 3, tzinfo=timezone.utc)
    assert ns.entries[1].lastmod == datetime(2001, 1, 1, tzinfo=timezone.utc)
    idx = ("<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><sitemap><loc>https://x.id/s1.xml</loc>"
           "<lastmod>2024-01-01</lastmod></sitemap><sitemap><loc>/s2.xml.gz</loc></sitemap></sitemapindex>")
    pi = parse_sitemap(idx, "https://x.id/index.xml")
    assert pi.kind == "index" and [s.url for s in pi.sitemaps] == ["https://x.id/s1.xml", "https://x.id/s2.xml.gz"]
    gz = parse_sitemap(gzip.compress(b"https://x.id/a\nnot a url\nhttps://x.id/b\n"))
    assert gz.kind == "text" and [e.url for e in gz.entries] == ["https://x.id/a", "https://x.id/b"]
    bomb = parse_sitemap(gzip.compress(b" " * 2_000_000), max_bytes=100_000)
    assert bomb.error and "too large" in bomb.error
    xxe = ('<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.id/&x;</loc></url></urlset>')
    px = parse_sitemap(xxe)
    assert all("root:" not in e.url for e in px.entries)
    assert parse_sitemap(b"").error and parse_sitemap(b"<html><body/></html>").error


def test_discover_sitemaps_from_robots_index_gzip(srv):
    d1 = (NOW - timedelta(hours=2)).isoformat(timespec="seconds")
    srv.robots_txt = f"User-agent: *\nAllow: /\nSitemap: {srv.url('/sitemap_index.xml')}\n"
    srv.add("/sitemap_index.xml", "<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            f"<sitemap><loc>{srv.url('/news.xml.gz')}</loc><lastmod>{d1}</lastmod></sitemap>"
            f"<sitemap><loc>{srv.url('/old.xml')}</loc><lastmod>2001-01-01</lastmod></sitemap></sitemapindex>",
            "application/xml")
    srv.add("/news.xml.gz", gzip.compress(NEWS_SITEMAP.format(base=srv.base, d1=d1).encode()), "application/x-gzip")
    srv.add("/sec", "<html><body><a href='/news/berita-dari-halaman-seksi'>x</a></body></html>")
    src = make_source(srv, section_pages=[srv.url("/sec")])  # no feeds/sitemaps: robots Sitemap: lines used
    d = discover_source(src, fetcher(src), now=NOW)
    urls = {c.url for c in d.items}
    assert urls == {srv.url("/news/berita-satu"), srv.url("/news/berita-dua"), srv.url("/news/berita-dari-halaman-seksi")}
    assert not srv.hits("/old.xml")  # stale child sitemap skipped
    one = next(c for c in d.items if c.url.endswith("berita-satu"))
    assert one.title == "Berita Satu" and one.published_at is not None


def test_discover_sitemap_probe_when_robots_has_none(srv):
    srv.add("/sitemap.xml", f"{srv.url('/news/a-b-c-d')}\n", "text/plain")
    src = make_source(srv, section_pages=[srv.url("/status/404")])
    d = discover_source(src, fetcher(src), now=NOW)
    assert [c.url for c in d.items] == [srv.url("/news/a-b-c-d")]
    assert srv.hits("/sitemap_news.xml") and srv.hits("/sitemap.xml")
    assert any("section" in e for e in d.errors)


def test_sitemap_listed_as_robots_url(srv):
    srv.robots_txt = "User-agent: *\nSitemap: /sm.txt\n"
    srv.add("/sm.txt", f"{srv.url('/x/berita-satu-dua-tiga')}\n", "text/plain")
    src = make_source(srv, sitemaps=[srv.url("/robots.txt")])
    d = discover_source(src, fetcher(src), now=NOW)
    assert [c.url for c in d.items] == [srv.url("/x/berita-satu-dua-tiga")]


def test_section_links_filtering():
    html = """<html><body>
      <a href="/news/2024/05/01/pemerintah-umumkan-kebijakan-baru">a</a>
      <a href="/news/2024/05/01/pemerintah-umumkan-kebijakan-baru?utm_source=home#c">dup</a>
      <a href="/tag/politik">tag</a> <a href="/login">login</a> <a href="/about">about</a>
      <a href="https://other.com/news/2024/05/01/judul-artikel-luar-situs">ext</a>
      <a href="https://m.x.id/read/123456/judul">mobile</a> <a href="/foto/12345/galeri">foto</a>
      <a href="javascript:void(0)">js</a> <a href="/img/photo-1234.jpg">img</a></body></html>"""
    links = section_links(html, "https://www.x.id/news/")
    assert links == ["https://www.x.id/news/2024/05/01/pemerintah-umumkan-kebijakan-baru", "https://m.x.id/read/123456/judul"]
    src = Source(id="x", name="x", homepage="https://www.x.id/", language="id", section_pages=["https://www.x.id/news/"],
                 include_patterns=[r"/read/"])
    assert section_links(html, "https://www.x.id/news/", src) == ["https://m.x.id/read/123456/judul"]


# ----------------------------------------------------------------------------- shared corpus


def _files(*dirs: str) -> list[Path]:
    out = []
    for d in dirs:
        p = CORPUS / d
        if p.exists():
            out += [f for f in sorted(p.rglob("*")) if f.is_file() and f.name not in ("LICENSE",) and not f.name.endswith(".md")]
    return out


@pytest.mark.shared
def test_corpus_feeds_parse_without_exception():
    files = _files("feeds-feedparser", "crawler-commons-resources/rss", "trafilatura-resources")
    if not files:
        pytest.skip("../shared corpus absent")
    n_entries, errors = 0, {}
    for f in files:
        pf = parse_feed(f.read_bytes(), "http://example.org/")
        if pf.error is not None:
            errors[f.relative_to(CORPUS).as_posix()] = pf.error
        n_entries += len(pf.entries)
    assert n_entries > 100
    assert all(e.startswith(("ill-formed feed", "not a recognised feed")) for e in errors.values()), errors
    # feedparser's well-formed suite parses without XML errors; its ill-formed suite is flagged
    assert not [p for p, e in errors.items() if p.startswith("feeds-feedparser/wellformed/") and e.startswith("ill-formed")]
    assert [p for p in errors if p.startswith("feeds-feedparser/illformed/")]
    if "feeds-feedparser/encoding/bozo_double-encoded-html.xml" in {f.relative_to(CORPUS).as_posix() for f in files}:
        assert errors["feeds-feedparser/encoding/bozo_double-encoded-html.xml"].startswith("ill-formed feed: SAXParseException")


@pytest.mark.shared
def test_corpus_sitemaps_parse_without_exception():
    files = _files("crawler-commons-resources/sitemaps", "sitemaps-news-crawl", "trafilatura-resources")
    if not files:
        pytest.skip("../shared corpus absent")
    kinds = {}
    for f in files:
        ps = parse_sitemap(f.read_bytes(), "http://example.org/")
        kinds[ps.kind] = kinds.get(ps.kind, 0) + 1
        for e in ps.entries:
            assert isinstance(e.url, str) and e.url
    assert kinds.get("urlset", 0) >= 5 and kinds.get("index", 0) >= 1 and kinds.get("text", 0) >= 1
    gz = CORPUS / "trafilatura-resources" / "sitemap.xml.gz"
    if gz.exists():
        assert len(parse_sitemap(gz.read_bytes()).entries) == len(parse_sitemap((gz.parent / "sitemap.xml").read_bytes()).entries)


@pytest.mark.shared
def test_corpus_robots_parse_and_serve(srv):
    files = _files("robots-protego", "crawler-commons-resources/robots")
    if not files:
        pytest.skip("../shared corpus absent")
    disallowing = [f for f in files
                   if not Protego.parse(f.read_bytes().decode("utf-8", errors="replace")).can_fetch("https://example.org/some/page", "mediamon")]
    assert 0 < len(disallowing) < len(files)  # e.g. docs.google.com's "Disallow: /" for every agent
    # a sample, plus every file that disallows, served through the real Fetcher path (fetch, decode,
    # parse, decide): the decision is the one protego gives on the same text for the fetcher's token
    src = make_source(srv, feeds=[srv.url("/f")])
    decisions = []
    for f in files[:: max(1, len(files) // 25)] + disallowing:
        srv.robots_txt = f.read_bytes().decode("utf-8", errors="replace")
        fe = fetcher(src)
        decision, _ = fe.robots_decision(srv.url("/news/x"))
        expected = Protego.parse(srv.robots_txt).can_fetch(srv.url("/news/x"), fe.product_token)
        assert decision == ("allowed" if expected else "disallowed"), f.name
        decisions.append(decision)
    assert "allowed" in decisions and "disallowed" in decisions
