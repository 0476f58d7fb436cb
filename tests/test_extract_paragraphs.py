"""Issue 10 extraction classes on synthetic pages: loose-text bodies (paragraphs as text runs
separated by <br>) keep every paragraph, and a real paragraph ending in a photo/agency credit
stays in the text while short captions still move to ``credits['photo']``."""

from lxml import html as lxml_html

from mediamon.extract import clean_lines, extract_article
from mediamon.extract.htmlprep import wrap_loose_text

URL = "https://kabar.example.id/daerah/2025/02/banjir-pesisir"

_SUBJECTS = ["Warga kampung nelayan", "Petugas badan penanggulangan bencana", "Relawan mahasiswa",
             "Kepala desa setempat", "Pedagang pasar ikan", "Dinas sosial kabupaten", "Para guru sekolah dasar"]
_VERBS = ["membersihkan lumpur dari rumah", "mendata kerusakan jalan desa", "membagikan air bersih kepada pengungsi",
          "memperbaiki tanggul yang jebol", "menghitung kerugian akibat genangan", "menyiapkan dapur umum di balai desa"]


def _paragraphs(n: int) -> list[str]:
    """``n`` distinct Indonesian paragraphs ("Paragraf k: ..."), some with inline <b>/<a>."""
    out = []
    for k in range(1, n + 1):
        subj, verb = _SUBJECTS[k % len(_SUBJECTS)], _VERBS[k % len(_VERBS)]
        s = (f"Paragraf {k}: {subj} {verb} pada hari ke-{k} setelah banjir surut, "
             f"dan mereka berharap bantuan tambahan tiba sebelum akhir pekan nomor {k}.")
        if k % 5 == 2:
            s = s.replace("banjir", "<b>banjir</b>", 1)
        if k % 7 == 3:
            s = s.replace("bantuan", '<a href="/tag/bantuan">bantuan</a>', 1)
        out.append(s)
    return out


def _page(body: str) -> str:
    side = "".join(f"<p>Berita populer {i}: jadwal kapal penyeberangan berubah karena cuaca buruk.</p>" for i in range(6))
    return ("<html><head><title>Banjir Rendam Pesisir Utara</title></head><body>"
            "<header><nav><a href='/'>Beranda</a> <a href='/daerah'>Daerah</a></nav></header>"
            f"<main><h1>Banjir Rendam Pesisir Utara</h1>{body}</main>"
            f"<aside class='sidebar'>{side}</aside><footer>Hak cipta kabar.example.id</footer></body></html>")


def _count_paragraph_lines(text: str, n: int) -> list[int]:
    lines = text.split("\n")
    return [k for k in range(1, n + 1) if sum(line.startswith(f"Paragraf {k}:") for line in lines) == 1]


def test_br_separated_body_keeps_every_paragraph_as_its_own_line():
    paras = _paragraphs(40)
    # two lead paragraphs in <p>, the rest as loose text runs separated by <br><br> in an inner
    # <div>, with a linked subheading in the middle of the run
    body = ('<div class="content">' + "".join(f"<p>{p}</p>" for p in paras[:2])
            + "<div>" + "<br><br>\n".join(paras[2:20])
            + '<h2><a href="/daerah/tanggul">Tanggul darurat dibangun</a></h2>'
            + "<br><br>\n".join(paras[20:]) + "</div></div>")
    ex = extract_article(_page(body), URL, source_language="id")
    assert ex.page_type == "article"
    assert _count_paragraph_lines(ex.text, 40) == list(range(1, 41))
    lines = [ln for ln in ex.text.split("\n") if ln.startswith("Paragraf")]
    assert [int(ln.split(":")[0].split()[1]) for ln in lines] == list(range(1, 41))  # in page order
    assert "Berita populer" not in ex.text


def test_paragraph_per_div_body_keeps_bare_text_divs_next_to_br_paragraphs():
    paras = _paragraphs(12)
    # one <div> per paragraph, empty <div><br></div> spacers, one <div> holding a <br><br> run
    divs = [f"<div>{paras[0]}</div>", "<div><br></div>", f"<div>{paras[1]}</div>",
            "<div><br>" + "<br><br>".join(paras[2:8]) + "</div>", "<div><br></div>"]
    divs += [f"<div>{p}</div><div><br></div>" for p in paras[8:]]
    body = '<div id="isi-berita">' + "".join(divs) + '<p class="penulis">Editor: Sri Wahyuni</p></div>'
    ex = extract_article(_page(body), URL, source_language="id")
    assert _count_paragraph_lines(ex.text, 12) == list(range(1, 13))
    assert ex.editor == "Sri Wahyuni"


def test_wrap_loose_text_splits_br_runs_and_mostly_br_containers_into_paragraphs():
    double = "<html><body><div class='content'>" + "<br><br>".join(_paragraphs(30)) + "</div></body></html>"
    root = lxml_html.fromstring(double)
    wrap_loose_text(root)
    ps = root.xpath("//div[@class='content']/p")
    assert len(ps) == 30
    assert ps[1].xpath("string()").startswith("Paragraf 2:") and ps[1].find("b") is not None
    # single <br> between paragraphs: the container holds only text and <br>
    single = "<html><body><div class='content'>" + "<br>\n".join(_paragraphs(8)) + "</div></body></html>"
    root = lxml_html.fromstring(single)
    wrap_loose_text(root)
    assert len(root.xpath("//div[@class='content']/p")) == 8
    # a lone <br> inside an inline paragraph (an address, a short line break) is not a paragraph break
    one = ("<html><body><div class='content'>Jalan Merdeka 10, Jakarta,<br>telepon 021 555 0101, "
           "dibuka setiap hari kerja dari pagi sampai sore untuk semua warga.</div></body></html>")
    root = lxml_html.fromstring(one)
    wrap_loose_text(root)
    assert root.xpath("//div[@class='content']/p") == []


LEAD = ("JAKARTA - Banjir merendam ratusan rumah di kawasan bantaran sungai setelah hujan deras "
        "mengguyur ibu kota sejak Senin malam hingga kemarin. (Foto: ANTARA/Budi)")
LONG_ID = ("Pemerintah provinsi menyiapkan pompa air tambahan, perahu karet dan tenda darurat untuk "
           "mengevakuasi warga lanjut usia yang masih bertahan di lantai dua rumah mereka sejak Senin malam. (ANTARA/Budi Santoso)")
LONG_EN = ("Residents of the riverside district said the water rose faster than in any flood they could remember, "
           "and many of them lost papers and furniture. (REUTERS/Willy Kurniawan)")
CAPTIONS = {"Warga mengungsi ke masjid terdekat saat banjir merendam permukiman. (ANTARA FOTO/Rina Utami)": "ANTARA FOTO/Rina Utami",
            "Rescue workers carry an elderly woman through floodwater on Tuesday. (AP Photo/Dita Sari)": "AP Photo/Dita Sari"}


def test_paragraphs_ending_in_a_credit_stay_in_the_text_and_short_captions_move_to_credits():
    for para in (LEAD, LONG_ID, LONG_EN):
        kept, credits, dropped = clean_lines(para)
        assert kept == [para] and dropped == [], para  # kept as the page shows it, credit included
    assert clean_lines(LEAD)[1] == {"photo": "ANTARA/Budi"}  # a labelled photo credit is still recorded
    for caption, credit in CAPTIONS.items():
        kept, credits, dropped = clean_lines(caption)
        assert kept == [] and dropped == [caption]
        assert credits == {"photo": credit}
    # a parenthesis in lower case is an abbreviation, not an agency credit ("EPA")
    line = "Das Thema mit den meisten Hindernissen wird seit Jahren diskutiert: die elektronische Patientenakte (ePA)"
    assert clean_lines(line)[0] == [line]


def test_page_with_credited_lead_keeps_it_and_moves_the_caption():
    caption, credit = next(iter(CAPTIONS.items()))
    rest = _paragraphs(5)
    body = (f'<div class="content"><p>{LEAD}</p><p>{caption}</p><p>{LONG_ID}</p>'
            + "".join(f"<p>{p}</p>" for p in rest) + "</div>")
    ex = extract_article(_page(body), URL, source_language="id")
    lines = ex.text.split("\n")
    assert lines[0] == LEAD and lines[1] == LONG_ID
    assert caption not in ex.text
    assert ex.credits["photo"] == f"ANTARA/Budi; {credit}"  # in page order
    assert _count_paragraph_lines(ex.text, 5) == [1, 2, 3, 4, 5]
