"""Metadata edge cases (issue 10): failure classes seen in peer projects' bug reports.

Dates with a zone word between date and time, Indonesian month abbreviations (those two are in
tests/test_util_dates.py), Dublin Core dates, hidden elements, tolerant JSON-LD, modified-only
pages, date-only marking, JSON-LD editors, slug ``-2`` vs page 2, and short Latin-1 bodies.
"""

from datetime import datetime, timedelta, timezone

import lxml.html
import pytest

from mediamon.acquire.encoding import decode_body
from mediamon.acquire.pages import find_next_page
from mediamon.extract import extract_article
from mediamon.extract.metadata import page_metadata

FETCHED = datetime(2024, 1, 1, tzinfo=timezone.utc)
WIB = timezone(timedelta(hours=7))
BODY = "<p>" + "Warga di pesisir utara mengungsi setelah air laut naik ke permukiman sejak pagi hari. " * 8 + "</p>"
TITLE = "Banjir rob rendam permukiman warga pesisir utara"


def _page(head: str = "", before_body: str = "") -> str:
    return (f"<html><head><title>{TITLE}</title>{head}</head><body><h1>{TITLE}</h1>"
            f"{before_body}{BODY}</body></html>")


def _extract(head: str = "", before_body: str = ""):
    return extract_article(_page(head, before_body), "https://x.test/berita/banjir-rob", source_language="id",
                           fetched_at=FETCHED)


# 3. Dublin Core dates win over a date in the body

@pytest.mark.parametrize("name", ["dc.date", "DC.date", "dc.date.issued", "DC.date.issued", "dcterms.issued"])
def test_dublin_core_date_beats_a_body_date(name):
    ex = _extract(f'<meta name="{name}" content="2019-05-01T10:00:00+07:00">', "<p>Senin, 3 Juni 2019 08:00 WIB</p>")
    assert ex.published_at == "2019-05-01T10:00:00+07:00"
    assert ex.methods["published_at"] == "meta:" + name.lower()


# 4. hidden elements are not visible dates

@pytest.mark.parametrize("hidden", ["<p hidden>{}</p>", '<div style="color:red; display: none">{}</div>',
                                    '<span aria-hidden="true">{}</span>', '<div style="visibility:hidden"><p>{}</p></div>'])
def test_date_in_hidden_element_is_not_the_publication_date(hidden):
    ex = _extract("", hidden.format("Senin, 3 Juni 2019 08:00 WIB") + "<p>Selasa, 4 Juni 2019 10:00 WIB</p>")
    assert ex.published_at == "2019-06-04T10:00:00+07:00"
    assert ex.methods["published_at"].startswith("visible-date")


# 5. JSON-LD with wrappers and trailing commas

@pytest.mark.parametrize("block", [
    '{"@type": "NewsArticle", "datePublished": "2019-05-01T10:00:00+07:00",}',
    '{"@type": "NewsArticle", "keywords": ["banjir", "rob",], "datePublished": "2019-05-01T10:00:00+07:00"}',
    '<![CDATA[ {"@type": "NewsArticle", "datePublished": "2019-05-01T10:00:00+07:00"} ]]>',
    '//<![CDATA[\n{"@type": "NewsArticle", "datePublished": "2019-05-01T10:00:00+07:00",}\n//]]>',
    '/*<![CDATA[*/ {"@type": "NewsArticle", "datePublished": "2019-05-01T10:00:00+07:00"} /*]]>*/',
])
def test_json_ld_wrapped_or_with_trailing_commas_is_read(block):
    ex = _extract(f'<script type="application/ld+json">{block}</script>')
    assert (ex.published_at, ex.methods["published_at"]) == ("2019-05-01T10:00:00+07:00", "json-ld:datePublished")


def test_json_ld_trailing_comma_inside_a_string_is_kept():
    block = '{"@type": "NewsArticle", "headline": "Rob, ]tinggi,} lagi", "datePublished": "2019-05-01T10:00:00+07:00",}'
    meta = page_metadata(lxml.html.fromstring(_page(f'<script type="application/ld+json">{block}</script>')), None)
    assert meta["ld_pub"] == ["2019-05-01T10:00:00+07:00"] and meta["ld_headline"] == "Rob, ]tinggi,} lagi"


# 6. a modification time is not a publication time

def test_modified_only_page_has_no_publication_date():
    ex = _extract('<meta property="article:modified_time" content="2019-05-01T10:00:00+07:00">')
    assert ex.published_at is None and ex.modified_at == "2019-05-01T10:00:00+07:00"
    assert "only a modification time" in ex.methods["published_at"]
    assert ex.methods["modified_at"] == "meta:article:modified_time"


@pytest.mark.parametrize("before", [
    "<p>Diperbarui: Jumat, 7 Juni 2019 10:00 WIB</p><p>Diterbitkan: Kamis, 6 Juni 2019 09:30 WIB</p>",
    "<div><span>Updated</span> <time>7 June 2019 10:00 WIB</time></div><p>Published 6 June 2019 09:30 WIB</p>",
])
def test_visible_updated_time_before_published_is_not_published(before):
    ex = _extract("", before)
    assert ex.published_at == "2019-06-06T09:30:00+07:00"


# 7. a date-only value is marked as such (not a real midnight)

@pytest.mark.parametrize("value", ["2019.05.01", "01.05.2019", "2019-05-01"])
def test_date_only_meta_value_is_marked_date_only(value):
    ex = _extract(f'<meta property="article:published_time" content="{value}">')
    assert ex.published_at == "2019-05-01T00:00:00+07:00"
    assert ex.methods["published_at"].endswith("(date only)")


def test_real_midnight_is_not_marked_date_only():
    ex = _extract('<meta property="article:published_time" content="2019-05-01T00:00:00+07:00">')
    assert ex.published_at == "2019-05-01T00:00:00+07:00"
    assert ex.methods["published_at"] == "meta:article:published_time"


# 8. a JSON-LD editor is not an author

def test_json_ld_editor_is_not_taken_as_author():
    ld = '{"@type": "NewsArticle", "editor": {"@type": "Person", "name": "Budi Santoso"}}'
    ex = _extract(f'<script type="application/ld+json">{ld}</script>',
                  '<div class="article-author">Budi Santoso</div>')
    assert "Budi Santoso" not in ex.authors
    ld = ('{"@type": "NewsArticle", "editor": {"@type": "Person", "name": "Budi Santoso"},'
          ' "author": [{"@type": "Person", "name": "Ani Wijaya"}]}')
    ex = _extract(f'<script type="application/ld+json">{ld}</script>',
                  '<div class="article-author">Budi Santoso</div>')
    assert (ex.authors, ex.methods["authors"]) == (["Ani Wijaya"], "json-ld")


def test_json_ld_editor_who_is_also_author_stays_author():
    ld = ('{"@type": "NewsArticle", "editor": {"@type": "Person", "name": "Budi Santoso"},'
          ' "author": {"@type": "Person", "name": "Budi Santoso"}}')
    ex = _extract(f'<script type="application/ld+json">{ld}</script>')
    assert ex.authors == ["Budi Santoso"]


# 9. a slug ending -2 is another article, not page 2

def test_slug_ending_dash_number_is_not_page_two():
    url = "https://x.test/berita/banjir-jakarta"
    assert find_next_page('<a href="/berita/banjir-jakarta-2">Banjir Jakarta lagi</a>', url) is None
    assert find_next_page('<a href="/berita/banjir-jakarta-2">2</a>', url) is None
    assert find_next_page('<a href="/berita/banjir-jakarta/2">2</a>', url) == url + "/2"
    assert find_next_page('<a href="/berita/banjir-jakarta?page=2">2</a>', url) == url + "?page=2"


def test_dated_path_is_not_a_page_number():
    # /2019/09/28: '28' is a day, not page 28 of /2019/09
    assert find_next_page('<a href="/2019/09/2">x</a>', "https://x.test/2019/09/1") is None


def test_p_parameter_counts_only_with_pager_context():
    url = "https://x.test/berita/a"
    assert find_next_page('<a href="/berita/a?p=2">Artikel lain tentang banjir</a>', url) is None  # WordPress post id
    assert find_next_page('<a href="/berita/a?p=2">2</a>', url) == url + "?p=2"
    assert find_next_page('<nav class="pagination"><a href="/berita/a?p=2">Dua</a></nav>', url) == url + "?p=2"


# 10. a tiny Latin-1 body without a declared charset

@pytest.mark.parametrize("text", ["café crème", "Årsbok é", "niño año", "d\xe9j\xe0 vu"])
def test_short_latin1_body_is_windows_1252(text):
    got, enc, src, bad = decode_body(text.encode("latin-1"))
    assert (got, enc, src, bad) == (text, "cp1252", "fallback", 0)


def test_short_utf8_body_stays_utf8_and_declared_charset_still_wins():
    assert decode_body("café crème".encode("utf-8"))[:2] == ("café crème", "utf-8")
    assert decode_body("café".encode("iso-8859-2"), "text/plain; charset=iso-8859-2")[1:3] == ("iso8859-2", "header")
