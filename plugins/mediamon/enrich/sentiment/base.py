"""Backend interface, result type, sentence-to-document aggregation and label thresholds.

A *backend* turns sentences into scores in [-1, 1] (``score_sentences``). Everything
above the sentence (aggregation into an article or topic score, labels) is shared here so
that every backend is aggregated and labelled the same way.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
THRESHOLDS_FILE = DATA_DIR / "thresholds.json"

LABELS = ("negative", "neutral", "positive")


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Unweighted mean over :data:`LABELS` of per-class F1 (0 for a class with no true positive);
    the figure every sentiment benchmark and the trained backend's threshold fit report."""
    f1s = []
    for c in LABELS:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)

# Fallback thresholds when no calibrated pair exists for a (language, backend):
# VADER's documented compound cut-offs (Hutto & Gilbert 2014, README of vaderSentiment).
DEFAULT_THRESHOLDS = (-0.05, 0.05)


class SentimentBackend(ABC):
    """A sentence-level sentiment scorer.

    Attributes: ``name`` (e.g. ``'vader'``, ``'lexicon-id'``, ``'onnx'``), ``version`` (string
    stored with every result so that scores from different method versions are never mixed),
    ``languages`` (ISO 639-1 codes the backend is meant for; empty = any).
    """

    name: str = "base"
    version: str = "0"
    languages: tuple[str, ...] = ()

    @abstractmethod
    def score_sentences(self, sentences: list[str]) -> list[float]:
        """Score each sentence; returns one float in [-1, 1] per input sentence (same order).

        Negative = negative sentiment, 0 = neutral/no evidence, positive = positive.
        An empty list returns an empty list. Raises TypeError for non-string items.
        """

    @property
    def method(self) -> str:
        """``'<name>'`` as stored in ``SentimentResult.method``."""
        return self.name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {self.version}>"


@dataclass(frozen=True)
class SentimentResult:
    """Sentiment of an article or of the sentences of an article that mention a topic.

    ``label``: 'positive' | 'neutral' | 'negative'; ``score``: float in [-1, 1] (see
    :func:`aggregate`); ``method``: backend name; ``version``: backend version plus the
    aggregation version (``'<backend version>+agg<N>'``); ``n_sentences``: sentences scored.
    """

    label: str
    score: float
    method: str
    version: str
    n_sentences: int

    def to_dict(self) -> dict:
        return asdict(self)


AGGREGATION_VERSION = "agg3"
AGGREGATION_WINDOW = 4

# Sentence-initial discourse markers of contrast: what follows outweighs what precedes
# (the document-level analogue of VADER's intra-sentence 'but' rule).
CONTRAST_OPENERS = {
    "id": ("tapi", "tetapi", "namun", "sayangnya", "sayang", "hanya saja", "cuma", "cuman", "sebaliknya", "padahal",
           "akan tetapi", "meski begitu", "meskipun begitu", "walau begitu"),
    "en": ("but", "however", "unfortunately", "sadly", "yet", "still", "nevertheless", "nonetheless", "regrettably",
           "on the other hand", "that said", "even so"),
}


# Sentence-initial imperatives of advertising/promotion ('Enjoy 0% instalments', 'Dapatkan diskon'):
# promotional copy is not an opinion, so such sentences count x0.3.
PROMO_OPENERS = {
    "id": ("nikmati", "dapatkan", "yuk", "ayo", "ayok", "kunjungi", "download", "unduh", "daftar", "daftarkan",
           "pesan sekarang", "beli", "belanja", "segera", "buruan", "jangan lewatkan", "raih", "ikuti", "gunakan",
           "klik", "cek", "simak", "tonton", "saksikan"),
    "en": ("enjoy", "get", "grab", "buy", "order", "visit", "download", "join", "register", "sign up", "shop", "book",
           "claim", "don't miss", "hurry", "check out", "click", "subscribe", "watch", "follow", "use code", "save up"),
}
PROMO_MULTIPLIER = 0.3

# Phatic, service-desk register: a sentence opening with a greeting or an apology/thanks
# formula ('Hi Ditha, ...', 'Halo kak, ...', 'Mohon maaf atas ketidaknyamanannya') is a
# customer-service reply template, not an opinion, and counts x0.3 like promotion; so does a
# short (<= 6 words) thanks/greeting sentence ('Thank you.', 'Terima kasih kak').
PHATIC_OPENERS = {
    "id": ("hai", "halo", "hallo", "hi", "hello", "selamat pagi", "selamat siang", "selamat sore", "selamat malam",
           "dear", "yth", "yang terhormat", "mohon maaf atas", "maaf atas ketidaknyamanan", "mohon maaf", "kak",
           "salam", "assalamualaikum", "permisi"),
    "en": ("hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening", "greetings",
           "we apologize", "we apologise", "we are sorry", "we're sorry", "sorry for the inconvenience",
           "apologies for", "we're here to", "we are here to"),
}
PHATIC_SHORT = {
    "id": ("terima kasih", "makasih", "trims", "thanks", "thank you", "salam", "semoga membantu", "ditunggu"),
    "en": ("thank you", "thanks", "cheers", "regards", "best regards", "have a nice day", "hope this helps"),
}


def contrast_multipliers(sentences: list[str], language: str) -> list[float]:
    """Per-sentence weight multipliers for local contrast: a sentence opening with a contrast
    marker (``Namun``, ``Tapi``, ``However``, ``Unfortunately``...) gets x1.5 and the sentence
    before it x0.5 (VADER's intra-sentence 'but' weights, applied across one sentence boundary;
    local, so that a long article's many 'Namun' do not reweight the whole text)."""
    mult = [1.0] * len(sentences)
    openers = CONTRAST_OPENERS.get(language, CONTRAST_OPENERS["en"] + CONTRAST_OPENERS["id"])
    for i, s in enumerate(sentences):
        if i == 0:
            continue
        head = s.lstrip("\"'“‘(-– ").lower()
        for o in openers:
            if head.startswith(o) and (len(head) == len(o) or not head[len(o)].isalnum()):
                mult[i - 1] *= 0.5
                mult[i] *= 1.5
                break
    promo = PROMO_OPENERS.get(language, ()) + PHATIC_OPENERS.get(language, ())
    short = PHATIC_SHORT.get(language, ())
    for i, s in enumerate(sentences):
        head = s.lstrip("\"'“‘(-– ").lower()
        hit = any(head.startswith(o) and (len(head) == len(o) or not head[len(o)].isalnum()) for o in promo)
        if not hit and len(head.split()) <= 6:
            hit = any(head.startswith(o) and (len(head) == len(o) or not head[len(o)].isalnum()) for o in short)
        if hit:
            mult[i] *= PROMO_MULTIPLIER
    return mult


def unsquash(score: float) -> float:
    """Inverse of :func:`squash` (alpha 15): a score in (-1, 1) back to a valence sum."""
    s = max(-0.999, min(0.999, float(score)))
    return s * math.sqrt(15.0) / math.sqrt(1.0 - s * s)


def aggregate(scores: list[float], multipliers: list[float] | None = None, window: int = AGGREGATION_WINDOW) -> float:
    """Combine sentence scores into one document score in [-1, 1].

    Each sentence score is mapped back to its valence sum (:func:`unsquash`, the inverse of
    VADER's normalisation), optionally weighted by ``multipliers`` (see
    :func:`contrast_multipliers`), summed, divided by ``max(1, n / window)`` and squashed again.
    So a short text (up to ``window`` = 4 sentences) accumulates evidence like one long
    sentence, while a longer article gets ``window`` x its *mean* sentence valence: the score
    depends on how negative/positive the sentences are on average, not on how many there are,
    and cannot creep to +-1 as articles get longer. Non-finite scores are ignored; empty input
    returns 0.0. Our own method (no external source).
    """
    if multipliers is None or len(multipliers) != len(scores):
        multipliers = [1.0] * len(scores)
    vals = [(s, m) for s, m in zip(scores, multipliers) if not (s != s or math.isinf(s))]
    if not vals:
        return 0.0
    total = sum(m * unsquash(s) for s, m in vals)
    return max(-1.0, min(1.0, squash(total / max(1.0, len(vals) / window))))


@lru_cache(maxsize=1)
def _threshold_table() -> dict:
    try:
        return json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


DOMAINS = ("calibrated", "news")
DOMAIN_ALIASES = {"reviews": "calibrated"}  # 'reviews' was the calibrated profile's first name
DEFAULT_DOMAIN = "calibrated"


def normalize_domain(domain: str) -> str:
    """The canonical profile name for ``domain`` (``'reviews'`` -> ``'calibrated'``).

    Raises ValueError naming the input for anything but ``'calibrated'``, ``'news'`` or an alias.
    """
    d = DOMAIN_ALIASES.get(domain, domain) if isinstance(domain, str) else domain
    if d not in DOMAINS:
        known = ", ".join(DOMAINS + tuple(DOMAIN_ALIASES))
        raise ValueError(f"sentiment: unknown domain/profile {domain!r} (known: {known})")
    return d


def thresholds(language: str, backend: str, domain: str = DEFAULT_DOMAIN, scope: str = "text") -> tuple[float, float]:
    """(negative_below, positive_above) for a language, backend name and threshold profile.

    ``domain`` (profile): ``'calibrated'`` (the default; alias ``'reviews'``: two thresholds per
    (language, backend) calibrated by ``benchmarks/calibrate_sentiment.py`` on the NusaX-Senti
    train splits, key ``thresholds[language][backend]`` of ``data/thresholds.json``) or
    ``'news'`` (key ``profiles['news'][language|'*'][backend]``, VADER's documented +-0.05
    cut-offs, not fitted to any data). Lookup falls back from the language to ``'*'`` and then
    to VADER's documented (-0.05, 0.05). ``scope``: ``'text'`` (sentences, headlines, sentiment
    toward a target) or ``'article'`` (whole articles, :func:`score_article_text`): an article
    pair is stored under ``'<backend>@article'`` (the news profile fits one on PerSenT articles,
    whose scores sit lower than single sentences'); without one the text pair applies. Raises
    ValueError for an unknown profile.
    """
    domain = normalize_domain(domain)
    data = _threshold_table()
    table = data.get("thresholds", {}) if domain == "calibrated" else data.get("profiles", {}).get(domain, {})
    keys = ([f"{backend}@article"] if scope == "article" else []) + [backend]
    for key in keys:
        for lang in (language, "*"):
            pair = table.get(lang, {}).get(key)
            if pair:
                return float(pair[0]), float(pair[1])
    return DEFAULT_THRESHOLDS


def label_for(score: float, neg_below: float, pos_above: float) -> str:
    """'negative' if score < neg_below, 'positive' if score > pos_above, else 'neutral'."""
    if score < neg_below:
        return "negative"
    if score > pos_above:
        return "positive"
    return "neutral"


def squash(raw: float, alpha: float = 15.0) -> float:
    """Map an unbounded sum of lexicon valences to (-1, 1): ``x / sqrt(x^2 + alpha)``.

    This is VADER's ``normalize`` (Hutto & Gilbert 2014), used for our Indonesian scorer too
    so both lexicon backends live on the same scale.
    """
    return raw / math.sqrt(raw * raw + alpha)
