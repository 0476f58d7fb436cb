"""Page type from evidence (issue 10): article-id query URLs, card structure, paywall flag vs extracted text."""

from datetime import datetime, timezone

import pytest

from mediamon.extract import extract_article

FETCHED = datetime(2025, 1, 1, tzinfo=timezone.utc)

SENTENCES = [
    "The city council approved a new budget on Tuesday after a long debate about road repairs and school funding.",
    "Officials said the plan would add three new bus routes and extend library hours across the northern districts.",
    "Residents who spoke at the meeting asked for more street lighting near the market and the river crossing.",
    "The mayor said construction on the first routes would start in the spring once contracts had been signed.",
    "Opposition members warned that the cost of the repairs could rise if steel prices kept climbing this year.",
]


def _body(n_paras: int) -> str:
    return "".join(f"<p>{SENTENCES[i % 5]} {SENTENCES[(i + 2) % 5]} (part {i})</p>" for i in range(n_paras))


def _cards(n: int, tag: str = "h3", summary: bool = True) -> str:
    out = []
    for i in range(n):
        head = f"<{tag}><a href='/news/2024/05/{i}/story-{i}'>Story number {i} about the harbour and the new ferry service</a></{tag}>"
        summ = (f"<p>A short summary of story {i}: port officials announced new ferry timetables for the islands "
                f"and fishermen welcomed the change.</p>") if summary else ""
        out.append(f"<div class='card'>{head}{summ}</div>")
    return "".join(out)


def _page(body: str, head: str = "", lang: str = "en") -> str:
    return f"<html lang='{lang}'><head>{head}</head><body><header><nav><a href='/'>Home</a></nav></header>{body}</body></html>"


# ------------------------------------------------------------------ 1. article-id query on a root URL

@pytest.mark.parametrize("url", ["https://blog.example/?p=123", "https://blog.example/index.php?page_id=7",
                                 "https://news.example/?story=harbour-ferry", "https://news.example/?id=42&lang=en"])
def test_root_url_with_article_id_query_is_not_home(url):
    html = _page(f"<article><h1>Council approves budget</h1>{_body(6)}</article>",
                 "<title>Council approves budget</title>")
    e = extract_article(html, url, fetched_at=FETCHED)
    assert e.page_type == "article", e.methods["page_type"]
    assert "root-url" not in e.methods["page_type"]


def test_root_url_without_article_query_stays_listing():
    html = _page(f"<article><h1>Council approves budget</h1>{_body(6)}</article>")
    for url in ("https://blog.example/", "https://blog.example/?utm_source=x", "https://blog.example/?p="):
        assert extract_article(html, url, fetched_at=FETCHED).methods["page_type"] == "root-url", url
    from mediamon.extract.pagetype import article_id_query  # new in this change: imported here so the other tests run without it
    assert article_id_query("https://blog.example/?P=9") and not article_id_query(None)
    assert not article_id_query("https://blog.example/?page=2")


# ------------------------------------------------------------------ 2. repeated card structure

def test_section_page_with_twenty_summary_cards_is_listing():
    # 20 headline+summary cards: summaries are long enough to look like prose paragraphs
    html = _page(f"<main><h1>Economy</h1><div class='grid'>{_cards(20)}</div></main>",
                 "<title>Economy - Harbour Post</title><meta property='og:type' content='article'>")
    for url in ("https://harbour.example/economy", None):
        e = extract_article(html, url, fetched_at=FETCHED)
        assert e.page_type == "listing", (url, e.methods["page_type"])
        assert e.methods["page_type"].startswith("cards=20,")


def test_index_and_home_pages_with_teasers_are_listing():
    head = "<title>Kabar Kota</title><meta property='og:type' content='article'>"
    idx = _page(f"<div class='list'>{_cards(10, 'h2')}</div>", head, "id")
    assert extract_article(idx, "https://kabar.example/indeks", fetched_at=FETCHED).page_type == "listing"
    # a home page saved to a file (no URL): headline links are <a class="title"> and <a><h4>..</h4></a>
    links = "".join(f"<li><a class='post-title' href='/p/{i}'>Ferry story {i} for the islands and the harbour</a>"
                    f"<span>Timetables change next week for island routes and harbour workers, officials said.</span></li>"
                    for i in range(8))
    wrapped = "".join(f"<article><a href='/q/{i}'><h4>Second row story {i} on the market</h4></a>"
                      f"<p>Traders at the market said prices of rice and fish rose again this week.</p></article>"
                      for i in range(6))
    home = _page(f"<ul>{links}</ul><section>{wrapped}</section>", "<title>Harbour Post</title>")
    e = extract_article(home, fetched_at=FETCHED)
    assert e.page_type == "listing", e.methods["page_type"]


def test_article_with_related_cards_block_stays_article():
    related = f"<div class='more-stories'><h2>More stories</h2>{_cards(6)}</div>"
    html = _page(f"<article><h1>Council approves budget</h1>{_body(10)}</article>{related}",
                 "<title>Council approves budget</title><meta property='og:type' content='article'>")
    e = extract_article(html, "https://harbour.example/city/council-approves-budget", fetched_at=FETCHED)
    assert e.page_type == "article", e.methods["page_type"]
    # the cards are found, but the body text outweighs them
    import lxml.html

    from mediamon.extract.cards import card_evidence
    ev = card_evidence(lxml.html.fromstring(html).find(".//body"), e.text)
    assert ev.n_cards == 6 and ev.coverage < 0.5 and ev.text_share < 0.5


def test_short_brief_with_related_cards_stays_article():
    # a short article whose cards outweigh its body: the extracted text is the body, not the cards
    related = f"<aside><div class='more'>{_cards(8)}</div></aside><div class='more2'>{_cards(6, 'h4')}</div>"
    html = _page(f"<article><h1>Ferry delayed</h1>{_body(2)}</article>{related}",
                 "<title>Ferry delayed</title><meta property='og:type' content='article'>")
    e = extract_article(html, "https://harbour.example/city/ferry-delayed", fetched_at=FETCHED)
    assert e.page_type == "article", e.methods["page_type"]


# ------------------------------------------------------------------ 3. paywall flag vs extracted text

def _ld(free: bool) -> str:
    return ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
            f'"headline": "Council approves budget", "isAccessibleForFree": {"true" if free else "false"}}}</script>')


def test_paywall_flag_with_full_text_is_article_noting_flag():
    html = _page(f"<article><h1>Council approves budget</h1>{_body(8)}</article>",
                 "<title>Council approves budget</title>" + _ld(False))
    e = extract_article(html, "https://harbour.example/city/budget", fetched_at=FETCHED)
    assert 150 < len(e.text.split()) < 400
    assert e.page_type == "article", e.methods["page_type"]
    assert "isAccessibleForFree=false" in e.methods["page_type"]


def test_paywall_flag_with_teaser_and_barrier_is_paywall():
    for barrier, lang in (("Subscribe to continue reading this story.", "en"),
                          ("Baca selengkapnya dengan berlangganan.", "id")):
        html = _page(f"<article><h1>Council approves budget</h1>{_body(1)}<div class='gate'><p>{barrier}</p></div></article>",
                     "<title>Council approves budget</title>" + _ld(False), lang)
        e = extract_article(html, "https://harbour.example/city/budget", fetched_at=FETCHED)
        assert e.page_type == "paywall", (barrier, e.methods["page_type"])
        assert e.methods["page_type"] == "json-ld-isAccessibleForFree+paywall-phrases"


def test_barrier_page_without_flag_is_paywall():
    html = _page("<article><h1>Council approves budget</h1><p>The city council approved a new budget on Tuesday.</p>"
                 "<div><button>Unlock this article</button></div></article>",
                 "<title>Subscribe to read | Harbour Post</title>")
    e = extract_article(html, "https://harbour.example/city/budget", fetched_at=FETCHED)
    assert e.page_type == "paywall", e.methods["page_type"]
    # the same page with the full text and no barrier wording is an article
    free = _page(f"<article><h1>Council approves budget</h1>{_body(8)}</article>", "<title>Council approves budget</title>")
    assert extract_article(free, "https://harbour.example/city/budget", fetched_at=FETCHED).page_type == "article"
