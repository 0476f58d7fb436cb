"""Site boilerplate learned per source (mediamon.extract.siteboiler, mediamon.store.sitelines):
line keys, counts in DuckDB, the threshold, application at load and on reprocess."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from localsite import Site
from mediamon import stages, store
from mediamon.extract.siteboiler import MIN_ARTICLES, MIN_SHARE, is_boilerplate, line_key, line_keys, strip_lines
from mediamon.records import ArticleRecord
from mediamon.runtime import build_runtime
from mediamon.store.sitelines import learn_site_lines, learned_site_lines, record_site_lines
from test_pipeline import config, q

T0 = datetime(2022, 2, 2, 6, 0, tzinfo=timezone.utc)
APPEAL = "Dukung jurnalisme independen: berlangganan Kabar Kota mulai Rp 20.000 per bulan."
FOOTER = "© 2022 Kabar Kota. Dilarang mengutip tanpa izin."
TOPICS = ["taman", "jembatan", "pasar", "sekolah", "banjir", "stadion", "terminal", "rumah sakit"]


def _body(i: int) -> str:
    t = TOPICS[i % len(TOPICS)]
    return (f"Pemerintah kota meresmikan {t} baru di kecamatan nomor {i} pada Rabu pagi, disambut warga sekitar.\n"
            f"Wali kota mengatakan pembangunan {t} itu memakai anggaran daerah tahun ini dan melibatkan warga.")


def test_line_key_normalises_digits_case_and_punctuation():
    assert line_key("© 2024 Kabar Kota.") == line_key("©2025 kabar   KOTA")
    assert line_key("Hak cipta 2024") != line_key("Hak cipta dilindungi")
    assert line_key("12.000 / 3") is None and line_key("  ") is None
    assert len(line_key("Baca selengkapnya")) == 16
    assert line_keys("a b\n\nA B!\nc") == {line_key("a b"), line_key("c")}


def test_threshold_needs_both_count_and_share():
    assert is_boilerplate(MIN_ARTICLES, MIN_ARTICLES)
    assert not is_boilerplate(MIN_ARTICLES - 1, MIN_ARTICLES - 1)  # too few articles, whatever the share
    assert not is_boilerplate(MIN_ARTICLES, int(MIN_ARTICLES / MIN_SHARE) + 10)  # too small a share
    assert not is_boilerplate(0, 0)


def test_strip_lines_drops_learned_lines_but_never_everything():
    keys = {line_key(APPEAL), line_key(FOOTER)}
    text, dropped = strip_lines(f"{_body(1)}\n{APPEAL}\n{FOOTER}", keys)
    assert text == _body(1) and dropped == [APPEAL, FOOTER]
    assert strip_lines(f"{APPEAL}\n{FOOTER}", keys) == (f"{APPEAL}\n{FOOTER}", [])
    assert strip_lines(_body(2), set()) == (_body(2), [])


def _articles(n: int, source: str = "kota", start: datetime = T0, extra: str = APPEAL, prefix: str = "a"):
    return [(source, f"{source}-{prefix}{i:04d}", f"{_body(i)}\n{extra}\n{FOOTER}", start + timedelta(hours=i)) for i in range(n)]


def test_store_counts_and_learns_per_source(tmp_path):
    with store.connect(tmp_path / "m.duckdb") as con:
        record_site_lines(con, _articles(2))
        assert learned_site_lines(con, ["kota"]) == {}  # seen on 2 articles: under MIN_ARTICLES
        record_site_lines(con, _articles(6))  # the first two again (a refresh): not counted twice
        (n_rows,) = con.execute("SELECT count(*) FROM source_line_seen WHERE line_key = ?", [line_key(APPEAL)]).fetchone()
        assert n_rows == 6
        learned = learned_site_lines(con, ["kota", "other"])
        assert set(learned) == {"kota"}
        assert learned["kota"] == {line_key(APPEAL), line_key(FOOTER)}  # the body lines differ per article
        # another outlet's lines are its own: one article of 'other' with the same appeal learns nothing
        record_site_lines(con, _articles(1, source="other"))
        assert "other" not in learned_site_lines(con, ["other"])
        # share: 20 more 'kota' articles without the appeal push it under MIN_SHARE of the window
        record_site_lines(con, _articles(20, start=T0 + timedelta(days=1), extra="Simak berita lainnya di kanal kami", prefix="b"))
        assert line_key(APPEAL) not in learned_site_lines(con, ["kota"])["kota"]
        assert line_key(FOOTER) in learned_site_lines(con, ["kota"])["kota"]


def test_rolling_window_forgets_old_sightings(tmp_path):
    with store.connect(tmp_path / "m.duckdb") as con:
        record_site_lines(con, _articles(5))
        assert line_key(APPEAL) in learned_site_lines(con, ["kota"])["kota"]
        later = T0 + timedelta(days=90)
        record_site_lines(con, [("kota", f"new-{i}", _body(i), later + timedelta(hours=i)) for i in range(5)])
        # the old articles fell out of the 30-day window (and were pruned)
        (n_old,) = con.execute("SELECT count(*) FROM source_line_seen WHERE seen_at < ?", [later]).fetchone()
        assert n_old == 0
        assert learned_site_lines(con, ["kota"]).get("kota", frozenset()).isdisjoint({line_key(APPEAL), line_key(FOOTER)})


def _record(i: int, run_id: str) -> ArticleRecord:
    from mediamon.enrich.dedup import content_hash

    url = f"https://k.example/{i}"
    text = f"{_body(i)}\n{APPEAL}\n{FOOTER}"
    return ArticleRecord(article_id=store.article_id_for(url), canonical_url=url, url=url, source_id="kota", title=f"T{i}",
                         text=text, day=date(2022, 2, 2), content_hash=content_hash(text), n_chars=len(text),
                         fetched_at=T0 + timedelta(minutes=i), extractor_version="t", run_id=run_id)


@pytest.fixture()
def site():
    s = Site()
    yield s
    s.close()


def test_load_learns_from_stored_articles_and_drops_learned_lines(site, tmp_path):
    rt = build_runtime(stages.load_config(config(tmp_path, site)))
    # two articles stored with the appeal (under MIN_ARTICLES: kept); then the sightings are
    # removed, as in a database from before the table
    ref = rt.staging.write_batch("r1", "fetch-kota", [_record(i, "r1") for i in range(2)])
    stages.load("r1", fetched=[{"source_id": "kota", "batch": ref}], runtime=rt)
    assert all(APPEAL in t for (t,) in q(tmp_path, "SELECT text FROM articles"))
    with store.connect(tmp_path / "data" / "m.duckdb") as con:
        con.execute("DELETE FROM source_line_seen")
        assert learn_site_lines(con, ["kota"]) == 2  # backfilled from the stored articles
        assert learn_site_lines(con, ["kota"]) == 0  # only once per source
    ref = rt.staging.write_batch("r2", "fetch-kota", [_record(i, "r2") for i in range(2, 4)])
    stages.load("r2", fetched=[{"source_id": "kota", "batch": ref}], runtime=rt)
    rows = dict(q(tmp_path, "SELECT url, text FROM articles WHERE run_id = 'r2'"))
    assert rows == {f"https://k.example/{i}": _body(i) for i in (2, 3)}
    (methods,) = q(tmp_path, "SELECT methods->>'site_boilerplate' FROM articles WHERE url = 'https://k.example/3'")[0]
    assert methods == "dropped 2 lines"


ARTICLE_HTML = """<!doctype html><html lang='id'><head><meta charset='utf-8'><title>{title}</title>
<meta property='article:published_time' content='2022-02-02T09:00:00+07:00'></head><body>
<article><h1>{title}</h1>{paras}<p>{appeal}</p></article></body></html>"""


def test_fetched_articles_and_reprocess_drop_learned_lines(site, tmp_path):
    n = 5
    for i in range(n):
        paras = "".join(f"<p>{ln} Kalimat tambahan tentang proyek ini agar paragrafnya cukup panjang untuk diekstrak.</p>"
                        for ln in _body(i).split("\n"))
        site.routes[f"/a{i}.html"] = (200, ARTICLE_HTML.format(title=f"Berita {i} tentang {TOPICS[i]}", paras=paras,
                                                               appeal=APPEAL).encode(), "text/html; charset=utf-8")
    site.feed("/rss.xml", [f"/a{i}.html" for i in range(n)])
    site.routes["/broken.xml"] = (200, b"<rss version='2.0'><channel></channel></rss>", "application/rss+xml")
    cdir = config(tmp_path, site)
    out = stages.run(config_dir=cdir)
    assert out["load"]["inserted"] == n
    texts = [t for (t,) in q(tmp_path, "SELECT text FROM articles")]
    assert len(texts) == n and all(APPEAL not in t and "Pemerintah kota" in t for t in texts)
    assert q(tmp_path, "SELECT count(*) FROM articles WHERE methods->>'site_boilerplate' = 'dropped 1 lines'") == [(n,)]
    rep = stages.reprocess("2000-01-01", cdir)
    assert rep["load"]["articles"] == n
    texts = [t for (t,) in q(tmp_path, "SELECT text FROM articles")]
    assert all(APPEAL not in t for t in texts)
