"""Source health: the discover stage records per-poll feed entries and their overlap with earlier
polls in fetch_log; daily_source_stats / source_health turn them into empty-feed and rotated-feed
flags, and flag a silent outlet from the configured sources x calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from doubles import FixedClock, MemoryStaging
from localsite import Site
from mediamon import stages, store
from mediamon.runtime import build_runtime
from test_pipeline import config, q

T0 = datetime(2022, 2, 2, 6, 0, tzinfo=timezone.utc)


@pytest.fixture()
def site():
    s = Site()
    yield s
    s.close()


def _rss(site: Site, names: list[str]) -> tuple[int, bytes, str]:
    items = "".join(f"<item><title>{n}</title><link>{site.base}/{n}.html</link></item>" for n in names)
    return 200, f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode(), "application/rss+xml"


def test_feed_polls_record_entries_overlap_and_flags(site, tmp_path):
    site.routes["/broken.xml"] = (404, b"gone", "text/plain")
    cdir = config(tmp_path, site)
    clock = FixedClock(T0)
    rt = build_runtime(stages.load_config(cdir), clock=clock, staging=MemoryStaging())
    polls = [["a", "b"], ["b", "c"], ["d", "e"], []]  # first poll, overlap 1, rotated completely, empty feed
    for i, names in enumerate(polls):
        site.routes["/rss.xml"] = _rss(site, names)
        clock.set(T0 + timedelta(days=i))
        run = f"run{i}"
        disc = [stages.discover(s.id, run, force=True, runtime=rt) for s in rt.config.sources]
        stages.load(run, discovered=disc, runtime=rt)
    # the fetcher stamps real (UTC) times: every poll of this test falls on today or so
    rows = q(tmp_path, "SELECT items, items_overlap FROM fetch_log WHERE kind = 'feed' AND url LIKE '%/rss.xml' ORDER BY fetched_at")
    assert rows == [(2, None), (2, 1), (2, 0), (0, 0)]
    # the 404 feed: a poll and a fetch error each run, no entries
    assert q(tmp_path, "SELECT count(*), count(items) FROM fetch_log WHERE url LIKE '%/broken.xml'") == [(4, 0)]
    (first, last), = q(tmp_path, "SELECT min(CAST(fetched_at AS DATE)), max(CAST(fetched_at AS DATE)) FROM fetch_log")

    with store.connect(tmp_path / "data" / "m.duckdb") as con:
        store.upsert_sources(con, rt.config.sources)
        assert store.build_source_stats(con, first, last, "UTC") == (last - first).days + 1  # 1 source x the days
        h = store.as_rows(store.source_health(con, first, last))
    tot = {k: sum(r[k] for r in h) for k in ("feed_polls", "feed_items", "fetch_errors", "empty_feed_polls", "rotated_feed_polls")}
    assert tot == {"feed_polls": 8, "feed_items": 6, "fetch_errors": 4, "empty_feed_polls": 1, "rotated_feed_polls": 1}
    assert any(r["feed_rotated"] for r in h) and any(r["empty_feed"] for r in h)
    assert sum(r["feed_polls"] + r["article_fetches"] for r in h) == 8 and h[-1]["error_rate"] == pytest.approx(0.5)
    assert all(not r["silent"] for r in h)  # no article ever: the baseline is 0, nothing to miss


def test_silent_outlet_without_any_row_that_day_is_flagged(site, tmp_path):
    """An outlet that published daily and then nothing at all (no fetch_log row, no article) still
    has a source_health row for the day, flagged silent; a quiet outlet with a 0 baseline is not."""
    cdir = config(tmp_path, site, extra_sources=[
        {"id": "sepi", "name": "Sepi", "homepage": f"{site.base}/sepi/", "language": "id", "feeds": [f"{site.base}/sepi.xml"]}])
    cfg = stages.load_config(cdir)
    with store.connect(tmp_path / "data" / "m.duckdb") as con:
        store.upsert_sources(con, cfg.sources)
        arts = []
        for i in range(10):  # kota publishes two articles a day for 10 days, then nothing on day 11
            day = date(2022, 2, 1) + timedelta(days=i)
            for k in range(2):
                url = f"{site.base}/{i}-{k}.html"
                arts.append({"canonical_url": url, "url": url, "source_id": "kota", "title": "t", "text": f"teks {i} {k}",
                             "day": day, "fetched_at": datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(hours=9),
                             "content_hash": f"{i}-{k}", "extractor_version": "t"})
        store.upsert_articles(con, arts)
        store.build_source_stats(con, date(2022, 2, 1), date(2022, 2, 11))
        h = {(r["day"], r["source_id"]): r for r in store.as_rows(store.source_health(con, date(2022, 2, 10), date(2022, 2, 11)))}
    assert h[(date(2022, 2, 10), "kota")]["silent"] is False and h[(date(2022, 2, 10), "kota")]["articles_stored"] == 2
    assert h[(date(2022, 2, 11), "kota")]["silent"] is True and h[(date(2022, 2, 11), "kota")]["baseline_articles"] == 2
    assert h[(date(2022, 2, 11), "sepi")]["silent"] is False and h[(date(2022, 2, 11), "sepi")]["baseline_days"] == 10
