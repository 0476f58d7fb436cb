"""Tests for mediamon.extract: body cleaning, credits to metadata, dates, page types, robustness."""

import gzip
import importlib.util
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mediamon.config import SourceRules
from mediamon.extract import (EXTRACTOR_VERSION, ExtractOptions, Extraction, clean_lines, extract_article, extract_file,
                              parse_date_text, wire_of, wires_in)

FIX = Path(__file__).parent / "fixtures" / "extract"
ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
FETCHED = datetime(2025, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def berita():
    return extract_file(FIX / "berita_sindikasi.html", source_language="id", fetched_at=FETCHED)


PARAGRAPH_STARTS = [
    "Gelombang tinggi yang melanda perairan utara Jawa",
    "Ketua kelompok nelayan setempat mengatakan",
    '"Kami tidak bisa memaksakan diri.',
    "Di pasar tradisional, harga ikan tongkol naik",
    "Pemerintah daerah berjanji menyalurkan bantuan beras",
    "Pengamat ekonomi perikanan menilai kenaikan harga",
]
BOILERPLATE = ["Baca Juga", "Halaman", "Editor", "Sumber", "Penulis", "/Pexels", "Tags", "Artikel Pilihan",
               "Terkait", "Terkini", "Terpopuler", "Kabar Daerah", "Copyright", "Pasar Lelang Ikan Sepi",
               "Banjir Rob", "Festival Layang-Layang"]


def test_seed_style_page_keeps_paragraphs_in_order(berita):
    lines = berita.text.split("\n")
    assert berita.page_type == "article"
    assert len(lines) == len(PARAGRAPH_STARTS)
    for line, start in zip(lines, PARAGRAPH_STARTS):
        assert line.startswith(start)


def test_seed_style_page_drops_boilerplate(berita):
    for bad in BOILERPLATE:
        assert bad not in berita.text, bad
    # the repeated title (with and without photo credit) is not in the body
    assert "Hadapi Cuaca Ekstrem" not in berita.text


def test_seed_style_page_credits_become_metadata(berita):
    assert berita.editor == "Rina Paramitha"
    assert berita.authors == ["Dimas Aryo Wicaksono"]
    assert berita.credits["source"] == "Reuters"
    assert berita.credits["editor"] == "Rina Paramitha"
    assert berita.syndication == "Reuters"
    assert berita.methods["editor"] == "credit-line"
    assert berita.methods["syndication"] == "credit-line"


def test_seed_style_page_metadata(berita):
    assert berita.published_at == "2024-03-03T09:45:00+07:00"
    assert berita.methods["published_at"].startswith("visible-date")
    assert berita.title == "Nelayan Pesisir Utara Hadapi Cuaca Ekstrem, Harga Ikan Melonjak di Pasar"
    assert berita.language == "id"
    assert berita.canonical_url == "https://warta.example.id/ekonomi/2024/03/nelayan-pesisir-utara-hadapi-cuaca-ekstrem"
    assert berita.image == "https://warta.example.id/img/2024/03/perahu-nelayan.jpg"
    assert berita.tags == ["nelayan", "cuaca ekstrem", "harga ikan"]
    assert berita.categories == ["Ekonomi"]
    assert berita.extractor_version == EXTRACTOR_VERSION


def test_to_dict_is_json_safe(berita):
    d = berita.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert set(d) == set(Extraction.__dataclass_fields__)


def test_english_wire_page_json_ld_first():
    e = extract_file(FIX / "wire_en.html", url="https://herald.example.com/news/city-council-approves-bike-lanes?utm_source=x",
                     source_language="en", fetched_at=FETCHED)
    assert e.page_type == "article"
    assert e.published_at == "2023-06-14T18:30:00-04:00"
    assert e.methods["published_at"] == "json-ld:datePublished"
    assert e.modified_at == "2023-06-15T08:05:00-04:00"
    assert e.authors == ["Jordan Miles"]  # the Organization author is not a person
    assert e.syndication == "AP" and e.methods["syndication"] == "dateline"
    assert e.title == "City council approves new bike lanes after long debate"
    assert e.canonical_url == "https://herald.example.com/news/city-council-approves-bike-lanes"
    assert e.image == "https://herald.example.com/images/bike-lanes.jpg"
    assert "Read also" not in e.text and "Follow The Example Herald" not in e.text
    assert e.text.startswith("SPRINGFIELD (AP)") and e.text.count("\n") == 3
    assert e.language == "en"


def _page(body: str, head: str = "", lang: str = "id") -> str:
    return f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


PARAS = "".join(
    f"<p>Paragraf nomor {i} menjelaskan kebijakan baru pemerintah kota tentang pengelolaan sampah rumah tangga, "
    f"yang mulai berlaku bulan depan dan diawasi oleh petugas kebersihan di setiap kelurahan.</p>" for i in range(1, 6)
)


def test_future_date_rejected_falls_back_to_visible_date():
    head = ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"Aturan Sampah Baru Berlaku",'
            '"datePublished":"2031-05-01T10:00:00+07:00"}</script>')
    html = _page(f"<article><h1>Aturan Sampah Baru Berlaku</h1><div>Selasa, 12 Nop 2024 14:20 WITA</div>{PARAS}</article>", head)
    e = extract_article(html, source_language="id", fetched_at=FETCHED)
    assert e.published_at == "2024-11-12T14:20:00+08:00"
    assert e.methods["published_at"] == "rejected:implausible(json-ld:datePublished=2031-05-01T10:00:00+07:00) -> visible-date-after-h1"


@pytest.mark.parametrize("text,expected", [
    ("2 Februari 2022, 12:15 WIB", "2022-02-02T12:15:00+07:00"),
    ("Kamis, 05/11/2015 10:08 WIB", "2015-11-05T10:08:00+07:00"),
    ("Sel, 5 Peb 2019 pukul 10.30 WITA", "2019-02-05T10:30:00+08:00"),
    ("17 Agu 2020 08:00 WIT", "2020-08-17T08:00:00+09:00"),
    ("3 Mrt 2021 | 21:05 WIB", "2021-03-03T21:05:00+07:00"),
    ("9 Des 2018, 07:00 WIB", "2018-12-09T07:00:00+07:00"),
    ("Jum'at, 19 Juni 2015 | 13:12 WIB", "2015-06-19T13:12:00+07:00"),
    ("June 5, 2015 10:00 PM GMT", "2015-06-05T22:00:00+00:00"),
])
def test_parse_date_text(text, expected):
    dt, has_time = parse_date_text(text)
    assert dt.isoformat() == expected and has_time


def test_parse_date_text_without_zone_uses_default():
    from datetime import timedelta

    dt, has_time = parse_date_text("Rabu (4/11/2015)", timezone(timedelta(hours=7)))
    assert dt.isoformat() == "2015-11-04T00:00:00+07:00" and not has_time
    assert parse_date_text("tidak ada tanggal di sini") is None


def test_title_site_name_stripped_without_h1():
    head = "<title>Warta Contoh - Aturan Sampah Baru Mulai Berlaku di Kota</title><meta property='og:site_name' content='Warta Contoh'>"
    e = extract_article(_page(f"<div>{PARAS}</div>", head), source_language="id", fetched_at=FETCHED)
    assert e.title == "Aturan Sampah Baru Mulai Berlaku di Kota"
    assert "site-stripped" in e.methods["title"]


def test_source_rules_patterns_and_prune_xpaths():
    body = (f"<article><h1>Aturan Sampah Baru</h1>{PARAS}<p>PROMO SPESIAL: diskon langganan koran cetak hanya minggu ini "
            f"untuk pembaca setia kami di seluruh kota</p><div class='kotak-donasi'><p>Dukung jurnalisme independen "
            f"dengan berdonasi melalui rekening resmi redaksi kami setiap bulan mulai hari ini.</p></div></article>")
    html = _page(body)
    plain = extract_article(html, source_language="id", fetched_at=FETCHED)
    assert "PROMO SPESIAL" in plain.text and "Dukung jurnalisme" in plain.text
    rules = SourceRules(extra_boilerplate_patterns=[r"^PROMO SPESIAL:"], prune_xpaths=["//div[@class='kotak-donasi']"])
    ruled = extract_article(html, source_language="id", rules=rules, fetched_at=FETCHED)
    assert "PROMO SPESIAL" not in ruled.text and "Dukung jurnalisme" not in ruled.text
    assert ruled.text.count("Paragraf nomor") == 5
    as_dict = extract_article(html, source_language="id", rules=rules.model_dump(), fetched_at=FETCHED)
    assert as_dict.text == ruled.text


def test_clean_lines_rules():
    text = "\n".join([
        "Paragraf pertama yang panjang tentang banjir di kota pesisir dan dampaknya bagi warga sekitar.",
        "Baca juga: Banjir Rob Kembali Datang",
        "Simak Juga Video Lainnya",
        "| Penulis | : Sari Dewi | ",
        "Pewarta: Budi Santoso",
        "Halaman 1 2 3 Selanjutnya",
        "Like (12)",
        "Load More",
        "COPYRIGHT © MEDIA CONTOH 2024",
        "Kamis, 05/11/2015 10:08 WIB",
        "Paragraf kedua yang juga panjang tentang upaya pemerintah membangun tanggul laut baru.",
        "Oleh :",
        "Andi Wijaya",
    ])
    kept, credits, dropped = clean_lines(text)
    assert kept == [text.split("\n")[0], text.split("\n")[10]]
    assert credits["reporter"] == "Sari Dewi; Budi Santoso; Andi Wijaya"
    assert len(dropped) == 11


def test_wire_names_and_outlet_self_credit():
    assert wire_of("Sumber: APNews") == "AP" and wire_of("Associated Press") == "AP"
    assert wire_of("ANTARA FOTO") == "ANTARA" and wire_of("reuters.com") == "Reuters"
    assert wires_in("ISTANBUL (Antara/PRNewswire)") == ["ANTARA", "PR Newswire"]
    assert wire_of("a map of the area") is None  # lower-case 'ap' is not the wire
    lead = ("Jakarta (ANTARA) - Pemerintah menyiapkan program bantuan bagi nelayan yang terdampak cuaca buruk "
            "di sepanjang pantai utara Jawa selama musim angin barat tahun ini.")
    html = _page(f"<article><h1>Bantuan Nelayan Disiapkan</h1><p>{lead}</p>{PARAS}</article>")
    other = extract_article(html, "https://kabar.example.id/berita/bantuan-nelayan", source_language="id", fetched_at=FETCHED)
    assert other.syndication == "ANTARA" and other.methods["syndication"] == "dateline"
    own = extract_article(html, "https://www.antaranews.com/berita/1/bantuan-nelayan", source_language="id", fetched_at=FETCHED)
    assert own.syndication is None  # the outlet's own dateline is not syndication


def test_editorial_initials_and_byline_outlet_suffix():
    html = _page(f"<article><h1>Aturan Sampah Baru</h1><div class='author'>Rudi Hartono - kabarkota</div>{PARAS}"
                 "<p>(rdh/nov)</p></article>")
    e = extract_article(html, source_language="id", fetched_at=FETCHED)
    assert e.credits["initials"] == "rdh/nov" and "rdh/nov" not in e.text
    assert e.authors == ["Rudi Hartono"] and e.methods["authors"] == "byline"


def test_botwall_paywall_listing_empty():
    bot = _page("<div><h1>Just a moment...</h1><p>Checking your browser before accessing the site.</p></div>",
                "<title>Just a moment...</title>", "en")
    assert extract_article(bot, fetched_at=FETCHED).page_type == "botwall"
    pay = _page("<article><h1>Rahasia Bisnis Kopi</h1><p>Usaha kedai kopi di kota ini tumbuh pesat dalam lima tahun terakhir.</p>"
                "<div class='paywall'><p>Berlangganan untuk membaca artikel ini selengkapnya.</p></div></article>")
    assert extract_article(pay, source_language="id", fetched_at=FETCHED).page_type == "paywall"
    items = "".join(
        f"<li><a href='/berita/2024/03/{i}/judul-berita-contoh-nomor-{i}'>Judul berita contoh nomor {i} tentang kota dan warganya</a>"
        f"<span>Ringkasan singkat berita {i}.</span></li>" for i in range(40))
    listing = _page(f"<h1>Berita Terkini</h1><ul>{items}</ul>")
    e = extract_article(listing, "https://warta.example.id/kanal/terkini", source_language="id", fetched_at=FETCHED)
    assert e.page_type == "listing"
    e2 = extract_article(listing, source_language="id", fetched_at=FETCHED)  # no URL: structure alone
    assert e2.page_type == "listing"
    links_only = _page("".join(f"<a href='/x{i}.html'>Berita {i} lorem ipsum</a><br>" for i in range(60)))
    assert extract_article(links_only, fetched_at=FETCHED).page_type == "listing"
    feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title></item></channel></rss>'
    assert extract_article(feed, fetched_at=FETCHED).page_type == "listing"
    assert extract_article(_page("<div><a href='/'>Beranda</a></div>"), fetched_at=FETCHED).page_type == "empty"


@pytest.mark.parametrize("junk", [b"", "   ", b"\x00\xff\xfe" * 50, "<html>", "<<<>>>&&&", b"\x89PNG\r\n\x1a\n" + bytes(range(256))])
def test_bad_html_never_raises(junk):
    e = extract_article(junk, "https://example.com/a", fetched_at=FETCHED)
    assert e.page_type == "empty"
    assert e.text == ""


def test_absurdly_nested_json_ld_block_is_ignored_not_the_page():
    # JSON-LD nested 100000 arrays deep makes json.loads raise RecursionError: that one block
    # is ignored (like invalid JSON) and the page extracts from its HTML.
    deep = _page(f"<article><h1>Aturan Sampah Baru</h1>{PARAS}</article>",
                 head='<script type="application/ld+json">' + "[" * 100_000 + "</script>")
    e = extract_article(deep, "https://kabar.example/a.html", source_language="id", fetched_at=FETCHED)
    ok = extract_article(deep.replace("[" * 100_000, "{}"), "https://kabar.example/a.html", source_language="id",
                         fetched_at=FETCHED)
    assert e.page_type == "article" and e.error is None and "error" not in e.methods
    assert e.text == ok.text and e.title == ok.title == "Aturan Sampah Baru"


def test_exception_class_outside_builtins_is_named_with_its_module():
    # rules built without validation (model_construct) with a regex that does not compile:
    # re.compile raises inside the line-rules step.
    rules = SourceRules.model_construct(extra_boilerplate_patterns=["(unclosed"], prune_xpaths=[], single_page_param=None)
    e = extract_article(_page(f"<article><h1>Aturan Sampah Baru</h1>{PARAS}</article>"), rules=rules, fetched_at=FETCHED)
    assert e.page_type == "empty"
    assert e.error.startswith("re.error: missing ), unterminated subpattern")
    assert e.methods["page_type"] == "error:re.error"
    assert e.text == "" and e.methods["error"] == e.error and e.to_dict()["error"] == e.error


def test_options_object_equals_keywords_and_validates():
    html = _page(f"<article><h1>Aturan Sampah Baru</h1>{PARAS}</article>")
    by_kw = extract_article(html, "https://kabar.example/a.html", source_language="id", fetched_at=FETCHED,
                            rules={"extra_boilerplate_patterns": ["nomor 3"]})
    opts = ExtractOptions(source_language="id", fetched_at=FETCHED, rules={"extra_boilerplate_patterns": ["nomor 3"]})
    assert isinstance(opts.rules, SourceRules)
    by_opts = extract_article(html, "https://kabar.example/a.html", options=opts)
    assert by_opts.to_dict() == by_kw.to_dict()
    assert len(by_opts.text.split("\n")) == 4 and "nomor 3" not in by_opts.text
    assert ExtractOptions(fetched_at=datetime(2025, 1, 1)).fetched_at == FETCHED  # naive = UTC
    with pytest.raises(TypeError, match="not both"):
        extract_article(html, options=opts, source_language="id")
    with pytest.raises(TypeError, match="options must be ExtractOptions"):
        extract_article(html, options={"source_language": "id"})
    with pytest.raises(ValueError, match="ISO 639"):
        ExtractOptions(source_language="indonesian")
    with pytest.raises(ValueError, match="max_bytes"):
        ExtractOptions(max_bytes=0)


def test_extract_file_takes_the_byte_cap_from_options(tmp_path):
    import gzip as _gzip

    from mediamon.acquire.encoding import DecompressionBomb

    p = tmp_path / "page.html.gz"
    p.write_bytes(_gzip.compress(_page(f"<article><h1>Aturan Sampah Baru</h1>{PARAS}</article>").encode("utf-8")))
    assert extract_file(p, options=ExtractOptions(source_language="id", fetched_at=FETCHED)).page_type == "article"
    with pytest.raises(DecompressionBomb, match="page.html.gz"):
        extract_file(p, options=ExtractOptions(max_bytes=100))


def test_argument_type_errors():
    with pytest.raises(TypeError):
        extract_article(123)
    with pytest.raises(TypeError):
        extract_article("<html></html>", url=5)
    with pytest.raises(TypeError):
        extract_article("<html></html>", rules=["x"])
    with pytest.raises(TypeError):
        extract_article("<html></html>", fetched_at="2024-01-01")
    with pytest.raises(ValueError):
        extract_article("<html></html>", source_language="indonesian")


def test_extract_file_gzip(tmp_path):
    p = tmp_path / "page.html.gz"
    p.write_bytes(gzip.compress((FIX / "berita_sindikasi.html").read_bytes()))
    e = extract_file(p, source_language="id", fetched_at=FETCHED)
    assert e.editor == "Rina Paramitha" and e.text.startswith("Gelombang tinggi")
    with pytest.raises(FileNotFoundError):
        extract_file(tmp_path / "missing.html")


# ---------------------------------------------------------------- shared corpus (skips without ../shared)

def _bench():
    spec = importlib.util.spec_from_file_location("mm_bench_extraction", ROOT / "benchmarks" / "extraction.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.shared
def test_indonesian_corpus_f1_and_no_leaked_boilerplate():
    if not (SHARED / "corpus" / "id-slasherrb").exists() or not (SHARED / "tools" / "extraction_score.py").exists():
        pytest.skip("../shared corpus not available")
    bench = _bench()
    metric = bench.load_metric()
    arts, listings = bench.load_id()
    assert len(arts) == 25
    outs = [extract_article(p["html"], p.get("url"), source_language="id") for p in arts]
    res = bench.score(metric, arts, [o.text for o in outs])
    assert res["f1"] >= 0.96, res["f1"]
    assert res["leaks"] == [], res["leaks"]
    assert all(o.page_type == "article" for o in outs)
    assert [extract_article(p["html"], p.get("url"), source_language="id").page_type for p in listings] == ["listing"] * len(listings)
    md = bench.metadata_accuracy(arts, outs)
    assert md["date"][0] == md["date"][1], md["misses"]


def test_clean_lines_multi_credit_and_indonesian_widgets():
    body = "Paragraf pertama yang panjang tentang banjir di kota pesisir dan dampaknya bagi warga sekitar."
    text = "\n".join([
        "Laporan Wartawan Kabarkota.com, Fransiska Dewi",
        body,
        "BACA JUGA : Banjir Rob Kembali Datang",
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Artikel ini telah tayang di Kabarkota.com dengan judul \"Banjir Rob di Pesisir\"",
        "Ikuti kami di Google News",
        "Penulis: Sari Dewi | Editor: Budi Santoso",
        "Reporter: Andi Wijaya Editor: Rina Putri",
        "Tag: banjir, rob, pesisir",
        "Pilihan Untukmu",
    ])
    kept, credits, dropped = clean_lines(text)
    assert kept == [body]
    assert credits["reporter"] == "Fransiska Dewi; Sari Dewi; Andi Wijaya"
    assert credits["editor"] == "Budi Santoso; Rina Putri"
    assert credits["source"] == "Kabarkota.com"


def _index_page(title: str, og_article: bool) -> str:
    teasers = "".join(
        f"<div class='item'><h3><a href='/read/2022/02/02/{i}/berita-nomor-{i}'>Judul berita nomor {i} tentang kota dan warga hari ini</a></h3>"
        f"<p>Ringkasan berita nomor {i}: pemerintah daerah menyampaikan rencana kerja baru kepada warga yang hadir di balai kota pada Rabu pagi.</p></div>"
        for i in range(12))
    og = "<meta property='og:type' content='article'>" if og_article else ""
    return f"<html><head><title>{title}</title>{og}</head><body><nav><a href='/'>Beranda</a></nav>{teasers}</body></html>"


def test_index_page_with_article_markup_is_listing():
    # Indonesian index pages ("Indeks Berita") often carry og:type=article; teaser paragraphs look like prose
    e = extract_article(_index_page("Indeks Berita - Kabar Kota", True), "https://kabar.example/indeks/berita-pilihan")
    assert e.page_type == "listing", e.methods.get("page_type")
    e = extract_article(_index_page("Berita Terkini | Kabar Kota", True), "https://kabar.example/x.html")
    assert e.page_type == "listing"


def test_title_starting_with_listing_word_is_still_an_article():
    paras = "".join(f"<p>Home Depot reported quarterly sales below forecasts on Tuesday, paragraph {i}, and shares fell sharply in early trading as investors worried.</p>" for i in range(6))
    html = f"<html><head><title>Home Depot sales miss, shares plunge</title><meta property='og:type' content='article'></head><body><article><h1>Home Depot sales miss, shares plunge</h1>{paras}</article></body></html>"
    assert extract_article(html, "https://news.example/business/home-depot-sales").page_type == "article"


def test_bare_link_list_is_listing():
    html = "<html><body>" + "".join(f"<a href='/x{i}.html'>Berita {i} lorem ipsum</a><br>" for i in range(60)) + "</body></html>"
    assert extract_article(html, "https://kabar.example/list.html").page_type == "listing"


# ---------------------------------------------------------------- encodings of bytes input (as mediamon.acquire.encoding.decode_body)

RU_PARAS = [f"Абзац номер {i}: городской совет утвердил новый порядок вывоза бытовых отходов, который вступит "
            f"в силу в следующем месяце и будет проверяться инспекторами в каждом районе." for i in range(1, 6)]


def _ru_page(charset: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in RU_PARAS)
    return (f"<!DOCTYPE html><html><head><meta charset={charset}><title>Новый порядок вывоза отходов</title></head>"
            f"<body><article><h1>Новый порядок вывоза отходов</h1>{body}</article></body></html>")


def test_meta_charset_windows_1251_bytes():
    e = extract_article(_ru_page("windows-1251").encode("cp1251"), fetched_at=FETCHED)
    assert e.page_type == "article" and "error" not in e.methods
    assert e.methods["encoding"] == "cp1251 (meta)"
    assert e.text.split("\n") == RU_PARAS and e.title == "Новый порядок вывоза отходов" and e.language == "ru"


@pytest.mark.parametrize("codec, bom, expected", [("utf-16-le", b"\xff\xfe", "utf-16-le (bom)"),
                                                  ("utf-16-be", b"\xfe\xff", "utf-16-be (bom)"),
                                                  ("utf-8", b"\xef\xbb\xbf", "utf-8 (bom)")])
def test_file_with_bom(tmp_path, codec, bom, expected):
    p = tmp_path / "page.html"
    p.write_bytes(bom + _page(f"<article><h1>Aturan Sampah Baru</h1>{PARAS}</article>").encode(codec))
    e = extract_file(p, source_language="id", fetched_at=FETCHED)
    assert e.page_type == "article" and e.methods["encoding"] == expected
    assert e.title == "Aturan Sampah Baru" and e.text.startswith("Paragraf nomor 1 menjelaskan") and e.language == "id"
    assert "\ufeff" not in e.text


def test_declared_legacy_charset_loses_to_valid_utf8():
    """Saved pages that declare iso-8859-1 but hold UTF-8 (served with an HTTP utf-8 header): no mojibake."""
    html = _page(f"<article><h1>Kafe © Jakarta</h1><p>Harga kopi naik — kata pemilik kafé.</p>{PARAS}</article>")
    html = html.replace("<meta charset='utf-8'>", "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>")
    e = extract_article(html.encode("utf-8"), source_language="id", fetched_at=FETCHED)
    assert e.methods["encoding"] == "utf-8 (utf-8-over-meta)"
    assert e.title == "Kafe © Jakarta" and "Harga kopi naik — kata pemilik kafé." in e.text.split("\n")
    # a real Latin-1 page with the same declaration keeps its declared charset (WHATWG: windows-1252)
    e2 = extract_article(html.encode("cp1252"), source_language="id", fetched_at=FETCHED)
    assert e2.methods["encoding"] == "cp1252 (meta)" and e2.title == "Kafe © Jakarta"
    assert "Harga kopi naik — kata pemilik kafé." in e2.text.split("\n")


def test_str_input_records_no_encoding():
    e = extract_article(_ru_page("windows-1251"), fetched_at=FETCHED)
    assert e.text.split("\n") == RU_PARAS and "encoding" not in e.methods


def test_modern_indonesian_widget_and_syndication_lines():
    body = ("Pembangunan tol tersebut menelan biaya sekitar Rp 5 triliun dan dikerjakan selama tiga tahun oleh kontraktor BUMN.\n"
            "Pilihan Editor: Jokowi Resmikan Tol Semarang\nScroll ke bawah untuk melanjutkan membaca\nLihat Foto\nTweet\n"
            "Artikel ini sudah tayang di VIVA.co.id pada hari Rabu, 2 Februari 2022 - 12:15 WIB\n"
            "Judul Artikel : Tol Baru\nLink Artikel : https://www.viva.co.id/berita/123\n"
            "Rekomendasi kebijakan itu disampaikan kepada pemerintah pada Selasa malam setelah rapat para menteri.")
    kept, _credits, dropped = clean_lines(body, title="Jokowi Resmikan Tol")
    assert kept == [body.split("\n")[0], body.split("\n")[-1]]
    assert "Lihat Foto" in dropped and "Tweet" in dropped


# ---- issue 8: implausible dates are rejected, with the reason in methods

def _dated_page(published: str, modified: str | None = None, visible: str = "") -> str:
    ld = {"@type": "NewsArticle", "datePublished": published}
    if modified:
        ld["dateModified"] = modified
    paras = "".join(f"<p>{p} {i}.</p>" for i, p in enumerate(["The council approved the new bike lanes on Tuesday evening after a long debate"] * 6))
    return (f"<html lang='en'><head><title>Bike lanes approved</title><script type='application/ld+json'>{json.dumps(ld)}</script></head>"
            f"<body><article><h1>Bike lanes approved</h1>{visible}{paras}</article></body></html>")


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "0001-01-01 00:00:00Z", "1970-01-01T00:00:00+00:00",
                                   "1989-12-31T23:00:00+07:00", "2025-01-03T00:00:00Z", "9999-12-31T23:59:59+14:00"])
def test_implausible_json_ld_dates_are_rejected_with_the_reason(value):
    e = extract_article(_dated_page(value, modified=value), fetched_at=FETCHED)
    assert e.page_type == "article"
    assert e.published_at is None and e.methods["published_at"] == f"rejected:implausible(json-ld:datePublished={value})"
    assert e.modified_at is None and e.methods["modified_at"] == f"rejected:implausible(json-ld:dateModified={value})"


def test_implausible_date_falls_back_to_the_next_page_date():
    e = extract_article(_dated_page("0001-01-01T00:00:00Z", visible="<p class='date'>December 30, 2024 10:15 UTC</p>"),
                        fetched_at=FETCHED)
    assert e.published_at == "2024-12-30T10:15:00+00:00"
    assert e.methods["published_at"] == "rejected:implausible(json-ld:datePublished=0001-01-01T00:00:00Z) -> visible-date-after-h1"


def test_plausible_dates_at_the_range_ends_are_kept():
    from mediamon.extract import plausible_date

    assert plausible_date("1990-01-01T00:00:00Z", FETCHED) and plausible_date("2025-01-02T00:00:00Z", FETCHED)
    assert not plausible_date("1989-12-31T23:59:59Z", FETCHED) and not plausible_date("2025-01-02T00:00:01Z", FETCHED)
    assert not plausible_date("0001-01-01T00:00:00+07:00", FETCHED)  # year 0 in UTC: no OverflowError
    assert not plausible_date(None, FETCHED) and not plausible_date("not a date", FETCHED)
    e = extract_article(_dated_page("1990-01-01T08:00:00+07:00"), fetched_at=FETCHED)
    assert e.published_at == "1990-01-01T08:00:00+07:00" and e.methods["published_at"] == "json-ld:datePublished"


AEB = SHARED / "corpus" / "scrapinghub-aeb" / "html"


@pytest.mark.skipif(not AEB.is_dir(), reason="../shared is absent")
def test_aeb_pages_with_year_one_dates_get_a_plausible_date_or_none():
    pages = [(f, gzip.decompress(f.read_bytes())) for f in sorted(AEB.glob("*.html.gz"))]
    year1 = [(f, b) for f, b in pages if b'"datePublished": "0001-01-01' in b]
    assert len(year1) == 5
    fetched = datetime(2019, 12, 1, tzinfo=timezone.utc)  # the corpus pages are from November 2019
    for f, body in year1:
        e = extract_article(body, fetched_at=fetched)
        how = e.methods["published_at"]
        assert how.startswith("rejected:implausible(json-ld:datePublished=0001-01-01T00:00:00Z)"), (f.name, how)
        if e.published_at is not None:
            pub = datetime.fromisoformat(e.published_at)
            assert datetime(2019, 1, 1, tzinfo=timezone.utc) <= pub <= fetched, (f.name, e.published_at)
            assert " -> " in how
        assert e.modified_at is None and e.methods["modified_at"].startswith("rejected:implausible("), f.name


# ---- issue 8: a local .gz page is inflated under the fetcher's byte cap

def test_gz_page_over_the_byte_cap_is_refused_naming_the_file_with_bounded_memory(tmp_path):
    import tracemalloc

    from gzbomb import MIB, gzip_zeros
    from mediamon.acquire.encoding import DecompressionBomb

    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip_zeros(256))  # 260 KB inflating to 256 MiB
    tracemalloc.start()
    try:
        with pytest.raises(DecompressionBomb) as ei:
            extract_file(bomb, max_bytes=MIB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(bomb) in str(ei.value) and f"exceeds {MIB} bytes" in str(ei.value)
    assert peak < 4 * MIB, peak  # the cap, a copy and one input chunk: not the 256 MiB it inflates to
    # the default cap is the fetcher's (FetchSettings.max_bytes, 10 MB)
    with pytest.raises(DecompressionBomb, match="exceeds 10000000 bytes"):
        extract_file(bomb)
    # a page under the cap is read whole, multi-member gzip included
    ok = tmp_path / "page.html.gz"
    html = (FIX / "berita_sindikasi.html").read_bytes()
    ok.write_bytes(gzip.compress(html[:1000]) + gzip.compress(html[1000:]))
    assert extract_file(ok, max_bytes=len(html), source_language="id", fetched_at=FETCHED).text.startswith("Gelombang tinggi")
    with pytest.raises(DecompressionBomb):
        extract_file(ok, max_bytes=len(html) - 1)


def test_gz_file_that_is_not_gzip_is_a_value_error_naming_it(tmp_path):
    p = tmp_path / "saved.html.gz"
    p.write_bytes((FIX / "berita_sindikasi.html").read_bytes())
    with pytest.raises(ValueError, match=r"saved\.html\.gz: not gzip data"):
        extract_file(p)
