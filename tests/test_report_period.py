"""The report over a seeded multi-week database: index.html sections and charts, exports (CSV, Parquet,
summary.md), reproducibility, the range report, the 11,000-article day, and alerts sent to a real
local SMTP server and HTTP endpoint and recorded so they fire once."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from lxml import html as lxml_html

from alertservers import SmtpSink, WebhookSink
from mediamon import stages
from mediamon.cli import main
from mediamon.report.markdown import md_escape, md_link
from reportdb import make_config

DAY = date(2022, 2, 2)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("period")
    cdir = make_config(tmp, settings={"report": {"max_articles": 5}})
    out = stages.build_report(DAY.isoformat(), str(cdir))
    return tmp, cdir, out


def _doc(out):
    text = Path(out["files"]["html"]).read_text(encoding="utf-8")
    return text, lxml_html.fromstring(text)


def test_index_has_charts_and_tables(built):
    tmp, _, out = built
    assert Path(out["files"]["html"]) == tmp / "reports" / "2022-02-02" / "index.html"
    text, doc = _doc(out)
    for sec in ("volume", "topic-sentiment", "share-of-voice"):
        svg = doc.xpath(f"//section[@id='{sec}']//*[local-name()='svg']")
        assert len(svg) == 1, sec
        assert len(svg[0].xpath(".//*[local-name()='path']")) > 5, sec  # something was drawn
        assert doc.xpath(f"//section[@id='{sec}']//details/table|//section[@id='{sec}']//details//table"), sec  # fallback
    # the volume table: 30 days, the banjir spike on the report day is marked
    rows = doc.xpath("//section[@id='volume']//details//tbody/tr")
    assert len(rows) == 30 and rows[0].xpath("td")[0].text == "2022-01-04" and rows[-1].xpath("td")[0].text == "2022-02-02"
    heads = [th.text for th in doc.xpath("//section[@id='volume']//details//thead//th")]
    assert heads[:2] == ["Day", "Banjir"]
    assert rows[-1].xpath("td")[1].text_content().strip() == "14 ▲" and "spike" in rows[-1].xpath("td")[1].get("class")
    assert rows[-2].xpath("td")[1].text_content().strip() == "3"
    banner = doc.xpath("//div[@id='attention']")[0].text_content()
    assert "Banjir: 14 articles on 2022-02-02" in banner and "Jakarta Daily Ledger" in banner and "Warta Harian" in banner
    # svg ids are unique on the page (each chart's ids carry its key)
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_top_stories_outlets_and_data_quality(built):
    _, _, out = built
    _, doc = _doc(out)
    first = doc.xpath("//section[@id='top-stories']//tbody/tr")[0]
    cells = [td.text_content() for td in first.xpath("td")]
    assert cells[0] == "Banjir" and "Kabar kawat 2022-02-02: banjir rob di pesisir" in cells[1]
    assert first.xpath(".//a/@href") == ["https://news.example/kabar/2022/02/02/900.html"]
    assert "2×" in cells[2] and cells[3].strip() == "2" and "ANTARA" in cells[5]
    outlets = {tr.xpath("td")[0].text: [td.text for td in tr.xpath("td")[1:]] for tr in doc.xpath("//section[@id='outlets']/div/table/tbody/tr")}
    assert outlets["Kabar Nusantara"][:4] == ["11", "11", "11", "0"] and outlets["Warta Harian"][:4] == ["10", "10", "9", "1"]
    assert outlets["Jakarta Daily Ledger"][0] == "0"  # an outlet that published nothing is listed, not dropped
    health = {tr.xpath("td")[0].text: tr for tr in doc.xpath("//section[@id='data-quality']//tbody/tr")}
    assert "silent" in health["Jakarta Daily Ledger"].text_content()
    assert "error rate" in health["Warta Harian"].text_content() and "67%" in health["Warta Harian"].text_content()
    assert "silent" not in health["Kabar Nusantara"].text_content()


def test_article_list_is_capped_and_exports_hold_everything(built):
    tmp, _, out = built
    text, doc = _doc(out)
    rows = doc.xpath("//section[@id='articles']//tbody/tr")
    assert len(rows) == 5
    assert "top 5 of 21" in doc.xpath("//section[@id='articles']/h2")[0].text_content()
    # most prominent first: the two-copy wire story leads
    assert "Kabar kawat" in rows[0].text_content() and "2×" in rows[0].text_content()
    files = out["files"]
    with open(files["articles"], encoding="utf-8", newline="") as f:
        arts = list(csv.DictReader(f))
    assert len(arts) == 21
    import pyarrow.parquet as pq

    t = pq.read_table(files["articles_parquet"])
    assert t.num_rows == 21 and t.column("article_id").to_pylist() == [a["article_id"] for a in arts]
    evil = [a for a in t.to_pylist() if a["url"] == "javascript:alert(1)"]
    assert len(evil) == 1 and evil[0]["title"].startswith("Floods <script>")  # raw in the export
    trends = pq.read_table(files["trends_parquet"]).to_pylist()
    spike = next(r for r in trends if r["topic_id"] == "banjir" and str(r["day"]) == "2022-02-02")
    assert spike["articles"] == 14 and spike["baseline"] == 3 and spike["spike_score"] == 6.351 and spike["is_spike"] is True
    health = {r["source_id"]: r for r in pq.read_table(files["source_health_parquet"]).to_pylist()}
    assert health["ledger"]["silent"] is True and health["ledger"]["empty_feed"] is True
    assert health["warta"]["error_rate"] == 0.6667 and health["warta"]["requests"] == 12
    md = Path(files["markdown"]).read_text(encoding="utf-8")
    assert md.startswith("# Daily coverage report — 2 February 2022\n")
    assert "**21 articles** from 2 outlets" in md and "**Spikes:** Banjir 14 articles" in md
    assert "| Banjir | 14 | 82% | 4 / 3 / 7 |" in md
    assert ("- Banjir: [Kabar kawat 2022-02-02: banjir rob di pesisir](https://news.example/kabar/2022/02/02/900.html): "
            "2 placements in 2 outlets (first: Kabar Nusantara, ANTARA)\n") in md
    assert sum(1 for line in md.splitlines() if line.startswith("- ")) == 3  # the top story of each topic
    assert "silent: Jakarta Daily Ledger; empty feeds: Jakarta Daily Ledger; high error rate: Warta Harian" in md


def test_untrusted_text_is_inert(built):
    _, _, out = built
    text, doc = _doc(out)
    assert doc.xpath("//script") == [] and doc.xpath("//*[@onerror]") == [] and doc.xpath("//img") == []
    assert all(h.startswith(("http://", "https://", "#")) or h == "index.html" for h in doc.xpath("//@href"))
    assert md_escape('Floods <script>alert("x")</script> [a](javascript:x)') == \
        'Floods \\<script\\>alert\\("x"\\)\\</script\\> \\[a\\]\\(javascript:x\\)'
    assert md_link("t", "javascript:alert(1)") == "t"
    assert md_link("t", "https://e.example/a_(b)") == "[t](https://e.example/a_%28b%29)"


def test_rebuilding_a_past_day_gives_identical_files(built):
    tmp, cdir, out = built
    before = {k: Path(p).read_bytes() for k, p in out["files"].items()}
    again = stages.build_report(DAY.isoformat(), str(cdir))
    assert again["alerts"] == []  # already recorded by the first build
    assert set(again["files"]) == set(before)
    for k, p in again["files"].items():
        assert Path(p).read_bytes() == before[k], k


def test_range_report_from_the_cli(built, capsys):
    tmp, cdir, _ = built
    assert main(["--config", str(cdir), "report", "--from", "2022-01-27", "--to", "2022-02-02"]) == 0
    target = tmp / "reports" / "2022-01-27--2022-02-02"
    assert f"report: {target / 'index.html'}" in capsys.readouterr().out
    doc = lxml_html.fromstring((target / "index.html").read_text(encoding="utf-8"))
    assert "2 February 2022" in doc.xpath("//h1")[0].text_content() and "27 January 2022" in doc.xpath("//h1")[0].text_content()
    with open(target / "topics.csv", encoding="utf-8", newline="") as f:
        topics = {r["topic_id"]: int(r["articles"]) for r in csv.DictReader(f)}
    assert topics == {"banjir": 14 + 6 * 3, "ukraine": 7 * 2, "ekonomi": 6 * 2 + 1}
    assert main(["--config", str(cdir), "report", "--from", "2022-02-02"]) == 2
    assert main(["--config", str(cdir), "report", "--date", "2022-02-02", "--from", "2022-02-01", "--to", "2022-02-02"]) == 2
    assert main(["--config", str(cdir), "report", "--from", "2022-02-03", "--to", "2022-02-02"]) == 2
    assert "before --from" in capsys.readouterr().err


def test_html_stays_small_on_an_11000_article_day(tmp_path):
    cdir = make_config(tmp_path, last_day=11_000)
    out = stages.build_report(DAY.isoformat(), str(cdir), alerts=False)
    size = Path(out["files"]["html"]).stat().st_size
    print(f"index.html on a {out['summary']['articles']}-article day: {size} bytes")
    assert out["summary"]["articles"] > 11_000
    assert size < 2_000_000
    with open(out["files"]["articles"], encoding="utf-8", newline="") as f:
        assert sum(1 for _ in csv.DictReader(f)) == out["summary"]["articles"]


def test_alerts_go_to_email_and_webhook_once(tmp_path):
    with SmtpSink() as smtp, WebhookSink() as hook:
        cdir = make_config(tmp_path, settings={"alerts": {
            "email": {"host": "127.0.0.1", "port": smtp.port, "security": "none", "sender": "mm@example.org",
                      "to": ["desk@example.org"]},
            "webhook": {"url": hook.url},
            "rules": [{"id": "spikes", "kind": "spike", "min_score": 5},
                      {"id": "quiet", "kind": "silent_source"},
                      {"id": "errors", "kind": "error_rate", "max_rate": 0.9},  # warta is at 8/12: no alert
                      {"id": "feeds", "kind": "empty_feed"}]}})
        out = stages.build_report(DAY.isoformat(), str(cdir))
        assert [(a["rule"], a["subject"], a["channels"]) for a in out["alerts"]] == [
            ("spikes", "banjir", ["log", "email", "webhook"]), ("quiet", "ledger", ["log", "email", "webhook"]),
            ("feeds", "ledger", ["log", "email", "webhook"])]
        again = stages.build_report(DAY.isoformat(), str(cdir))
        assert again["alerts"] == []
    assert sorted(m["Subject"] for m in smtp.messages) == [
        "[mediamon] Empty feed: Jakarta Daily Ledger on 2022-02-02",
        "[mediamon] Silent source: Jakarta Daily Ledger published nothing on 2022-02-02",
        "[mediamon] Spike: Banjir: 14 articles on 2022-02-02"]
    docs = [json.loads(b) for _, _, b in hook.requests]
    assert len(docs) == 3
    spike = next(d for d in docs if d["payload"]["rule"] == "spikes")
    assert spike["payload"] == {"rule": "spikes", "kind": "spike", "subject": "banjir", "day": "2022-02-02",
                                "topic": "Banjir", "articles": 14, "baseline": 3.0, "spike_score": 6.351}
    con = duckdb.connect(str(tmp_path / "data" / "mediamon.duckdb"), read_only=True)
    rows = con.execute("SELECT rule_id, subject, CAST(day AS VARCHAR), kind, channels FROM alerts ORDER BY 1").fetchall()
    con.close()
    assert rows == [("feeds", "ledger", "2022-02-02", "empty_feed", ["log", "email", "webhook"]),
                    ("quiet", "ledger", "2022-02-02", "silent_source", ["log", "email", "webhook"]),
                    ("spikes", "banjir", "2022-02-02", "spike", ["log", "email", "webhook"])]


def test_silent_source_alert_waits_for_the_day_to_end(tmp_path):
    """An asset-triggered run reports on today so far: a spike, an empty feed or failing fetches are
    real already, an outlet that has published nothing yet is not silent yet."""
    from datetime import datetime, timezone

    from mediamon.config import load_config
    from mediamon.runtime import build_runtime

    class NoonOfTheReportDay:  # the Clock port: 12:00 WIB on 2022-02-02
        def now(self):
            return datetime(2022, 2, 2, 5, 0, tzinfo=timezone.utc)

    cdir = make_config(tmp_path)
    rt = build_runtime(load_config(cdir), clock=NoonOfTheReportDay())
    out = stages.build_report(DAY.isoformat(), str(cdir), runtime=rt)
    assert [a["rule"] for a in out["alerts"]] == ["topic-spike", "empty-feed", "fetch-errors"]
    later = stages.build_report(DAY.isoformat(), str(cdir))  # the completed day's run (system clock: years later)
    assert [(a["rule"], a["subject"]) for a in later["alerts"]] == [("silent-source", "ledger")]


def test_a_report_day_in_the_future_is_refused_before_anything_is_written(tmp_path, capsys):
    """A mistyped year (2030 for 2020) must not build empty analytics rows for days to come."""
    import yaml

    from mediamon.cli import main

    cdir = tmp_path / "config"
    cdir.mkdir()
    (cdir / "sources.yaml").write_text(yaml.safe_dump({"sources": [{"id": "kota", "name": "Kota", "homepage": "https://k.example/",
                                                                     "language": "id", "feeds": ["https://k.example/rss"]}]}))
    (cdir / "settings.yaml").write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "db_path": str(tmp_path / "data" / "m.duckdb"),
                                                        "reports_dir": str(tmp_path / "reports")}))
    assert main(["--config", str(cdir), "report", "--date", "2099-01-01"]) == 2
    assert "2099-01-01 is in the future" in capsys.readouterr().err
    assert main(["--config", str(cdir), "report", "--from", "2098-12-30", "--to", "2099-01-01"]) == 2
    assert "--to 2099-01-01 is in the future" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists() and not (tmp_path / "data" / "m.duckdb").exists()
