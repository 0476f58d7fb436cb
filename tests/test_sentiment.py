"""Tests for mediamon.enrich.sentiment (default offline backends, splitting, topics, CLI)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mediamon.enrich import sentiment
from mediamon.enrich.sentiment import (
    SentimentResult,
    UnsupportedLanguageError,
    aggregate,
    get_backend,
    score_text,
    score_topic,
    split_sentences,
)
from mediamon.enrich.sentiment.base import thresholds
from mediamon.enrich.sentiment.cli import main as cli

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
    assert (en.name, idb.name) == ("vader-pattern", "lexicon-id")
    assert get_backend("en", "vader").name == "vader"
    assert get_backend("ms").name == "lexicon-id"
    assert get_backend("id") is idb  # cached
    for b in (en, idb, get_backend("en", "vader")):
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
    assert r.method == "vader-pattern" and r.version.startswith("vaderSentiment-3.3.2") and r.version.endswith("+agg3")
    assert "+pattern" in r.version
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
    # the news profile: fitted on the tune halves of the news dev sets for the default backends
    # (benchmarks/calibrate_news.py), VADER's documented cut-offs for plain vader
    assert thresholds("en", "vader", "news") == (-0.05, 0.05)
    n_neg, n_pos = thresholds("en", "vader-pattern", "news")
    assert -1 < n_neg < n_pos < 1 and (n_neg, n_pos) != (-0.05, 0.05)
    assert thresholds("en", "vader-pattern") == thresholds("en", "vader-pattern", "calibrated")
    assert thresholds("en", "vader-pattern", "calibrated")[1] > 0.2
    assert thresholds("en", "vader", "reviews") == thresholds("en", "vader", "calibrated")  # old name, alias
    assert thresholds("en", "vader", "calibrated")[1] > 0.3
    with pytest.raises(ValueError, match="unknown domain"):
        thresholds("en", "vader", "tweets")


def test_domain_profiles_change_labels_not_scores():
    text = "The new bridge is a good step for the city."
    news, cal = score_text(text, "en", domain="news"), score_text(text, "en", domain="calibrated")
    assert news.score == cal.score and 0.05 < news.score < thresholds("en", "vader-pattern", "calibrated")[1]
    assert (news.label, cal.label) == ("positive", "neutral")
    assert score_text(text, "en", domain="reviews").label == "neutral"  # alias of calibrated
    assert sentiment.DEFAULT_DOMAIN == "calibrated"
    assert score_text(text, "en").label == "neutral"  # default profile: calibrated
    assert score_topic(text, "en", ["bridge"]).label == "neutral"
    try:
        sentiment.configure(domain="news")
        assert score_text(text, "en").label == "positive"
        assert score_topic(text, "en", ["bridge"]).label == "positive"
        with pytest.raises(ValueError, match="unknown domain"):
            sentiment.configure(domain="tweets")
    finally:
        sentiment.configure()
    assert score_text(text, "en").label == "neutral"
    with pytest.raises(ValueError, match="unknown domain"):
        score_text(text, "en", domain="tweets")


def test_configure_from_settings_profile():
    from mediamon.config import Settings

    text = "The new bridge is a good step for the city."
    try:
        sentiment.configure_from_settings(Settings())  # default sentiment_profile: calibrated
        assert sentiment.default_config().domain == "calibrated" and score_text(text, "en").label == "neutral"
        sentiment.configure_from_settings(Settings(sentiment_profile="news"))
        assert sentiment.default_config().domain == "news" and score_text(text, "en").label == "positive"
    finally:
        sentiment.configure()


def test_explicit_config_applies_to_the_call_only():
    """A SentimentConfig passed to a call rules that call; the process default stays as it was."""
    from mediamon.config import Settings

    text = "The new bridge is a good step for the city."
    news = sentiment.SentimentConfig.from_settings(Settings(sentiment_profile="news", sentiment_backends={"en": "vader"}))
    assert news.domain == "news" and news.backends["en"] == "vader" and news.backends["id"] == "lexicon-id"
    r = score_text(text, "en", config=news)
    assert r.label == "positive" and r.method == "vader"
    assert score_topic(text, "en", ["bridge"], config=news).label == "positive"
    assert get_backend("en", config=news).name == "vader"
    assert sentiment.default_config() == sentiment.SentimentConfig.create()
    d = score_text(text, "en")
    assert d.label == "neutral" and d.method == "vader-pattern" and d.score != r.score
    with pytest.raises(ValueError, match="unknown backend 'bert'"):
        sentiment.SentimentConfig.create({"id": "bert"})
    with pytest.raises(sentiment.UnsupportedLanguageError):
        score_text(text, "fr", config=news)


def test_topic_sentences_use_the_topic_matcher_rules():
    """score_topic finds sentences as tracked topics do (one matcher): acronyms case-sensitive,
    diacritics folded, trailing '*' a prefix."""
    text = "Presiden AS tiba. Dia datang as usual. Zélenskyy berbicara. Warga Ukraina senang."
    assert sentiment.topic_sentences(text, "id", ["AS"]) == ["Presiden AS tiba."]
    assert sentiment.topic_sentences(text, "id", ["Zelenskyy"]) == ["Zélenskyy berbicara."]
    assert sentiment.topic_sentences(text, "id", ["Ukrain*"]) == ["Warga Ukraina senang."]
    assert sentiment.topic_sentences(text, "id", ["", None]) == []


def test_cli_default_profile_is_calibrated_and_news_is_an_option():
    text = "The new bridge is a good step for the city.\n"
    labels = {}
    for args in ([], ["--domain", "news"], ["--profile", "calibrated"], ["--domain", "reviews"]):
        out = io.StringIO()
        assert cli(["--lang", "en", *args], stdin=io.StringIO(text), stdout=out) == 0
        obj = json.loads(out.getvalue())
        assert obj["method"] == "vader-pattern"
        labels[" ".join(args)] = obj["label"]
    assert labels == {"": "neutral", "--domain news": "positive", "--profile calibrated": "neutral",
                      "--domain reviews": "neutral"}
    assert cli(["--domain", "tweets"], stdin=io.StringIO(text), stdout=io.StringIO()) == 2


def test_pattern_ensemble_needs_no_network_and_falls_back_without_textblob():
    """The pattern lexicon is read from the textblob wheel (no NLTK corpus, no download): scoring
    works with sockets disabled. Without textblob the default English backend is plain vader."""
    import subprocess
    import sys

    code_offline = (
        "import socket\n"
        "def _no(*a, **k): raise OSError('network disabled in test')\n"
        "socket.socket.connect = _no; socket.create_connection = _no; socket.getaddrinfo = _no\n"
        "from mediamon.enrich.sentiment import score_text\n"
        "r = score_text('The hotel was lovely and the staff were wonderful.', 'en')\n"
        "print(r.method, r.label)\n")
    out = subprocess.run([sys.executable, "-c", code_offline], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["vader-pattern", "positive"]
    code_missing = (
        "import sys; sys.modules['textblob'] = None; sys.modules['textblob.en'] = None\n"
        "from mediamon.enrich.sentiment import get_backend, available_backends\n"
        "print(get_backend('en').name, available_backends('en'))\n"
        "try:\n    get_backend('en', 'vader-pattern')\nexcept RuntimeError as e:\n    print('explicit:', e)\n")
    out = subprocess.run([sys.executable, "-c", code_missing], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()
    assert first == "vader ['vader']"
    assert second.startswith("explicit:") and "textblob" in second


def test_pattern_ensemble_sentence_scores():
    b, v = get_backend("en", "vader-pattern"), get_backend("en", "vader")
    sents = ["The food was great.", "It is a table.", "The ending was predictable.", "The staff were rude."]
    ens, plain = b.score_sentences(sents), v.score_sentences(sents)
    assert ens[0] > 0 and ens[1] == 0.0 and ens[2] < 0 and ens[3] < 0
    # pattern knows 'predictable' (of a story) is negative, plain VADER 3.3.2 scores the sentence 0
    assert plain[0] > 0 and plain[1] == 0.0 and plain[2] == 0.0
    # the average tempers VADER's single strong word
    assert plain[3] < ens[3] < 0


def test_unsupported_language_is_a_catchable_value_error():
    assert issubclass(UnsupportedLanguageError, ValueError)
    for bad in ("fr", "zh-CN", "", None):
        with pytest.raises(ValueError) as ei:
            score_text("texte", bad)  # type: ignore[arg-type]
        assert isinstance(ei.value, UnsupportedLanguageError)
    with pytest.raises(UnsupportedLanguageError, match="'fr'"):
        get_backend("fr")
    assert get_backend("id-ID").name == "lexicon-id"  # region subtags are accepted


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
    # the empty line 2 is skipped; numbering follows the input
    assert rc == 0 and len(lines) == 2
    assert lines[0]["line"] == 1 and lines[0]["label"] == "positive" and lines[0]["language"] == "id"
    assert lines[0]["method"] == "lexicon-id"
    assert lines[1]["line"] == 3 and lines[1]["label"] == "negative" and -1 <= lines[1]["score"] < 0


def _run_cli(args, text):
    out = io.StringIO()
    rc = cli(args, stdin=io.StringIO(text), stdout=out)
    return rc, [json.loads(x) for x in out.getvalue().splitlines()]


def test_cli_lang_is_normalised():
    rc, (obj,) = _run_cli(["--lang", "EN"], "The movie was wonderful, I loved every minute of it.\n")
    assert rc == 0 and obj["language"] == "en" and obj["method"] == "vader-pattern" and obj["label"] == "positive"
    for code in ("id-ID", "ID", "in", "id_ID"):
        rc, (obj,) = _run_cli(["--lang", code], "Makanannya enak sekali!\n")
        assert rc == 0 and obj["language"] == "id" and obj["method"] == "lexicon-id", code
    assert sentiment.normalize_language("EN-us") == "en" and sentiment.normalize_language("und") == "und"
    assert _run_cli(["--lang", "4x"], "apa saja\n") == (2, [])


def test_cli_unscorable_lines_give_errors_and_processing_continues():
    text = "The movie was wonderful, I loved every minute of it.\n\U0001F600\U0001F389\n\n   \nMakanannya enak sekali!\n"
    rc, objs = _run_cli([], text)
    assert rc == 0 and [o["line"] for o in objs] == [1, 2, 5]
    assert objs[0]["language"] == "en" and objs[0]["label"] == "positive" and "error" not in objs[0]
    assert objs[1]["language"] == "und" and "UnsupportedLanguageError" in objs[1]["error"] and "'und'" in objs[1]["error"]
    assert "label" not in objs[1]
    assert objs[2]["language"] == "id" and objs[2]["label"] == "positive"

    rc, objs = _run_cli(["--lang", "fr"], "bonjour\nc'est magnifique\n")
    assert rc == 0 and [o["line"] for o in objs] == [1, 2]
    assert all(o["language"] == "fr" and "'fr'" in o["error"] for o in objs)


def test_cli_bad_arguments_exit_2():
    assert _run_cli(["--backend", "nope"], "The food was good.\n") == (2, [])
    assert _run_cli(["--domain", "tweets"], "The food was good.\n") == (2, [])
    rc, (obj,) = _run_cli(["--backend", "vader", "--lang", "en"], "The food was good.\n")
    assert rc == 0 and obj["method"] == "vader" and obj["line"] == 1


# ------------------------------------------------------------------ measured on ../shared (skips when absent)
def _macro_f1(gold, pred):
    f = []
    for c in ("negative", "neutral", "positive"):
        tp = sum(g == p == c for g, p in zip(gold, pred))
        fp = sum(p == c != g for g, p in zip(gold, pred))
        fn = sum(g == c != p for g, p in zip(gold, pred))
        f.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f) / 3


def _benchmark_module(name: str):
    """Load ``benchmarks/<name>.py`` (not a package) by path; it may import its siblings."""
    import importlib.util
    import sys

    bdir = Path(__file__).resolve().parents[1] / "benchmarks"
    sys.path.insert(0, str(bdir))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", bdir / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(bdir))
    return mod


# Floors just under the figures of benchmarks/sentiment.py (see the report / data/README.md).
@pytest.mark.shared
@pytest.mark.parametrize("fname,lang,floor", [
    ("nusax_ind_valid.csv", "id", 0.77), ("nusax_eng_valid.csv", "en", 0.76),
    ("nusax_ind_train.csv", "id", 0.80), ("nusax_eng_train.csv", "en", 0.77),
])
def test_nusax_macro_f1_floor(fname, lang, floor):
    """The defaults (backend and profile, no arguments) meet the issue's >= 0.75 targets."""
    if not (SHARED / "sentiment" / fname).exists():
        pytest.skip("../shared/sentiment not available")
    rows = _benchmark_module("sentiment").load_set(SHARED, fname.removesuffix(".csv"))
    pred = [score_text(t, lang).label for t, _ in rows]
    assert _macro_f1([g for _, g in rows], pred) >= floor


@pytest.mark.shared
def test_smsa_and_nyt_macro_f1_floor():
    """SmSA (reviews, never used for calibration) and VADER's NYT snippets (news profile: must not
    be worse than plain VADER's compound with its documented cut-offs)."""
    d = SHARED / "sentiment"
    if not (d / "smsa_valid.tsv").exists() or not (d / "nyt_editorial_snippets_dev.tsv").exists():
        pytest.skip("../shared/sentiment not available")
    bench = _benchmark_module("sentiment")  # one reader of the labelled sets: benchmarks/sentiment.py
    smsa = bench.load_set(SHARED, "smsa_valid")
    pred = [score_text(t, "id").label for t, _ in smsa]
    assert _macro_f1([g for _, g in smsa], pred) >= 0.67
    nyt = bench.load_set(SHARED, "nyt_dev")
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    gold = [g for _, g in nyt]
    raw = [("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral")
           for c in (sia.polarity_scores(t)["compound"] for t, _ in nyt)]
    ours = _macro_f1(gold, [score_text(t, "en", backend="vader", domain="news").label for t, _ in nyt])
    assert ours >= 0.55 and ours > _macro_f1(gold, raw)
    ens = _macro_f1(gold, [score_text(t, "en", domain="news").label for t, _ in nyt])
    # the ensemble's news pair is fitted on NewsMTSC (sentiment toward a target, a wide neutral
    # band), where NYT's labels call any rating beyond +-0.05 polar: 0.535 with +-0.05, 0.504 now
    assert ens >= 0.50


@pytest.mark.shared
def test_calibration_reproduces_committed_thresholds_and_cv():
    """benchmarks/calibrate_sentiment.py's fit on the NusaX train splits gives the committed
    thresholds, and its 5-fold CV estimate (thresholds fitted on training folds) stays >= 0.75."""
    import csv

    d = SHARED / "sentiment"
    if not (d / "nusax_eng_train.csv").exists():
        pytest.skip("../shared/sentiment not available")
    cal = _benchmark_module("calibrate_sentiment")
    for lang, code, cv_floor in (("en", "eng", 0.76), ("id", "ind", 0.80)):
        rows = {s: list(csv.DictReader(open(d / f"nusax_{code}_{s}.csv", encoding="utf-8", newline="")))
                for s in ("train", "valid")}
        backend = get_backend(lang).name
        scores = {s: [score_text(r["text"], lang).score for r in rows[s]] for s in rows}
        gold = {s: [r["label"] for r in rows[s]] for s in rows}
        n, p, _, _ = cal.fit(scores["train"], gold["train"])
        assert (n, p) == thresholds(lang, backend, "calibrated")
        cv = cal.cross_validate(scores["train"] + scores["valid"], gold["train"] + gold["valid"], seeds=(0,))
        assert cv["pooled"] >= cv_floor, cv


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
    b = get_backend("en", "vader")
    assert b.score_sentences(["It looks like a warehouse on Main Street."])[0] == 0.0
    # the ensemble adds only pattern's mild 'main' (+0.17 polarity): still under the news cut-off
    assert abs(get_backend("en").score_sentences(["It looks like a warehouse on Main Street."])[0]) < 0.05
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
    from mediamon.enrich.sentiment.indonesian import LEXICON_FILE, load_lexicon

    lex = load_lexicon(LEXICON_FILE)
    assert len(lex) >= 3000
    assert all(-4 <= v <= 4 for v in lex.values())
    header = LEXICON_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert "Apache-2.0" in header


def test_service_replies_and_sayang_opener():
    m = sentiment.contrast_multipliers(["Hai Ditha, pesanan kamu sudah kami terima.", "Terima kasih kak.",
                                        "Terima kasih, pelayanannya sangat memuaskan dan cepat sekali."], "id")
    assert m == [0.3, 0.3, 1.0]
    assert sentiment.contrast_multipliers(["Hi Ann, we received your payment.", "Thank you!"], "en") == [0.3, 0.3]
    b = get_backend("id")
    # sentence-initial 'Sayang' is 'unfortunately': the negative clause dominates
    assert b.score_sentences(["Sayang restorannya kotor."])[0] < -0.5
    assert b.score_sentences(["Restorannya kotor."])[0] > b.score_sentences(["Sayang restorannya kotor."])[0]
    assert b.score_sentences(["Driver ini tidak mau ambil barang."])[0] < 0  # negated function verb


def test_promotional_sentences_are_downweighted():
    assert sentiment.contrast_multipliers(["Dapatkan diskon besar hari ini!"], "id") == [0.3]
    ad = score_text("Nikmati cicilan 0% dan hadiah menarik!", "id")
    review = score_text("Cicilan 0% dan hadiahnya menarik!", "id")
    assert 0 <= ad.score < review.score


def test_cli_config_dir_goes_through_the_settings_loader(tmp_path):
    """``--config-dir`` is read by the caller's loader (the mediamon command passes load_config), so
    enrich never imports the config package; without a loader it is a configuration error (2)."""
    from mediamon.config import Settings

    seen = []

    def load(d):
        seen.append(d)
        return Settings(sentiment_profile="news")

    text = "The new bridge is a good step for the city.\n"
    out = io.StringIO()
    try:
        assert cli(["--lang", "en", "--config-dir", str(tmp_path)], stdin=io.StringIO(text), stdout=out,
                   load_settings=load) == 0
    finally:
        sentiment.configure()
    assert seen == [str(tmp_path)] and json.loads(out.getvalue())["label"] == "positive"
    err = io.StringIO()
    assert cli(["--lang", "en", "--config-dir", str(tmp_path)], stdin=io.StringIO(text), stdout=err) == 2
    assert err.getvalue() == ""
