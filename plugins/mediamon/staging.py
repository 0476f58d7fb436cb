"""Run staging on files: typed record batches as JSON lines under ``<data_dir>/staging/<run_id>/``.

:class:`FileStaging` implements :class:`mediamon.ports.Staging`. A batch ``name`` of run
``run_id`` is the file ``<root>/<run_id>/<name>.jsonl`` (both made file-name safe), one
:meth:`mediamon.records.Record.to_json` line per record, written atomically
(:mod:`mediamon.util.atomic`); its ref is ``"<run_id>/<name>.jsonl"`` relative to the root.
The run's directory also holds the feed polling state staged by ``discover`` until ``load``
promotes it (:func:`stage_feed_state`, :func:`promote_feed_state`).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from mediamon.records import Record, RecordError, record_from_json
from mediamon.util.atomic import atomic_open, write_bytes

__all__ = ["FileStaging", "StagingError", "STAGING_KEEP_S", "safe_name", "stage_feed_state", "promote_feed_state"]

STAGING_KEEP_S = 7 * 86400  # staging directories of finished runs are removed after a week


class StagingError(ValueError):
    """A staging ref that this staging did not make, or a staged batch that does not parse."""


def safe_name(name: str) -> str:
    """``name`` as a file name: runs of characters other than ``[A-Za-z0-9_.-]`` become ``_``,
    at most 120 characters."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]


class FileStaging:
    """:class:`mediamon.ports.Staging` on the local file system under ``root``
    (``<data_dir>/staging``)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def run_dir(self, run_id: str) -> Path:
        """The directory of one run's batches (created)."""
        d = self.root / safe_name(run_id)
        d.mkdir(parents=True, exist_ok=True)
        return d

    def write_batch(self, run_id: str, name: str, records: Iterable[Record]) -> str:
        """Write the batch atomically (see :class:`mediamon.ports.Staging`). Raises OSError."""
        path = self.run_dir(run_id) / f"{safe_name(name)}.jsonl"
        with atomic_open(path, "w") as f:
            for r in records:
                f.write(r.to_json() + "\n")
        return f"{path.parent.name}/{path.name}"

    def _path(self, ref: str) -> Path:
        if not isinstance(ref, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\.jsonl", ref) or ".." in ref.split("/"):
            raise StagingError(f"staging ref {ref!r} is not a ref of this staging (<run>/<name>.jsonl)")
        return self.root / ref

    def read_batch(self, ref: str) -> list[Record]:
        """The records of ``ref`` in order. Raises FileNotFoundError naming the file, and
        :class:`StagingError` naming the ref and line for a malformed one."""
        path = self._path(ref)
        if not path.is_file():
            raise FileNotFoundError(f"staging batch {ref!r} not found ({path})")
        out: list[Record] = []
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    out.append(record_from_json(line))
                except RecordError as e:
                    raise StagingError(f"staging batch {ref!r} line {n}: {e}") from None
        return out

    def list_refs(self, run_id: str) -> list[str]:
        """Refs of the run's batches, sorted by name."""
        d = self.root / safe_name(run_id)
        return [f"{d.name}/{p.name}" for p in sorted(d.glob("*.jsonl"))] if d.is_dir() else []

    def clean(self, *, keep_s: float = STAGING_KEEP_S) -> int:
        """Remove run directories not modified for ``keep_s`` seconds (file ages are wall-clock,
        never an injected clock). Returns the count."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - keep_s
        n = 0
        for d in self.root.iterdir():
            if d.is_dir() and d.stat().st_mtime < cutoff:
                shutil.rmtree(d, ignore_errors=True)
                n += 1
        return n


def _run_state(data_dir: Path, run_id: str) -> Path:
    return data_dir / "staging" / safe_name(run_id) / "state"


def stage_feed_state(data_dir: Path, state_dir: Path, run_id: str, source_id: str) -> Path:
    """Copy the current feed polling state of ``source_id`` (``<state_dir>/feeds/<id>.json``)
    into the run (``<data_dir>/staging/<run_id>/state``) and return that run state directory:
    discovery updates the copy, and :func:`promote_feed_state` makes it current once the run's
    articles are loaded, so a run failing before ``load`` does not mark feed items as seen."""
    run_state = _run_state(data_dir, run_id)
    main_file = state_dir / "feeds" / f"{source_id}.json"
    if main_file.exists():
        (run_state / "feeds").mkdir(parents=True, exist_ok=True)
        shutil.copy2(main_file, run_state / "feeds" / f"{source_id}.json")
    return run_state


def promote_feed_state(data_dir: Path, state_dir: Path, run_id: str) -> None:
    """Make the run's feed polling state (validators, intervals, seen items) the current one
    (``<state_dir>/feeds/``), file by file atomically."""
    staged = _run_state(data_dir, run_id) / "feeds"
    if not staged.is_dir():
        return
    dest = state_dir / "feeds"
    dest.mkdir(parents=True, exist_ok=True)
    for f in staged.glob("*.json"):
        write_bytes(dest / f.name, f.read_bytes())
