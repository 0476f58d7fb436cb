"""Test doubles of the ports where a real adapter adds nothing: a fixed clock and an in-memory
staging. Both satisfy the protocols of :mod:`mediamon.ports` (tests/test_stages.py runs the
same staging contract test on :class:`MemoryStaging` and the real FileStaging)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone

from mediamon.records import Record, record_from_json
from mediamon.staging import StagingError


class FixedClock:
    """A clock standing at ``at`` (aware; converted to UTC) until moved with :meth:`set`."""

    def __init__(self, at: datetime):
        self.set(at)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self.at


class MemoryStaging:
    """Batches kept in memory as their JSON lines (so what is read back went through the same
    to_json/from_json round trip as the file staging). Refs: ``mem:<run_id>/<name>``."""

    def __init__(self):
        self.batches: dict[str, list[str]] = {}

    def write_batch(self, run_id: str, name: str, records: Iterable[Record]) -> str:
        ref = f"mem:{run_id}/{name}"
        self.batches[ref] = [r.to_json() for r in records]
        return ref

    def read_batch(self, ref: str) -> list[Record]:
        if not isinstance(ref, str) or not ref.startswith("mem:"):
            raise StagingError(f"staging ref {ref!r} is not a ref of this staging")
        if ref not in self.batches:
            raise FileNotFoundError(f"staging batch {ref!r} not found")
        out = []
        for n, line in enumerate(self.batches[ref], 1):
            try:
                out.append(record_from_json(line))
            except (ValueError, json.JSONDecodeError) as e:
                raise StagingError(f"staging batch {ref!r} line {n}: {e}") from None
        return out

    def list_refs(self, run_id: str) -> list[str]:
        return sorted(r for r in self.batches if r.startswith(f"mem:{run_id}/"))

    def clean(self, *, keep_s: float) -> int:
        return 0  # nothing ages in memory
