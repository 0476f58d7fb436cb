"""One ``mediamon run`` at a time per data directory: an advisory lock on ``<data_dir>/run.lock``.

:func:`run_lock` takes ``fcntl.flock(LOCK_EX)`` on the file; the kernel releases it when the
holder closes it or dies, so a crashed run never leaves a stale lock. The holder writes its
pid and start time (UTC) into the file so a second run can say who holds it. POSIX only.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = "run.lock"
POLL_S = 0.2  # how often a waiting run retries the lock (seconds)


class RunLocked(RuntimeError):
    """Another process holds the run lock. ``path``: the lock file; ``holder``: its
    ``"pid N, started ISO"`` text (may be empty when unreadable)."""

    def __init__(self, path: Path, holder: str, waited_s: float):
        self.path, self.holder, self.waited_s = path, holder, waited_s
        who = f" ({holder})" if holder else ""
        waited = f" after waiting {waited_s:g} s" if waited_s else ""
        super().__init__(f"another mediamon run holds {path}{who}{waited}; "
                         f"try again later or pass --wait SECONDS")


def _holder(f) -> str:
    try:
        f.seek(0)
        return " ".join(f.read(200).split())
    except OSError:
        return ""


@contextmanager
def run_lock(data_dir: str | Path, wait_s: float = 0.0) -> Iterator[Path]:
    """Hold the run lock of ``data_dir`` (created if missing) for the ``with`` block.

    ``wait_s``: seconds to wait for another holder to finish (0: fail at once). Yields the
    lock file's path. Raises :class:`RunLocked` when the lock is still held after
    ``wait_s`` seconds, OSError when the file cannot be created."""
    path = Path(data_dir) / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    f = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed below; never truncates a holder's note
    try:
        deadline = time.monotonic() + max(0.0, wait_s)
        while True:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RunLocked(path, _holder(f), wait_s) from None
                time.sleep(min(POLL_S, left))
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}, started {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
        f.flush()
        try:
            yield path
        finally:
            try:
                f.seek(0)
                f.truncate()  # the note describes a live holder only
                f.flush()
            except OSError:
                pass
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
    finally:
        f.close()
