"""Offline language identification for article text (ISO 639-1), separating Indonesian from Malay.

Method: py3langid (a re-packaging of langid.py, Lui & Baldwin 2012, "langid.py: An Off-the-shelf
Language Identification Tool", ACL demo; naive Bayes over byte n-grams, 97 languages) gives a
ranking with normalised probabilities. langid.py confuses Indonesian ('id') and Malay ('ms'), two
standardisations of one language, so when either is in the running we decide between them with
word cues: words whose standard form differs between Indonesian (KBBI) and Malaysian Malay
(DBP) spelling or usage, e.g. id ``tidak/karena/bisa/uang/kantor/pemerintah/setelah/bahwa/saja``
vs ms ``tak/kerana/boleh/wang/pejabat/kerajaan/selepas/bahawa/sahaja``. The cue lists are
hand-written from those standard spellings (no corpus-derived lexicon).

The declared language of the outlet (``prior``) decides when the text is too short or the
evidence is ambiguous.
"""

from __future__ import annotations

import math
import re
import threading

__all__ = ["detect_language", "ID_CUES", "MS_CUES"]

# Words distinctive of Indonesian (standard spelling or usage differs in Malaysian Malay).
ID_CUES = frozenset(
    """
    tidak karena bisa uang kantor pemerintah pemerintahan setelah bahwa saja yaitu melalui mobil
    polisi persen miliar proyek kampanye perusahaan anggota mau coba gratis sekitar provinsi kabupaten
    kecamatan rupiah rp dpr mpr jokowi prabowo bilang nggak enggak gak banget kalian kemarin besok
    agar mengatakan sejumlah senin kamis jumat minggu maret juni juli agustus desember kantornya
    kepolisian sepeda dokter kesehatan pesawat
    """.split()
)

# Words distinctive of Malaysian Malay.
MS_CUES = frozenset(
    """
    tak kerana boleh wang pejabat kerajaan selepas bahawa sahaja iaitu menerusi polis peratus
    bilion projek kempen syarikat ahli mahu cuba percuma kira-kira ringgit rm agong semasa hendak
    sebarang kenyataan bagaimanapun sekiranya baharu jabatan mahkamah isnin khamis jumaat ahad mac
    julai ogos disember bas teksi hospital doktor kesihatan dikenali semalam esok basikal
    """.split()
)
_SHARED = ID_CUES & MS_CUES
assert not _SHARED, _SHARED

# Malay cues that are also ordinary standard Indonesian words (KBBI: Mahkamah Konstitusi, ahli hukum,
# semasa menjabat, kira-kira, hendak, bagaimanapun, kenyataan 'reality', sekiranya, jabatan, tak...).
# On an outlet declared Indonesian (prior 'id') they do not vote for Malay: only the others
# (kerajaan, boleh, kerana, wang, pejabat, ...) can overturn the prior.
MS_CUES_ALSO_ID = frozenset(
    """
    tak ahli semasa hendak kenyataan bagaimanapun sekiranya jabatan mahkamah kira-kira semalam esok
    dikenali baharu doktor
    """.split()
)
assert MS_CUES_ALSO_ID <= MS_CUES, MS_CUES_ALSO_ID - MS_CUES

_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)
_LOCK = threading.Lock()
_IDENTIFIER = None

# Below this many letters, langid.py is unreliable and the prior wins if given.
SHORT_TEXT_CHARS = 40
# Text longer than this is truncated before classification (speed; the start is representative).
MAX_CHARS = 1_000


def _identifier():
    global _IDENTIFIER
    if _IDENTIFIER is None:
        with _LOCK:
            if _IDENTIFIER is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def _id_ms_votes(text: str, prior: str | None = None) -> tuple[int, int]:
    """``(Indonesian cue count, Malay cue count)`` of ``text``; with ``prior == 'id'`` the Malay cues
    that are also standard Indonesian words (:data:`MS_CUES_ALSO_ID`) are not counted."""
    ms_cues = MS_CUES - MS_CUES_ALSO_ID if prior == "id" else MS_CUES
    id_n = ms_n = 0
    for w in _WORD_RE.findall(text.lower()):
        if w in ID_CUES:
            id_n += 1
        elif w in ms_cues:
            ms_n += 1
    return id_n, ms_n


def detect_language(text: str, prior: str | None = None) -> tuple[str, float]:
    """Detect the language of ``text``.

    Args:
        text: plain text (any length; the first 1,000 characters go to py3langid, the first 20,000
            to the id/ms word cues).
        prior: the outlet's declared ISO 639-1 language, e.g. ``'id'``; used when the text is
            short (< 40 letters) or the evidence is ambiguous, and to break id/ms ties. With prior
            ``'id'``, Malay cues that are also standard Indonesian words (:data:`MS_CUES_ALSO_ID`)
            do not count: only clearly Malay wording turns an Indonesian outlet's text into ``'ms'``.

    Returns:
        ``(code, confidence)``: ISO 639-1 code (``'und'`` when there is no text and no prior)
        and a confidence in [0, 1]. For id/ms the confidence reflects the word-cue margin.

    Raises:
        TypeError: ``text`` is not a str or ``prior`` is neither str nor None.

    Method: py3langid ranking (Lui & Baldwin 2012) + Indonesian/Malay word cues (module doc).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    if prior is not None and not isinstance(prior, str):
        raise TypeError(f"prior must be str or None, got {type(prior).__name__}")
    prior = (prior or "").strip().lower().split("-")[0].split("_")[0] or None
    sample = text[:MAX_CHARS]
    n_letters = sum(ch.isalpha() for ch in sample[:2000])
    if n_letters == 0:
        return (prior, 0.0) if prior else ("und", 0.0)
    if n_letters < SHORT_TEXT_CHARS and prior:
        return prior, 0.5

    ranking = _identifier().rank(sample)
    probs = dict(ranking[:10])
    top, p_top = ranking[0]
    p_idms = probs.get("id", 0.0) + probs.get("ms", 0.0)
    if top in ("id", "ms") or p_idms >= 0.5 or (prior in ("id", "ms") and p_idms >= 0.2):
        id_n, ms_n = _id_ms_votes(text[:20_000], prior)
        total = id_n + ms_n
        if total >= 3 and max(id_n, ms_n) >= 2 * min(id_n, ms_n) + 1:
            lang = "id" if id_n > ms_n else "ms"
            margin = abs(id_n - ms_n) / total
            conf = p_idms * (0.5 + 0.5 * margin) * (1 - math.exp(-total / 5))
            return lang, round(min(1.0, max(conf, 0.5)), 3)
        if prior in ("id", "ms"):
            return prior, round(0.5 * p_idms, 3)
        lang = "id" if probs.get("id", 0.0) >= probs.get("ms", 0.0) else "ms"
        return lang, round(0.5 * p_idms, 3)
    if prior and p_top < 0.6 and probs.get(prior, 0.0) >= 0.1:
        return prior, round(probs[prior], 3)
    return top, round(float(p_top), 3)
