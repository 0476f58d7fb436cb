"""Topic stages for the CLI: re-apply topics to stored articles, preview an ad-hoc query, and the
history of applied topic versions (see :mod:`mediamon.topicsync`). No fetch: stored text only."""

from __future__ import annotations

from datetime import date

from mediamon import topicsync
from mediamon.runcalendar import RunParamError
from mediamon.runtime import Runtime
from mediamon.stages.common import _rt


def _since(v: str | date | None) -> date | None:
    """``v`` as a date (None stays None); :class:`RunParamError` naming ``since`` otherwise."""
    if v is None or isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v).strip())
    except ValueError:
        raise RunParamError(f"since: {v!r} is not a date YYYY-MM-DD") from None


def topics_rerun(since: str | date | None, config_dir: str | None = None, *, topics: list[str] | None = None,
                 runtime: Runtime | None = None) -> dict:
    """Re-match the configured ``topics`` (ids; None or empty: all) against the stored articles
    with ``day >= since`` (``YYYY-MM-DD``; None: every stored article), replacing those topics'
    matches and rebuilding the ``daily_coverage`` days already built in the range; records a
    ``topic_versions`` row per topic (reason ``rerun``). Raises :class:`RunParamError` naming an
    unknown topic id or a malformed date, ``store.StoreError`` when the database is locked.
    Returns :func:`mediamon.topicsync.apply_topics`' counts."""
    from mediamon.enrich import sentiment

    rt = _rt(config_dir, runtime)
    cfg = rt.config
    day = _since(since)
    known = {t.id: t for t in cfg.topics}
    unknown = [t for t in (topics or []) if t not in known]
    if unknown:
        raise RunParamError(f"unknown topic id(s) {', '.join(map(repr, unknown))} (configured: {', '.join(known) or 'none'})")
    chosen = [known[t] for t in dict.fromkeys(topics)] if topics else list(cfg.topics)
    scfg = sentiment.SentimentConfig.from_settings(cfg.settings)
    with rt.store.session() as s:
        return topicsync.apply_topics(s, chosen, since=day, now=rt.clock.now(), reason="rerun", sentiment_config=scfg)


def topics_test(query: str, config_dir: str | None = None, *, since: str | date | None = None,
                language: str | None = None, limit: int = 20, runtime: Runtime | None = None) -> dict:
    """Preview the ad-hoc topic ``query`` over stored articles (read-only; see
    :func:`mediamon.topicsync.preview`). Raises ``ValueError`` with ``at position N`` for a
    malformed query and :class:`RunParamError` for a malformed date."""
    rt = _rt(config_dir, runtime)
    day = _since(since)
    if not rt.store.exists():
        return {"query": query, "since": day.isoformat() if day else None, "scanned": 0, "matched": 0, "matches": []}
    with rt.store.session(read_only=True) as s:
        return topicsync.preview(s, query, since=day, language=language, limit=limit)


def topics_status(config_dir: str | None = None, *, runtime: Runtime | None = None) -> dict:
    """Configured topics with their current version, the version in force in the database and
    whether the next enrich will apply them (``pending``), plus the applied-version history."""
    from mediamon.enrich.topics.version import topic_version

    rt = _rt(config_dir, runtime)
    in_force, history = {}, []
    if rt.store.exists():
        with rt.store.session(read_only=True) as s:
            in_force, history = s.topic_versions_in_force(), s.topic_version_history()
    topics = [{"topic_id": t.id, "name": t.name, "version": topic_version(t), "in_force": in_force.get(t.id),
               "pending": in_force.get(t.id) != topic_version(t)} for t in rt.config.topics]
    return {"topics": topics, "history": history}
