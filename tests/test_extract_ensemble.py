"""The body-text ensemble (mediamon.extract.ensemble): candidates compared by agreement, not length,
and related-article blocks after the body cut. Pages are synthetic, written for these tests,
modelled on the failure classes of issue 10 (trailing teaser list, "most read" block, a teaser
chosen over the body, a longer candidate padded with a related list)."""

from __future__ import annotations

from mediamon.extract import extract_article
from mediamon.extract.core import _parse
from mediamon.extract.ensemble import (agreement, choose, cut_link_tail, ensemble_text, link_dominated,
                                       page_link_texts, readability_text, shingles, tail_is_links)
from mediamon.extract.options import Extraction

URL = "https://kabarkota.example/berita/2023/05/01/jembatan-baru"

BODY = [
    "Pemerintah kota mengumumkan rencana pembangunan jembatan baru di atas sungai utama pada Senin pagi, "
    "setelah bertahun-tahun warga mengeluhkan kemacetan parah di jalur lama.",
    "Wali kota mengatakan proyek itu akan dibiayai bersama oleh anggaran daerah dan pinjaman bank pembangunan, "
    "dengan nilai total diperkirakan mencapai dua triliun rupiah.",
    "Menurut dinas pekerjaan umum, pembangunan dimulai tahun depan dan ditargetkan selesai dalam tiga tahun, "
    "termasuk jalan akses di kedua sisi sungai.",
    "Sejumlah warga yang ditemui di pasar dekat lokasi menyambut baik rencana itu, meski beberapa pedagang "
    "khawatir kehilangan tempat berjualan selama konstruksi.",
    "Anggota dewan dari fraksi oposisi meminta agar kajian dampak lingkungan dipublikasikan sebelum tender "
    "dibuka, supaya masyarakat dapat memberi masukan.",
    "Pemerintah kota berjanji akan menggelar konsultasi publik di setiap kecamatan yang dilalui jalur baru "
    "tersebut pada bulan depan.",
]
HEADLINES = [
    "Harga cabai melonjak menjelang akhir pekan di pasar tradisional",
    "Banjir rendam ratusan rumah di pinggiran kota semalam",
    "Tim sepak bola lokal menang tipis di laga kandang",
    "Sekolah swasta buka pendaftaran gelombang kedua tahun ini",
    "Polisi tangkap pencuri sepeda motor di parkiran mal",
    "Festival kuliner tahunan kembali digelar di alun-alun",
]


def _page(after_body: str) -> str:
    paras = "\n".join(f"<p>{t}</p>" for t in BODY)
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Kota bangun jembatan baru - Kabar Kota</title></head><body>
<header><nav><a href="/">Beranda</a> <a href="/politik">Politik</a> <a href="/ekonomi">Ekonomi</a></nav></header>
<main><article class="post"><h1>Kota bangun jembatan baru</h1>
<div class="entry">{paras}
{after_body}
</div></article></main><footer><p>Kabar Kota</p></footer></body></html>"""


def _dated_list() -> str:
    return "<h3>BERITA LAINNYA</h3>\n" + "\n".join(
        f'<p><a href="/berita/{i}">{h}</a> <span>Senin, {i + 1} Mei 2023</span></p>' for i, h in enumerate(HEADLINES))


def _most_read() -> str:
    return "<div><h4>Paling banyak dibaca</h4>" + "\n".join(
        f'<p><a href="/b/{i}">{h}</a><br>{h} menurut keterangan warga yang ditemui wartawan di lokasi kejadian.</p>'
        for i, h in enumerate(HEADLINES)) + "</div>"


def _assert_body_only(text: str) -> None:
    lines = text.split("\n")
    assert lines == BODY, lines
    for h in HEADLINES:
        assert h not in text


def test_trailing_dated_headline_list_is_cut():
    ex = extract_article(_page(_dated_list()), URL, source_language="id")
    assert ex.page_type == "article"
    _assert_body_only(ex.text)
    # the fast pass kept the list; its link-dominated tail sent the page to the ensemble
    assert ex.methods["ensemble"].startswith("precision") and "cut" in ex.methods["ensemble"]
    assert ex.methods["text"].startswith("ensemble:precision")


def test_trailing_most_read_block_with_teaser_sentences_is_cut():
    ex = extract_article(_page(_most_read()), URL, source_language="id")
    assert ex.page_type == "article"
    _assert_body_only(ex.text)


def test_body_without_related_block_is_untouched():
    ex = extract_article(_page(""), URL, source_language="id")
    _assert_body_only(ex.text)
    assert "ensemble" not in ex.methods and "link_tail" not in ex.methods


def test_teaser_candidate_loses_to_the_body_two_candidates_agree_on():
    # the fast-empty class: precision came back with a teaser list; readability and balanced have the body
    teaser = "\n".join(HEADLINES[:3])
    body = "\n".join(BODY)
    name, text, info = choose({"precision": teaser, "readability": body, "balanced": body + "\n" + HEADLINES[4]})
    assert name == "readability" and text == body
    assert info["support"]["precision"] < 0.1 < 0.4 < info["support"]["readability"]


def test_longer_candidate_padded_with_related_headlines_does_not_win_by_length():
    body = "\n".join(BODY[:2])
    related = "\n".join(f"{h} Senin, {i + 1} Mei 2023" for i, h in enumerate(HEADLINES))
    links = frozenset(h.lower() for h in HEADLINES)
    name, text, _ = choose({"precision": body, "readability": body, "balanced": body + "\n" + related}, links)
    assert len(body + related) > 2 * len(body)  # the old rule (over twice the text) took balanced
    assert name == "precision" and text == body


def test_fragment_two_candidates_share_gives_way_to_prose_body():
    # precision and readability both locked onto the first paragraph; balanced has the whole body in prose lines
    first = BODY[0]
    name, text, info = choose({"precision": first, "readability": first, "balanced": "\n".join(BODY)})
    assert name == "balanced" and info["switched_from"] == "precision"
    assert text.split("\n") == BODY


def test_unsupported_trailing_run_is_cut_but_never_most_of_the_text():
    body = "\n".join(BODY)
    poll = "Bagaimana pendapat Anda tentang jembatan ini? Setuju Tidak setuju Lihat hasil jajak pendapat sekarang juga"
    # two candidates agree symmetrically: the tie goes to precision, whose unsupported last line is cut
    name, text, info = choose({"precision": body + "\n" + poll, "readability": body})
    assert name == "precision" and text == body and info["cut"] == 1
    # a single candidate is returned as it is; all-empty candidates give 'none'
    assert choose({"precision": body, "readability": ""})[:2] == ("precision", body)
    assert choose({"precision": "", "readability": " "})[0] == "none"


def test_link_tail_guards():
    links = frozenset(h.lower() for h in HEADLINES)
    assert link_dominated(HEADLINES[0] + " Senin, 1 Mei 2023", links)
    assert not link_dominated(BODY[0], links)
    assert not link_dominated(f"Kata dia, {HEADLINES[0].lower()} adalah berita utama minggu ini bagi para pedagang di kota", links)
    # a list made only of headline links is not cut away to nothing
    only_links = list(HEADLINES)
    assert cut_link_tail(only_links, links) == only_links
    # two linked lines at the end are not a block (TAIL_LINK_MIN = 3)
    two = BODY + HEADLINES[:2]
    assert cut_link_tail(two, links) == two
    assert cut_link_tail(BODY + ["Baca juga"] + HEADLINES[:3], links) == BODY
    assert tail_is_links("\n".join(BODY + HEADLINES[:1]), links)
    assert not tail_is_links("\n".join(BODY), links)


def test_candidates_on_a_real_tree():
    tree = _parse(_page(_dated_list()), Extraction())
    links = page_link_texts(tree)
    assert HEADLINES[0].lower() in links and "beranda" not in links  # under 3 tokens: not a headline link
    rt = readability_text(tree, URL)
    assert BODY[0] in rt.split("\n")
    name, text, info = ensemble_text(tree, {"url": URL, "include_comments": False, "include_tables": True,
                                            "with_metadata": False}, links)
    # precision and readability agree, so balanced was not run
    assert info["ran"] == ["precision", "readability"]
    assert name == "precision" and BODY[-1] in text and HEADLINES[0] not in text
    assert agreement(shingles(BODY[0]), shingles(BODY[0])) == 1.0 and agreement(shingles(""), shingles("")) == 0.0
