"""Versions of topic definitions: a topic's version is the sha1 of what decides its matches
(terms per language, query, diacritic folding, and :data:`MATCHER_VERSION` of the matching
rules), so renaming a topic is not a new version but changing a term is. Stored in
``topic_versions``; :mod:`mediamon.topicsync` re-matches stored articles when it changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["MATCHER_VERSION", "topic_definition", "topic_version"]

# Bump when a change to the matching rules (match.py, index.py, the query language) changes
# which articles a stored topic matches or the fields of its matches: every topic then gets a
# new version and is re-matched over the backfill window on the next enrich.
# 2: prominence fields (in_title, in_lead, body_mentions), NEAR/k and field scopes.
MATCHER_VERSION = 2


def topic_definition(topic: Any, *, fold_diacritics: bool = True) -> str:
    """Canonical JSON of what decides ``topic``'s matches (a :class:`mediamon.config.Topic`:
    ``terms``, ``query``): keys sorted, term lists as configured."""
    return json.dumps({"terms": {k: list(v) for k, v in sorted((topic.terms or {}).items())},
                       "query": topic.query, "fold_diacritics": fold_diacritics, "matcher": MATCHER_VERSION},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def topic_version(topic: Any, *, fold_diacritics: bool = True) -> str:
    """First 12 hex digits of the sha1 of :func:`topic_definition` (UTF-8)."""
    return hashlib.sha1(topic_definition(topic, fold_diacritics=fold_diacritics).encode("utf-8")).hexdigest()[:12]
