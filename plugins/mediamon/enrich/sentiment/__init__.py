"""Sentiment of articles and of tracked topics inside articles, offline, in Indonesian and English.

Public API (contract in docs/architecture.md):

- :func:`get_backend(language, name=None) -> SentimentBackend`
- :func:`score_text(text, language, backend=None) -> SentimentResult`
- :func:`score_topic(text, language, terms) -> SentimentResult | None`
- :func:`split_sentences(text, language) -> list[str]`
- :func:`normalize_language(language) -> str` ('EN' -> 'en', 'id-ID'/'in' -> 'id')
- :class:`SentimentConfig` (backends per language, ONNX model dir, threshold profile):
  ``SentimentConfig.create(...)`` / ``SentimentConfig.from_settings(settings)``, passed to
  :func:`score_text`/:func:`score_topic`/:func:`get_backend` as ``config=``; without it the
  process default applies (:func:`default_config`; set by :func:`configure`/:func:`configure_from_settings`,
  kept for the CLI and scripts)

Backends (``name``): ``vader-pattern`` (English ensemble: VADER with our rules averaged per
sentence with pattern's polarity lexicon from textblob; MIT/BSD-3/PDDL), ``vader`` (English;
vaderSentiment, MIT, with our rules), ``lexicon-id`` (Indonesian; our lexicon and rules, also used
for Malay), ``onnx`` (optional fine-tuned transformer exported to ONNX, from a local directory;
onnxruntime + tokenizers). Defaults: en -> vader-pattern (vader when textblob is not installed),
id/ms -> lexicon-id.

Document score: sentence scores combined by :func:`mediamon.enrich.sentiment.base.aggregate` (evidence
accumulates over the first ~4 sentences, beyond that the mean sentence valence counts, so long
articles never creep to +-1; local contrast and promotional sentences are reweighted by
:func:`~mediamon.enrich.sentiment.base.contrast_multipliers`); labels from two thresholds per
(language, backend) and *threshold profile* (``domain``):

- ``'calibrated'`` (the default; ``'reviews'`` is accepted as an alias): two thresholds per
  (language, backend) calibrated by ``benchmarks/calibrate_sentiment.py`` on the NusaX-Senti
  train splits into ``data/thresholds.json`` (NusaX labels factual and promotional sentences
  with positive words neutral, hence a high positive threshold);
- ``'news'``: VADER's documented cut-offs +-0.05 on our score scale, not fitted to any data
  set; on news-editorial sentences (VADER's NYT snippets) it labels mildly positive sentences
  positive where the calibrated pair says neutral.

Choose it per call (``score_text(..., domain='news')``), per configuration
(``SentimentConfig.create(domain=...)``, ``Settings.sentiment_profile`` 'calibrated' | 'news'), or for
the process default with ``configure(domain=...)``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .base import (
    AGGREGATION_VERSION,
    DEFAULT_DOMAIN,
    DOMAIN_ALIASES,
    DOMAINS,
    LABELS,
    SentimentBackend,
    SentimentResult,
    aggregate,
    contrast_multipliers,
    label_for,
    normalize_domain,
    thresholds,
)
from .news_rules import attribution_multipliers
from mediamon.enrich.sentences import split_sentences
from mediamon.enrich.topics import TopicMatcher

__all__ = [
    "DEFAULT_DOMAIN", "DOMAINS", "DOMAIN_ALIASES", "LABELS", "SentimentBackend", "SentimentResult", "UnsupportedLanguageError", "aggregate", "available_backends",
    "contrast_multipliers", "topic_sentences",
    "configure", "configure_from_settings", "default_config", "SentimentConfig", "detect_language",
    "get_backend", "score_text",
    "score_topic", "split_sentences", "normalize_language", "LANGUAGE_ALIASES", "score_article_text",
    "target_sentiment",
]

DEFAULT_BACKENDS = {"en": "vader-pattern", "id": "lexicon-id", "ms": "lexicon-id"}
KNOWN_BACKENDS = ("vader-pattern", "vader", "lexicon-id", "onnx", "trained")


class UnsupportedLanguageError(ValueError):
    """No sentiment backend is configured for this language (the message names the language).

    A ValueError subclass: callers (the pipeline's enrich step) catch it to leave an article of
    an unsupported language unscored without failing the batch. Raised by :func:`get_backend`,
    :func:`score_text` and :func:`score_topic` for languages other than the configured ones
    (by default en, id, ms) and for a missing/non-string language code.
    """


_log = logging.getLogger(__name__)
_lock = threading.Lock()
_instances: dict[tuple, SentimentBackend] = {}  # backend instances by (name, language, model dir): a cache, not configuration


@dataclass(frozen=True)
class SentimentConfig:
    """Which backend scores which language, where the ONNX model is, which threshold profile labels.

    ``backends``: ``{language: backend name}`` (defaults ``{'en': 'vader-pattern', 'id': 'lexicon-id',
    'ms': 'lexicon-id'}``); ``onnx_model_dir``: directory holding ``model.onnx``, ``tokenizer.json`` and
    ``config.json`` (or one such sub-directory per language, ``<dir>/<lang>/``), or None;
    ``domain``: default threshold profile, ``'calibrated'`` or ``'news'``. Build with :meth:`create`
    (validates, merges the defaults) or :meth:`from_settings`.
    """

    backends: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_BACKENDS))
    onnx_model_dir: str | None = None
    domain: str = DEFAULT_DOMAIN
    trained_model_dir: str | None = None

    @classmethod
    def create(cls, backends: Mapping[str, str] | None = None, onnx_model_dir: str | Path | None = None,
               domain: str = DEFAULT_DOMAIN, trained_model_dir: str | Path | None = None) -> "SentimentConfig":
        """``backends`` merged over the defaults; ``domain`` ``'calibrated'`` (alias ``'reviews'``) or
        ``'news'``; ``trained_model_dir``: directory written by ``mediamon sentiment train`` (or one
        sub-directory per language) for backend ``'trained'``. Raises ValueError for an unknown
        backend name or profile."""
        domain = normalize_domain(domain)
        b = dict(DEFAULT_BACKENDS)
        for lang, name in (backends or {}).items():
            if name not in KNOWN_BACKENDS:
                raise ValueError(f"sentiment_backends[{lang!r}]: unknown backend {name!r} (known: {', '.join(KNOWN_BACKENDS)})")
            b[lang] = name
        return cls(b, str(onnx_model_dir) if onnx_model_dir else None, domain,
                   str(trained_model_dir) if trained_model_dir else None)

    @classmethod
    def from_settings(cls, settings) -> "SentimentConfig":
        """From ``Settings.sentiment_backends``, ``Settings.onnx_model_dir`` (relative to the project
        root) and ``Settings.sentiment_profile`` (missing/None -> ``'calibrated'``). Raises ValueError
        for an unknown backend name or profile."""
        model_dir = settings.path(settings.onnx_model_dir) if getattr(settings, "onnx_model_dir", None) else None
        trained = getattr(settings, "sentiment_model_dir", None)
        return cls.create(getattr(settings, "sentiment_backends", None) or {}, model_dir,
                          getattr(settings, "sentiment_profile", None) or DEFAULT_DOMAIN,
                          settings.path(trained) if trained else None)


_default = SentimentConfig.create()


def default_config() -> SentimentConfig:
    """The process default :class:`SentimentConfig` (used when a call passes no ``config``)."""
    return _default


def _cfg(config: SentimentConfig | None) -> SentimentConfig:
    return _default if config is None else config


def configure(backends: dict[str, str] | None = None, onnx_model_dir: str | Path | None = None,
              domain: str = DEFAULT_DOMAIN, trained_model_dir: str | Path | None = None) -> None:
    """Set the process default configuration (arguments as :meth:`SentimentConfig.create`), used by
    calls without ``config=``: for the CLI and scripts; the pipeline passes its configuration
    explicitly. Raises ValueError for an unknown backend name or profile. Clears cached backend instances."""
    global _default
    new = SentimentConfig.create(backends, onnx_model_dir, domain, trained_model_dir)
    with _lock:
        _default = new
        _instances.clear()


def configure_from_settings(settings) -> None:
    """Set the process default from ``Settings`` (:meth:`SentimentConfig.from_settings`).
    Raises ValueError for an unknown backend name or profile."""
    global _default
    new = SentimentConfig.from_settings(settings)
    with _lock:
        _default = new
        _instances.clear()


def available_backends(language: str, *, config: SentimentConfig | None = None) -> list[str]:
    """Backend names usable for ``language`` in this installation and configuration (``config``,
    default :func:`default_config`)."""
    cfg = _cfg(config)
    out = []
    if language == "en":
        if _textblob_available():
            out.append("vader-pattern")
        out.append("vader")
    if language in ("id", "ms"):
        out.append("lexicon-id")
    if cfg.onnx_model_dir:
        try:
            from .onnx_backend import resolve_model_dir

            resolve_model_dir(cfg.onnx_model_dir, language)
            out.append("onnx")
        except (FileNotFoundError, ImportError):
            pass
    if cfg.trained_model_dir:
        from .trained import resolve_trained_dir

        try:
            resolve_trained_dir(cfg.trained_model_dir, language)
            out.append("trained")
        except FileNotFoundError:
            pass
    return out


def _textblob_available() -> bool:
    try:
        import textblob.en  # noqa: F401
    except ImportError:
        return False
    return True


# Deprecated ISO 639-1 codes (ISO 639 Maintenance Agency: 'in' was Indonesian until 1989) and
# ISO 639-2/3 codes of the languages with default backends.
LANGUAGE_ALIASES = {"in": "id", "ind": "id", "eng": "en", "msa": "ms", "may": "ms", "zsm": "ms"}


def normalize_language(language: str) -> str:
    """Normalise a language tag to the lowercase primary subtag used for backends.

    ``'EN'`` -> ``'en'``, ``'id-ID'``/``'id_ID'`` -> ``'id'``, ``'in'`` (deprecated ISO 639-1
    code of Indonesian) and ``'ind'`` -> ``'id'``, ``'eng'`` -> ``'en'``, ``'msa'``/``'may'``/
    ``'zsm'`` -> ``'ms'`` (:data:`LANGUAGE_ALIASES`); other codes are only lowercased (``'und'``
    stays ``'und'``). Raises :class:`UnsupportedLanguageError` (a ValueError) when ``language``
    is not a string shaped like a BCP 47 tag (2-3 letter primary subtag).
    """
    if not language or not isinstance(language, str):
        raise UnsupportedLanguageError(f"sentiment: language must be an ISO 639-1 code, got {language!r}")
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        raise UnsupportedLanguageError(f"sentiment: language must be an ISO 639-1 code, got {language!r}")
    return LANGUAGE_ALIASES.get(primary, primary)


def _norm_lang(language: str | None) -> str:
    return normalize_language(language)


def get_backend(language: str, name: str | None = None, *, config: SentimentConfig | None = None) -> SentimentBackend:
    """The backend for ``language`` ('id', 'en', 'ms', ...), by ``name`` or from ``config``
    (default :func:`default_config`).

    Instances are cached (one per name/language/model dir). Raises
    :class:`UnsupportedLanguageError` when no backend is configured for the language,
    ValueError for an unknown name, FileNotFoundError/RuntimeError when the ONNX backend's
    model directory or packages are missing.
    """
    cfg = _cfg(config)
    lang = _norm_lang(language)
    if name is None:
        name = cfg.backends.get(lang)
        if name is None:
            raise UnsupportedLanguageError(
                f"sentiment: no backend for language {lang!r} (configured: {sorted(cfg.backends)})")
        if name == "vader-pattern" and name == DEFAULT_BACKENDS.get(lang) and not _textblob_available():
            # the default English backend without textblob installed: plain VADER (results say method='vader')
            _log.warning("sentiment: textblob not installed, English falls back to backend 'vader'")
            name = "vader"
    if name not in KNOWN_BACKENDS:
        raise ValueError(f"sentiment: unknown backend {name!r} (known: {', '.join(KNOWN_BACKENDS)})")
    key = (name, lang if name in ("onnx", "trained") else "", cfg.onnx_model_dir if name != "trained" else cfg.trained_model_dir)
    with _lock:
        inst = _instances.get(key)
        if inst is None:
            if name == "vader-pattern":
                from .vader_en import VaderPatternBackend

                inst = VaderPatternBackend()
            elif name == "vader":
                from .vader_en import VaderBackend

                inst = VaderBackend()
            elif name == "lexicon-id":
                from .indonesian import IndonesianLexiconBackend

                inst = IndonesianLexiconBackend()
            elif name == "trained":
                from .trained import TrainedBackend, resolve_trained_dir

                if not cfg.trained_model_dir:
                    raise FileNotFoundError("sentiment: backend 'trained' needs a model directory "
                                            "(Settings.sentiment_model_dir; mediamon sentiment train --out DIR)")
                inst = TrainedBackend(resolve_trained_dir(cfg.trained_model_dir, lang))
            else:
                from .onnx_backend import OnnxBackend, resolve_model_dir

                if not cfg.onnx_model_dir:
                    raise FileNotFoundError("sentiment: backend 'onnx' needs onnx_model_dir (Settings.onnx_model_dir)")
                inst = OnnxBackend(resolve_model_dir(cfg.onnx_model_dir, lang))
            _instances[key] = inst
    return inst


def _domain(domain: str | None, config: SentimentConfig | None = None) -> str:
    return normalize_domain(_cfg(config).domain if domain is None else domain)


def _result(scores: list[float], backend: SentimentBackend, language: str,
            sentences: list[str] | None = None, domain: str = DEFAULT_DOMAIN,
            weights: list[float] | None = None, scope: str = "text") -> SentimentResult:
    mult = contrast_multipliers(sentences, language) if sentences else None
    if mult is not None:
        mult = [m * a for m, a in zip(mult, attribution_multipliers(sentences, language))]
        if weights is not None:
            mult = [m * w for m, w in zip(mult, weights)]
    score = round(aggregate(scores, mult), 4)
    own = getattr(backend, "thresholds", None)  # a trained model carries its own fitted pair
    neg, pos = own if own else thresholds(language, backend.name, domain, scope)
    return SentimentResult(label=label_for(score, neg, pos), score=score, method=backend.name,
                           version=f"{backend.version}+{AGGREGATION_VERSION}", n_sentences=len(scores))


def score_text(text: str, language: str, backend: str | None = None, domain: str | None = None, *,
               config: SentimentConfig | None = None) -> SentimentResult:
    """Sentiment of a whole text (article body, title, review...).

    ``text`` is split with :func:`split_sentences`; each sentence is scored by the backend for
    ``language`` (or the named ``backend``); scores are combined with
    :func:`~mediamon.enrich.sentiment.base.aggregate` and labelled with the thresholds of ``domain``
    (``'calibrated'`` | ``'news'``, alias ``'reviews'`` = ``'calibrated'``; None = the profile of
    ``config``, default :func:`default_config`). The score does not depend on the domain, only the label does.
    Empty text gives ``SentimentResult('neutral', 0.0, method, version, 0)``.
    Raises TypeError if text is not a str, UnsupportedLanguageError (a ValueError) for an
    unconfigured language, ValueError for an unknown domain.
    """
    if not isinstance(text, str):
        raise TypeError(f"score_text: text must be str, got {type(text).__name__}")
    lang = _norm_lang(language)
    d = _domain(domain, config)
    b = get_backend(lang, backend, config=config)
    sents = split_sentences(text, lang)
    return _result(b.score_sentences(sents) if sents else [], b, lang, sents, d)


def topic_sentences(text: str, language: str, terms: list[str]) -> list[str]:
    """Sentences of ``text`` that mention any of ``terms``, matched by the topic matcher
    (:class:`mediamon.enrich.topics.TopicMatcher`: whole words, case-insensitive except acronyms of
    at most 3 letters, diacritics-insensitive, a trailing ``*`` matches a prefix). Empty and non-string
    terms are ignored; ``[]`` when none is left or none is mentioned. Raises ValueError for a
    misplaced ``*``."""
    clean = [t for t in terms if isinstance(t, str) and t.strip()]
    if not clean:
        return []
    m = TopicMatcher("score_topic", {"*": clean}).match(text, None, _norm_lang(language))
    return m.sentences if m else []


def score_topic(text: str, language: str, terms: list[str], backend: str | None = None,
                domain: str | None = None, *, config: SentimentConfig | None = None) -> SentimentResult | None:
    """Sentiment of the sentences of ``text`` that mention a topic's ``terms`` (:func:`topic_sentences`).

    Terms match as tracked topics do (multi-word terms allow any whitespace); ``config`` as :func:`score_text`.
    Returns None when no sentence mentions any term (or ``terms`` is empty); otherwise a
    :class:`SentimentResult` whose ``n_sentences`` is the number of matching sentences.
    Raises as :func:`score_text`.
    """
    if not isinstance(text, str):
        raise TypeError(f"score_topic: text must be str, got {type(text).__name__}")
    if isinstance(terms, str):
        terms = [terms]
    lang = _norm_lang(language)
    d = _domain(domain, config)
    sents = topic_sentences(text, lang, list(terms or []))
    if not sents:
        return None
    b = get_backend(lang, backend, config=config)
    return _result(b.score_sentences(sents), b, lang, sents, d)


def detect_language(text: str, prior: str | None = None) -> tuple[str, float]:
    """(ISO 639-1 code, confidence) via :func:`mediamon.enrich.langid.detect_language` when available,
    else py3langid (Lui & Baldwin 2012) directly."""
    try:
        from mediamon.enrich.langid import detect_language as _detect
    except ImportError:
        _detect = None
    if _detect is not None:
        return _detect(text, prior=prior)
    import py3langid

    lang, conf = py3langid.classify(text)
    return lang, float(conf)


def score_article_text(text: str, language: str, title: str | None = None, backend: str | None = None,
                       domain: str | None = None, *, config: SentimentConfig | None = None) -> SentimentResult:
    """Sentiment of a news article: ``title`` and the body's sentences, weighted by position
    (:func:`mediamon.enrich.sentiment.article.article_weights`: title x2, the lead's first two
    sentences x1.5), boilerplate lines left out (:func:`~mediamon.enrich.sentiment.article.content_lines`:
    'Most popular' widgets, 'Baca juga', share prompts, bylines), then contrast and reported-speech
    multipliers and :func:`~mediamon.enrich.sentiment.base.aggregate`. ``n_sentences`` counts the
    scored units (title included). Empty input gives neutral 0.0. Raises as :func:`score_text`."""
    from .article import article_weights, content_lines

    if not isinstance(text, str):
        raise TypeError(f"score_article_text: text must be str, got {type(text).__name__}")
    lang = _norm_lang(language)
    d = _domain(domain, config)
    b = get_backend(lang, backend, config=config)
    sents = [s for line in content_lines(text) for s in split_sentences(line, lang)]
    head = [title.strip()] if isinstance(title, str) and title.strip() else []
    units = head + sents
    if not units:
        return _result([], b, lang, None, d, scope="article")
    weights = article_weights(len(sents), bool(head))
    return _result(b.score_sentences(units), b, lang, units, d, weights, scope="article")


def target_sentiment(text: str, target_terms: list[str] | str, lang: str, backend: str | None = None,
                     domain: str | None = None, *, config: SentimentConfig | None = None) -> tuple[float, str] | None:
    """Sentiment toward a target (person, organisation, topic) in ``text``: ``(score in [-1, 1], label)``.

    Only sentences mentioning one of ``target_terms`` count (case-insensitive whole words, a
    trailing ``*`` matches a prefix); in each, the clauses that mention the target count fully and
    the sentence's other clauses x0.3 (:mod:`mediamon.enrich.sentiment.article`), with the same
    contrast/reported-speech multipliers and aggregation as :func:`score_text`. Returns None when
    no sentence mentions the target. Raises as :func:`score_text`.
    """
    from .article import OTHER_CLAUSE_WEIGHT, clauses, term_pattern

    if not isinstance(text, str):
        raise TypeError(f"target_sentiment: text must be str, got {type(text).__name__}")
    terms = [target_terms] if isinstance(target_terms, str) else list(target_terms or [])
    pat = term_pattern(terms)
    if pat is None:
        return None
    lg = _norm_lang(lang)
    d = _domain(domain, config)
    b = get_backend(lg, backend, config=config)
    units, weights = [], []
    for s in split_sentences(text, lg):
        if not pat.search(s):
            continue
        parts = clauses(s)
        if len(parts) <= 1:
            units.append(s)
            weights.append(1.0)
            continue
        for c in parts:
            units.append(c)
            weights.append(1.0 if pat.search(c) else OTHER_CLAUSE_WEIGHT)
    if not units:
        return None
    r = _result(b.score_sentences(units), b, lg, units, d, weights)
    return r.score, r.label
