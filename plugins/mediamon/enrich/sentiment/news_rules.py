"""News-language rules shared by the lexicon backends (Indonesian and English).

Written by the mediamon authors from general knowledge of news language (no entry taken from,
or fitted to, any labelled set; only the label thresholds are calibrated on data):

1. **Neutral news senses.** Indonesian ``pukul`` is 'hit' but also 'at (o'clock)': before a number
   or a time word (``pukul 10``, ``pukul setengah``) it carries no valence. Attack/defence/shot
   words (``serangan``, ``menyerang``, ``tembakan``; *attack*, *shot*, *strike*) are neutral when
   the sentence is about a match (sport context words: ``laga``, ``gol``, ``babak``; *match*,
   *goal*, *half-time*...).
2. **Direction reversed by what moves.** A direction word (``turun``/``naik``, ``anjlok``,
   ``menguat``; *fell*, *rose*, *cut*, *surged*) next to a *theme* (what moves) takes its valence
   from the theme's polarity: poverty, inflation, unemployment, prices, deficit, debt, deaths going
   down is good; exports, growth, profits, shares, the rupiah going down is bad. The theme's own
   lexicon valence (``kemiskinan`` -2.5) is cancelled so that 'poverty fell' is positive, not a sum
   of two negatives. Direction words without a theme keep their lexicon valence.
3. **Reported speech.** A sentence that attributes its content to a source (a quotation, or an
   attribution verb: ``kata``, ``ujar``, ``menurut``; *said*, *according to*) carries the
   source's sentiment, not the outlet's: its weight is multiplied by :data:`ATTRIBUTION_WEIGHT`.

Valences are on VADER's -4..+4 scale.
"""

from __future__ import annotations

import re

DIRECTION_VALENCE = 3.0  # valence of a theme's movement (a clear news fact)
ATTRIBUTION_WEIGHT = 0.7  # weight of a reported-speech sentence (our choice, a priori)

# ---------------------------------------------------------------- Indonesian
ID_UP = {
    "naik", "menaik", "kenaikan", "dinaikkan", "menaikkan", "meningkat", "peningkatan", "ditingkatkan",
    "meningkatkan", "melonjak", "lonjakan", "bertambah", "pertambahan", "tumbuh", "bertumbuh", "melambung",
    "meroket", "melesat", "menguat", "penguatan", "melejit", "terbang", "membengkak", "melebar", "menanjak",
    "mendaki", "rebound", "melompat", "berlipat", "tertinggi", "rekor", "bangkit", "pulih", "menghijau", "hijau",
}
ID_DOWN = {
    "turun", "menurun", "penurunan", "diturunkan", "menurunkan", "turunkan", "anjlok", "merosot", "kemerosotan",
    "berkurang", "pengurangan", "mengurangi", "dikurangi", "susut", "menyusut", "penyusutan", "jatuh", "ambruk",
    "terjun", "melemah", "pelemahan", "rontok", "terkoreksi", "koreksi", "ambles", "amblas", "longsor", "tertekan",
    "ditekan", "menekan", "tekan", "pangkas", "memangkas", "dipangkas", "pemangkasan", "terendah", "menyempit",
    "melambat", "perlambatan", "melandai", "landai", "terpangkas", "tergerus", "menipis", "memerah", "loyo", "lesu",
    "terperosok", "nyungsep", "tumbang", "minus", "kontraksi", "terkontraksi", "merah", "ambrol", "jeblok",
}
# what moves: +1 = going up is good, -1 = going up is bad. Multi-word themes are matched first.
ID_THEMES = {
    **dict.fromkeys([
        "kemiskinan", "miskin", "penduduk miskin", "inflasi", "pengangguran", "harga", "defisit", "utang", "hutang",
        "kasus", "kematian", "korban", "kriminalitas", "kejahatan", "stunting", "ketimpangan", "rasio gini",
        "emisi", "polusi", "biaya", "tarif", "kerugian", "rugi", "beban", "kredit macet", "npl", "dolar", "dollar",
        "dolar as", "phk", "pemutusan hubungan kerja", "angka kematian", "angka kemiskinan", "angka pengangguran",
        "tingkat pengangguran", "suku bunga", "bunga", "risiko", "impor", "pengeluaran", "subsidi", "kecelakaan",
        "pelanggaran", "banjir", "polusi udara", "kemacetan", "harga beras", "harga bbm", "harga pangan", "cabai",
        "bbm", "harga cabai", "harga tiket", "harga rumah", "ppn",
    ], -1),
    **dict.fromkeys([
        "ekspor", "pertumbuhan", "pertumbuhan ekonomi", "ekonomi", "pdb", "laba", "laba bersih", "untung",
        "keuntungan", "pendapatan", "penjualan", "investasi", "ihsg", "saham", "indeks", "rupiah", "cadangan devisa",
        "devisa", "surplus", "produksi", "daya beli", "konsumsi", "kepercayaan", "kinerja", "aset", "dividen",
        "harga saham", "penerimaan", "upah", "gaji", "lapangan kerja", "kunjungan", "wisatawan", "kredit", "bursa",
        "pasar", "nilai tukar", "kapitalisasi", "elektabilitas", "popularitas", "kepuasan", "tingkat kepuasan",
        "omzet", "omset", "pangsa pasar", "peringkat", "rating", "okupansi", "pasokan", "cadangan", "lq45",
        "kurs", "obligasi", "emiten", "pmi", "manufaktur", "neraca perdagangan", "surplus neraca", "belanja",
    ], 1),
}
ID_TIME_NEXT = re.compile(r"^(?:\d{1,2}(?:[.:]\d{2})?|setengah|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|"
                          r"sepuluh|sebelas|dua belas)$")
ID_SPORT = {"laga", "gol", "babak", "pertandingan", "liga", "timnas", "striker", "kiper", "penalti", "menit",
            "klub", "pelatih", "skuad", "piala", "juara", "sepak", "bola", "tandang", "kandang", "gawang", "bek",
            "gelandang", "penyerang", "wasit", "turnamen", "final", "semifinal", "pemain", "set", "smes"}
ID_SPORT_NEUTRAL = {"serangan", "menyerang", "diserang", "penyerang", "penyerangan", "tembakan", "menembak",
                    "ditembak", "tendangan", "menendang", "bertahan", "pertahanan", "menggempur", "gempuran",
                    "membobol", "dibobol", "menggebrak", "gebrakan", "tekanan", "menekan", "ditekan", "pukulan",
                    "memukul", "serbuan", "menyerbu", "bentrok", "duel", "menghukum", "hukuman"}
ID_ATTRIBUTION = {"kata", "ujar", "ujarnya", "katanya", "ungkap", "ungkapnya", "tutur", "tuturnya", "jelas",
                  "jelasnya", "menurut", "mengatakan", "menyatakan", "menuturkan", "mengungkapkan", "menjelaskan",
                  "menyebut", "menyebutkan", "sebut", "sebutnya", "imbuh", "imbuhnya", "tegas", "tegasnya",
                  "paparnya", "terang", "terangnya", "klaim", "mengklaim", "menilai", "dinilai", "disebut"}

# ---------------------------------------------------------------- English
EN_UP = {
    "rise", "rises", "rose", "risen", "rising", "increase", "increased", "increases", "increasing", "climb",
    "climbed", "climbs", "climbing", "jump", "jumped", "jumps", "surge", "surged", "surges", "surging", "soar",
    "soared", "soars", "soaring", "grow", "grew", "grows", "growing", "grown", "higher", "spike", "spiked",
    "spikes", "double", "doubled", "hike", "hiked", "hikes", "rebound", "rebounded", "gain", "gained", "gains",
    "boost", "boosted", "boosts", "skyrocket", "skyrocketed", "up", "widened", "widens", "widening", "expand",
    "expanded", "expands", "balloon", "ballooned", "raise", "raised", "raises", "raising", "swell", "swelled",
}
EN_DOWN = {
    "fall", "falls", "fell", "fallen", "falling", "drop", "dropped", "drops", "dropping", "decline", "declined",
    "declines", "declining", "decrease", "decreased", "decreases", "decreasing", "plunge", "plunged", "plunges",
    "slump", "slumped", "slumps", "tumble", "tumbled", "tumbles", "sink", "sank", "sinks", "slide", "slid",
    "slides", "dip", "dipped", "dips", "shrink", "shrank", "shrinks", "shrinking", "ease", "eased", "eases",
    "easing", "cool", "cooled", "cools", "cut", "cuts", "cutting", "lower", "lowered", "lowers", "reduce",
    "reduced", "reduces", "reducing", "reduction", "slash", "slashed", "slashes", "slow", "slowed", "slows",
    "slowing", "halve", "halved", "down", "narrowed", "narrows", "narrowing", "shrunk", "contracted", "contracts",
    "crash", "crashed", "lowest", "slowdown", "curb", "curbed", "tamed", "plummet", "plummeted", "plummets",
}
EN_THEMES = {
    **dict.fromkeys([
        "unemployment", "jobless", "joblessness", "inflation", "poverty", "prices", "price", "costs", "cost",
        "deficit", "deficits", "debt", "crime", "crimes", "deaths", "death toll", "casualties", "cases",
        "infections", "emissions", "pollution", "layoffs", "losses", "homelessness", "inequality", "uninsured",
        "taxes", "tax", "tariffs", "murders", "homicides", "overdoses", "fatalities", "illegal crossings",
        "waiting times", "premiums", "rents", "borrowing costs",
    ], -1),
    **dict.fromkeys([
        "exports", "growth", "gdp", "economy", "profits", "profit", "earnings", "revenue", "revenues", "sales",
        "wages", "income", "incomes", "employment", "jobs", "hiring", "investment", "stocks", "shares", "market",
        "markets", "index", "approval", "approval rating", "ratings", "support", "confidence", "output",
        "productivity", "surplus", "payrolls", "dividend", "dividends", "popularity", "enrollment", "savings",
        "stock", "valuation", "turnout", "production", "demand", "spending", "consumer confidence",
    ], 1),
}
EN_SPORT = {"match", "game", "goal", "goals", "half-time", "halftime", "penalty", "striker", "midfielder",
            "keeper", "goalkeeper", "league", "season", "coach", "squad", "tournament", "final", "semifinal",
            "scored", "kickoff", "inning", "innings", "quarterback", "touchdown", "referee", "cup"}
EN_SPORT_NEUTRAL = {"attack", "attacks", "attacking", "attacked", "shot", "shots", "shoot", "shooting", "strike",
                    "striker", "defence", "defense", "defend", "defending", "hit", "hits", "beat", "beats",
                    "kill", "killer", "fight", "fought", "battle", "battled", "pressure", "threat", "threats"}
EN_ATTRIBUTION = re.compile(r"\b(?:said|says|say|told|tells|according to|claimed|claims|argued|argues|insisted|"
                            r"insists|added|stated|wrote|writes|tweeted|alleged|alleges|warned|warns)\b")
_QUOTE = re.compile(r"[\"“”]")
_EN_TOKEN = re.compile(r"[a-z][a-z'-]*|[0-9]+|[.,;:!?]")
_EN_BREAK = {".", ",", ";", ":", "!", "?", "but", "while", "whereas", "although", "though"}


def _themes_at(toks: list[str], j: int, themes: dict[str, int]) -> tuple[int, int] | None:
    """(polarity, n_tokens) of the longest theme (up to 3 tokens) starting at ``toks[j]``."""
    for n in (3, 2, 1):
        if j + n <= len(toks):
            p = themes.get(" ".join(toks[j:j + n]))
            if p:
                return p, n
    return None


def direction_hits(toks: list[str], up: set[str], down: set[str], themes: dict[str, int],
                   breaks: set[str], window: int = 4, head_initial: bool = False) -> list[tuple[int, list[int], float]]:
    """Direction words paired with a theme: ``[(direction index, theme token indexes, valence)]``.

    For each direction word, the nearest theme within ``window`` tokens (either side, not across a
    clause break) decides the sign: ``direction * polarity * DIRECTION_VALENCE``. With
    ``head_initial`` (Indonesian noun phrases: *laba bursa* is a profit), the leftmost theme
    before the direction word decides, and every theme token of that stretch is returned (their
    own valence is cancelled). Tokens must be lowercase; the lists index ``toks``.
    """
    if head_initial:
        return _direction_hits_head_initial(toks, up, down, themes, breaks, window)
    out = []
    used: set[int] = set()
    for i, t in enumerate(toks):
        d = 1 if t in up else -1 if t in down else 0
        if not d:
            continue
        best = None
        for dist in range(1, window + 1):
            for j in (i - dist, i + 1 + (dist - 1)):
                if j < 0 or j >= len(toks) or j in used:
                    continue
                lo, hi = (j, i) if j < i else (i, j)
                if any(toks[k] in breaks for k in range(lo + 1, hi)):
                    continue
                hit = None
                for start in range(max(0, j - 2), j + 1):  # a multi-word theme covering j
                    h = _themes_at(toks, start, themes)
                    if h and start + h[1] > j and not (start <= i < start + h[1]):
                        hit = (h[0], list(range(start, start + h[1])))
                        break
                if hit:
                    best = hit
                    break
            if best:
                break
        if best:
            used.update(best[1])
            out.append((i, best[1], d * best[0] * DIRECTION_VALENCE))
    return out


ID_DIRECTION_BOOST = {"tajam": 1.3, "drastis": 1.4, "signifikan": 1.2, "dalam": 1.2, "besar": 1.1, "tipis": 0.6,
                      "sedikit": 0.6, "makin": 1.1, "semakin": 1.1, "lagi": 1.0, "terus": 1.1}


def _direction_hits_head_initial(toks, up, down, themes, breaks, window):
    out = []
    for i, t in enumerate(toks):
        d = 1 if t in up else -1 if t in down else 0
        if not d:
            continue
        lo = i
        while lo > 0 and i - lo < window and toks[lo - 1] not in breaks:
            lo -= 1
        found: list[tuple[int, int, int]] = []  # (start, n, polarity)
        j = lo
        while j < i:
            h = _themes_at(toks[:i], j, themes)
            if h:
                found.append((j, h[1], h[0]))
                j += h[1]
            else:
                j += 1
        if not found:
            hi = i + 1
            while hi < len(toks) and hi - i <= window and toks[hi] not in breaks:
                h = _themes_at(toks, hi, themes)
                if h:
                    found.append((hi, h[1], h[0]))
                    break
                hi += 1
        if found:
            idx = [k for s, n, _ in found for k in range(s, s + n)]
            out.append((i, idx, d * found[0][2] * DIRECTION_VALENCE))
    return out


def id_neutral_senses(toks: list[str]) -> set[int]:
    """Indexes of Indonesian tokens used in a neutral news sense (``pukul`` + time; attack words
    in a sentence about a match)."""
    out = set()
    for i, t in enumerate(toks):
        if t == "pukul" and i + 1 < len(toks) and ID_TIME_NEXT.match(toks[i + 1]):
            out.add(i)
    if ID_SPORT.intersection(toks):
        out.update(i for i, t in enumerate(toks) if t in ID_SPORT_NEUTRAL)
    return out


def en_tokens(sentence: str) -> list[str]:
    """Lowercase word and clause-punctuation tokens of an English sentence."""
    return _EN_TOKEN.findall(sentence.lower())


def en_news_adjustment(sentence: str, lexicon: dict[str, float]) -> float:
    """Raw valence to add to an English sentence's VADER valence for rules 1 and 2: each
    direction+theme pair contributes its news valence minus what VADER gave its words
    (``lexicon``: VADER's word -> valence); sport-sense attack words cancel their valence."""
    toks = en_tokens(sentence)
    adj = 0.0
    for i, theme_idx, val in direction_hits(toks, EN_UP, EN_DOWN, EN_THEMES, _EN_BREAK):
        adj += val - lexicon.get(toks[i], 0.0) - sum(lexicon.get(toks[j], 0.0) for j in theme_idx)
    if EN_SPORT.intersection(toks):
        adj -= sum(lexicon.get(t, 0.0) for t in toks if t in EN_SPORT_NEUTRAL)
    return adj


def is_attributed(sentence: str, language: str) -> bool:
    """True when ``sentence`` reports someone else's words: a quotation mark together with an
    attribution verb, or an attribution verb alone (``menurut X``, ``X said``)."""
    low = sentence.lower()
    if language == "en":
        return bool(EN_ATTRIBUTION.search(low))
    toks = re.findall(r"[a-z]+", low)
    return any(t in ID_ATTRIBUTION for t in toks) or len(_QUOTE.findall(sentence)) >= 2


def attribution_multipliers(sentences: list[str], language: str, weight: float = ATTRIBUTION_WEIGHT) -> list[float]:
    """Per-sentence weights: :data:`ATTRIBUTION_WEIGHT` for reported speech (:func:`is_attributed`), else 1."""
    return [weight if is_attributed(s, language) else 1.0 for s in sentences]
