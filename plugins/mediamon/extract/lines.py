"""Line rules: drop boilerplate lines from extracted text and turn credit lines into metadata.

:func:`clean_lines` applies the tables of :mod:`mediamon.extract.rules` line by line
(teasers, pagers, credits, widget labels, copyright, date-only lines, captions, a repeated
title); ``norm_label`` and ``tokens`` are the line normalisations shared with the title and
body steps.
"""

from __future__ import annotations

import re

from mediamon.extract.rules import (AD_LINE_RE, BULLET_RE, CONTRIB_RE, COPYRIGHT_RE, COUNTER_RE, CREDIT_INLINE_RE,
                                    CREDIT_LABEL_ONLY_RE, CREDIT_LABELS, CREDIT_RE, EMAIL_LINE_RE, INITIALS_RE,
                                    LAPORAN_RE, LEAD_DATELINE_RE, NUMBER_ONLY_RE, PAGER_RE, PHOTO_CREDIT_RE, PROMO_ANY_RE, PROMO_RE,
                                    TAGLINE_RE, TEASER_RE, WIDGET_LABELS, WIRE_CREDIT_RE)
from mediamon.util.dates import date_span

__all__ = ["clean_lines", "norm_label", "tokens"]


def norm_label(line: str) -> str:
    """``line`` as a widget label: separators (``|``, bullets, NBSP) and surrounding
    punctuation removed, whitespace collapsed, lower-cased (``'  TAGS : '`` -> ``'tags'``)."""
    s = re.sub(r"[|•·\u00a0]+", " ", line)
    s = re.sub(r"\s+", " ", s).strip(" -–—:>»|\t").lower()
    return s


def tokens(s: str) -> list[str]:
    """The lower-cased ``\\w+`` tokens of ``s`` (the unit of the line rules' length limits)."""
    return re.findall(r"\w+", s.lower())


def clean_lines(text: str, *, title: str | None = None, extra_patterns: list[str] | None = None) -> tuple[list[str], dict[str, str], list[str]]:
    """Apply the boilerplate line rules to extracted text.

    Args:
        text: extracted text, one paragraph per line.
        title: the article title; a line repeating it (optionally with a photo credit) is dropped.
        extra_patterns: per-source regexes (``SourceRules.extra_boilerplate_patterns``); a line
            matching any (``re.search``) is dropped.

    Returns:
        ``(kept_lines, credits, dropped_lines)``; ``credits`` maps role ('editor', 'reporter',
        'source', 'photo', 'video', 'translator') to the credited value(s), '; '-joined.

    Raises:
        re.error: an ``extra_patterns`` entry is not a valid regex (config validation
        normally rejects such patterns before extraction).
    """
    extra = [re.compile(p) for p in (extra_patterns or [])]
    title_toks = tokens(title) if title else []
    lines = [ln.strip() for ln in text.split("\n")]
    kept: list[str] = []
    dropped: list[str] = []
    credits: dict[str, list[str]] = {}
    pending_label: str | None = None
    after_label = False
    n = len(lines)

    def credit(role, value):
        value = value.strip(" |:;-–—")
        if value and len(value) <= 120:
            credits.setdefault(role, [])
            if value not in credits[role]:
                credits[role].append(value)

    for i, line in enumerate(lines):
        if not line:
            continue
        norm = norm_label(line)
        toks = tokens(line)
        if pending_label:
            role = pending_label
            pending_label = None
            if len(toks) <= 6 and not re.search(r"[.!?]\s*$", line):
                credit(role, line)
                dropped.append(line)
                continue
        if extra and any(rx.search(line) for rx in extra):
            dropped.append(line)
            continue
        if len(line) > 500 and not line.startswith(("Baca", "BACA", "Read", "READ")):
            kept.append(line)  # a long paragraph: no line rule applies (all target short lines)
            after_label = False
            continue
        if not toks:  # punctuation / symbols only
            dropped.append(line)
            continue
        m = None
        if len(toks) <= 14:
            cl = re.sub(r"\s+", " ", re.sub(r"\s*\|\s*", " ", line)).strip(" -–—")
            cl = re.sub(r"\s+:", ":", cl)
            m = CREDIT_RE.match(cl)
        if m and (not m.group(2) or (len(m.group(2)) <= 100 and not re.search(r"[.!?]\s*$", m.group(2).rstrip(")")))):
            if m.group(2):
                # one line may carry several credits: "Penulis: A | Editor: B", "Reporter: A Editor: B"
                marks = list(CREDIT_INLINE_RE.finditer(cl))
                for j, mk in enumerate(marks):
                    end = marks[j + 1].start() if j + 1 < len(marks) else len(cl)
                    credit(CREDIT_LABELS[mk.group(1).lower()], cl[mk.end():end].strip(" ,;|()[]"))
            else:
                pending_label = CREDIT_LABELS[m.group(1).lower()]
            dropped.append(line)
            continue
        lm = LAPORAN_RE.match(line) if len(toks) <= 12 else None
        if lm:
            credit("reporter", lm.group(1))
            dropped.append(line)
            continue
        if TAGLINE_RE.match(line) and len(toks) <= 30:
            dropped.append(line)
            continue
        if CREDIT_LABEL_ONLY_RE.match(norm):
            pending_label = CREDIT_LABELS[CREDIT_LABEL_ONLY_RE.match(norm).group(1).lower()]
            dropped.append(line)
            continue
        if WIRE_CREDIT_RE.match(line) and len(toks) <= 30 and i >= n - 3:
            for part in re.split(r";", line.strip("() ")):
                mm = re.match(r"\s*(?:additional\s+)?(reporting|writing|editing)\s+by\s+(.*)", part, re.I)
                if mm:
                    credit("editor" if mm.group(1).lower() == "editing" else "reporter", mm.group(2).strip(" .)"))
            dropped.append(line)
            continue
        if TEASER_RE.match(line) and len(toks) <= 40:
            dropped.append(line)
            after_label = True
            continue
        if len(toks) <= 45 and (PROMO_RE.match(line) or PROMO_ANY_RE.search(line)):
            cm = CONTRIB_RE.match(line)
            if cm:
                credit("contributors", cm.group(1))
            tm = re.search(r"telah\s+tayang\s+di\s+([\w.\-]+)", line, re.I)
            if tm:
                credit("source", tm.group(1))
            dropped.append(line)
            continue
        if after_label and BULLET_RE.match(line) and len(toks) <= 25:
            dropped.append(line)
            continue
        if norm in WIDGET_LABELS or COUNTER_RE.match(line) or PAGER_RE.match(line):
            dropped.append(line)
            after_label = norm in WIDGET_LABELS
            continue
        if not BULLET_RE.match(line):
            after_label = False
        if COPYRIGHT_RE.search(line) and len(toks) <= 30:
            dropped.append(line)
            continue
        if NUMBER_ONLY_RE.match(line):
            dropped.append(line)
            continue
        if len(toks) <= 20 and (EMAIL_LINE_RE.match(line) or AD_LINE_RE.match(line)):
            dropped.append(line)
            continue
        if len(toks) <= 12:
            # date-only line (e.g. "Kamis, 05/11/2015 10:08 WIB"), possibly with a byline fragment
            pd = date_span(line)
            if pd is not None and len(tokens(line[: pd[0]] + line[pd[1]:])) <= 1:
                dropped.append(line)
                continue
        if title_toks and len(toks) >= 3:
            # repeated title, optionally followed by a photo credit ("... /Pexels")
            if toks[: len(title_toks)] == title_toks and len(toks) - len(title_toks) <= 4:
                dropped.append(line)
                continue
        if INITIALS_RE.fullmatch(line.strip()):
            credit("initials", line.strip("() "))
            dropped.append(line)
            continue
        pm = PHOTO_CREDIT_RE.search(line)
        if pm and len(toks) <= 45 and (pm.start() == 0 or len(toks) <= 30) and _looks_like_caption(line, pm):
            credit("photo", re.sub(r"^[(\s/]*(?:foto|photo)?\s*[:/]?\s*|\)\s*\.?\s*$", "", pm.group(0).strip(), flags=re.I))
            dropped.append(line)
            continue
        if pm and re.match(r"\(\s*(?:foto|photo)\s*:", pm.group(0).strip(), re.I):
            # a body paragraph ending in a labelled photo credit: the text stays, the credit is recorded
            credit("photo", re.sub(r"^\(\s*(?:foto|photo)\s*:\s*|\)\s*\.?\s*$", "", pm.group(0).strip(), flags=re.I))
        kept.append(line)

    # leading kicker/breadcrumb lines ("MUDA DAN MENGINSPIRASI", "FotoBisnis") before the first paragraph
    while len(kept) > 1 and len(tokens(kept[0])) <= 4 and not re.search(r"[.!?:\"”]\s*$", kept[0]) and len(tokens(kept[1])) >= 8 \
            and (kept[0].isupper() or re.fullmatch(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+", kept[0].strip()) or len(tokens(kept[0])) <= 2):
        dropped.append(kept.pop(0))
    # trailing debris: a run of short bullet teasers or 1-3 word lines after the last paragraph
    while len(kept) > 1 and (len(tokens(kept[-1])) <= 3 or (BULLET_RE.match(kept[-1]) and len(tokens(kept[-1])) <= 20
                                                               and not re.search(r"[.;!?]\s*$", kept[-1]) and _headline_case(kept[-1])
                                                               and len(kept) > 2 and BULLET_RE.match(kept[-2]))):
        dropped.append(kept.pop())
    return kept, {k: "; ".join(v) for k, v in credits.items()}, dropped


def _headline_case(line: str) -> bool:
    """Most words of 4+ letters capitalised (Title Case headline, typical of related-story lists)."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’]*", line)[1:] if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.85


def _looks_like_caption(line: str, m: re.Match) -> bool:
    """Is ``line``, whose photo credit ``m`` (a :data:`PHOTO_CREDIT_RE` match) ends it, a photo
    caption (True: the line moves to ``credits['photo']``) rather than a body paragraph?

    A caption is a credit alone, or a short text before the credit: under 25 words, or without
    a sentence end before the credit. A lead paragraph (dateline such as ``JAKARTA -``) or a
    paragraph of 25+ words ending in a sentence is body text, whatever credit follows it; so is
    a parenthesis that starts in lower case (``(ePA)``, an abbreviation, not a credit)."""
    head = line[: m.start()].strip()
    if not head:
        return True
    if re.match(r"\(\s*(?!foto|photo|dok|ist)[a-z]", m.group(0).strip()) or LEAD_DATELINE_RE.match(head):
        return False
    words = len(head.split())
    if words >= 25 and re.search(r"[.!?][\"'”’)]*$", head):
        return False
    return len(tokens(head)) <= 40
