"""English backend: VADER (vaderSentiment 3.3.2, MIT licence; Hutto & Gilbert, ICWSM 2014).

Sentence score = VADER ``compound`` (already in [-1, 1]). The VADER lexicon is extended
with regular inflections of its own entries (``inflections``) and with
``data/en_vader_overrides.tsv`` (a few VADER values corrected for news/reviews, e.g. the
preposition 'like', each with its reason) and ``data/en_news_supplement.tsv`` (our own entries, Apache-2.0: news and review words
absent from VADER's lexicon, e.g. ``casualties``, ``inflation``, ``inexpensive``), each
on VADER's -4..+4 scale. Entries already in VADER are never overridden.

:class:`VaderPatternBackend` (``vader-pattern``, the default English backend) averages each
sentence's VADER valence with pattern's polarity (textblob 0.20.1; see data/README.md).
"""

from __future__ import annotations

import re

from .news_rules import en_news_adjustment
from .base import DATA_DIR, SentimentBackend, squash, unsquash

SUPPLEMENT_FILE = DATA_DIR / "en_news_supplement.tsv"
OVERRIDES_FILE = DATA_DIR / "en_vader_overrides.tsv"


def _read_tsv_lexicon(path) -> dict[str, float]:
    out: dict[str, float] = {}
    if not path.exists():
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"{path}:{n}: expected 'word<TAB>score', got {line!r}")
        out[parts[0].strip().lower()] = float(parts[1])
    return out


_TOO = re.compile(r"\b(?:too|overly|excessively|way too|far too)\s+(?:much\s+|many\s+)?([a-z][a-z'-]*)")
_FAILURE = re.compile(
    r"\b(?:can't|cannot|can not|couldn't|could not|won't|wouldn't|doesn't|does not|didn't|did not|isn't|wasn't|"
    r"not|never|still not|no longer|unable to)\s+(?:\w+\s+)?(?:work|working|works|load|loading|connect|connecting|"
    r"open|call|send|respond|reply|replied|responded|arrive|arrived|deliver|delivered|charge|charging|turn on|"
    r"start|pick up|picked up|log in|login|sign in|refund|refunded|fixed|repaired|resolved|solved|handled)\b")
_COMPLAINT = re.compile(
    r"\b(?:should(?:'ve| have|ve)|should be (?:more|better)|needs? (?:to )?improve(?:ment)?|needs? improvement|"
    r"please (?:improve|fix|be more|respond|reply)|no (?:response|reply|answer|explanation)|still waiting|"
    r"(?:ran|run|running) out of|out of stock|took forever|takes forever|waited for (?:an? )?(?:hour|long))\b")
_NOT_ENOUGH = re.compile(r"\b(?:not|n't|never|hardly|barely)\s+(?:[a-z'-]+\s+){0,2}enough\b|\bn't\s+(?:[a-z'-]+\s+){0,2}enough\b")
_LESS = re.compile(r"\b(?:less|hardly|barely|scarcely)\s+(?:than\s+)?([a-z][a-z'-]*)")
_CONTRAST_MID = re.compile(r"\b(?:however|unfortunately|sadly|nevertheless|nonetheless|regrettably|except that|"
                           r"only that|the problem is|the only problem)\b", re.IGNORECASE)
_CONCESSIVE = re.compile(r"\b(?:although|though|even though|even if|despite|in spite of|while)\b([^,;]*)[,;]",
                         re.IGNORECASE)
# Raw valence added per rule (VADER scale).
TOO_UNKNOWN = -1.0
TOO_POSITIVE_FACTOR = -1.8  # 'too sweet': cancels VADER's +v and adds -0.8 v
FAILURE_VALENCE = -1.2
COMPLAINT_VALENCE = -1.0
_LIKE_VERB = re.compile(r"\b(?:i|we|you|they|really|would|'d|also|just|totally|definitely|always|so|to|kids|people)\s+"
                        r"(?:(do|did|don't|didn't|do not|did not|doesn't|does not|won't|wouldn't)\s+)?(?:really\s+)?like[sd]?\b")
LIKE_VALENCE = 1.5  # VADER's value for 'like', restored for the verb


def inflections(word: str) -> set[str]:
    """Regular English inflections of ``word`` (plural/3rd person, past, -ing; -ly only for
    -le/-y/-ic adjectives, since 'likely' is not 'like').

    Used to extend VADER's lexicon, which lists surface forms only ('disappoint' but not every
    form). Purely morphological, our own rules; irregular forms are not generated.
    """
    w = word
    if not w.isalpha() or len(w) < 3:
        return set()
    out = set()
    if w.endswith("e"):
        out |= {w + "s", w + "d", w[:-1] + "ing"}
        if w.endswith("le"):
            out.add(w[:-1] + "y")  # terrible -> terribly
    elif w.endswith("y") and w[-2] not in "aeiou":
        out |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing", w[:-1] + "ily"}
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        out |= {w + "es", w + "ed", w + "ing"}
    else:
        out |= {w + "s", w + "ed", w + "ing"}
        if (len(w) <= 5 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou"):
            out |= {w + w[-1] + "ed", w + w[-1] + "ing"}  # stop -> stopped, rob -> robbing
    if w.endswith("ic"):
        out.add(w + "ally")
    return out


class VaderBackend(SentimentBackend):
    """VADER compound score per sentence, with our English news supplement."""

    name = "vader"
    languages = ("en",)

    def __init__(self, use_supplement: bool = True, rules: bool = True, inflect: bool = True, news: bool = True):
        try:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        except ImportError as e:  # pragma: no cover - dependency of the package
            raise RuntimeError("the 'vader' backend needs the vaderSentiment package (pip install vaderSentiment)") from e
        self._sia = SentimentIntensityAnalyzer()
        added = 0
        if use_supplement:
            for w, v in _read_tsv_lexicon(SUPPLEMENT_FILE).items():
                if w not in self._sia.lexicon:
                    self._sia.lexicon[w] = v
                    added += 1
        self.n_supplement = added
        self.n_overrides = 0
        if use_supplement:
            for w, v in _read_tsv_lexicon(OVERRIDES_FILE).items():
                self._sia.lexicon[w] = v
                self.n_overrides += 1
        n_infl = 0
        if inflect:
            base_items = list(self._sia.lexicon.items())
            for w, v in base_items:
                for f in inflections(w):
                    if f not in self._sia.lexicon:
                        self._sia.lexicon[f] = v
                        n_infl += 1
        self.n_inflections = n_infl
        self.rules = rules
        self.news = news
        self._like_rule = self._sia.lexicon.get("like") == 0
        self.version = "vaderSentiment-3.3.2" + (f"+sup{added}+ovr{self.n_overrides}" if use_supplement else "") + ("+rules1" if rules else "") + ("+infl1" if inflect else "") + ("+news1" if news else "")

    def _rules(self, sentence: str) -> float:
        """Raw valence adjustments VADER lacks: excess ('too salty', 'too sweet'), shortfall
        ('less comfortable', 'not big enough'), failed
        function ('doesn't work', 'never arrived') and complaint forms ('should have', 'no
        response'). Our own rules."""
        low = sentence.lower()
        adj = 0.0
        for m in _TOO.finditer(low):
            v = self._sia.lexicon.get(m.group(1), 0.0)
            adj += TOO_POSITIVE_FACTOR * v if v > 0 else (0.3 * v if v < 0 else TOO_UNKNOWN)
        if self._like_rule:
            for m in _LIKE_VERB.finditer(low):
                adj += -LIKE_VALENCE if m.group(1) else LIKE_VALENCE
        for m in _LESS.finditer(low):  # 'less comfortable', 'hardly friendly'
            v = self._sia.lexicon.get(m.group(1), 0.0)
            if v > 0:
                adj += TOO_POSITIVE_FACTOR * v
        if _NOT_ENOUGH.search(low):
            adj += FAILURE_VALENCE
        if _FAILURE.search(low):
            adj += FAILURE_VALENCE
        if _COMPLAINT.search(low):
            adj += COMPLAINT_VALENCE
        if self.news:
            adj += en_news_adjustment(sentence, self._sia.lexicon)
        return adj

    def _compound(self, text: str) -> float:
        """VADER compound with VADER's 'but' weighting extended to other contrast markers
        ('however', 'unfortunately': before x0.5, after x1.5) and concessive clauses
        ('although ..., ' x0.5)."""
        m = _CONTRAST_MID.search(text)
        if m and m.start() > 0 and text[: m.start()].strip(" ,;"):
            before, after = text[: m.start()], text[m.start():]
            raw = 0.5 * unsquash(self._sia.polarity_scores(before)["compound"]) + \
                1.5 * unsquash(self._sia.polarity_scores(after)["compound"])
            return squash(raw)
        m = _CONCESSIVE.search(text)
        if m and text[m.end():].strip():
            clause, rest = text[: m.end()], text[m.end():]
            raw = 0.5 * unsquash(self._sia.polarity_scores(clause)["compound"]) + \
                unsquash(self._sia.polarity_scores(rest)["compound"])
            return squash(raw)
        return float(self._sia.polarity_scores(text)["compound"])

    def _score_one(self, sentence: str) -> float:
        c = self._compound(sentence) if self.rules else float(self._sia.polarity_scores(sentence)["compound"])
        if self.rules:
            adj = self._rules(sentence)
            if adj:
                c = squash(unsquash(c) + adj)
        return c

    def score_sentences(self, sentences: list[str]) -> list[float]:
        """VADER compound per sentence, in [-1, 1]; same order as input."""
        out = []
        for s in sentences:
            if not isinstance(s, str):
                raise TypeError(f"score_sentences: expected str, got {type(s).__name__}")
            out.append(self._score_one(s))
        return out


PATTERN_WEIGHT = 0.5  # equal average of the two lexicons on the valence scale (a priori, not fitted)
VADER_WEIGHT = 0.5


def load_pattern_sentiment():
    """pattern's English adjective/adverb subjectivity lexicon and scorer, as shipped in TextBlob.

    Returns textblob's ``textblob.en.sentiment`` object (``callable(text) -> (polarity in [-1, 1],
    subjectivity in [0, 1])``; pattern 2.6, De Smedt & Daelemans, JMLR 2012; code BSD-3, lexicon
    ``en-sentiment.xml`` PDDL; packaged by textblob 0.20.1, MIT). Reads only files inside the
    installed wheel: no NLTK corpus and no network access is needed. Raises RuntimeError when
    textblob is not installed.
    """
    try:
        from textblob.en import sentiment as pattern_sentiment
    except ImportError as e:
        raise RuntimeError("the 'vader-pattern' backend needs the textblob package (pip install textblob==0.20.1)") from e
    return pattern_sentiment


class VaderPatternBackend(VaderBackend):
    """English ensemble: per sentence, the mean of VADER's valence (our rules and supplement
    included, :class:`VaderBackend`) and pattern's polarity, on VADER's valence scale.

    Sentence score = ``squash(0.5 * unsquash(vader) + 0.5 * pattern_polarity)``: pattern's
    polarity (already an average over the sentence's opinion words, in [-1, 1]) counts as a
    valence of at most +-1 next to VADER's summed valence, so it mostly decides sentences VADER
    scores near 0 and tempers single strong VADER words. Our own combination; the lexicons are
    VADER (MIT) and pattern (BSD-3 code, PDDL lexicon) via textblob 0.20.1 (MIT).
    """

    name = "vader-pattern"

    def __init__(self, news: bool = True):
        super().__init__(news=news)
        self._pattern = load_pattern_sentiment()
        self._pattern("good")  # load the XML lexicon now, not inside the first scored article
        self.version = self.version + "+pattern2.6"

    def _score_one(self, sentence: str) -> float:
        v = super()._score_one(sentence)
        p = float(self._pattern(sentence)[0])
        return squash(VADER_WEIGHT * unsquash(v) + PATTERN_WEIGHT * p)
