"""Sentence splitting for Indonesian and English news and review text.

Rules (our own, regex based):
- a newline is a paragraph break and always ends a sentence;
- ``!``, ``?``, ``…`` followed by space end a sentence (closing quotes/brackets stay with it);
- ``.`` followed by space ends a sentence unless the word before it is a known abbreviation
  (Indonesian: ``dr``, ``drs``, ``ir``, ``h``, ``hj``, ``prof``, ``jl``, ``no``, ``dll``, ``dsb``,
  ``tbk``, ``kab``, ...; English: ``mr``, ``mrs``, ``dr``, ``st``, ``u.s``, ``inc``, month
  abbreviations, ...), a single-letter initial (``J. Smith``), or the next word starts in
  lowercase right after a short token that looks like an abbreviation;
- a sentence-final ``."`` before a lowercase reporting verb (``."kata dia``) is not split.
"""

from __future__ import annotations

import re

_ABBREV_ID = {
    "dr", "dra", "drs", "drg", "ir", "h", "hj", "prof", "sdr", "sdri", "yth", "no", "nomor", "tgl", "jl", "jln",
    "kab", "kec", "kel", "kota", "prov", "pt", "tbk", "cv", "dll", "dsb", "dst", "dkk", "mis", "kol", "kompol",
    "akbp", "aiptu", "bripka", "brigjen", "irjen", "mayjen", "letjen", "jend", "st", "sh", "se", "mm", "msi", "si",
    "spd", "ssi", "mt", "mh", "rp", "bpk", "bp", "ny", "nn", "sp", "hlm", "hal", "thn", "th", "kg", "km", "pk",
    "ttd", "an", "ybs", "ket", "lih", "wib", "wita", "wit", "a.n", "s.h", "m.si", "s.pd", "s.e", "m.m", "d.l.l",
    "u.p", "kh", "habib", "tn", "dok", "gub", "wagub", "pj", "plt", "plh",
}
_ABBREV_EN = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "ltd", "co", "corp", "gen", "sen", "rep", "gov", "lt", "col",
    "sgt", "capt", "cmdr", "adm", "maj", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "no", "nos",
    "vol", "fig", "approx", "dept", "est", "rev", "hon", "pres", "supt", "ph.d", "b.a", "m.a", "d.c", "l.a",
}
ABBREVIATIONS = {"id": _ABBREV_ID, "ms": _ABBREV_ID, "en": _ABBREV_EN}
_ALL_ABBREV = _ABBREV_ID | _ABBREV_EN

_CLOSERS = "\"'”’»)]"
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY = re.compile(r"([.!?…]+)([" + re.escape(_CLOSERS) + r"]*)(\s+)")
_PREV_WORD = re.compile(r"([\w.]+)$")


def _is_abbreviation(prev: str, abbrevs: set[str]) -> bool:
    w = prev.lower().rstrip(".")
    if not w:
        return False
    if w in abbrevs:
        return True
    if len(w) == 1 and w.isalpha():  # initials: "J. Smith", "H. Agus"
        return True
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", w):  # dotted acronyms: u.s, a.n, s.h
        return True
    return False


def split_sentences(text: str, language: str = "id") -> list[str]:
    """Split ``text`` into sentences; returns stripped, non-empty sentences in order.

    ``language`` ('id', 'en', ...) selects the abbreviation list (unknown languages use the
    union). Newlines are paragraph breaks. Raises TypeError if ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"split_sentences: text must be str, got {type(text).__name__}")
    abbrevs = ABBREVIATIONS.get(language, _ALL_ABBREV)
    out: list[str] = []
    for para in text.splitlines():
        para = para.strip()
        if not para:
            continue
        start = 0
        for m in _BOUNDARY.finditer(para):
            end = m.end(2)
            nxt = para[m.end():m.end() + 1]
            if not nxt:
                continue
            punct = m.group(1)
            if "." in punct and not ("!" in punct or "?" in punct or "…" in punct or punct == "..."):
                pm = _PREV_WORD.search(para, start, m.start(1))
                prev = pm.group(1) if pm else ""
                if prev and prev[-1].isdigit() and nxt.isdigit():
                    continue
                if _is_abbreviation(prev, abbrevs):
                    continue
                # '."' or '.)' then lowercase: a quote followed by its attribution ("kata dia").
                if m.group(2) and nxt.islower():
                    continue
            elif m.group(2) and nxt.islower():
                continue
            piece = para[start:end].strip()
            if piece:
                out.append(piece)
            start = m.end()
        piece = para[start:].strip()
        if piece:
            out.append(piece)
    return out
