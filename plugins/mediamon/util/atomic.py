"""The one atomic-write helper: a reader never sees half a file, a crash leaves the old one.

The data goes to a temporary file in the target's directory, is flushed and fsynced, and
then renamed over the target with :func:`os.replace` (atomic on POSIX within one file
system). Used for staging files, feed polling state, host-gate state, robots caches and
report files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8", perm: int = 0o644) -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing; on normal exit it replaces ``path``.

    ``mode``: ``"w"`` (text, ``encoding``) or ``"wb"`` (bytes). ``perm``: file mode of the
    result (default 0644, readable by the web server or the user's browser). On an
    exception the temporary file is removed and ``path`` is left as it was. The parent
    directory is created. Raises OSError from the file system (naming the path)."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open mode must be 'w' or 'wb', not {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, encoding=encoding if mode == "w" else None) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, perm)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8", perm: int = 0o644) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path, "w", encoding=encoding, perm=perm) as f:
        f.write(text)


def write_bytes(path: str | Path, data: bytes, *, perm: int = 0o644) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path, "wb", perm=perm) as f:
        f.write(data)
