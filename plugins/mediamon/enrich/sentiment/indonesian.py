"""Indonesian backend: our own lexicon (``data/id_lexicon.tsv``) plus rules.

Method (mediamon's own, in the spirit of VADER, Hutto & Gilbert 2014, and of Indonesian
lexicon scorers such as InSet, Koto & Adriani 2017 -- no code or entries taken from either):

1. Normalise tokens: lowercase; informal spellings (``gak``, ``nggak``, ``tdk``, ``tak`` ->
   ``tidak``; ``bgt`` -> ``banget``; ``bener2`` -> ``benar-benar``); letter elongation
   (``mantappp`` -> ``mantap``).
2. Look up multi-word terms first (longest match, up to 4 tokens, also with -nya dropped:
   ``harganya selangit`` ~ ``harga selangit``), then single tokens; a token
   not in the lexicon is stemmed: particles/possessives (-lah -kah -pun -nya -ku -mu),
   reduplication (``luka-luka``), suffixes (-kan -an -i) and prefixes (me-/meN- with nasal
   recoding, di-, ber-/be-, ter-/te-, pe-/peN-/per-, ke-, se-, memper-, diper-) including
   confixes (ke-an, pe-an, per-an, ber-an), in the spirit of the Nazief & Adriani stemmer.
3. Rules: negation (``tidak``, ``bukan``, ``belum``, ``jangan``, ``tanpa``, ``kurang``,
   ``tiada``, ``jauh dari``) flips the next sentiment word within 3 tokens (x -0.74, VADER's
   constant); a negated verb of function with nothing to flip is a mild failure (``tidak bisa``,
   ``tidak mengalir``, ``belum dibalas``);
   pseudo-negations (``tidak hanya``, ``bukan main``, ``tidak sedikit``) do not; pre- and
   post-intensifiers (``sangat``, ``paling``, ``sekali``, ``banget``) and downtoners (``agak``,
   ``sedikit``, ``cukup``); ``terlalu`` + positive becomes negative (``terlalu manis``);
   contrast (``tetapi``, ``namun``, ``sayangnya``...) halves what comes before and weights
   what follows x1.5; concessive clauses (``meskipun``, ``walaupun``...) are halved;
   ``!`` adds emphasis; a few emoticons/emoji carry valence.
4. Sentence score = VADER's normalisation of the valence sum: ``x / sqrt(x^2 + 15)``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .news_rules import ID_DIRECTION_BOOST, ID_DOWN, ID_THEMES, ID_UP, direction_hits, id_neutral_senses
from .base import DATA_DIR, SentimentBackend, squash

LEXICON_FILE = DATA_DIR / "id_lexicon.tsv"
VERSION = "id-lex-1.2"  # 1.2: news rules (news_rules.py)

NEGATION_SCALAR = -0.74  # VADER's N_SCALAR
NEGATORS = {"tidak", "bukan", "belum", "jangan", "tanpa", "kurang", "tiada", "non", "jauh dari"}
# A negated verb of function/ability with no sentiment word in scope is a (mild) failure:
# "tidak bisa telepon", "air tidak mengalir", "pesan tidak dibalas".
FAILURE_VERBS = {"bisa": -0.8, "dapat": -0.6, "mampu": -0.8, "berfungsi": -1.2, "berjalan": -0.6, "jalan": -0.6,
                 "nyala": -1.0, "menyala": -1.0, "mengalir": -1.0, "masuk": -0.6, "terkirim": -1.0, "diproses": -1.0,
                 "dibalas": -1.2, "direspon": -1.2, "direspons": -1.2, "ditanggapi": -1.0, "merespon": -1.0,
                 "menanggapi": -0.8, "sampai": -0.6, "datang": -0.5, "ada": -0.4, "tersedia": -0.8, "disediakan": -0.8,
                 "diperbaiki": -1.0, "ditangani": -1.0, "diangkat": -0.8, "dikirim": -0.8, "kembali": -0.4,
                 "sesuai": -1.2, "cocok": -1.0, "tahan": -0.8, "awet": -1.2, "dipakai": -1.0, "digunakan": -1.0,
                 "mau": -0.8, "aktif": -0.8, "terhubung": -1.0, "konek": -1.0, "nyambung": -0.8, "diterima": -0.8,
                 "dikembalikan": -1.0, "ditindaklanjuti": -1.0, "diganti": -0.8, "muncul": -0.6, "dibayar": -1.0,
                 "membalas": -1.0, "merespons": -1.0, "bertanggung": -1.2, "profesional": -1.6}
NEGATION_WINDOW = 3
PSEUDO_NEGATION_NEXT = {"hanya", "cuma", "cuman", "sekadar", "sekedar", "saja", "lain", "sedikit", "jarang",
                        "heran", "mustahil", "main", "pelak", "ayal"}
BOOSTERS = {
    "sangat": 1.4, "amat": 1.3, "teramat": 1.5, "paling": 1.5, "sungguh": 1.3, "benar-benar": 1.3, "betul-betul": 1.3,
    "begitu": 1.2, "sangatlah": 1.4, "super": 1.4, "makin": 1.2, "semakin": 1.2, "kian": 1.2, "lebih": 1.1,
    "sedemikian": 1.2, "sekali-sekali": 1.0, "terlampau": 1.3, "bukan main": 1.5, "luar biasa": 1.4,
    "cukup": 0.8, "agak": 0.6, "sedikit": 0.6, "rada": 0.6, "sedikit-sedikit": 0.6, "relatif": 0.8, "lumayan": 0.85,
    "kurang lebih": 1.0, "hampir": 0.7,
}
POST_BOOSTERS = {"sekali": 1.4, "banget": 1.4, "nian": 1.3, "betul": 1.2, "pol": 1.4, "abis": 1.3, "parah": 1.4,
                 "gila": 1.3, "bener": 1.2, "benar": 1.2, "amat": 1.3, "sangat": 1.3}
CONTRAST = {"tapi", "tetapi", "namun", "akan tetapi", "sayangnya", "hanya saja", "cuma saja", "sedangkan", "padahal",
            "meskipun begitu", "walau begitu", "walaupun begitu", "sebaliknya", "but", "however"}
CONCESSIVE = {"meskipun", "walaupun", "meski", "walau", "biarpun", "kendati", "kendatipun", "sekalipun", "although"}
CLAUSE_BREAK = {",", ";", ":", ".", "!", "?", "dan", "serta", "lalu", "kemudian", "karena", "sehingga", "yang"}

NORMALISE = {
    **dict.fromkeys(["gak", "ga", "gk", "g", "nggak", "ngga", "nggk", "enggak", "engga", "ndak", "nda", "kagak",
                     "gag", "gx", "tdk", "tak", "ngak", "kaga", "gaada"], "tidak"),
    "bkn": "bukan", "blm": "belum", "blom": "belum", "jgn": "jangan", "tnp": "tanpa", "krg": "kurang",
    "bgt": "banget", "bngt": "banget", "bgtt": "banget", "sgt": "sangat", "bgs": "bagus", "enk": "enak",
    "sdh": "sudah", "udh": "sudah", "udah": "sudah", "tp": "tapi", "tpi": "tapi", "tapii": "tapi", "ttp": "tetapi",
    "krn": "karena", "karna": "karena", "yg": "yang", "dgn": "dengan", "jg": "juga", "aja": "saja", "aj": "saja",
    "bnr": "benar", "bener": "benar", "mntp": "mantap", "mantab": "mantap", "lg": "lagi", "klo": "kalau",
    "kalo": "kalau", "sm": "sama", "org": "orang", "msh": "masih", "trs": "terus", "bs": "bisa", "emg": "memang",
    "bnyk": "banyak", "byk": "banyak", "dr": "dari", "utk": "untuk", "untk": "untuk", "pd": "pada", "sy": "saya",
    "mkn": "makan", "tmpt": "tempat", "tempatny": "tempatnya", "pelayananya": "pelayanannya", "recomended": "recommended",
    "rekomended": "recommended", "seneng": "senang", "nyesel": "menyesal", "kecewaa": "kecewa",
}
EMOTICONS = {":)": 1.8, ":-)": 1.8, ":d": 2.0, ":-d": 2.0, "(:": 1.8, ";)": 1.5, ":(": -1.8, ":-(": -1.8, ":'(": -2.2,
             "😊": 2.0, "😍": 2.5, "🥰": 2.5, "😁": 2.0, "😀": 2.0, "😄": 2.0, "😃": 2.0, "🙂": 1.2, "👍": 2.0,
             "👌": 1.8, "❤": 2.5, "❤️": 2.5, "😋": 2.0, "🤩": 2.5, "🔥": 1.2, "🙏": 1.0, "😢": -2.0, "😭": -2.2,
             "😡": -2.5, "😠": -2.3, "👎": -2.0, "😞": -2.0, "😔": -1.8, "😤": -1.8, "🤬": -2.8, "😒": -1.5,
             "💔": -2.3, "😩": -1.8, "🤮": -2.5}

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[!?,;:.]|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_EMOTICON_RE = re.compile("|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True)
                                   if not e[0].isalnum() and ord(e[0]) < 128))


def _normalise_token(t: str) -> str:
    if t in NORMALISE:
        return NORMALISE[t]
    if len(t) > 2 and t.endswith("2") and t[:-1].isalpha():  # bener2 -> benar-benar, hati2 -> hati-hati
        base = NORMALISE.get(t[:-1], t[:-1])
        return f"{base}-{base}"
    return t


def tokenize(text: str) -> list[str]:
    """Lowercased, normalised tokens (words, clause punctuation, emoji) of ``text``."""
    low = text.lower()
    emos = _EMOTICON_RE.findall(low) if _EMOTICON_RE.pattern else []
    toks = [_normalise_token(t) for t in _TOKEN.findall(low)]
    return toks + [f"<emo>{e}" for e in emos]


def load_lexicon(path=LEXICON_FILE) -> dict[str, float]:
    """Read a ``term<TAB>valence[<TAB>domain]`` file into {normalised term: valence}.

    Raises ValueError naming the file and line for a malformed line.
    """
    lex: dict[str, float] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            term, val = parts[0], float(parts[1])
        except (IndexError, ValueError):
            raise ValueError(f"{path}:{n}: expected 'term<TAB>valence', got {line!r}") from None
        key = " ".join(_normalise_token(t) for t in term.lower().split())
        lex[key] = val
    return lex


_PARTICLES = ("lah", "kah", "tah", "pun", "nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")


class IndonesianLexiconBackend(SentimentBackend):
    """Lexicon + rules sentence scorer for Indonesian (``name='lexicon-id'``)."""

    name = "lexicon-id"
    version = VERSION
    languages = ("id", "ms")

    def __init__(self, lexicon: dict[str, float] | None = None, news: bool = True):
        self.news = news
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.max_ngram = max((k.count(" ") + 1 for k in self.lexicon), default=1)
        self.max_ngram = min(self.max_ngram, 4)
        self.version = f"{VERSION}+{len(self.lexicon)}" + ("" if news else "-nonews")
        self._lookup = lru_cache(maxsize=200_000)(self._lookup_uncached)

    # ---------------------------------------------------------------- lookup / stemming
    def _stem_candidates(self, w: str):
        """Yield candidate roots of ``w`` (most specific first)."""
        bases = [w]
        for p in _PARTICLES:
            if w.endswith(p) and len(w) - len(p) >= 3:
                bases.append(w[: -len(p)])
                for p2 in ("nya", "ku", "mu"):  # e.g. 'enaknyalah'
                    b = w[: -len(p)]
                    if b.endswith(p2) and len(b) - len(p2) >= 3:
                        bases.append(b[: -len(p2)])
        for b in bases:
            if b != w:
                yield b
            forms = [b] + [b[: -len(s)] for s in _SUFFIXES if b.endswith(s) and len(b) - len(s) >= 3]
            for f in forms:
                if f != b:
                    yield f
                yield from self._strip_prefixes(f)

    def _strip_prefixes(self, f: str):
        out: list[str] = []
        for pre in ("memper", "diper", "ber", "ter", "per", "di", "ke", "se", "be", "te"):
            if f.startswith(pre) and len(f) - len(pre) >= 3:
                r = f[len(pre):]
                out.append(r)
                if pre in ("ber", "ter", "per") and r.startswith("r"):
                    out.append(r[1:])
        for pre in ("me", "pe"):
            if f.startswith(pre) and len(f) >= 5:
                r = f[2:]
                if r.startswith("ng"):
                    out += [r[2:], "k" + r[2:], r]
                    if r.startswith("nge"):
                        out.append(r[3:])
                elif r.startswith("ny"):
                    out += ["s" + r[2:], r]
                elif r.startswith("m"):
                    out += ["p" + r[1:], r[1:], r]
                elif r.startswith("n"):
                    out += ["t" + r[1:], r[1:], r]
                else:
                    out.append(r)
                    if pre == "pe" and r.startswith("r"):
                        out.append(r[1:])
        # second layer (e.g. di+per+..., ke+ber+..., ketidak...)
        for r in list(out):
            out += [r[len(p):] for p in ("per", "ber", "ter", "ke", "se") if r.startswith(p) and len(r) - len(p) >= 3]
        return [r for r in out if len(r) >= 3]

    def _lookup_uncached(self, w: str) -> float:
        lex = self.lexicon
        if w in lex:
            return lex[w]
        if "-" in w:  # reduplication: luka-luka, sebaik-baiknya, hati-hati
            parts = w.split("-")
            for p in parts[::-1]:
                v = self._lookup(p)
                if v:
                    return v
            return 0.0
        if re.search(r"(.)\1\1", w):  # elongation: mantappp, sukaaa
            for f in (re.sub(r"(.)\1+", r"\1", w), re.sub(r"(.)\1\1+", r"\1\1", w)):
                if f in lex:
                    return lex[f]
            w = re.sub(r"(.)\1+", r"\1", w)
        if w.startswith("ketidak") and len(w) > 10:  # ketidakadilan, ketidakpuasan
            v = self._lookup(w[7:].removesuffix("an")) or self._lookup(w[7:])
            return NEGATION_SCALAR * v if v else 0.0
        if w.isdigit() or len(w) < 4:
            return 0.0
        for c in self._stem_candidates(w):
            if c in lex:
                return lex[c]
        return 0.0

    # ---------------------------------------------------------------- rules
    def _match(self, toks: list[str], i: int) -> tuple[str, int]:
        """Longest lexicon / function-word term starting at ``i``: (term, n_tokens)."""
        for n in range(min(self.max_ngram, len(toks) - i), 1, -1):
            grams = toks[i:i + n]
            term = " ".join(grams)
            if term in self.lexicon or term in BOOSTERS or term in CONTRAST or term in NEGATORS:
                return term, n
            bare = " ".join(g[:-3] if g.endswith("nya") and len(g) > 5 else g for g in grams)
            if bare != term and bare in self.lexicon:  # 'harganya selangit' ~ 'harga selangit'
                return bare, n
        return toks[i], 1

    def score_tokens(self, toks: list[str]) -> float:
        """Raw (unnormalised) valence sum of one sentence's tokens after the rules."""
        items: list[tuple[str, float]] = []  # (term, valence) per matched unit
        i = 0
        while i < len(toks):
            term, n = self._match(toks, i)
            if term.startswith("<emo>"):
                items.append(("<emo>", EMOTICONS.get(term[5:], 0.0)))
            elif term in EMOTICONS:
                items.append(("<emo>", EMOTICONS[term]))
            elif n > 1 or term in self.lexicon:
                items.append((term, self.lexicon.get(term, 0.0)))
            else:
                items.append((term, self._lookup(term)))
            i += n

        vals = [v for _, v in items]
        terms = [t for t, _ in items]
        mult = [1.0] * len(items)
        if self.news:
            self._news_pass(terms, vals)
        # sentence-initial 'Sayang(,) ...' is 'unfortunately', not 'dear/love': mildly negative
        # and a contrast marker (what follows x1.5).
        if len(terms) > 1 and terms[0] == "sayang" and terms[1] not in ("kamu", "sama", "banget", "sekali", "anak"):
            vals[0] = -0.5
            for j in range(1, len(items)):
                mult[j] *= 1.5
        k = 0
        while k < len(items):
            t = terms[k]
            if t in NEGATORS:
                nxt = terms[k + 1] if k + 1 < len(items) else ""
                if nxt in PSEUDO_NEGATION_NEXT:
                    vals[k] = 0.0
                    k += 1
                    continue
                found = False
                scale = 1.0
                for j in range(k + 1, min(len(items), k + 1 + NEGATION_WINDOW)):
                    tj = terms[j]
                    if tj in CLAUSE_BREAK and tj != "yang" or tj in CONTRAST:
                        break
                    if tj == "terlalu" or tj in BOOSTERS:
                        scale *= 0.8 if tj in ("terlalu", "begitu", "sangat", "amat") else 1.0
                        vals[j] = 0.0
                        terms[j] = "<used>"
                        continue
                    if vals[j]:
                        vals[j] *= NEGATION_SCALAR * scale
                        found = True
                        break
                # a bare negator: 'kurang' alone is mildly negative ('pelayanannya kurang')
                vals[k] = 0.0 if found or t != "kurang" else -1.0
                if not found and nxt in FAILURE_VERBS and t in ("tidak", "belum", "tiada"):
                    vals[k] = FAILURE_VERBS[nxt]
            elif t == "terlalu":
                vals[k] = 0.0
                hit = False
                for j in range(k + 1, min(len(items), k + 3)):
                    if terms[j] in CLAUSE_BREAK:
                        break
                    if vals[j]:
                        vals[j] = -abs(vals[j]) * (0.8 if vals[j] > 0 else 1.3)
                        hit = True
                        break
                if not hit:
                    vals[k] = -0.8
            elif t in BOOSTERS and not (t in self.lexicon and self.lexicon[t] and not
                                        (k + 1 < len(items) and vals[k + 1])):
                f = BOOSTERS[t]
                for j in range(k + 1, min(len(items), k + 3)):
                    if terms[j] in CLAUSE_BREAK:
                        break
                    if vals[j]:
                        mult[j] *= f
                        break
                vals[k] = 0.0
            elif t in POST_BOOSTERS and k > 0 and vals[k - 1]:
                mult[k - 1] *= POST_BOOSTERS[t]
                vals[k] = 0.0
            k += 1

        # contrast: before x0.5, after x1.5 (VADER's 'but' rule)
        for k, t in enumerate(terms):
            if t in CONTRAST and k > 0:
                for j in range(k):
                    mult[j] *= 0.5
                for j in range(k + 1, len(items)):
                    mult[j] *= 1.5
                break
        # concessive clause: x0.5 until the clause ends
        for k, t in enumerate(terms):
            if t in CONCESSIVE:
                for j in range(k + 1, len(items)):
                    if terms[j] in (",", ";", ".", "!", "?") or terms[j] in CONTRAST:
                        break
                    mult[j] *= 0.5
        total = sum(v * m for v, m in zip(vals, mult))
        if total:
            ex = min(terms.count("!"), 4) * 0.292  # VADER's exclamation emphasis
            total += ex if total > 0 else -ex
        return total

    @staticmethod
    def _news_pass(terms: list[str], vals: list[float]) -> None:
        """News rules (:mod:`news_rules`), in place: neutral senses get valence 0; a direction word
        next to a theme takes the theme-decided valence and the theme's own valence is cancelled."""
        for i in id_neutral_senses(terms):
            vals[i] = 0.0
        bare = [t[:-3] if t.endswith("nya") and len(t) > 5 else t for t in terms]
        boost = [1.0] * len(terms)
        for i, t in enumerate(terms):  # a lexicon phrase led by a direction word ('turun tajam')
            w = t.split()
            if len(w) > 1 and (w[0] in ID_UP or w[0] in ID_DOWN):
                bare[i] = w[0]
                boost[i] = ID_DIRECTION_BOOST.get(w[1], 1.0)
        for i, theme_idx, val in direction_hits(bare, ID_UP, ID_DOWN,
                                                           ID_THEMES, CLAUSE_BREAK - {"yang"},
                                                           head_initial=True):
            for k in (i + 1, i + 2):  # 'turun tajam', 'naik tipis': degree, not valence
                if k < len(terms) and k not in theme_idx and terms[k] in ID_DIRECTION_BOOST:
                    val *= ID_DIRECTION_BOOST[terms[k]]
                    vals[k] = 0.0
                    break
            vals[i] = val * boost[i]
            for j in theme_idx:
                vals[j] = 0.0

    def score_sentence(self, sentence: str) -> float:
        """Score one sentence in [-1, 1]."""
        return squash(self.score_tokens(tokenize(sentence)))

    def score_sentences(self, sentences: list[str]) -> list[float]:
        """One score in [-1, 1] per sentence (see module docstring for the method)."""
        out = []
        for s in sentences:
            if not isinstance(s, str):
                raise TypeError(f"score_sentences: expected str, got {type(s).__name__}")
            out.append(self.score_sentence(s))
        return out

    def explain(self, sentence: str) -> list[tuple[str, float]]:
        """(token, looked-up valence) pairs for debugging a sentence (no rules applied)."""
        return [(t, self._lookup(t)) for t in tokenize(sentence)]
