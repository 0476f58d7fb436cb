"""The one date-parsing module: ISO 8601, RFC 822 / feed dates, visible text dates, plausible range.

Every stage reads dates through these functions, so "what is a date" is decided once:

- :func:`parse_iso` / :func:`to_utc`: ISO 8601 (``Z`` accepted; naive = UTC) -> aware UTC datetime.
- :func:`parse_feed_date`: W3C datetime, RFC 822 (RSS ``pubDate``, HTTP dates) or a
  feedparser ``struct_time`` -> aware UTC datetime.
- :func:`parse_http_date`: RFC 822 / RFC 9110 HTTP-date -> aware UTC datetime.
- :func:`parse_date_text`: the first date in visible page text (Indonesian, Malay and English
  month names, day-first numeric dates, zones WIB/WITA/WIT and common abbreviations).
- :func:`parse_loose`: an ISO-like metadata value as pages write it (``+0700``, a space for
  ``T``), falling back to :func:`parse_date_text`; keeps the given offset (naive when none).
- :func:`plausible_date`: the range check (not before 1990, not after fetch time + 1 day).

Nothing here raises on bad input: unparsable values give None (or False). Imports nothing
from mediamon.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = [
    "EARLIEST_PLAUSIBLE_DATE", "FUTURE_TOLERANCE", "DATE_PATTERNS", "date_span", "parse_date_text", "parse_feed_date",
    "parse_http_date", "parse_iso", "parse_loose", "plausible_date", "to_utc",
]


# ----------------------------------------------------------------------------- ISO 8601 / RFC 822


def to_utc(value: Any) -> datetime | None:
    """datetime or ISO 8601 string -> aware UTC datetime (naive = UTC; ``Z`` accepted).

    None, ``''``, an unparsable string, or a value out of range once converted (e.g. year 1
    at a positive offset, which is year 0 in UTC) gives None. Never raises."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        d = value
    else:
        try:
            d = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    try:
        return d.replace(tzinfo=timezone.utc) if d.tzinfo is None else d.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


def parse_iso(value: str | None) -> datetime | None:
    """ISO 8601 string -> aware UTC datetime, or None (empty/unparsable/out of range).

    Accepts what :meth:`datetime.fromisoformat` accepts plus a ``Z`` suffix; a value without
    an offset is taken as UTC. Never raises."""
    if not isinstance(value, str):
        return None
    return to_utc(value)


def parse_http_date(value: str | None) -> datetime | None:
    """RFC 822 / RFC 9110 HTTP-date (``'Wed, 21 Oct 2015 07:28:00 GMT'``) -> aware UTC
    datetime, or None when empty or unparsable (no zone = UTC). Never raises."""
    if not value or not isinstance(value, str):
        return None
    try:
        d = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return to_utc(d)


def parse_feed_date(value: Any) -> datetime | None:
    """A feed or sitemap date -> aware UTC datetime, or None.

    ``value``: a W3C datetime / ISO 8601 string (``Z`` accepted), an RFC 822 date (RSS
    ``pubDate``), or a ``time.struct_time`` (feedparser's ``*_parsed``, taken as UTC).
    Naive values are UTC. None/``''``/unparsable/out of range gives None. Never raises."""
    if value is None or value == "":
        return None
    if hasattr(value, "tm_year"):
        try:
            return datetime(*value[:6], tzinfo=timezone.utc)
        except (ValueError, TypeError):
            return None
    s = str(value).strip()
    try:
        return to_utc(datetime.fromisoformat(s.replace("Z", "+00:00")))
    except ValueError:
        return parse_http_date(s)


# ----------------------------------------------------------------------------- plausible range

#: Publication/modification dates before this are placeholders, not dates (e.g. Go's zero time
#: ``0001-01-01T00:00:00Z`` in JSON-LD): online news predates nothing earlier.
EARLIEST_PLAUSIBLE_DATE = datetime(1990, 1, 1, tzinfo=timezone.utc)
#: Dates later than the fetch time by more than this are implausible (clock skew and zone
#: mistakes stay well within a day).
FUTURE_TOLERANCE = timedelta(days=1)


def plausible_date(value: datetime | str | None, fetched_at: datetime) -> bool:
    """True when ``value`` lies in ``[EARLIEST_PLAUSIBLE_DATE, fetched_at + FUTURE_TOLERANCE]``.

    ``value``: a datetime or an ISO 8601 string (naive = UTC); ``fetched_at``: the fetch time
    (aware, or naive = UTC). None, an unparsable string or a date whose arithmetic would
    overflow (years 1 or 9999 with an offset) gives False. Never raises."""
    if value is None:
        return False
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return False
    if not isinstance(value, datetime):
        return False
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    if value.year < EARLIEST_PLAUSIBLE_DATE.year or value.year > 9000:
        return False  # decided on the wall-clock year: no offset arithmetic near the datetime range ends
    try:
        return EARLIEST_PLAUSIBLE_DATE <= value <= fetched_at + FUTURE_TOLERANCE
    except (OverflowError, ValueError):
        return False


# ----------------------------------------------------------------------------- text dates

MONTHS = {
    # Indonesian full and common abbreviations (incl. old spellings Peb/Pebruari, Mrt, Agu, Nop/Nopember)
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "ag": 8, "agu": 8, "agt": 8,
    "agus": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nopember": 11,
    "nov": 11, "nop": 11, "desember": 12, "des": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "aug": 8,
    "october": 10, "oct": 10, "december": 12, "dec": 12,
    # Malay
    "mac": 3, "julai": 7, "ogos": 8, "disember": 12,
}
#: Zone abbreviation -> UTC offset in hours (WIB +7, WITA +8, WIT +9).
TZ_OFFSETS = {
    "wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "z": 0, "myt": 8, "sgt": 8,
    "est": -5, "edt": -4, "et": -5, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "bst": 1, "cet": 1, "cest": 2, "ist": 5.5, "jst": 9, "aest": 10, "aedt": 11,
}
_WEEKDAY = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
#: A zone word written between the date and the time (``2019-09-28WIB19:17:34+07:00``).
_TZ0 = r"(?:[\s,]{0,2}(?P<tz0>wib|wita|wit)(?![a-z]))?"
_TIME = r"[\s,|\-]{0,4}(?:(?:pukul|jam|at)\s{1,3})?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?\s*(?:(?P<tz>wib|wita|wit|utc|gmt|myt|sgt|e[sd]t|et|[cmp][sd]t|bst|cest|cet|ist|jst|aest|aedt)(?![a-z]))?(?:\s*(?P<off>[+\-−]\s?\d{1,2}(?::?\d{2})?))?"
DATE_PATTERNS = [
    # 2 Februari 2022, 12:15 WIB / Selasa 16 Jun 2015, 14:05 WIB / 19 Juni 2015 12:58
    re.compile(r"(?:" + _WEEKDAY + r"\.?,?\s*)?\b(?P<d>\d{1,2})\s+(?P<mon>" + _MONTH_ALT + r")\.?,?\s+(?P<y>\d{4})(?:" + _TIME + r")?", re.I),
    # June 5, 2015 10:00 AM
    re.compile(r"(?:" + _WEEKDAY + r"\.?,?\s*)?\b(?P<mon>" + _MONTH_ALT + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?:" + _TIME + r")?", re.I),
    # Kamis, 05/11/2015 10:08 WIB / Rabu (4/11/2015) (day first: Indonesian convention)
    re.compile(r"(?:" + _WEEKDAY + r"\.?,?\s*\(?\s*)?\b(?P<d>\d{1,2})[/\-.](?P<m>\d{1,2})[/\-.](?P<y>\d{4})\)?" + _TZ0 + r"(?:" + _TIME + r")?", re.I),
    # 2015-11-05 10:08
    re.compile(r"\b(?P<y>\d{4})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})(?![\d])" + _TZ0 + r"(?:T|\s|,)*(?:" + _TIME + r")?", re.I),
]


def _mk_dt(y, mo, d, H=None, M=None, S=None, ampm=None, tz=None, off=None, default_tz=None):
    y, mo, d = int(y), int(mo), int(d)
    if not (1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None, False
    has_time = H is not None
    h, mi, s = (int(H), int(M), int(S or 0)) if has_time else (0, 0, 0)
    if ampm:
        a = ampm.lower().replace(".", "")
        if a == "pm" and h < 12:
            h += 12
        elif a == "am" and h == 12:
            h = 0
    if h > 23 or mi > 59 or s > 59:
        return None, False
    tzinfo = None
    if off:
        o = off.replace("−", "-").replace(" ", "")
        sign = -1 if o[0] == "-" else 1
        o = o[1:].replace(":", "")
        hh, mm = (int(o[:-2] or 0), int(o[-2:])) if len(o) > 2 else (int(o), 0)
        tzinfo = timezone(sign * timedelta(hours=hh, minutes=mm))
    elif tz:
        tzinfo = timezone(timedelta(hours=TZ_OFFSETS[tz.lower()]))
    elif default_tz is not None:
        tzinfo = default_tz
    try:
        dt = datetime(y, mo, d, h, mi, s, tzinfo=tzinfo)
    except ValueError:
        return None, False
    return dt, has_time


def parse_date_text(text: str, default_tz: timezone | None = None) -> tuple[datetime, bool] | None:
    """Parse the first date (with optional time and zone) in a visible text snippet.

    Understands Indonesian, Malay and English month names and abbreviations (``Januari``..
    ``Desember``, ``Peb``, ``Mrt``, ``Ag``/``Agu``/``Agt``, ``Nop``, ``Des``), day-first numeric dates
    (``05/11/2015``), ISO dates, and zones ``WIB`` (+07:00), ``WITA`` (+08:00), ``WIT`` (+09:00),
    also when the zone word stands between the date and the time (``2019-09-28WIB19:17:34+07:00``),
    ``UTC``/``GMT`` and common US/EU abbreviations, or numeric offsets.

    Returns ``(datetime, has_time)`` or None. The datetime is aware when a zone is given or
    ``default_tz`` is set, else naive. Years outside 1990..2100 are not dates.
    """
    best = None
    for pat in DATE_PATTERNS:
        m = pat.search(text)
        if not m:
            continue
        g = m.groupdict()
        mo = MONTHS.get(g["mon"].lower().rstrip(".")) if g.get("mon") else g.get("m")
        if mo is None:
            continue
        dt, has_time = _mk_dt(g["y"], mo, g["d"], g.get("H"), g.get("M"), g.get("S"), g.get("ampm"), g.get("tz") or g.get("tz0"), g.get("off"), default_tz)
        if dt is not None and (best is None or m.start() < best[2]):
            best = (dt, has_time, m.start())
    return (best[0], best[1]) if best else None


def date_span(line: str) -> tuple[int, int] | None:
    """``(start, end)`` character span of the first date-like match in ``line``, or None
    (pattern match only: the values are not checked)."""
    best = None
    for pat in DATE_PATTERNS:
        m = pat.search(line)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    return best


def parse_loose(value: str) -> datetime | None:
    """A metadata date as pages write it -> datetime (offset kept; naive when none is given), or None.

    ISO 8601 plus common deviations (``'2015-11-05 10:08:00+0700'``: a space for ``T``, an
    offset without colon, ``Z``); otherwise the first date :func:`parse_date_text` finds in
    the value. Never raises."""
    v = value.strip()
    if not v:
        return None
    v = re.sub(r"\s*([+-]\d{2})(\d{2})$", r"\1:\2", v.replace("Z", "+00:00").replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", v) else v.replace("Z", "+00:00"))
    try:
        return datetime.fromisoformat(v)
    except ValueError:
        pass
    r = parse_date_text(value)
    return r[0] if r else None
