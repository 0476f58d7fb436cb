"""Page handlers for the extraction pool tests (module-level, so worker processes import them
by name): the real :func:`mediamon.pagepool.process_page`, except on a page holding a marker
comment, where the worker process dies (``os._exit``, as a segfault in a C extension would
end it) or hangs past any time limit."""

from __future__ import annotations

import os
import time

from mediamon.pagepool import process_page

CRASH = "<!-- crash-the-extractor -->"
HANG = "<!-- hang-the-extractor -->"


def crash_or_process(job, ctx, scorer):
    """``os._exit(70)`` on a page containing :data:`CRASH`, a 600 s sleep on :data:`HANG`,
    else :func:`process_page`."""
    if any(CRASH in p for p in job.pages):
        os._exit(70)
    if any(HANG in p for p in job.pages):
        time.sleep(600)
    return process_page(job, ctx, scorer)
