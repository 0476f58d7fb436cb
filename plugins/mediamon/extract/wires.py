"""Wire services: recognise agency credits (AP, Reuters, AFP, ANTARA, ...) and pick the syndication credit.

:func:`wires_in` / :func:`wire_of` normalise credit strings; :func:`choose_syndication`
decides which wire, if any, an article was syndicated from (credit line, dateline, JSON-LD
author), ignoring the outlet itself.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["DATELINE_RE", "FOOTER_RE", "SIGNOFF_RE", "choose_syndication", "footer_credit", "wire_of", "wires_in"]

# Devanagari-aware word boundaries (Python's \b splits Hindi words at vowel signs)
_HB, _HE = r"(?<![\w\u0900-\u097F])", r"(?![\w\u0900-\u097F])"

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
    (re.compile(r"\b(?:pti|press\s+trust\s+of\s+india)\b", re.I), "PTI"),
    (re.compile(r"\bians\b", re.I), "IANS"),
    # Hindi forms: रॉयटर्स (Reuters), एपी (AP), एएफपी (AFP), पीटीआई / भाषा (PTI, its Hindi service Bhasha),
    # आईएएनएस (IANS), अंतारा (ANTARA), शिन्हुआ (Xinhua)
    (re.compile(_HB + r"(?:रॉयटर्स|रायटर्स|रॉयटर)" + _HE), "Reuters"),
    (re.compile(_HB + r"(?:एपी|एसोसिएटेड\s+प्रेस)" + _HE), "AP"),
    (re.compile(_HB + r"एएफपी" + _HE), "AFP"),
    (re.compile(_HB + r"(?:पीटीआई|भाषा)" + _HE), "PTI"),
    (re.compile(_HB + r"आईएएनएस" + _HE), "IANS"),
    (re.compile(_HB + r"अंतारा" + _HE), "ANTARA"),
    (re.compile(_HB + r"शिन्हुआ" + _HE), "Xinhua"),
]
# Copyright/agency footers that name a wire: "Copyright © ANTARA 2022", "Copyright 2022 The
# Associated Press. All rights reserved.", "Our Standards: The Thomson Reuters Trust Principles."
FOOTER_RE = re.compile(r"^\s*(?:(?:©|\(c\)|copyright|hak\s+cipta)(?:\b|\s).{0,300}|our\s+standards\s*:.{0,60}trust\s+principles.*)$", re.I)
# Agency sign-off at the end of the body: "(ant)", "(Antara)", "(ant/ABC)", "(AP)", "(rtr)"
SIGNOFF_RE = re.compile(r"\((ant|antara|ap|afp|rtr|reuters|xinhua|bernama)(?:\s*/\s*[\w.]{1,12})*\)\s*$", re.I)
_SIGNOFF = {"ant": "ANTARA", "rtr": "Reuters"}
# Dateline credit at the start of the lead: "JAKARTA (Reuters) -", "Mataram (ANTARA News) -", "(AP) —".
DATELINE_RE = re.compile(r"^[^\n()]{0,80}\(\s*([A-Za-z][\w./ ]{1,40}?)\s*\)\s*[-–—]")
# Hindi datelines carry no dash: "नई दिल्ली, दो फरवरी (भाषा) सरकार ने ..."
_DATELINE_HI_RE = re.compile(r"^[^\n()]{0,80}\(\s*([\u0900-\u097F][\u0900-\u097F ]{0,30}?)\s*\)")


def footer_credit(lines: list[str]) -> str | None:
    """The first line of ``lines`` (e.g. the lines the line rules dropped) that is a copyright or
    agency footer naming a wire (:data:`FOOTER_RE`, :func:`wires_in`), else None."""
    for line in lines:
        if FOOTER_RE.match(line) and wires_in(re.sub(r"(?i)thomson\s+reuters", "Reuters", line)):
            return line.strip()
    return None


def wires_in(text: str | None) -> list[str]:
    """All normalised wire-service names in a credit string, in order of appearance
    ('Antara/PRNewswire' -> ['ANTARA', 'PR Newswire'])."""
    if not text:
        return []
    t = text.strip()
    found = []
    for rx, name in _WIRES:
        m = (re.search(r"\b(?:associated\s+press|apnews(?:\.com)?)\b", t, re.I) or re.search(r"\bAP\b", t)) if rx is _WIRES[0][0] else rx.search(t)
        if m:
            found.append((m.start(), name))
    return list(dict.fromkeys(n for _, n in sorted(found)))


def wire_of(text: str | None) -> str | None:
    """First normalised wire-service name found in a credit string ('APNews' -> 'AP'), or None."""
    w = wires_in(text)
    return w[0] if w else None


def choose_syndication(credits: dict[str, str], kept: list[str], ld_authors: list[str] | None,
                       base_url: str | None) -> tuple[str | None, str | None]:
    """The wire service an article was syndicated from: ``(name, method)`` or ``(None, None)``.

    Candidates in order: the ``'source'`` credit (``'credit-line'``), a dateline credit at
    the start of the first body line ``kept[0]`` (``'dateline'``; when it names a wire it is
    also recorded as ``credits['dateline']``, ``credits`` is changed in place), an agency
    sign-off ending the last body line (``'signoff'``: "(ant)", "(AP)"), a copyright/agency footer
    (``credits['copyright']``, ``'footer'``), then JSON-LD authors (``'json-ld-author'``). A wire whose name is part of ``base_url``'s host (the
    outlet itself, e.g. ANTARA on antaranews.com) does not count, except AP."""
    host = (urlsplit(base_url or "").hostname or "").replace(".", "").replace("-", "")

    def foreign(names):
        return [n for n in names if n == "AP" or n.lower().replace(" ", "") not in host]

    cands = [(credits.get("source"), "credit-line")]
    if kept:
        m = DATELINE_RE.match(kept[0]) or _DATELINE_HI_RE.match(kept[0])
        if m:
            cands.append((m.group(1), "dateline"))
            if wires_in(m.group(1)):
                credits.setdefault("dateline", m.group(1))
    if kept:
        m = SIGNOFF_RE.search(kept[-1])
        if m:
            cands.append((_SIGNOFF.get(m.group(1).lower(), m.group(1)), "signoff"))
    if credits.get("copyright"):
        cands.append((re.sub(r"(?i)thomson\s+reuters", "Reuters", credits["copyright"]), "footer"))
    cands += [(a, "json-ld-author") for a in ld_authors or []]
    for value, how in cands:
        names = foreign(wires_in(value))
        if names:
            return names[0], how
    return None, None
