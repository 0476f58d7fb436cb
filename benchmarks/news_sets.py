"""Loaders and the choose/report split of the news development sets in ``../shared/sentiment/news``.

Each dev set is split in two halves by a stable hash of the row's text (sha1, parity of the first
byte): ``tune`` (used for every development decision: rules, weights, fitted thresholds) and
``report`` (only measured, never used to choose anything). The maintainers hold the real test
splits. Nothing from these files is ever written into the repository.

Sets (``name -> language``): ``newsmtsc_rw`` / ``newsmtsc_mt`` (NewsMTSC dev, English sentences
with a target; Hamborg & Donnay, EACL 2021), ``persent_doc`` (PerSenT dev articles; Bastan et
al., EMNLP 2020), ``cnbc_id`` (CNBC Indonesia headlines dev), ``newsmtsc_train`` (NewsMTSC
train: only for training the ``trained`` backend).
"""

from __future__ import annotations

import csv
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

csv.field_size_limit(sys.maxsize)

NEWS_FILES = {
    "newsmtsc_rw": "newsmtsc_dev_rw.tsv",
    "newsmtsc_mt": "newsmtsc_dev_mt.tsv",
    "newsmtsc_train": "newsmtsc_train.tsv",
    "persent_doc": "persent_dev_doc.tsv",
    "cnbc_id": "cnbc_id_headlines_dev.tsv",
}
NEWS_LANG = {"newsmtsc_rw": "en", "newsmtsc_mt": "en", "newsmtsc_train": "en", "persent_doc": "en", "cnbc_id": "id"}


@dataclass(frozen=True)
class NewsRow:
    """One labelled news item: ``text``, ``label`` (negative|neutral|positive), optional ``target``
    (person/org the label is about), ``span`` (character offsets of the target mention) and ``title``."""

    text: str
    label: str
    target: str | None = None
    span: tuple[int, int] | None = None
    title: str | None = None


def half(text: str) -> str:
    """'tune' or 'report': the stable half of a row (sha1 of its text, parity of the first byte)."""
    return "tune" if hashlib.sha1(text.encode("utf-8")).digest()[0] % 2 == 0 else "report"


def load_news(shared: Path, name: str, part: str = "all") -> list[NewsRow]:
    """Rows of news set ``name`` (see NEWS_FILES) under ``shared/sentiment/news``; ``part`` 'all',
    'tune' or 'report'. Raises FileNotFoundError when the file is absent, KeyError for an unknown name."""
    path = Path(shared) / "sentiment" / "news" / NEWS_FILES[name]
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            text, label = r.get("text") or "", (r.get("label") or "").strip()
            if not text or label not in ("negative", "neutral", "positive"):
                continue
            span = None
            if r.get("target_from") not in (None, ""):
                span = (int(r["target_from"]), int(r["target_to"]))
            row = NewsRow(text, label, r.get("target") or None, span, r.get("title") or None)
            if part == "all" or half(text) == part:
                out.append(row)
    return out
