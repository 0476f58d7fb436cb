"""The report in a real browser: headless Chromium (Debian's ``chromium``, installed by the test set-up
when absent) renders ``index.html`` over CDP. The charts drew (non-empty SVG in the rendered DOM,
with a visible size), nothing logged an error (console, exceptions, CSP), and untrusted text stays
inert: a topic name and an article title holding ``<script>``/``onerror`` markup, and a
``javascript:`` article URL, run nothing and give no clickable script link.

The full-page screenshot is saved as ``test-output/report.png`` under the repository (git-ignored).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from browser import Browser, find_chromium
from conftest import ROOT
from mediamon import stages
from reportdb import make_config

EVIL_TOPIC = '<script>document.title="pwned-topic"</script><img src=x onerror="document.title=\'pwned-img\'">'
SCREENSHOT = ROOT / "test-output" / "report.png"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    exe = find_chromium()
    tmp = tmp_path_factory.mktemp("browser")
    cdir = make_config(tmp, topic_names={"ukraine": EVIL_TOPIC})
    out = stages.build_report(date(2022, 2, 2).isoformat(), str(cdir), alerts=False)
    b = Browser(exe, tmp)
    try:
        b.load(Path(out["files"]["html"]).resolve().as_uri())
        yield b, out
    finally:
        b.close()


def test_charts_drew(page):
    b, _ = page
    charts = b.evaluate("""Array.from(document.querySelectorAll('svg.chart')).map(s => {
        const r = s.getBoundingClientRect();
        return {section: s.closest('section').id, width: r.width, height: r.height,
                paths: s.querySelectorAll('path').length, texts: s.querySelectorAll('text').length,
                label: s.getAttribute('aria-label')};
    })""")
    assert [c["section"] for c in charts] == ["volume", "topic-sentiment", "share-of-voice"]
    for c in charts:
        assert c["width"] > 200 and c["height"] > 50, c
        assert c["paths"] > 5 and c["texts"] > 3, c
    # the spike marker: a red triangle path in the volume chart
    assert b.evaluate("document.querySelectorAll('section#volume svg [style*=\"#d64545\"]').length") >= 1


def test_no_console_errors(page):
    b, _ = page
    assert b.errors() == []


def test_untrusted_text_stays_inert(page):
    b, _ = page
    assert b.evaluate("document.title") == "Daily coverage report — 2 February 2022 · mediamon"
    assert b.evaluate("document.querySelectorAll('script').length") == 0
    assert b.evaluate("document.querySelectorAll('img').length") == 0
    hrefs = b.evaluate("Array.from(document.links).map(a => a.protocol)")
    assert hrefs and set(hrefs) <= {"http:", "https:"}
    text = b.evaluate("document.body.innerText")
    assert 'Floods <script>alert("x")</script>' in text  # shown as text
    assert "javascript:alert(1) (link withheld: not http/https)" in text
    assert EVIL_TOPIC in text  # the topic name, in the tables, as text
    # the topic name inside the chart SVG is a text node too
    assert b.evaluate("Array.from(document.querySelectorAll('svg.chart text')).some(t => t.textContent.includes('<script>'))")


def test_screenshot_saved(page):
    b, _ = page
    b.screenshot(SCREENSHOT)
    data = SCREENSHOT.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
