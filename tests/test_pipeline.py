"""Pipeline stages against a real local news server whose pages change between runs:
incremental fetching, refresh (+24 h) recording edits and takedowns as versions,
one broken page or feed never sinking the run, SSRF refusal, idempotent reruns."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import duckdb
import pytest
import yaml

from doubles import FixedClock
from localsite import Site
from mediamon import stages
from mediamon.runtime import build_runtime, state_dir

PARAS = [
    "Pemerintah Kota Bandung meresmikan taman baru di kawasan Dago pada Rabu pagi, disambut antusias warga sekitar.",
    "Taman seluas dua hektare itu dilengkapi jalur lari, area bermain anak, dan perpustakaan kecil yang buka setiap hari.",
    "Wali kota mengatakan taman tersebut dibangun dengan anggaran daerah dan melibatkan komunitas lokal sejak tahap desain.",
    "Warga berharap fasilitas serupa dibangun di kecamatan lain agar ruang terbuka hijau makin merata di seluruh kota.",
]


def page(title: str, paras: list[str], published: str = "2022-02-02T09:00:00+07:00") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!doctype html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='{published}'></head><body><header><nav>Beranda</nav></header>"
            f"<article><h1>{title}</h1>{body}</article><footer>Hak cipta</footer></body></html>").encode()


@pytest.fixture()
def site():
    s = Site()
    yield s
    s.close()


def config(tmp_path, site: Site, extra_sources: list[dict] | None = None):
    cdir = tmp_path / "config"
    cdir.mkdir(exist_ok=True)
    sources = [{"id": "kota", "name": "Kabar Kota", "homepage": f"{site.base}/", "language": "id",
                "feeds": [f"{site.base}/rss.xml", f"{site.base}/broken.xml"], "allow_private_network": True}]
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": sources + (extra_sources or [])}))
    (cdir / "topics.yaml").write_text(yaml.safe_dump({"topics": [{"id": "bandung", "name": "Bandung", "terms": {"id": ["Bandung"]}}]}))
    (cdir / "settings.yaml").write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "db_path": str(tmp_path / "data" / "m.duckdb"),
                                                        "reports_dir": str(tmp_path / "reports"), "fetch": {"per_host_delay_s": 0, "retries": 0}}))
    return str(cdir)


def runtime(cdir: str, now: datetime | None = None):
    """The default runtime of ``cdir``, its clock standing at ``now`` when given."""
    return build_runtime(stages.load_config(cdir), clock=FixedClock(now) if now else None)


def run_stages(cdir: str, run_id: str, now: datetime | None = None) -> dict:
    """The ingest stages in DAG order, each given the results (batch refs) of the ones before."""
    rt = runtime(cdir, now)
    out = {"discover": [stages.discover(s.id, run_id, runtime=rt) for s in rt.config.sources]}
    out["plan"] = stages.plan(run_id, discovered=out["discover"], runtime=rt)
    out["fetch"] = [stages.fetch_extract(p["source_id"], run_id, planned=p, runtime=rt) for p in out["plan"]]
    out["load"] = stages.load(run_id, discovered=out["discover"], planned=out["plan"], fetched=out["fetch"], runtime=rt)
    out["enrich"] = stages.enrich(run_id, runtime=rt)
    return out


def q(tmp_path, sql: str):
    con = duckdb.connect(str(tmp_path / "data" / "m.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_incremental_refresh_edits_and_takedowns(site, tmp_path):
    site.feed("/rss.xml", ["/a.html", "/b.html", "/c.html", "/list.html"])
    site.routes["/broken.xml"] = (200, b"<rss><channel><item><link>oops", "application/rss+xml")  # ill-formed feed
    site.routes["/a.html"] = (200, page("Taman baru di Bandung", PARAS), "text/html; charset=utf-8")
    site.routes["/b.html"] = (200, page("Jalan tol dibuka", [p.replace("taman", "jalan tol") for p in PARAS]), "text/html; charset=utf-8")
    site.routes["/c.html"] = (500, b"boom", "text/plain")  # broken page: recorded, run goes on
    site.routes["/list.html"] = (200, b"<html><body>" + b"".join(b"<a href='/x%d.html'>Berita %d lorem ipsum</a><br>" % (i, i) for i in range(60)) + b"</body></html>", "text/html")
    cdir = config(tmp_path, site)

    r1 = run_stages(cdir, "run1")
    assert r1["load"]["inserted"] == 2
    log = dict(((u.rsplit("/", 1)[1], k), o) for u, k, o in q(tmp_path, "SELECT url, kind, outcome FROM fetch_log WHERE run_id='run1'"))
    assert log[("c.html", "article")] == "http_error" and log[("a.html", "article")] == "ok"
    assert ("broken.xml", "feed") in log  # the broken feed was attempted and logged
    assert q(tmp_path, "SELECT skip_reason FROM fetch_log WHERE url LIKE '%list.html'") == [("listing",)]

    # an hour later: stored articles are not fetched again (incremental), the listing page is
    # not refetched, the page that failed with a 500 is retried (backing off 1 h, 2 h, 4 h ... between runs,
    # at most fetch.max_total_attempts requests in all: tests/test_run_guards.py)
    r2 = run_stages(cdir, "run2", now=datetime.now(timezone.utc) + timedelta(hours=1))
    assert [(p["to_fetch"], p["known"], p["not_retried"]) for p in r2["plan"]] == [(1, 2, 1)]
    r2b = run_stages(cdir, "run2b", now=datetime.now(timezone.utc) + timedelta(hours=2))
    assert r2b["plan"][0]["to_fetch"] == 1
    r2c = run_stages(cdir, "run2c", now=datetime.now(timezone.utc) + timedelta(hours=3))
    assert r2c["plan"][0]["to_fetch"] == 0 and r2c["plan"][0]["not_retried"] == 2  # c.html: 3 runs, next not before +4 h
    assert r2c["plan"][0]["backing_off"] == 1
    # a day later: a is edited, b is taken down -> new versions
    site.routes["/a.html"] = (200, page("Taman baru di Bandung", PARAS[:3] + ["Koreksi: taman dibuka untuk umum mulai Kamis."]), "text/html; charset=utf-8")
    site.routes["/b.html"] = (410, b"gone", "text/plain")
    r3 = run_stages(cdir, "run3", now=datetime.now(timezone.utc) + timedelta(hours=25))
    assert sum(p["refresh"] for p in r3["plan"]) == 2
    assert r3["load"]["new_versions"] == 1 and r3["load"]["takedowns"] == 1
    assert q(tmp_path, "SELECT version FROM articles WHERE url LIKE '%a.html'") == [(2,)]
    versions = q(tmp_path, "SELECT a.url, v.version, v.status FROM article_versions v JOIN articles a USING (article_id) ORDER BY 1")
    assert [(u.rsplit("/", 1)[1], ver, st) for u, ver, st in versions] == [("a.html", 1, 200), ("b.html", 2, 410)]


def test_ssrf_refused_for_non_allowlisted_source(site, tmp_path):
    # the allowlisted source's feed lists the cloud metadata address and another loopback port;
    # an outside (not allowlisted) source's feed lives on loopback
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in
                    ("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:9/internal.html"))
    site.routes["/rss.xml"] = (200, f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode(), "application/rss+xml")
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    evil = {"id": "outside", "name": "Outside", "homepage": "http://127.0.0.1:9/", "language": "en",
            "feeds": [f"{site.base}/rss.xml"]}
    cdir = config(tmp_path, site, [evil])
    r = run_stages(cdir, "run1")
    rows = q(tmp_path, "SELECT url, outcome FROM fetch_log WHERE source_id = 'outside'")
    assert rows and all(o == "blocked_address" for _, o in rows), rows
    assert q(tmp_path, "SELECT count(*) FROM articles WHERE source_id = 'outside'") == [(0,)]
    assert r["discover"][1]["candidates"] == 0
    # the feed items pointing at internal addresses were refused, logged, and never became articles
    blocked = dict(q(tmp_path, "SELECT url, outcome FROM fetch_log WHERE source_id = 'kota' AND kind = 'article'"))
    assert blocked == {"http://169.254.169.254/latest/meta-data/": "blocked_address",
                       "http://127.0.0.1:9/internal.html": "blocked_address"}
    assert q(tmp_path, "SELECT count(*) FROM articles") == [(0,)]


def paged(title: str, paras: list[str], page: int, n_pages: int) -> bytes:
    pager = " ".join(f"<a href='/multi.html?page={i}'>{i}</a>" for i in range(1, n_pages + 1))
    return page_html(title, paras, f"<div class='pager'>Halaman: {pager}</div>")


def page_html(title: str, paras: list[str], extra: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!doctype html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='2022-02-02T09:00:00+07:00'></head><body>"
            f"<article><h1>{title}</h1>{body}</article>{extra}</body></html>").encode()


def test_multi_page_article_is_stitched_and_repeated_pager_page_ignored(site, tmp_path):
    p2 = [p.replace("taman", "perpustakaan") + " Lanjutan halaman kedua." for p in PARAS]
    site.routes["/multi.html"] = (200, paged("Taman baru di Bandung", PARAS, 1, 2), "text/html; charset=utf-8")
    site.routes["/multi.html?page=2"] = (200, paged("Taman baru di Bandung", p2, 2, 2), "text/html; charset=utf-8")
    site.routes["/same.html"] = (200, page_html("Jalan tol dibuka", [p.replace("taman", "jalan") for p in PARAS],
                                                "<div>Halaman: <a href='/same.html?page=2'>2</a></div>"), "text/html; charset=utf-8")
    site.routes["/same.html?page=2"] = site.routes["/same.html"]  # a pager link that serves the same page
    site.feed("/rss.xml", ["/multi.html", "/same.html"])
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    cdir = config(tmp_path, site)
    run_stages(cdir, "run1")
    rows = dict(q(tmp_path, "SELECT url, text FROM articles"))
    multi = rows[f"{site.base}/multi.html"]
    assert all(p in multi for p in PARAS) and all(p in multi for p in p2)
    assert multi.index(PARAS[0]) < multi.index(p2[0])
    same = rows[f"{site.base}/same.html"]
    assert same.count(PARAS[1].replace("taman", "jalan")) == 1
    pages = dict(q(tmp_path, "SELECT url, json_extract_string(methods, '$.pages') FROM articles"))
    assert pages[f"{site.base}/multi.html"] == "2" and pages[f"{site.base}/same.html"] == "1"


def test_failed_run_does_not_mark_feed_items_seen(site, tmp_path):
    """Feed state (ETag, seen items) becomes current only once the run's articles are loaded."""
    site.feed("/rss.xml", ["/a.html"])
    site.etags["/rss.xml"] = '"v1"'
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    site.routes["/a.html"] = (200, page("Taman baru di Bandung", PARAS), "text/html; charset=utf-8")
    cdir = config(tmp_path, site)
    cfg = stages.load_config(cdir)
    # run 1 dies before load (e.g. the database was unavailable)
    d = stages.discover("kota", "run1", cdir)
    (p,) = stages.plan("run1", cdir, discovered=[d])
    stages.fetch_extract("kota", "run1", cdir, planned=p)
    assert not (state_dir(cfg) / "feeds" / "kota.json").exists()
    # run 2: the feed is polled again without validators, the article is found and loaded
    r2 = run_stages(cdir, "run2")
    assert r2["discover"][0]["candidates"] == 1 and r2["load"]["inserted"] == 1
    assert (state_dir(cfg) / "feeds" / "kota.json").exists()
    # run 3, feed due again (within the 12 h verification age): conditional GET answers 304, nothing is refetched
    r3 = run_stages(cdir, "run3", now=datetime.now(timezone.utc) + timedelta(hours=1))
    outcomes = q(tmp_path, "SELECT outcome FROM fetch_log WHERE run_id = 'run3' AND kind = 'feed' AND url LIKE '%rss.xml'")
    assert outcomes == [("not_modified",)] and r3["discover"][0]["candidates"] == 0


def test_empty_database_file_gets_schema(site, tmp_path):
    import duckdb as _duckdb

    site.feed("/rss.xml", ["/a.html"])
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    site.routes["/a.html"] = (200, page("Taman baru di Bandung", PARAS), "text/html; charset=utf-8")
    cdir = config(tmp_path, site)
    (tmp_path / "data").mkdir()
    _duckdb.connect(str(tmp_path / "data" / "m.duckdb")).close()
    assert run_stages(cdir, "run1")["load"]["inserted"] == 1


def test_unparsable_feed_logged_with_reason(site, tmp_path):
    site.feed("/rss.xml", [])
    site.routes["/broken.xml"] = (200, b"<html><body>not a feed</body></html>", "application/rss+xml")
    cdir = config(tmp_path, site)
    r = run_stages(cdir, "run1")
    assert r["discover"][0]["errors"]
    rows = q(tmp_path, "SELECT outcome, skip_reason, error FROM fetch_log WHERE url LIKE '%broken.xml'")
    assert rows[0][0] == "ok" and rows[0][1] == "unparsable" and rows[0][2]


def test_date_only_page_takes_feed_time_and_keeps_its_day(site, tmp_path):
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    site.routes["/d.html"] = (200, (f"<html lang='id'><head><meta charset='utf-8'><title>Taman baru</title></head><body>"
                                    f"<article><h1>Taman baru</h1><div class='date'>Rabu (2/2/2022)</div>{body}</article></body></html>").encode(),
                              "text/html; charset=utf-8")
    items = f"<item><title>t</title><link>{site.base}/d.html</link><pubDate>Wed, 02 Feb 2022 05:00:00 GMT</pubDate></item>"
    site.routes["/rss.xml"] = (200, f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode(), "application/rss+xml")
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    cdir = config(tmp_path, site)
    run_stages(cdir, "run1")
    (pub, day, how), = q(tmp_path, "SELECT published_at, day, json_extract_string(methods, '$.published_at') FROM articles")
    assert str(day) == "2022-02-02" and pub.hour == 5 and "time from feed" in how


def test_alias_url_not_refetched(site, tmp_path):
    site.routes["/a.html"] = (200, page("Taman baru di Bandung", PARAS), "text/html; charset=utf-8")
    alias = page("Taman baru di Bandung", PARAS).replace(b"<title>", f"<link rel='canonical' href='{site.base}/a.html'><title>".encode())
    site.routes["/alias.html"] = (200, alias, "text/html; charset=utf-8")
    site.feed("/rss.xml", ["/a.html", "/alias.html"])
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    cdir = config(tmp_path, site)
    r1 = run_stages(cdir, "run1")
    assert r1["load"]["articles"] == 1
    r2 = run_stages(cdir, "run2", now=datetime.now(timezone.utc) + timedelta(hours=2))
    assert r2["discover"][0]["candidates"] == 2 and r2["plan"][0]["to_fetch"] == 0
    assert [u.rsplit("/", 1)[1] for (u,) in q(tmp_path, "SELECT url FROM articles")] == ["a.html"]


# ---- issue 8: implausible dates and per-article failures never sink enrich

YEAR1_LD = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z", "dateModified": "0001-01-01T00:00:00Z"}</script>'


def year1_page(title: str, paras: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!doctype html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>{YEAR1_LD}</head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


def test_year_one_page_date_falls_back_to_feed_or_fetch_time_and_enrich_runs(site, tmp_path):
    site.routes["/f.html"] = (200, year1_page("Taman baru di Bandung", PARAS), "text/html; charset=utf-8")
    other = [p.replace("Bandung", "Bogor").replace("Dago", "Sempur") for p in PARAS]
    site.routes["/g.html"] = (200, year1_page("Taman baru di Bogor", other), "text/html; charset=utf-8")
    items = (f"<item><title>t</title><link>{site.base}/f.html</link><pubDate>Wed, 02 Feb 2022 05:00:00 GMT</pubDate></item>"
             f"<item><title>u</title><link>{site.base}/g.html</link></item>")
    site.routes["/rss.xml"] = (200, f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode(), "application/rss+xml")
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    cdir = config(tmp_path, site)
    r = run_stages(cdir, "run1")
    assert r["enrich"]["failed"] == 0 and r["enrich"]["clustered_articles"] == 2
    rows = q(tmp_path, "SELECT url, published_at, modified_at, day, fetched_at, json_extract_string(methods, '$.published_at'), "
                       "json_extract_string(methods, '$.modified_at') FROM articles ORDER BY url")
    (f_url, f_pub, f_mod, f_day, _, f_how, f_mhow), (g_url, g_pub, g_mod, g_day, g_fetched, g_how, g_mhow) = rows
    assert f_url.endswith("/f.html") and g_url.endswith("/g.html")
    # the feed's date replaced the rejected one
    assert f_pub == datetime(2022, 2, 2, 5, 0, tzinfo=timezone.utc) and str(f_day) == "2022-02-02"
    assert f_how == "rejected:implausible(json-ld:datePublished=0001-01-01T00:00:00Z) -> feed"
    # no feed date: publication time unknown, the day is the fetch day
    assert g_pub is None and g_day == g_fetched.date()
    assert g_how == "rejected:implausible(json-ld:datePublished=0001-01-01T00:00:00Z) -> fetched_at"
    assert f_mod is None and g_mod is None and f_mhow == g_mhow == "rejected:implausible(json-ld:dateModified=0001-01-01T00:00:00Z)"
    # a second run still enriches (before the fix every later run failed with OverflowError)
    assert stages.enrich("run2", cdir)["failed"] == 0


def _record(url: str, text: str, day: str, published: str | None, language: str = "id", run_id: str = "r1") -> dict:
    from mediamon.enrich.dedup import content_hash, signature

    return {"canonical_url": url, "url": url, "source_id": "kota", "title": "T", "text": text, "authors": [], "editor": None,
            "published_at": published, "modified_at": None, "day": day, "language": language, "tags": [], "categories": [],
            "image": None, "syndication": None, "credits": {}, "methods": {}, "content_hash": content_hash(text),
            "minhash": signature(text), "n_chars": len(text), "replacement_chars": 0,
            "fetched_at": "2022-02-02T06:00:00+00:00", "extractor_version": "old", "run_id": run_id}


def test_enrich_survives_year_one_day_already_in_the_database(site, tmp_path):
    from mediamon import store

    cdir = config(tmp_path, site)
    other = " ".join(p.replace("Bandung", "Bogor").replace("Dago", "Sempur") for p in PARAS)
    with store.connect(tmp_path / "data" / "m.duckdb") as con:  # as an older extractor stored them
        store.upsert_articles(con, [
            _record("https://kota.example/old", " ".join(PARAS), "0001-01-01", "0001-01-01T00:00:00+00:00", run_id="old"),
            _record("https://kota.example/new", other, "2022-02-02", "2022-02-02T05:00:00+00:00"),
        ])
    r = stages.enrich("r1", cdir)  # the old article lacks sentiment, so this run picks it up too
    assert r["failed"] == 0 and r["articles"] == 2 and r["sentiment"] == 2
    assert r["days"] == ["0001-01-01", "2022-02-02"] and r["clustered_articles"] == 2
    # the two texts differ by two words: the stored year-1 article is still clustered with the window
    rows = q(tmp_path, "SELECT a.canonical_url, s.story_size, s.story_id = a.article_id FROM articles a JOIN article_stories s USING (article_id) ORDER BY 1")
    assert rows == [("https://kota.example/new", 2, False), ("https://kota.example/old", 2, True)]


def test_enrich_goes_on_when_one_articles_sentiment_backend_fails(site, tmp_path, caplog):
    from mediamon import store

    cdir = config(tmp_path, site)
    settings = yaml.safe_load((tmp_path / "config" / "settings.yaml").read_text())
    # Malay is configured for an ONNX model directory that holds no model: that one article fails
    (tmp_path / "no-model").mkdir()
    settings.update({"sentiment_backends": {"ms": "onnx"}, "onnx_model_dir": str(tmp_path / "no-model")})
    (tmp_path / "config" / "settings.yaml").write_text(yaml.safe_dump(settings))
    other = " ".join(p.replace("Bandung", "Bogor").replace("Dago", "Sempur") for p in PARAS)
    with store.connect(tmp_path / "data" / "m.duckdb") as con:
        store.upsert_articles(con, [
            _record("https://kota.example/id1", " ".join(PARAS), "2022-02-02", "2022-02-02T05:00:00+00:00"),
            _record("https://kota.example/ms1", "Kerajaan negeri mengumumkan taman baharu di Bandung.", "2022-02-02",
                    "2022-02-02T06:00:00+00:00", language="ms"),
            _record("https://kota.example/id2", other, "2022-02-02", "2022-02-02T07:00:00+00:00"),
        ])
    with caplog.at_level("ERROR", logger="mediamon.stages"):
        r = stages.enrich("r1", cdir)
    assert r["failed"] == 1 and r["sentiment"] == 2 and r["clustered_articles"] == 3
    assert sorted(u for (u,) in q(tmp_path, "SELECT a.canonical_url FROM articles a JOIN article_sentiment s USING (article_id)")) == [
        "https://kota.example/id1", "https://kota.example/id2"]
    # the topic matches of the other articles were written too
    assert [u for (u,) in q(tmp_path, "SELECT a.canonical_url FROM articles a JOIN article_topics t USING (article_id)")] == [
        "https://kota.example/id1"]
    (rec,) = [r for r in caplog.records if "enrichment" in r.getMessage()]
    assert "https://kota.example/ms1" in rec.getMessage() and "FileNotFoundError" in rec.getMessage()
    # the run's sentiment settings were passed to the scoring calls, not installed process-wide
    from mediamon.enrich import sentiment

    assert sentiment.default_config() == sentiment.SentimentConfig.create()
    assert sentiment.get_backend("ms").name == "lexicon-id"


def test_stacked_content_encoding_is_not_refetched(tmp_path):
    """A page served with ``Content-Encoding: gzip, gzip`` is logged as unsupported_encoding and
    plan does not schedule it again (it is not a transient failure)."""
    import gzip

    from faultserver import FaultServer

    with FaultServer() as srv:
        srv.add("/rss.xml", f"<rss version='2.0'><channel><title>f</title><item><title>t</title>"
                            f"<link>{srv.url('/gz2.html')}</link></item></channel></rss>", "application/rss+xml")
        srv.add("/gz2.html", gzip.compress(gzip.compress(page("Taman baru di Bandung", PARAS))),
                headers={"Content-Encoding": "gzip, gzip"})
        cdir = tmp_path / "config"
        cdir.mkdir()
        (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": [{
            "id": "kota", "name": "Kabar Kota", "homepage": srv.url("/"), "language": "id",
            "feeds": [srv.url("/rss.xml")], "allow_private_network": True}]}))
        (cdir / "topics.yaml").write_text(yaml.safe_dump({"topics": []}))
        (cdir / "settings.yaml").write_text(yaml.safe_dump({
            "data_dir": str(tmp_path / "data"), "db_path": str(tmp_path / "data" / "m.duckdb"),
            "reports_dir": str(tmp_path / "reports"), "fetch": {"per_host_delay_s": 0, "retries": 0}}))
        run_stages(str(cdir), "run1")
        assert q(tmp_path, "SELECT outcome, error_class FROM fetch_log WHERE url LIKE '%gz2.html'") == \
            [("unsupported_encoding", "UnsupportedEncoding")]
        r2 = run_stages(str(cdir), "run2", now=datetime.now(timezone.utc) + timedelta(hours=2))
        assert r2["discover"][0]["candidates"] == 1  # the feed still lists it
        assert [(p["to_fetch"], p["not_retried"]) for p in r2["plan"]] == [(0, 1)]
        assert len(srv.hits("/gz2.html")) == 1


# ---- issue 10: a page date days after the feed's pubDate is not a first publication

def test_page_date_days_after_feed_pubdate_gives_way_to_the_feed_date(site, tmp_path):
    site.routes["/late.html"] = (200, page("Taman baru di Bandung", PARAS, published="2022-02-05T09:00:00+07:00"),
                                 "text/html; charset=utf-8")
    other = [p.replace("Bandung", "Bogor").replace("Dago", "Sempur") for p in PARAS]
    site.routes["/near.html"] = (200, page("Taman baru di Bogor", other, published="2022-02-03T09:00:00+07:00"),
                                 "text/html; charset=utf-8")
    items = "".join(f"<item><title>t</title><link>{site.base}/{p}</link><pubDate>Wed, 02 Feb 2022 05:00:00 GMT</pubDate></item>"
                    for p in ("late.html", "near.html"))
    site.routes["/rss.xml"] = (200, f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode(), "application/rss+xml")
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    run_stages(config(tmp_path, site), "run1")
    rows = q(tmp_path, "SELECT url, published_at, day, json_extract_string(methods, '$.published_at') FROM articles ORDER BY url")
    (late_url, late_pub, late_day, late_how), (near_url, near_pub, near_day, near_how) = rows
    assert late_url.endswith("/late.html") and near_url.endswith("/near.html")
    # 2022-02-05 02:00 UTC is 3 days after the feed's 2022-02-02 05:00 UTC: the feed date is kept
    assert late_pub == datetime(2022, 2, 2, 5, 0, tzinfo=timezone.utc) and str(late_day) == "2022-02-02"
    assert late_how.endswith(" -> feed (page date 3 days after feed pubDate)") and not late_how.startswith(" ")
    # 21 hours after the feed date: within the 2-day tolerance, the page's own date stands
    assert near_pub == datetime(2022, 2, 3, 2, 0, tzinfo=timezone.utc) and str(near_day) == "2022-02-03"
    assert "feed" not in near_how
