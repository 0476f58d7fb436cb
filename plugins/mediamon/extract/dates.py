"""Page dates: choose an article's publication and modification time from its markup.

Candidates in order: JSON-LD ``datePublished``/``dateModified``, meta tags and <time>
elements (:func:`mediamon.extract.metadata.page_metadata`), a visible date near the headline
(Indonesian month names, WIB/WITA/WIT), htmldate as the last resort. Values are parsed by
:mod:`mediamon.util.dates`; implausible ones (:func:`mediamon.util.dates.plausible_date`)
are rejected and named in the method string.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from mediamon.util.dates import date_span, parse_date_text, parse_loose, plausible_date

__all__ = ["REJECTED", "choose_date", "source_tz"]


def source_tz(lang: str | None) -> timezone | None:
    """Default zone of dates written without one on an outlet in language ``lang``: WIB
    (UTC+07:00) for ``'id'``, else None (no assumption)."""
    return timezone(timedelta(hours=7)) if lang == "id" else None


#: Method prefix of a date candidate dropped by :func:`plausible_date`.
REJECTED = "rejected:implausible"


def choose_date(tree, meta, kind: str, fetched_at: datetime, default_tz) -> tuple[str | None, str]:
    """Best ``kind`` ('published'|'modified') date of the page: ``(ISO 8601 | None, method)``.

    Candidates outside :func:`plausible_date` (before 1990, after the fetch time plus a day)
    are dropped and named in the method: ``'rejected:implausible(json-ld:datePublished=0001-01-01T00:00:00Z)'``,
    followed by ``' -> <method>'`` when another candidate was used, alone with None when none was."""
    rejected: list[str] = []
    chosen, how = _choose_plausible_date(tree, meta, kind, fetched_at, default_tz, rejected)
    if not rejected:
        return chosen, how
    why = f"{REJECTED}({', '.join(rejected)})"
    return (chosen, f"{why} -> {how}") if chosen else (None, why)


def _choose_plausible_date(tree, meta, kind: str, fetched_at: datetime, default_tz,
                           rejected: list[str]) -> tuple[str | None, str]:
    limit = fetched_at + timedelta(minutes=15)
    cands: list[tuple[str, str]] = []
    if kind == "published":
        cands += [(v, "json-ld:datePublished") for v in meta.get("ld_pub", [])]
        cands += meta.get("published", [])
    else:
        cands += [(v, "json-ld:dateModified") for v in meta.get("ld_mod", [])]
        cands += meta.get("modified", [])
    date_only = None
    for v, how in cands:
        dt = parse_loose(v) if v else None
        if dt is None:
            continue
        has_time = _has_time(v)
        if dt.tzinfo is None:
            # naive: prefer the zone of a visible date with the same day/time
            vis = _visible_date(tree, default_tz) if kind == "published" else None
            if vis and vis[0].tzinfo and vis[0].replace(tzinfo=None, second=0) == dt.replace(second=0):
                dt, how = vis[0], how + "+visible-tz"
            elif default_tz is not None:
                dt, how = dt.replace(tzinfo=default_tz), how + "+assumed-source-tz"
            else:
                dt, how = dt.replace(tzinfo=timezone.utc), how + "+assumed-utc"
        if not plausible_date(dt, fetched_at):
            rejected.append(f"{how.split('+')[0]}={v.strip()[:40]}")
            continue
        if dt > limit:
            continue
        if not has_time:
            date_only = date_only or (dt, how + " (date only)")
            continue
        return dt.isoformat(), how
    if kind == "published":
        vis = _visible_date(tree, default_tz)
        if vis:
            dt, has_time, how = vis
            if dt.tzinfo is None:
                dt, how = dt.replace(tzinfo=timezone.utc), how + "+assumed-utc"
            if dt <= limit and (has_time or date_only is None):
                if date_only and not has_time:
                    pass
                elif has_time or not date_only:
                    return dt.isoformat(), how + ("" if has_time else " (date only)")
    if date_only:
        return date_only[0].isoformat(), date_only[1]
    if kind == "published":
        mod_days = {d.date() for d in (parse_loose(v) for v in list(meta.get("ld_mod", [])) + [v for v, _ in meta.get("modified", [])]
                                       if isinstance(v, str)) if d is not None}
        try:
            from htmldate import find_date

            d = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d",
                          max_date=fetched_at.strftime("%Y-%m-%d"))
        except Exception:  # noqa: BLE001
            d = None
        dt = parse_loose(d) if d else None  # 'YYYY-MM-DD' (outputformat): a naive date
        if dt is not None:
            dt = dt.replace(tzinfo=default_tz or timezone.utc)
            if dt.date() in mod_days and not cands:
                # the page states only when it was modified: that day is not its publication
                return None, "none (only a modification time: not used as published)"
            if dt <= limit:
                return dt.isoformat(), "htmldate (date only)"
    return None, "none"


_SKIP_TAGS = {"script", "style", "noscript", "a", "option", "select", "button", "template"}

#: A label saying the date after it is a modification time ("Diperbarui", "Updated", ...).
_UPDATED_LABEL_RE = re.compile(r"(?:diperbarui|diperbaharui|pembaruan|update[sd]?|last\s+modified|modified|revised|"
                               r"dikemaskini|terakhir\s+diubah)\W{0,3}(?:(?:pada|on|at)\W{0,3})?$", re.I)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _has_time(value: str) -> bool:
    """True when the date string ``value`` carries a time of day (``'2019.09.28'`` does not)."""
    r = parse_date_text(value)
    if r is not None:
        return r[1]
    return bool(re.search(r"\d[T ]\d{1,2}:\d\d", value))


def _hidden(el) -> bool:
    """True when ``el`` or an ancestor is hidden (``hidden`` attribute, ``aria-hidden="true"``,
    inline ``display:none`` / ``visibility:hidden``)."""
    for a in (el, *el.iterancestors()):
        if a.get("hidden") is not None or (a.get("aria-hidden") or "").strip().lower() == "true":
            return True
        style = a.get("style")
        if style and _HIDDEN_STYLE_RE.search(style):
            return True
    return False


_DIGIT_RE = re.compile(r"\d")


def _visible_date(tree, default_tz):
    """First date in visible text after the headline (<h1>) outside links; else first on page.

    Text in hidden elements (:func:`_hidden`) is not visible, and a date right after an
    "Updated"/"Diperbarui" label (in the same text, or ending the text before it) is a
    modification time, never a publication date."""
    body = tree.find(".//body")
    if body is None:
        return None
    h1 = tree.find(".//h1")
    seen_h1 = h1 is None
    first_any = None
    count = 0
    prev_text = ""
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el is h1:
            seen_h1 = True
        chunks = [c for c in (el.text, el.get("datetime") if el.tag == "time" else None) if c and _DIGIT_RE.search(c)]
        if not chunks:
            if el.text and el.text.strip():
                prev_text = el.text
            continue
        if el.tag in _SKIP_TAGS or any(a.tag in _SKIP_TAGS for a in el.iterancestors()) or _hidden(el):
            continue
        for chunk in chunks:
            count += 1
            if count > 400:
                break
            r = parse_date_text(chunk[:300], default_tz)
            if r:
                span = date_span(chunk[:300])
                before = chunk[:span[0]] if span else ""
                if _UPDATED_LABEL_RE.search(before if before.strip() else prev_text):
                    prev_text = chunk
                    continue
            prev_text = chunk
            if r:
                if seen_h1:
                    return r[0], r[1], "visible-date-after-h1"
                if first_any is None:
                    first_any = (r[0], r[1], "visible-date")
    return first_any
