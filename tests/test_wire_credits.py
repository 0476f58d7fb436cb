"""Wire credits in every supported language (issue 11): datelines, credit lines, sign-offs and
copyright footers, through the real extractor; the footers leave the text."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mediamon.extract import extract_article
from mediamon.extract.wires import footer_credit, wire_of

FETCHED = datetime(2022, 2, 2, 6, 0, tzinfo=timezone.utc)
ID_PARAS = [
    "Pemerintah menyiapkan program bantuan bagi nelayan yang terdampak cuaca buruk di sepanjang pantai utara Jawa selama musim angin barat tahun ini.",
    "Bantuan berupa beras dan uang tunai akan disalurkan melalui koperasi nelayan di setiap kabupaten mulai pekan depan, kata pejabat kementerian.",
    "Menurut data kementerian, lebih dari 40.000 nelayan tidak bisa melaut selama dua pekan terakhir karena gelombang tinggi dan angin kencang.",
]
EN_PARAS = [
    "The city council approved a plan on Tuesday to build new bike lanes along the main avenue after a debate that lasted more than a year.",
    "Supporters said the lanes would make the busy road safer for cyclists, while some shop owners worried about the loss of parking spaces.",
    "Construction is expected to begin in the spring and to take about six months, according to the city's transport department.",
]
HI_PARAS = [
    "सरकार ने मंगलवार को किसानों के लिए एक नई सहायता योजना की घोषणा की, जिसके तहत छोटे किसानों को बीज और खाद पर सब्सिडी दी जाएगी।",
    "कृषि मंत्री ने कहा कि योजना से देश भर के लगभग दो करोड़ किसानों को लाभ मिलेगा और इसे अगले महीने से लागू किया जाएगा।",
    "विपक्षी दलों ने योजना का स्वागत किया, लेकिन कहा कि सहायता की राशि बढ़ती लागत के मुकाबले बहुत कम है।",
]


def _page(paras: list[str], lang: str, title: str = "Judul Berita Hari Ini") -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


CASES = [  # (name, paragraphs, language, expected wire, footer text that must leave the body)
    ("en dateline", ["JAKARTA (AP) — " + EN_PARAS[0]] + EN_PARAS[1:], "en", "AP", None),
    ("id dateline", ["Jakarta (ANTARA) - " + ID_PARAS[0]] + ID_PARAS[1:], "id", "ANTARA", None),
    ("id Sumber line", ID_PARAS + ["Sumber: Antara"], "id", "ANTARA", "Sumber: Antara"),
    ("id Sumber Reuters", ID_PARAS + ["Sumber: Reuters"], "id", "Reuters", "Sumber: Reuters"),
    ("ANTARA Pewarta/Editor + copyright", ID_PARAS + ["Pewarta: Budi Santoso", "Editor: Rina Wulandari", "Copyright © ANTARA 2022"],
     "id", "ANTARA", "Copyright © ANTARA"),
    ("(ant) sign-off", ID_PARAS[:-1] + [ID_PARAS[-1] + " (ant)"], "id", "ANTARA", None),
    ("AP copyright notice", EN_PARAS + ["Copyright 2022 The Associated Press. All rights reserved. This material may not be "
                                       "published, broadcast, rewritten or redistributed without permission."],
     "en", "AP", "Associated Press. All rights reserved"),
    ("Reuters trust principles", EN_PARAS + ["Reporting by Jane Doe; Editing by John Roe",
                                             "Our Standards: The Thomson Reuters Trust Principles."],
     "en", "Reuters", "Trust Principles"),
    ("hi dateline (भाषा)", ["नई दिल्ली, दो फरवरी (भाषा) " + HI_PARAS[0]] + HI_PARAS[1:], "hi", "PTI", None),
    ("hi dateline (एपी)", ["वाशिंगटन, दो फरवरी (एपी) " + HI_PARAS[0]] + HI_PARAS[1:], "hi", "AP", None),
]


@pytest.mark.parametrize("name,paras,lang,wire,footer", CASES, ids=[c[0] for c in CASES])
def test_wire_credit_forms(name, paras, lang, wire, footer):
    e = extract_article(_page(paras, lang), "https://kabar.example.id/berita/2022/02/02/x", source_language=lang,
                        fetched_at=FETCHED)
    assert e.syndication == wire, (name, e.syndication, e.credits)
    if footer:
        assert footer not in e.text


def test_no_wire_without_a_credit():
    e = extract_article(_page(ID_PARAS, "id"), "https://kabar.example.id/berita/x", source_language="id", fetched_at=FETCHED)
    assert e.syndication is None
    assert footer_credit(["Copyright © 2022 Kabar Nusantara. All rights reserved."]) is None


def test_hindi_agency_names():
    assert wire_of("रॉयटर्स") == "Reuters" and wire_of("एएफपी") == "AFP" and wire_of("पीटीआई") == "PTI"
    assert wire_of("भाषाई विविधता") is None  # भाषा only as a whole word
