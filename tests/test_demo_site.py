"""The demo news site (demo/serve.py + demo/site) serves valid feeds whose every item resolves."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import requests
from lxml import html as lxml_html

from mediamon.config import load_config

ROOT = Path(__file__).resolve().parents[1]


def _load_serve():
    spec = importlib.util.spec_from_file_location("demo_serve", ROOT / "demo" / "serve.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def site():
    mod = _load_serve()
    server, thread, base = mod.start_server("127.0.0.1", 0)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _feed_urls(base: str) -> dict[str, list[str]]:
    """Feed URLs per source from config/sources.yaml, re-pointed at the test server's port."""
    cfg = load_config(ROOT / "config")
    out = {}
    for s in cfg.sources:
        out[s.id] = [base + urlsplit(u).path for u in s.feeds]
    return out


def test_config_points_at_demo_server_default_port():
    cfg = load_config(ROOT / "config")
    assert len(cfg.sources) >= 3
    assert {s.language for s in cfg.sources} >= {"id", "en"}
    for s in cfg.sources:
        assert s.allow_private_network
        for u in s.feeds + s.sitemaps + [s.homepage]:
            assert u.startswith("http://127.0.0.1:8765/"), u
    assert {"ukraine", "russia", "united-states"} <= {t.id for t in cfg.topics}


def test_every_feed_item_resolves_to_html(site):
    seen_links = 0
    for source_id, feeds in _feed_urls(site).items():
        for feed_url in feeds:
            r = requests.get(feed_url, timeout=10)
            assert r.status_code == 200, feed_url
            assert r.headers["Content-Type"] in ("application/rss+xml; charset=utf-8", "application/atom+xml; charset=utf-8")
            assert "{{BASE}}" not in r.text
            feed = feedparser.parse(r.content)
            assert not feed.bozo, (feed_url, feed.get("bozo_exception"))
            assert 4 <= len(feed.entries) <= 8, (feed_url, len(feed.entries))
            for e in feed.entries:
                assert e.link.startswith(site + "/" + source_id + "/"), e.link
                assert e.published_parsed[:3] == (2022, 2, 2), e.link  # UTC date of the demo day
                page = requests.get(e.link, timeout=10)
                assert page.status_code == 200, e.link
                assert page.headers["Content-Type"] == "text/html; charset=utf-8"
                doc = lxml_html.fromstring(page.content)
                assert doc.xpath("//script[@type='application/ld+json']"), e.link
                assert doc.xpath("//meta[@property='article:published_time']/@content")[0].endswith("+07:00")
                seen_links += 1
    assert seen_links >= 15


def test_seed_story_and_syndicated_copy(site):
    seed = requests.get(site + "/kabar-nusantara/internasional/2022/02/02/"
                        "rusia-dan-as-saling-serang-argumen-soal-ukraina-di-pbb.html", timeout=10).text
    for needle in ("2 Februari 2022, 12:15 WIB", "Baca Juga:", "Halaman:", "Editor: ", "Sumber: APNews",
                   "Terpopuler", "Artikel Pilihan", "Kabar Daerah", "Terkini", "/Pexels", "Tags",
                   '"datePublished": "2022-02-02T12:15:00+07:00"', 'rel="canonical" href="' + site + "/kabar-nusantara/"):
        assert needle in seed, needle
    copy = requests.get(site + "/warta-harian/dunia/2022/02/02/"
                        "lavrov-dan-blinken-bicara-via-telepon-ketegangan-soal-ukraina-belum-reda.html", timeout=10).text

    def paras(t):
        doc = lxml_html.fromstring(t)
        return [p.text_content().strip() for p in doc.xpath("//div[contains(@class,'content')]/p")
                if len(p.text_content()) > 150]

    a, b = paras(seed), paras(copy)
    assert len(a) == 8 and len(b) == 7
    assert a[0] != b[0]  # different intro
    assert len(set(a) & set(b)) == 5  # one edited, one dropped, intro rewritten


def test_exact_duplicate_urls_and_tracking_params(site):
    a = requests.get(site + "/warta-harian/bisnis/2022/02/02/umkm-yogyakarta-bangkit-penjualan-daring-melonjak.html", timeout=10)
    b = requests.get(site + "/warta-harian/read/20220202/48213.html", timeout=10)
    assert a.status_code == b.status_code == 200 and a.content == b.content
    feed = feedparser.parse(requests.get(site + "/kabar-nusantara/rss.xml", timeout=10).content)
    tracked = [e.link for e in feed.entries if "utm_source=" in e.link]
    assert tracked
    for link in tracked:
        assert requests.get(link, timeout=10).content == requests.get(link.split("?")[0], timeout=10).content


def test_robots_sitemap_and_404(site):
    robots = requests.get(site + "/robots.txt", timeout=10)
    assert robots.status_code == 200 and robots.headers["Content-Type"].startswith("text/plain")
    assert "Crawl-delay" not in robots.text and f"Sitemap: {site}/jakarta-daily-ledger/sitemap.xml" in robots.text
    sm = requests.get(site + "/jakarta-daily-ledger/sitemap.xml", timeout=10)
    assert sm.headers["Content-Type"] == "application/xml; charset=utf-8"
    locs = lxml_html.etree.fromstring(sm.content).findall(".//{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    assert len(locs) >= 4 and all(requests.get(l.text, timeout=10).status_code == 200 for l in locs)
    assert requests.get(site + "/nope.html", timeout=10).status_code == 404
    assert requests.get(site + "/../../etc/passwd", timeout=10).status_code == 404
    home = requests.get(site + "/warta-harian/", timeout=10)
    assert home.status_code == 200 and "Berita Terkini" in home.text
