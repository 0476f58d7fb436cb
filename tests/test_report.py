"""Daily coverage report: self-contained HTML, escaping of web text, CSV contents, text summary."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html

from mediamon.report import render_report, safe_url, summary_text

DAY = date(2022, 2, 2)
B = "http://127.0.0.1:8765"


def _data() -> dict:
    articles = [
        {"article_id": "a1", "source_name": "Kabar Nusantara", "title": "Rusia dan AS saling serang argumen soal Ukraina",
         "url": B + "/kabar-nusantara/internasional/seed.html", "published_at": "2022-02-02T12:15:00+07:00",
         "language": "id", "sentiment_label": "negative", "sentiment_score": -0.31,
         "topics": "ukraine, russia, united-states", "story_id": "s1", "syndication": "AP"},
        {"article_id": "a2", "source_name": "Warta Harian", "title": "Lavrov dan Blinken bicara via telepon",
         "url": "https://warta.example/dunia/copy.html", "published_at": "2022-02-02T13:40:00+07:00",
         "language": "id", "sentiment_label": "negative", "sentiment_score": -0.28,
         "topics": "ukraine, russia", "story_id": "s1", "syndication": "AP"},
        {"article_id": "a3", "source_name": 'Evil" onmouseover="alert(2)', "title": "Floods <script>alert(1)</script> & more",
         "url": "javascript:alert(1)", "published_at": "2022-02-02T07:50:00+07:00", "language": "en",
         "sentiment_label": "negative", "sentiment_score": -0.6, "topics": "banjir", "story_id": "s2", "syndication": None},
        {"article_id": "a4", "source_name": "Jakarta Daily Ledger", "title": "=HYPERLINK(\"http://x\")",
         "url": " data:text/html;base64,PHNjcmlwdD4=", "published_at": None, "language": "en",
         "sentiment_label": "positive", "sentiment_score": 0.7, "topics": "ekonomi", "story_id": "s3", "syndication": None},
    ]
    coverage = [
        {"source_id": "kabar-nusantara", "source_name": "Kabar Nusantara", "topic_id": "", "topic_name": None,
         "articles": 1, "unique_stories": 1, "mean_sentiment": -0.31, "positive": 0, "neutral": 0, "negative": 1,
         "share_of_voice": 0.25},
        {"source_id": "warta-harian", "source_name": "Warta Harian", "topic_id": None, "topic_name": None,
         "articles": 1, "unique_stories": 1, "mean_sentiment": -0.28, "positive": 0, "neutral": 0, "negative": 1,
         "share_of_voice": 0.25},
        {"source_id": "kabar-nusantara", "source_name": "Kabar Nusantara", "topic_id": "ukraine", "topic_name": "Ukraine",
         "articles": 1, "unique_stories": 1, "mean_sentiment": -0.31, "positive": 0, "neutral": 0, "negative": 1,
         "share_of_voice": 0.5},
        {"source_id": "warta-harian", "source_name": "Warta Harian", "topic_id": "ukraine", "topic_name": "Ukraine",
         "articles": 1, "unique_stories": 1, "mean_sentiment": -0.28, "positive": 0, "neutral": 0, "negative": 1,
         "share_of_voice": 0.5},
        {"source_id": "evil", "source_name": 'Evil" onmouseover="alert(2)', "topic_id": "banjir",
         "topic_name": "<b>Banjir</b>", "articles": 1, "unique_stories": 1, "mean_sentiment": -0.6, "positive": 0,
         "neutral": 0, "negative": 1, "share_of_voice": 1.0},
    ]
    sentiment = [
        {"source_id": "kabar-nusantara", "source_name": "Kabar Nusantara", "positive": 3, "neutral": 1, "negative": 1,
         "mean_sentiment": 0.21},
        {"source_id": "warta-harian", "source_name": "Warta Harian", "positive": 0, "neutral": 1, "negative": 2,
         "mean_sentiment": -0.4},
    ]
    stories = [
        {"story_id": "s1", "size": 2, "sources": "Kabar Nusantara, Warta Harian",
         "title": "Rusia dan AS saling serang argumen soal Ukraina", "first_published_at": "2022-02-02T12:15:00+07:00",
         "syndication": "AP"},
        {"story_id": "s2", "size": 1, "sources": "Evil", "title": "Floods", "first_published_at": None, "syndication": None},
    ]
    return {"summary": {"articles": 4, "sources": 4, "stories": 3, "duplicates": 1, "date": "2022-02-02"},
            "coverage": coverage, "sentiment": sentiment, "stories": stories, "articles": articles}


@pytest.fixture()
def report(tmp_path):
    data = _data()
    paths = render_report(DAY, data, tmp_path)
    return tmp_path, data, paths


def test_writes_html_and_csvs_under_the_day_directory(report):
    out, _, paths = report
    tables = ["coverage", "sentiment", "stories", "articles", "topics", "trends", "share_of_voice", "top_stories",
              "outlets", "source_health"]
    assert set(paths) == {"html", "redirect", "markdown"} | set(tables) | {f"{t}_parquet" for t in tables}
    assert paths["html"] == out / "2022-02-02" / "index.html"
    assert paths["redirect"] == out / "2022-02-02" / "coverage.html"  # old links land on index.html
    assert 'http-equiv="refresh" content="0; url=index.html"' in paths["redirect"].read_text(encoding="utf-8")
    for name in tables:
        assert paths[name] == out / "2022-02-02" / f"{name}.csv"
        assert paths[name].stat().st_size > 0
        assert paths[f"{name}_parquet"] == out / "2022-02-02" / f"{name}.parquet"
    assert sorted(p.name for p in (out / "2022-02-02").iterdir()) == sorted(
        ["index.html", "coverage.html", "summary.md"] + [f"{t}.csv" for t in tables]
        + [f"{t}.parquet" for t in tables])  # no temp files left


def test_html_is_self_contained(report):
    _, data, paths = report
    text = paths["html"].read_text(encoding="utf-8")
    doc = lxml_html.fromstring(text)
    assert doc.xpath("//script") == [] and doc.xpath("//iframe|//object|//embed") == []
    assert doc.xpath("//link[@href]") == []  # no external stylesheets, icons or fonts
    assert all(not s.strip().lower().startswith(("http", "//")) for s in doc.xpath("//@src"))
    assert "@import" not in text and "url(" not in text
    article_urls = {a["url"] for a in data["articles"]}
    external = [h for h in doc.xpath("//a/@href") if h.startswith(("http", "//"))]
    assert sorted(external) == sorted([B + "/kabar-nusantara/internasional/seed.html", "https://warta.example/dunia/copy.html"])
    assert set(external) <= article_urls
    # the content that the report is about is there
    assert "2 February 2022" in text and "Kabar Nusantara" in text
    assert doc.xpath("//section[@id='stories']//td")[0].text_content().startswith("Rusia dan AS saling serang")


def test_web_text_is_escaped_and_bad_links_dropped(report):
    _, _, paths = report
    text = paths["html"].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in text
    assert "Floods &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
    assert "&lt;b&gt;Banjir&lt;/b&gt;" in text and "<b>Banjir</b>" not in text
    doc = lxml_html.fromstring(text)
    assert doc.xpath("//*[@onmouseover]") == []
    hrefs = doc.xpath("//@href")
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert not any("javascript" in h.lower() or h.strip().lower().startswith("data:") for h in hrefs)
    # the withheld link is shown as text, so nothing is lost
    assert "javascript:alert(1) (link withheld: not http/https)" in doc.text_content()


def test_safe_url():
    assert safe_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    assert safe_url("HTTP://example.com/") == "HTTP://example.com/"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example/x", "/relative",
                "http://", "http://exa mple.com/", "https://ex.com/\u202e", None, 42):
        assert safe_url(bad) is None, bad


def _read_csv(p: Path) -> list[dict]:
    with p.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_contents(report):
    _, data, paths = report
    arts = _read_csv(paths["articles"])
    assert list(arts[0]) == ["article_id", "source_name", "title", "url", "published_at", "language",
                             "sentiment_label", "sentiment_score", "topics", "story_id", "syndication"]
    assert [a["article_id"] for a in arts] == ["a1", "a2", "a3", "a4"]
    assert arts[2]["title"] == "Floods <script>alert(1)</script> & more"  # CSV keeps the raw text
    assert arts[2]["url"] == "javascript:alert(1)"
    assert arts[3]["title"] == "'=HYPERLINK(\"http://x\")"  # formula injection neutralised
    assert arts[3]["published_at"] == "" and arts[1]["syndication"] == "AP"
    assert float(arts[0]["sentiment_score"]) == -0.31  # numbers are not prefixed
    cov = _read_csv(paths["coverage"])
    assert len(cov) == len(data["coverage"])
    assert cov[2]["topic_id"] == "ukraine" and cov[2]["share_of_voice"] == "0.5" and cov[0]["topic_id"] == ""
    stories = _read_csv(paths["stories"])
    assert stories[0] == {"story_id": "s1", "size": "2", "sources": "Kabar Nusantara, Warta Harian",
                          "title": "Rusia dan AS saling serang argumen soal Ukraina",
                          "first_published_at": "2022-02-02T12:15:00+07:00", "syndication": "AP"}
    sent = _read_csv(paths["sentiment"])
    assert [(s["source_id"], s["positive"], s["negative"]) for s in sent] == [("kabar-nusantara", "3", "1"),
                                                                           ("warta-harian", "0", "2")]


def test_summary_text():
    data = _data()
    data["stories"][0]["title"] = "Rusia dan AS\x1b[31m saling\nserang"
    text = summary_text(data)
    assert text.startswith("mediamon coverage report for 2022-02-02\n")
    assert "Articles: 4 from 4 sources; stories: 3 (1 with more than one copy); duplicate copies: 1" in text
    assert "2x Rusia dan AS[31m saling serang [AP] -- Kabar Nusantara, Warta Harian" in text  # ESC stripped
    assert "\x1b" not in text
    assert "Kabar Nusantara: 3 / 1 / 1, mean +0.21" in text and "Warta Harian: 0 / 1 / 2, mean -0.40" in text
    assert "all sources: 3 / 2 / 3" in text
    assert "Ukraine: 2 (Kabar Nusantara 50%, Warta Harian 50%)" in text
    row = next(line for line in text.splitlines() if line.strip().startswith("Kabar Nusantara") and "mean" not in line)
    assert row.split()[-3:] == ["1", "1", "0"]  # all, Ukraine, Banjir


def test_empty_day_renders(tmp_path):
    paths = render_report(DAY, {"summary": {"articles": 0, "sources": 0, "stories": 0, "duplicates": 0,
                                            "date": "2022-02-02"}}, tmp_path)
    text = paths["html"].read_text(encoding="utf-8")
    assert "No articles for this day." in text
    assert _read_csv(paths["articles"]) == []
    assert paths["articles"].read_text(encoding="utf-8").startswith("article_id,source_name,title,url,")
    assert "Articles: 0 from 0 sources" in summary_text({"summary": {"date": "2022-02-02"}})


def test_rendering_is_reproducible(tmp_path):
    a = render_report(DAY, _data(), tmp_path / "a")
    b = render_report(DAY, _data(), tmp_path / "b")
    for k in a:
        assert a[k].read_bytes() == b[k].read_bytes()


def test_bad_input_is_named(tmp_path):
    with pytest.raises(ValueError, match="summary.*2022-02-03"):
        render_report(DAY, {**_data(), "summary": {"date": "2022-02-03"}}, tmp_path)
    with pytest.raises(ValueError, match="coverage"):
        render_report(DAY, {**_data(), "coverage": "not a list"}, tmp_path)
    with pytest.raises(ValueError, match="articles"):
        render_report(DAY, {**_data(), "articles": [1, 2]}, tmp_path)
    with pytest.raises(TypeError, match="day"):
        render_report("2022-02-02", _data(), tmp_path)
    assert not (tmp_path / "2022-02-03").exists()


def test_datetime_values_from_the_store(tmp_path):
    from datetime import datetime, timedelta, timezone

    data = _data()
    wib = timezone(timedelta(hours=7))
    data["articles"][0]["published_at"] = datetime(2022, 2, 2, 5, 15, tzinfo=timezone.utc)
    data["stories"][0]["first_published_at"] = datetime(2022, 2, 2, 12, 15, tzinfo=wib)
    data["coverage"][2]["mean_topic_sentiment"] = 0.45  # preferred over mean_sentiment in the topic cell
    paths = render_report(DAY, data, tmp_path)
    text = paths["html"].read_text(encoding="utf-8")
    assert ">05:15 UTC<" in text and ">12:15 +07:00<" in text and "+0.45" in text
    arts = _read_csv(paths["articles"])
    assert arts[0]["published_at"] == "2022-02-02T05:15:00+00:00"
    cov = _read_csv(paths["coverage"])
    assert list(cov[0])[-1] == "mean_topic_sentiment" and cov[2]["mean_topic_sentiment"] == "0.45"


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_files_get_the_mode_a_plain_open_would_create(tmp_path, umask, mode):
    """Reports are served by web servers / read by other users: not mkstemp's 0600."""
    import os
    import stat

    old = os.umask(umask)
    try:
        paths = render_report(DAY, _data(), tmp_path)
        paths_again = render_report(DAY, _data(), tmp_path)  # overwrite keeps the mode too
    finally:
        os.umask(old)
    assert {"html", "coverage", "articles", "stories", "sentiment", "markdown", "articles_parquet"} <= set(paths)
    assert paths == paths_again
    for p in paths.values():
        assert stat.S_IMODE(p.stat().st_mode) == mode, p.name
