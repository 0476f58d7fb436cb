"""Tests for mediamon.sentiment (default offline backends, splitting, topics, CLI)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mediamon import sentiment
from mediamon.sentiment import (
    SentimentResult,
    UnsupportedLanguageError,
    aggregate,
    get_backend,
    score_text,
    score_topic,
    split_sentences,
)
from mediamon.sentiment.base import thresholds
from mediamon.sentiment.cli import main as cli

SHARED = Path(__file__).resolve().parents[2] / "shared"


# ------------------------------------------------------------------ sentence splitting
def test_split_indonesian_abbreviations_quotes_newlines():
    text = ('Presiden bertemu Dr. H. Agus di Jl. Sudirman No. 5, Jakarta. Ia senang sekali! '
            '"Kami menang," kata dia. "Kami kalah." Harga naik 3.5 persen dll. lalu turun.\n'
            'Paragraf kedua tanpa titik\nParagraf ketiga.')
    assert split_sentences(text, "id") == [
        "Presiden bertemu Dr. H. Agus di Jl. Sudirman No. 5, Jakarta.",
        "Ia senang sekali!",
        '"Kami menang," kata dia.',
        '"Kami kalah."',
        "Harga naik 3.5 persen dll. lalu turun.",
        "Paragraf kedua tanpa titik",
        "Paragraf ketiga.",
    ]


def test_split_english_and_errors():
    assert split_sentences("Mr. Smith met Gen. Lee in the U.S. Army base. He left.", "en") == [
        "Mr. Smith met Gen. Lee in the U.S. Army base.", "He left."]
    assert split_sentences("  \n\n ", "id") == []
    with pytest.raises(TypeError, match="text must be str"):
        split_sentences(None, "id")  # type: ignore[arg-type]


# ------------------------------------------------------------------ backends
def test_default_backends_and_interface():
    en, idb = get_backend("en"), get_backend("id")
    assert (en.name, idb.name) == ("vader", "lexicon-id")
    assert get_backend("ms").name == "lexicon-id"
    assert get_backend("id") is idb  # cached
    for b in (en, idb):
        assert b.version
        scores = b.score_sentences(["", "netral saja", "good", "bagus"])
        assert len(scores) == 4 and all(-1 <= s <= 1 for s in scores)
        assert b.score_sentences([]) == []
    with pytest.raises(UnsupportedLanguageError, match="'xx'"):
        get_backend("xx")
    with pytest.raises(ValueError, match="unknown backend 'nope'"):
        get_backend("en", "nope")


@pytest.mark.parametrize("sentence,sign", [
    ("Makanannya enak sekali dan pelayanannya ramah.", 1),
    ("Makanannya tidak enak.", -1),
    ("Makanannya gak enak bgt.", -1),
    ("Pelayanannya tidak buruk.", 1),
    ("Sangat mengecewakan, pelayanan lambat.", -1),
    ("Terlalu manis.", -1),
    ("Puluhan orang tewas dalam serangan bom di pasar.", -1),
    ("Banjir bandang merendam ratusan rumah warga.", -1),
    ("Inflasi melonjak dan rupiah anjlok.", -1),
    ("Pertumbuhan ekonomi membaik dan investasi meningkat.", 1),
    ("Timnas meraih kemenangan gemilang.", 1),
    ("Kekecewaan warga memuncak.", -1),          # ke-an confix
    ("Mereka dikecewakan oleh pemerintah.", -1),  # di- -kan
    ("Rasanya mantappp!", 1),                     # elongation
    ("Tidak hanya enak, tetapi juga murah.", 1),  # pseudo-negation
])
def test_indonesian_rules_sign(sentence, sign):
    s = get_backend("id").score_sentences([sentence])[0]
    assert s * sign > 0.1, (sentence, s)


def test_indonesian_neutral_and_contrast():
    b = get_backend("id")
    neutral = b.score_sentences(["Presiden bertemu menteri kesehatan di rumah sakit pada hari Senin."])[0]
    assert neutral == 0.0
    # contrast: what follows 'tapi' dominates
    assert b.score_sentences(["Tempatnya bagus tapi makanannya buruk sekali."])[0] < 0
    assert b.score_sentences(["Tempatnya jelek tapi makanannya enak sekali."])[0] > 0
    # intensifier raises magnitude
    plain, strong = b.score_sentences(["Makanannya enak.", "Makanannya sangat enak."])
    assert strong > plain > 0


def test_aggregate_does_not_saturate_with_length():
    one, four, many = aggregate([0.6]), aggregate([0.6] * 4), aggregate([0.6] * 200)
    assert 0.6 == pytest.approx(one, abs=1e-9)
    assert one < four  # short texts accumulate evidence ...
    assert many == pytest.approx(four) and many < 0.95  # ... long ones do not creep towards 1
    assert abs(aggregate([0.6] * 2 + [0.0] * 98)) < 0.2  # two mild sentences in a long neutral article
    assert aggregate([]) == 0.0
    assert aggregate([float("nan"), 0.5]) == pytest.approx(0.5)
    assert aggregate([0.5, -0.5]) == pytest.approx(0.0, abs=1e-9)
    # contrast weighting: what follows 'Namun' outweighs what precedes it
    mult = sentiment.contrast_multipliers(["Tempatnya bagus.", "Namun makanannya buruk."], "id")
    assert mult == [0.5, 1.5]
    assert aggregate([0.5, -0.5], mult) < 0


def test_score_text_long_article_not_saturated():
    sent = "Serangan itu menewaskan puluhan warga sipil dan melukai ratusan orang."
    short = score_text(" ".join([sent] * 4), "id")
    long_ = score_text(" ".join([sent] * 60), "id")
    assert short.label == long_.label == "negative"
    assert long_.score == pytest.approx(short.score, abs=1e-4)
    assert -0.999 < long_.score < 0
    assert long_.n_sentences == 60


def test_score_text_result_fields():
    r = score_text("The service was terrible and the food was cold. I will never come back!", "en")
    assert isinstance(r, SentimentResult)
    assert r.label == "negative" and -1 <= r.score < 0
    assert r.method == "vader" and r.version.startswith("vaderSentiment-3.3.2") and r.version.endswith("+agg2")
    assert r.n_sentences == 2
    assert r.to_dict()["label"] == "negative"
    p = score_text("Pelayanannya ramah, tempatnya bersih dan makanannya lezat. Sangat direkomendasikan!", "id")
    assert p.label == "positive" and p.method == "lexicon-id"
    e = score_text("", "id")
    assert (e.label, e.score, e.n_sentences) == ("neutral", 0.0, 0)
    with pytest.raises(TypeError):
        score_text(b"bytes", "id")  # type: ignore[arg-type]
    with pytest.raises(UnsupportedLanguageError):
        score_text("texte", "fr")


def test_labels_follow_calibrated_thresholds():
    neg, pos = thresholds("id", "lexicon-id")
    assert -1 < neg < pos < 1
    assert thresholds("zz", "nothing") == (-0.05, 0.05)


SEED_LIKE = (
    "Rusia mengecam keras sanksi baru Amerika Serikat dan menyebutnya sebagai tindakan bermusuhan yang berbahaya. "
    "Pasukan Rusia dituduh melakukan serangan brutal yang menewaskan warga sipil. "
    "Sementara itu, Amerika Serikat memuji keberhasilan perundingan damai dan menyambut baik kerja sama yang erat. "
    "Presiden AS menyatakan optimis bahwa bantuan kemanusiaan akan segera tiba.\n"
    "Cuaca di Jakarta cerah berawan."
)


def test_score_topic_frames_two_topics_differently():
    russia = score_topic(SEED_LIKE, "id", ["Rusia", "Moskow", "Kremlin"])
    us = score_topic(SEED_LIKE, "id", ["Amerika Serikat", "AS", "Washington"])
    assert russia is not None and us is not None
    assert russia.n_sentences == 2 and us.n_sentences == 3  # the first sentence mentions both
    assert russia.label == "negative" and russia.score < us.score
    assert score_topic(SEED_LIKE, "id", ["Tiongkok"]) is None
    assert score_topic(SEED_LIKE, "id", []) is None


def test_score_topic_whole_word_case_insensitive():
    text = "ASEAN bertemu di Bali. Para asisten sangat senang. Pertemuan asean sukses besar."
    r = score_topic(text, "id", ["asean"])
    assert r is not None and r.n_sentences == 2 and r.label == "positive"
    # 'AS' must not match inside 'asisten' or 'ASEAN'
    assert score_topic(text, "id", ["AS"]) is None


def test_configure_per_language_and_errors():
    try:
        sentiment.configure({"ms": "vader"})
        assert get_backend("ms").name == "vader"
        with pytest.raises(ValueError, match="unknown backend 'bert'"):
            sentiment.configure({"id": "bert"})
        sentiment.configure({"id": "onnx"}, None)
        with pytest.raises(FileNotFoundError, match="onnx_model_dir"):
            get_backend("id")
    finally:
        sentiment.configure()
    assert get_backend("id").name == "lexicon-id"


def test_cli_json_lines():
    inp = io.StringIO("Makanannya enak sekali!\n\nPelayanannya buruk dan lambat.\n")
    out = io.StringIO()
    rc = cli(["--lang", "id"], stdin=inp, stdout=out)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert rc == 0 and len(lines) == 3
    assert lines[0]["label"] == "positive" and lines[0]["language"] == "id" and lines[0]["method"] == "lexicon-id"
    assert lines[1] == {"line": 2, "error": "empty text"}
    assert lines[2]["label"] == "negative" and -1 <= lines[2]["score"] < 0


def test_cli_detects_language_and_reports_bad_lines():
    inp = io.StringIO("The movie was wonderful, I loved every minute of it.\nbonjour\n")
    out = io.StringIO()
    rc = cli(["--backend", "vader"], stdin=inp, stdout=out)
    first, second = [json.loads(x) for x in out.getvalue().splitlines()]
    assert first["language"] == "en" and first["label"] == "positive"
    assert second["label"] in ("positive", "neutral", "negative") or "error" in second
    assert rc in (0, 1)
    out2 = io.StringIO()
    rc2 = cli(["--lang", "xx"], stdin=io.StringIO("apa saja\n"), stdout=out2)
    assert rc2 == 1 and "UnsupportedLanguageError" in json.loads(out2.getvalue())["error"]


# ------------------------------------------------------------------ measured on ../shared (skips when absent)
def _macro_f1(gold, pred):
    f = []
    for c in ("negative", "neutral", "positive"):
        tp = sum(g == p == c for g, p in zip(gold, pred))
        fp = sum(p == c != g for g, p in zip(gold, pred))
        fn = sum(g == c != p for g, p in zip(gold, pred))
        f.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f) / 3


@pytest.mark.shared
@pytest.mark.parametrize("fname,lang,floor", [("nusax_ind_valid.csv", "id", 0.72), ("nusax_eng_valid.csv", "en", 0.70)])
def test_nusax_valid_macro_f1_floor(fname, lang, floor):
    import csv

    path = SHARED / "sentiment" / fname
    if not path.exists():
        pytest.skip("../shared/sentiment not available")
    rows = list(csv.DictReader(open(path, encoding="utf-8", newline="")))
    pred = [score_text(r["text"], lang).label for r in rows]
    assert _macro_f1([r["label"] for r in rows], pred) >= floor


@pytest.mark.parametrize("sentence,expected", [
    ("The soup was too salty.", -1),
    ("The cake was too sweet.", -1),                        # 'too' + positive word
    ("The app doesn't work after the update.", -1),         # failed function
    ("The room was less comfortable than expected.", -1),
    ("The portion is not big enough.", -1),
    ("The view was nice, however the service was terrible.", -1),  # contrast beyond 'but'
    ("I like this place.", 1),
    ("I don't like this place.", -1),
])
def test_english_rules_sign(sentence, expected):
    assert get_backend("en").score_sentences([sentence])[0] * expected > 0.05, sentence


def test_english_like_as_preposition_is_neutral():
    b = get_backend("en")
    assert b.score_sentences(["It looks like a warehouse on Main Street."])[0] == 0.0
    # VADER's own value would make this positive
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert SentimentIntensityAnalyzer().polarity_scores("It looks like a warehouse on Main Street.")["compound"] > 0


def test_indonesian_affixes_reach_roots():
    b = get_backend("id")
    for w in ("kekecewaan", "mengecewakan", "dikecewakan", "pengkhianatan", "menyedihkan", "kesedihannya",
              "penipuan", "kerusakan", "pembunuhan", "ketidakadilan"):
        assert b.explain(w)[0][1] < 0, w
    for w in ("menyenangkan", "kebahagiaannya", "keberhasilan", "memuaskan", "pertumbuhan", "terpercaya"):
        assert b.explain(w)[0][1] > 0, w
    # explicit neutral entries stop false stems: 'kebijakan' (policy) is not 'bijak' (wise)
    assert b.explain("kebijakan")[0][1] == 0 and b.explain("pengadilan")[0][1] == 0


def test_indonesian_lexicon_file_is_large_and_well_formed():
    from mediamon.sentiment.indonesian import LEXICON_FILE, load_lexicon

    lex = load_lexicon(LEXICON_FILE)
    assert len(lex) >= 3000
    assert all(-4 <= v <= 4 for v in lex.values())
    header = LEXICON_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert "Apache-2.0" in header


def test_promotional_sentences_are_downweighted():
    assert sentiment.contrast_multipliers(["Dapatkan diskon besar hari ini!"], "id") == [0.3]
    ad = score_text("Nikmati cicilan 0% dan hadiah menarik!", "id")
    review = score_text("Cicilan 0% dan hadiahnya menarik!", "id")
    assert 0 <= ad.score < review.score
