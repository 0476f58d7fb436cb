"""Tests for mediamon.util.dates: the one date-parsing module (ISO 8601, RFC 822, feeds, text, range)."""

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mediamon.util.dates import (date_span, parse_date_text, parse_feed_date, parse_http_date, parse_iso, parse_loose,
                                 plausible_date, to_utc)

UTC = timezone.utc
WIB = timezone(timedelta(hours=7))
PLUGINS = Path(__file__).resolve().parents[1] / "plugins" / "mediamon"


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05T10:00:00Z", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
    ("2024-03-05T17:00:00+07:00", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
    ("2024-03-05 10:00", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),  # naive = UTC
    (" 2024-03-05 ", datetime(2024, 3, 5, tzinfo=UTC)),
    (datetime(2024, 3, 5, 17, 0, tzinfo=WIB), datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
    (datetime(2024, 3, 5, 10, 0), datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
    (None, None), ("", None), ("yesterday", None),
    ("0001-01-01T00:00:00+01:00", None),  # year 0 in UTC: out of range, not an exception
])
def test_to_utc(value, expected):
    got = to_utc(value)
    assert got == expected
    if got is not None:
        assert got.utcoffset() == timedelta(0)


def test_parse_iso_takes_strings_only():
    assert parse_iso("2024-03-05T10:00:00Z") == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    assert parse_iso(datetime(2024, 3, 5)) is None and parse_iso(None) is None and parse_iso("5 Maret 2024") is None


@pytest.mark.parametrize("value, expected", [
    ("Tue, 05 Mar 2024 10:00:00 GMT", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
    ("Tue, 05 Mar 2024 17:00:00 +0700", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
    ("05 Mar 2024 10:00:00", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),  # no zone = UTC
    ("not a date", None), ("", None), (None, None),
])
def test_parse_http_date(value, expected):
    assert parse_http_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05T17:00:00+07:00", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),   # W3C datetime (sitemaps, Atom)
    ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
    ("Tue, 05 Mar 2024 17:00:00 +0700", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),  # RSS pubDate
    (time.struct_time((2024, 3, 5, 10, 0, 0, 1, 65, 0)), datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),  # feedparser
    (time.struct_time((2024, 2, 30, 10, 0, 0, 1, 65, 0)), None),
    ("garbage", None), ("", None), (None, None),
])
def test_parse_feed_date(value, expected):
    assert parse_feed_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("2015-11-05 10:08:00+0700", datetime(2015, 11, 5, 10, 8, tzinfo=WIB)),   # space for T, offset without colon
    ("2015-11-05T10:08:00Z", datetime(2015, 11, 5, 10, 8, tzinfo=UTC)),
    ("2015-11-05T10:08:00", datetime(2015, 11, 5, 10, 8)),                     # naive stays naive
    ("Kamis, 05 November 2015 10:08 WIB", datetime(2015, 11, 5, 10, 8, tzinfo=WIB)),  # text fallback
    ("", None), ("  ", None), ("soon", None),
])
def test_parse_loose_keeps_the_given_offset(value, expected):
    got = parse_loose(value)
    assert got == expected
    if got is not None:
        assert got.utcoffset() == (expected.utcoffset())


def test_parse_date_text_and_date_span():
    assert parse_date_text("Diperbarui Selasa, 16 Jun 2015, 14:05 WIB oleh Redaksi") == (datetime(2015, 6, 16, 14, 5, tzinfo=WIB), True)
    assert parse_date_text("5 Mar 1989") is None  # before 1990: not a news date
    line = "Jakarta - Kamis, 05/11/2015 10:08 WIB"
    start, end = date_span(line)
    assert line[start:end].startswith("Kamis, 05/11/2015 10:08") and date_span("no date here") is None


def test_plausible_date_range():
    fetched = datetime(2025, 1, 1, tzinfo=UTC)
    assert plausible_date("1990-01-01T00:00:00Z", fetched) and plausible_date(fetched + timedelta(days=1), fetched)
    assert not plausible_date("1989-12-31T23:59:59Z", fetched)
    assert not plausible_date(fetched + timedelta(days=1, seconds=1), fetched)
    assert not plausible_date("0001-01-01T00:00:00Z", fetched) and not plausible_date("9999-12-31T23:59:59-05:00", fetched)
    assert not plausible_date(None, fetched) and not plausible_date("junk", fetched)


def test_extract_package_parses_dates_only_through_util_dates():
    # issue 9: one date-parsing module. The extraction package calls no parser of its own.
    offenders = [f"{p.relative_to(PLUGINS)}: {needle}" for p in sorted((PLUGINS / "extract").glob("*.py"))
                 for needle in ("fromisoformat(", "parsedate", "strptime(") if needle in p.read_text(encoding="utf-8")]
    assert offenders == []


WITA, WIT = timezone(timedelta(hours=8)), timezone(timedelta(hours=9))


@pytest.mark.parametrize("text, expected", [
    ("2019-09-28WIB19:17:34+07:00", datetime(2019, 9, 28, 19, 17, 34, tzinfo=WIB)),  # zone word between date and time
    ("2019-09-28WITA19:17:34", datetime(2019, 9, 28, 19, 17, 34, tzinfo=WITA)),
    ("2019-09-28 WIT 19:17", datetime(2019, 9, 28, 19, 17, tzinfo=WIT)),
    ("28/09/2019 WITA 19:17", datetime(2019, 9, 28, 19, 17, tzinfo=WITA)),
])
def test_zone_word_between_date_and_time_is_not_midnight(text, expected):
    got, has_time = parse_date_text(text)
    assert has_time and got == expected and got.utcoffset() == expected.utcoffset()
    assert parse_loose(text) == expected


def test_zone_table_and_zone_word_boundary():
    assert parse_date_text("3 Juni 2019 08:00 WIB")[0].utcoffset() == timedelta(hours=7)
    assert parse_date_text("3 Juni 2019 08:00 WITA")[0].utcoffset() == timedelta(hours=8)
    assert parse_date_text("3 Juni 2019 08:00 WIT")[0].utcoffset() == timedelta(hours=9)
    # 'within' is not the zone WIT
    assert parse_date_text("3 Juni 2019 08:00 within the hour") == (datetime(2019, 6, 3, 8, 0), True)


@pytest.mark.parametrize("text, month", [
    ("17 Ag 2019", 8), ("17 Agu 2019", 8), ("17 Agt 2019", 8), ("17 Agustus 2019", 8), ("1 Jan 2020", 1),
    ("1 Feb 2020", 2), ("1 Mar 2020", 3), ("1 Apr 2020", 4), ("1 Mei 2020", 5), ("1 Jun 2020", 6), ("1 Jul 2020", 7),
    ("1 Sep 2020", 9), ("1 Sept 2020", 9), ("1 Okt 2020", 10), ("1 Nov 2020", 11), ("1 Des 2020", 12),
])
def test_indonesian_month_abbreviations(text, month):
    got, has_time = parse_date_text(text)
    assert got.month == month and not has_time
