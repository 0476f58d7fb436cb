"""Adaptive polling of feeds and sitemaps, conditional GET state, and the article refresh policy.

Conditional GET and adaptive polling per feed/sitemap URL with :class:`FeedState`, updated
by :func:`update_feed_state` (pure) under a :class:`PollPolicy`, persisted as JSON by
:class:`FeedStateStore` under ``<state_dir>/feeds/<source_id>.json`` (one file per source so
parallel source tasks never write the same file). :func:`due_for_refresh` says when a stored
article is fetched again (edits and takedowns).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable

from mediamon.util.dates import parse_feed_date
from mediamon.acquire.result import FetchResult
from mediamon.util.atomic import atomic_open

__all__ = ["FeedState", "FeedStateStore", "PollPolicy", "due_for_refresh", "feed_validators", "is_due",
           "update_feed_state"]


@dataclass(frozen=True)
class PollPolicy:
    """Adaptive polling bounds (seconds). After a poll with new items the interval is
    multiplied by ``speedup``, after one without by ``slowdown``, after an error by
    ``error_backoff``; always clamped to ``[min_interval_s, max_interval_s]``.

    Verification of validators (a feed may answer ``304 Not Modified`` while its items
    change): a poll is unconditional (no ETag/If-Modified-Since) after ``verify_first``
    conditional polls; each verification that finds the feed honest doubles that spacing, up
    to ``verify_every`` polls; a poll is also unconditional when the last unconditional one is
    older than ``verify_max_age_s`` or another signal asked for it (a sitemap listing new
    URLs while the feed answers 304). A feed caught lying is polled without validators; after
    ``retrust_after_s`` (doubled each time it is caught again, at most ``max_retrust_s``) its
    validators are tried again, with verification starting over at ``verify_first``."""

    min_interval_s: float = 300.0
    max_interval_s: float = 86_400.0
    initial_interval_s: float = 900.0
    speedup: float = 0.5
    slowdown: float = 1.5
    error_backoff: float = 2.0
    verify_every: int = 12
    verify_first: int = 2
    verify_max_age_s: float = 43_200.0
    retrust_after_s: float = 30 * 86_400.0
    max_retrust_s: float = 365 * 86_400.0
    max_seen: int = 2000


@dataclass
class FeedState:
    """Per feed/sitemap URL polling state (JSON-serialisable via ``to_dict``/``from_dict``).

    ``etag``/``last_modified``: validators last received; ``validators_trusted``: False once
    the feed returned the same validator with different items (then ``untrusted_at`` (ISO
    8601 UTC), ``untrusted_reason`` and ``times_untrusted`` say when and why; see
    :class:`PollPolicy` for re-trust); ``poll_interval_s``;
    ``next_poll_at``/``last_polled_at``: ISO 8601 UTC strings; ``last_new_items``: new item
    URLs seen on the last poll; ``items_hash``: SHA-1 of the sorted item URLs last seen;
    ``seen``: recently seen item URLs (bounded); ``polls_since_verify``: conditional polls
    since the last unconditional one; ``verify_spacing``: conditional polls allowed between
    verifications (0: ``PollPolicy.verify_first``); ``last_verified_at``: last unconditional
    poll answered 200 (ISO 8601 UTC); ``verify_requested``: why the next poll must be
    unconditional, or None; ``consecutive_errors``; ``last_outcome``.
    """

    feed_url: str
    etag: str | None = None
    last_modified: str | None = None
    validators_trusted: bool = True
    poll_interval_s: float = 900.0
    next_poll_at: str | None = None
    last_polled_at: str | None = None
    last_new_items: int = 0
    items_hash: str | None = None
    seen: list[str] = field(default_factory=list)
    polls_since_verify: int = 0
    consecutive_errors: int = 0
    last_outcome: str | None = None
    verify_spacing: int = 0
    last_verified_at: str | None = None
    verify_requested: str | None = None
    untrusted_at: str | None = None
    untrusted_reason: str | None = None
    times_untrusted: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict of all fields."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "FeedState":
        """A state from :meth:`to_dict` output; unknown keys are ignored (older/newer files)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def _iso(d: datetime) -> str:
    return d.astimezone(timezone.utc).isoformat(timespec="seconds")


def is_due(state: FeedState | None, now: datetime) -> bool:
    """True when the feed should be polled at ``now`` (UTC): no state, or ``next_poll_at`` reached."""
    if state is None or not state.next_poll_at:
        return True
    nxt = parse_feed_date(state.next_poll_at)
    return nxt is None or now >= nxt


def feed_validators(state: FeedState | None, policy: PollPolicy = PollPolicy(),
                    now: datetime | None = None) -> dict[str, str] | None:
    """Validators for a conditional GET (``{'etag': str, 'last_modified': str}``, either may be
    absent), or None for an unconditional GET: no state or no validators stored, validators
    distrusted, a verification requested, ``polls_since_verify`` reached the verification
    spacing (:class:`PollPolicy`), or (with ``now``, aware UTC) the last unconditional poll is
    older than ``policy.verify_max_age_s`` seconds. Pure; raises nothing."""
    if state is None or not state.validators_trusted or state.verify_requested:
        return None
    spacing = min(state.verify_spacing or policy.verify_first, policy.verify_every)
    if state.polls_since_verify >= spacing:
        return None
    if now is not None and state.last_verified_at:
        last = parse_feed_date(state.last_verified_at)
        if last is None or (now - last).total_seconds() >= policy.verify_max_age_s:
            return None
    v = {k: getattr(state, k) for k in ("etag", "last_modified") if getattr(state, k)}
    return v or None


def _retrust_due(st: FeedState, now: datetime, policy: PollPolicy) -> bool:
    since = parse_feed_date(st.untrusted_at) if st.untrusted_at else None
    if since is None:
        return False
    wait = min(policy.max_retrust_s, policy.retrust_after_s * 2 ** max(0, st.times_untrusted - 1))
    return (now - since).total_seconds() >= wait


def update_feed_state(state: FeedState | None, feed_url: str, result: FetchResult, item_urls: Iterable[str] | None,
                      now: datetime, policy: PollPolicy = PollPolicy()) -> tuple[FeedState, list[str]]:
    """Pure update after polling ``feed_url`` at ``now`` (aware UTC): returns ``(new_state, new_item_urls)``.

    ``state``: the state the poll was made with (its validators were those of
    :func:`feed_validators` ``(state, policy, now)``); ``result``: the poll's FetchResult;
    ``item_urls``: canonical item URLs parsed from a 200 response (None for 304/errors).
    Lying validators: a 200 carrying the *same* ETag (or Last-Modified, when no ETag) as
    stored but a different set of items means the validators do not track content (a
    conditional poll with them would have answered 304, as it may have done before): the feed
    becomes untrusted (``validators_trusted`` False, ``untrusted_at``, ``untrusted_reason``)
    and is polled without validators until re-trusted (:class:`PollPolicy`). An
    unconditional 200 that finds no lie widens the verification spacing. The interval adapts
    as described in :class:`PollPolicy`.
    """
    st = dataclasses.replace(state) if state is not None else FeedState(feed_url, poll_interval_s=policy.initial_interval_s)
    st.seen = list(st.seen)
    conditional = feed_validators(state, policy, now) is not None
    new: list[str] = []
    st.last_polled_at = _iso(now)
    prev_outcome = st.last_outcome
    st.last_outcome = result.outcome
    interval = st.poll_interval_s
    if result.outcome == "ok" and item_urls is not None:
        urls = list(dict.fromkeys(item_urls))
        h = hashlib.sha1("\n".join(sorted(urls)).encode()).hexdigest()
        etag = result.headers.get("ETag") or result.headers.get("etag")
        lm = result.headers.get("Last-Modified") or result.headers.get("last-modified")
        seen = set(st.seen)
        new = [u for u in urls if u not in seen]
        lied = st.items_hash is not None and h != st.items_hash and (
            (etag and etag == st.etag) or (not etag and lm and lm == st.last_modified))
        if lied and st.validators_trusted:
            what = f"ETag {etag}" if etag else f"Last-Modified {lm}"
            st.validators_trusted = False
            st.untrusted_at = _iso(now)
            st.times_untrusted += 1
            st.untrusted_reason = (f"{what} unchanged but the item list changed ({len(new)} new item(s))"
                                   + (" after a 304 Not Modified" if prev_outcome == "not_modified" else "")
                                   + (" on a verification poll" if not conditional else ""))
        st.seen = (st.seen + new)[-policy.max_seen:]
        st.items_hash, st.etag, st.last_modified = h, etag, lm
        st.consecutive_errors = 0
        if conditional:
            st.polls_since_verify += 1
        else:
            if state is not None and state.polls_since_verify > 0 and not lied and st.validators_trusted:
                st.verify_spacing = min(policy.verify_every, 2 * (st.verify_spacing or policy.verify_first))
            st.polls_since_verify = 0
            st.last_verified_at = _iso(now)
            st.verify_requested = None
        if not st.validators_trusted and not st.untrusted_at:  # state file from before untrusted_at existed
            st.untrusted_at, st.times_untrusted = _iso(now), max(1, st.times_untrusted)
        if not st.validators_trusted and not lied and _retrust_due(st, now, policy):
            st.validators_trusted = True
            st.verify_spacing, st.polls_since_verify = policy.verify_first, 0
        interval = interval * (policy.speedup if new else policy.slowdown)
    elif result.outcome == "not_modified":
        st.consecutive_errors = 0
        st.polls_since_verify += 1
        interval = interval * policy.slowdown
    else:
        st.consecutive_errors += 1
        interval = interval * policy.error_backoff
    st.last_new_items = len(new)
    st.poll_interval_s = float(min(policy.max_interval_s, max(policy.min_interval_s, interval)))
    st.next_poll_at = _iso(now + timedelta(seconds=st.poll_interval_s))
    return st, new


class FeedStateStore:
    """JSON persistence of :class:`FeedState` per source: ``<state_dir>/feeds/<source_id>.json``
    (``{"version": 1, "feeds": {feed_url: state_dict}}``), written atomically
    (:func:`mediamon.util.atomic.atomic_open`: a failed save leaves the previous file and no
    temporary file). A corrupt file is reported by :meth:`load` raising ValueError naming it."""

    def __init__(self, state_dir: str | Path, source_id: str):
        self.path = Path(state_dir) / "feeds" / f"{source_id}.json"

    def load(self) -> dict[str, FeedState]:
        """The stored states by feed URL (empty when no file). Raises ValueError naming the
        file when it is corrupt."""
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {u: FeedState.from_dict(d) for u, d in data.get("feeds", {}).items()}
        except (ValueError, TypeError, AttributeError) as e:
            raise ValueError(f"{self.path}: corrupt feed state file: {e}") from None

    def save(self, states: dict[str, FeedState]) -> None:
        """Replace the file with ``states`` (by feed URL). Raises OSError from the file system,
        TypeError/ValueError when a state is not JSON-serialisable (the old file is kept)."""
        payload = {"version": 1, "feeds": {u: s.to_dict() for u, s in sorted(states.items())}}
        with atomic_open(self.path, "w") as fh:
            json.dump(payload, fh, indent=1)


# ----------------------------------------------------------------------------- refresh policy


def due_for_refresh(first_seen_at: datetime, last_fetched_at: datetime | None, now: datetime,
                    schedule_s: tuple[float, ...] = (86_400.0, 604_800.0)) -> bool:
    """True when a stored article should be re-fetched to record edits or takedowns.

    A re-fetch is due when some point ``first_seen_at + s`` (``s`` in ``schedule_s``,
    seconds; default +24 h and +7 days) has been reached (``<= now``) and the article was not
    fetched at or after that point. All datetimes are aware (UTC) or all naive. Pure.
    """
    last = last_fetched_at or first_seen_at
    for s in sorted(schedule_s):
        due_at = first_seen_at + timedelta(seconds=s)
        if due_at <= now and last < due_at:
            return True
    return False

