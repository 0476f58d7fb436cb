"""The page mediamon was designed around (../shared/seed, an Indonesian AP story as a whole-page
text dump): rebuilt here as HTML at test time (nothing from ../shared is committed), extracted,
and checked against the boilerplate list in ../shared/README.md."""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

import pytest

from conftest import SHARED
from mediamon.extract import extract_article

SEED = SHARED / "seed" / "000_421eb1b55769e1b3.txt"
BOILERPLATE = re.compile(r"^(Baca Juga:|Halaman:|Editor:|Sumber:|Tags$|Artikel Pilihan$|Terkait$|Terkini$|Terpopuler$|Kabar Daerah$)")
WIDGETS = ("Tags", "Artikel Pilihan", "Terkait", "Terkini", "Terpopuler", "Kabar Daerah")


@pytest.fixture(scope="module")
def seed_lines():
    if not SEED.is_file():
        pytest.skip("../shared/seed is absent")
    return [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()]


def build_page(lines: list[str]) -> str:
    """A news-site template around the dump: header, h1, date, photo caption, the body lines as
    paragraphs (teasers, pager and credits inline, as the site prints them), widget blocks."""
    title = lines[0]
    date_line = next(ln for ln in lines if "WIB" in ln)
    caption = next(ln for ln in lines if ln.endswith("/Pexels"))
    start = lines.index(caption) + 1
    end = lines.index("Tags")
    body = "".join(f"<p>{html.escape(ln)}</p>" for ln in lines[start:end])
    widgets = "".join(f"<section class='widget'><h3>{w}</h3><ul><li><a href='/x/{i}'>Berita lain {i} tentang {w}</a></li>"
                      f"<li><a href='/y/{i}'>Kabar {w} terbaru hari ini</a></li></ul></section>" for i, w in enumerate(WIDGETS))
    return (f"<!doctype html><html lang='id'><head><meta charset='utf-8'><title>{html.escape(title)} - Kabar Contoh</title></head>"
            f"<body><header><nav><a href='/'>Beranda</a> <a href='/internasional'>Internasional</a></nav></header>"
            f"<main><article><h1>{html.escape(title)}</h1><div class='date'>{html.escape(date_line)}</div>"
            f"<figure><img src='/img/a.jpg'><figcaption>{html.escape(caption)}</figcaption></figure>"
            f"<div class='content'>{body}</div></article>{widgets}</main><footer>x</footer></body></html>")


def test_seed_body_keeps_paragraphs_and_drops_boilerplate(seed_lines):
    page = build_page(seed_lines)
    ext = extract_article(page, "https://kabar.example/internasional/2022/02/02/rusia-amerika",
                          source_language="id", fetched_at=datetime(2022, 2, 3, tzinfo=timezone.utc))
    assert ext.page_type == "article"
    body = ext.text.split("\n")
    # every real paragraph of the story is kept, in order
    paragraphs = [ln for ln in seed_lines if len(ln.split()) >= 12 and not BOILERPLATE.match(ln)
                  and not ln.endswith("/Pexels") and ln != seed_lines[0]]
    assert len(paragraphs) >= 8
    pos = [next(i for i, b in enumerate(body) if p[:60] in b) for p in paragraphs]
    assert pos == sorted(pos)
    # none of the boilerplate lines: teasers, pager, credits, widget labels, repeated title, photo credit
    for line in body:
        assert not BOILERPLATE.match(line.strip()), line
        assert "/Pexels" not in line and line.strip() != seed_lines[0]
    assert not any(w == line.strip() for line in body for w in WIDGETS)
    # credits moved into metadata; the WIB date parsed with its offset
    editor = next(ln.split(":", 1)[1].strip() for ln in seed_lines if ln.startswith("Editor:"))
    assert ext.editor == editor
    assert ext.syndication == "AP" and "APNews" in (ext.credits.get("source") or "")
    assert ext.published_at.startswith("2022-02-02T12:15:00+07:00")
    assert ext.language == "id"
