"""Wire services: recognise agency credits (AP, Reuters, AFP, ANTARA, ...) and pick the syndication credit.

:func:`wires_in` / :func:`wire_of` normalise credit strings; :func:`choose_syndication`
decides which wire, if any, an article was syndicated from (credit line, dateline, JSON-LD
author), ignoring the outlet itself.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["DATELINE_RE", "choose_syndication", "wire_of", "wires_in"]

_WIRES = [
    (re.compile(r"\b(?:associated\s+press|apnews(?:\.com)?|ap)\b"), "AP"),
    (re.compile(r"\breuters\b", re.I), "Reuters"),
    (re.compile(r"\b(?:afp|agence\s+france[\s-]presse)\b", re.I), "AFP"),
    (re.compile(r"\b(?:antara(?:news)?|antara\s+news)\b", re.I), "ANTARA"),
    (re.compile(r"\bxinhua\b", re.I), "Xinhua"),
    (re.compile(r"\bbernama\b", re.I), "Bernama"),
    (re.compile(r"\bbloomberg\b", re.I), "Bloomberg"),
    (re.compile(r"\bdpa\b", re.I), "dpa"),
    (re.compile(r"\bkyodo\b", re.I), "Kyodo"),
    (re.compile(r"\byonhap\b", re.I), "Yonhap"),
    (re.compile(r"\bupi\b"), "UPI"),
    (re.compile(r"\befe\b"), "EFE"),
    (re.compile(r"\banadolu\b", re.I), "Anadolu"),
    (re.compile(r"\b(?:pr\s?newswire|prnewswire)\b", re.I), "PR Newswire"),
    (re.compile(r"\b(?:kantor\s+berita\s+politik\s+)?rmol\b", re.I), "RMOL"),
]
# Dateline credit at the start of the lead: "JAKARTA (Reuters) -", "Mataram (ANTARA News) -", "(AP) —".
DATELINE_RE = re.compile(r"^[^\n()]{0,80}\(\s*([A-Za-z][\w./ ]{1,40}?)\s*\)\s*[-–—]")


def wires_in(text: str | None) -> list[str]:
    """All normalised wire-service names in a credit string, in order of appearance
    ('Antara/PRNewswire' -> ['ANTARA', 'PR Newswire'])."""
    if not text:
        return []
    t = text.strip()
    found = []
    for rx, name in _WIRES:
        m = (re.search(r"\b(?:associated\s+press|apnews(?:\.com)?)\b", t, re.I) or re.search(r"\bAP\b", t)) if name == "AP" else rx.search(t)
        if m:
            found.append((m.start(), name))
    return [n for _, n in sorted(found)]


def wire_of(text: str | None) -> str | None:
    """First normalised wire-service name found in a credit string ('APNews' -> 'AP'), or None."""
    w = wires_in(text)
    return w[0] if w else None


def choose_syndication(credits: dict[str, str], kept: list[str], ld_authors: list[str] | None,
                       base_url: str | None) -> tuple[str | None, str | None]:
    """The wire service an article was syndicated from: ``(name, method)`` or ``(None, None)``.

    Candidates in order: the ``'source'`` credit (``'credit-line'``), a dateline credit at
    the start of the first body line ``kept[0]`` (``'dateline'``; when it names a wire it is
    also recorded as ``credits['dateline']``, ``credits`` is changed in place), then JSON-LD
    authors (``'json-ld-author'``). A wire whose name is part of ``base_url``'s host (the
    outlet itself, e.g. ANTARA on antaranews.com) does not count, except AP."""
    host = (urlsplit(base_url or "").hostname or "").replace(".", "").replace("-", "")

    def foreign(names):
        return [n for n in names if n == "AP" or n.lower().replace(" ", "") not in host]

    cands = [(credits.get("source"), "credit-line")]
    if kept:
        m = DATELINE_RE.match(kept[0])
        if m:
            cands.append((m.group(1), "dateline"))
            if wires_in(m.group(1)):
                credits.setdefault("dateline", m.group(1))
    cands += [(a, "json-ld-author") for a in ld_authors or []]
    for value, how in cands:
        names = foreign(wires_in(value))
        if names:
            return names[0], how
    return None, None
