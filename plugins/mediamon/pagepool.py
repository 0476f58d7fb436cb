"""Extraction of fetched pages in a process pool, overlapping the fetching, with one page's crash
or timeout recorded for that page only.

A fetch task hands each article's fetched pages to :class:`PagePool` as soon as they arrive
(:func:`mediamon.fetching.fetch_and_extract`); the pool's worker processes extract the page
(:func:`mediamon.extract.extract_article`), build the :class:`~mediamon.records.ArticleRecord`
(MinHash signature included, :func:`mediamon.articles.article_record`) and score it
(sentiment and topic matches, :func:`mediamon.enrichment.score_article`), while the fetching
threads go on with the next pages. So one task uses every core, and the per-article, pure
part of enrichment is done in the parallel fetch tasks: the pooled ``enrich`` step reuses the
scores (:class:`~mediamon.records.ArticleScored` marks an article scored) and only clusters
stories.

Workers are started with the ``forkserver`` method (fork() of a process running fetch threads
is unsafe; the fork server is a clean process that imports the extractor once, so a new
worker starts in milliseconds). A worker that dies (segfault in a C extension, ``os._exit``,
out of memory) breaks the whole :class:`concurrent.futures.ProcessPoolExecutor` and fails
every page in flight; those pages are then re-run one at a time, each in a fresh one-worker
pool, so only the page that kills its worker again is recorded as failed
(``error_class='ExtractorCrashed'``). A page whose extraction runs longer than
``timeout_s`` seconds is interrupted in its worker (``SIGALRM``) and recorded as failed
(``ExtractionTimeout``). ``workers=0`` extracts in the calling thread (no pool, no timeout).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mediamon.records import ArticleRecord, ArticleScored, Candidate, Record

__all__ = ["PageContext", "PageJob", "PageOutcome", "PagePool", "ExtractionTimeout", "process_page", "prescored",
           "default_workers"]

log = logging.getLogger(__name__)

# modules the fork server imports once, so that every worker forked from it starts warm
_PRELOAD = ["mediamon.pagepool", "mediamon.extract", "mediamon.enrichment", "mediamon.enrich.sentiment",
            "mediamon.enrich.topics", "mediamon.enrich.dedup"]


class ExtractionTimeout(BaseException):
    """A page's extraction ran past its time limit. A BaseException, so the extractor's own
    ``except Exception`` does not turn it into an ordinary empty page."""


def default_workers() -> int:
    """Extraction processes when ``settings.fetch.extract_workers`` is unset: the cores this
    process may run on (``os.sched_getaffinity``, else ``os.cpu_count()``), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class PageContext:
    """What every page of one fetch task is processed with: the report timezone ``tz``, the
    ``run_id``, and for scoring the ``settings`` (``config.Settings``, its sentiment backends) and
    the tracked ``topics`` (``config.Topic`` list); ``score=False`` skips scoring (the enrich
    stage then scores). Picklable (sent once to each worker)."""

    tz: str
    run_id: str
    settings: Any = None
    topics: list = field(default_factory=list)
    score: bool = True


@dataclass
class PageJob:
    """One article's fetched pages: the ``source`` (``config.Source``), the planned ``cand``,
    the first page's ``final_url``, ``fetched_at`` (aware UTC) and ``replacement_chars``, and
    the decoded HTML of each page (first page first)."""

    source: Any
    cand: Candidate
    final_url: str | None
    fetched_at: datetime
    replacement_chars: int
    pages: list[str]


@dataclass
class PageOutcome:
    """What became of a :class:`PageJob`: ``kind`` ``'article'`` (``records``: the
    ArticleRecord, then its SentimentRow/TopicMatchRows and ArticleScored when scored),
    ``'not_article'`` (``skip_reason``: the page type or ``'empty'``; ``error_class``/``error``:
    the extractor's exception, if any) or ``'error'`` (``error_class``/``error``: what failed,
    e.g. ``ExtractorCrashed``, ``ExtractionTimeout``)."""

    kind: str
    records: list[Record] = field(default_factory=list)
    skip_reason: str | None = None
    error_class: str | None = None
    error: str | None = None


class _Scorer:
    """Topic matchers and sentiment configuration of a context, built once per process."""

    def __init__(self, ctx: PageContext):
        from mediamon.enrich import sentiment, topics

        self.matchers = [topics.TopicMatcher.from_topic(t) for t in ctx.topics]
        self.scfg = sentiment.SentimentConfig.from_settings(ctx.settings) if ctx.settings is not None else None


def process_page(job: PageJob, ctx: PageContext, scorer: _Scorer | None = None) -> PageOutcome:
    """Extract ``job``'s pages (multi-page articles stitched,
    :func:`mediamon.articles.stitch_pages`), and for an article build its record and, with
    ``ctx.score``, its scores (:func:`mediamon.enrichment.score_article`; a scoring failure is
    logged and leaves the article unscored, for the enrich stage to score). Raises what
    building the record raises (e.g. ValueError for a URL that does not canonicalise)."""
    from mediamon.articles import article_record, extraction_error, stitch_pages
    from mediamon.extract import extract_article

    url = job.cand.url
    src = job.source
    exts = [extract_article(h, job.final_url or url, source_language=src.language, rules=src.rules,
                            fetched_at=job.fetched_at) for h in job.pages]
    ext = exts[0]
    if len(exts) > 1 and ext.page_type == "article":
        ext.text, n_pages = stitch_pages([e.text for e in exts])
        ext.methods = {**ext.methods, "pages": str(n_pages)}
    if ext.page_type != "article" or not ext.text.strip():
        failed = extraction_error(ext)
        return PageOutcome("not_article", skip_reason=ext.page_type if ext.page_type != "article" else "empty",
                           error_class=failed[0] if failed else None, error=failed[1] if failed else None)
    fetched = _Fetched(job.final_url, job.fetched_at, job.replacement_chars)
    rec = article_record(src, job.cand, fetched, ext, ctx.tz, ctx.run_id)
    out = PageOutcome("article", records=[rec])
    if ctx.score:
        out.records.extend(score_record(rec, scorer or _Scorer(ctx)))
    return out


@dataclass
class _Fetched:
    final_url: str | None
    fetched_at: datetime
    replacement_chars: int


def score_record(rec: ArticleRecord, scorer: _Scorer) -> list[Record]:
    """SentimentRow (when the language has a backend), TopicMatchRows and the ArticleScored
    marker of ``rec``; empty (logged) when scoring raised."""
    from mediamon.enrichment import score_article

    try:
        sent, matches = score_article({"article_id": rec.article_id, "text": rec.text, "title": rec.title,
                                       "language": rec.language}, scorer.matchers, scorer.scfg)
    except Exception as e:  # noqa: BLE001 - the enrich stage scores it again
        log.warning("scoring failed for %s (left to the enrich stage): %s: %s", rec.canonical_url, type(e).__name__, e)
        return []
    out: list[Record] = [sent] if sent is not None else []
    out.extend(matches)
    out.append(ArticleScored(article_id=rec.article_id, content_hash=rec.content_hash,
                             sentiment_version=sent.version if sent is not None else None))
    return out


# -- worker process side -----------------------------------------------------------------
_W: dict[str, Any] = {}


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise ExtractionTimeout(f"extraction took longer than {_W.get('timeout_s')} s")


def _init_worker(ctx: PageContext, timeout_s: float, fn: Any) -> None:
    _W.update(ctx=ctx, scorer=_Scorer(ctx), timeout_s=timeout_s, fn=fn)
    signal.signal(signal.SIGALRM, _on_alarm)


def _work(job: PageJob) -> PageOutcome:
    signal.setitimer(signal.ITIMER_REAL, _W["timeout_s"])
    try:
        return _W["fn"](job, _W["ctx"], _W["scorer"])
    except ExtractionTimeout as e:
        return PageOutcome("error", error_class="ExtractionTimeout", error=str(e))
    except Exception as e:  # noqa: BLE001 - one page's failure is that page's
        return PageOutcome("error", error_class=type(e).__name__, error=str(e)[:2000])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


# -- calling process side ----------------------------------------------------------------
_MAIN_LOCK = threading.Lock()


@contextlib.contextmanager
def _main_hidden():
    """Hide ``__main__``'s ``__file__``/``__spec__`` while worker processes start.

    multiprocessing's forkserver and spawn methods re-import the parent's ``__main__`` script in
    the fork server and in every worker (``multiprocessing.spawn.get_preparation_data``:
    ``init_main_from_path``). Under Airflow that script is ``bin/airflow``, whose import initialises
    Airflow inside the worker and fails there, so every page came back ``ExtractorCrashed``
    (seen with the real scheduler, ``make test-integration``). The workers need nothing from
    ``__main__``: they run module-level functions of importable modules (``_work``, ``fn``)."""
    main = sys.modules.get("__main__")
    with _MAIN_LOCK:
        saved = {k: getattr(main, k) for k in ("__file__", "__spec__") if main is not None and hasattr(main, k)}
        try:
            for k in saved:
                if k == "__spec__":
                    main.__spec__ = None
                else:
                    delattr(main, k)
            yield
        finally:
            for k, v in saved.items():
                setattr(main, k, v)


def _mp_context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


class PagePool:
    """Extraction of :class:`PageJob` s for one fetch task: :meth:`submit` returns at once (the
    page is extracted in a worker process while fetching goes on), :meth:`outcome` waits for one
    page's :class:`PageOutcome`. Thread-safe (the fetching threads submit). ``workers``: worker
    processes (None: :func:`default_workers`; 0: in the calling thread); ``timeout_s``: seconds
    one page's extraction may take; ``fn``: what a worker runs per page, ``fn(job, ctx, scorer)``
    (default :func:`process_page`; a module-level function, pickled by name). Use as a context
    manager (shuts the workers down)."""

    def __init__(self, ctx: PageContext, *, workers: int | None = None, timeout_s: float = 60.0, fn: Any = None):
        self.ctx = ctx
        self.fn = fn or process_page
        self.workers = default_workers() if workers is None else workers
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._ex: ProcessPoolExecutor | None = None
        self._scorer = _Scorer(ctx) if self.workers == 0 else None
        self.crashes = 0  # pages recorded as ExtractorCrashed

    def _executor(self, n: int | None = None) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=n or self.workers, mp_context=_mp_context(),
                                   initializer=_init_worker, initargs=(self.ctx, self.timeout_s, self.fn))

    def submit(self, job: PageJob) -> tuple[PageJob, Future | PageOutcome, Any]:
        """Start processing ``job``; returns a handle for :meth:`outcome`. Never raises for the
        page's content (with ``workers=0`` the page is processed here and now)."""
        if self.workers == 0:
            try:
                return job, self.fn(job, self.ctx, self._scorer), None
            except Exception as e:  # noqa: BLE001 - one page's failure is that page's
                return job, PageOutcome("error", error_class=type(e).__name__, error=str(e)[:2000]), None
        with self._lock:
            for _ in range(2):
                if self._ex is None:
                    self._ex = self._executor()
                try:
                    with _main_hidden():  # workers start inside submit()
                        return job, self._ex.submit(_work, job), self._ex
                except BrokenProcessPool:  # a worker died: the pages in flight are re-run by outcome()
                    self._ex.shutdown(wait=False, cancel_futures=True)
                    self._ex = None
            raise RuntimeError("extraction pool could not be restarted")  # pragma: no cover

    def outcome(self, handle: tuple[PageJob, Future | PageOutcome, Any]) -> PageOutcome:
        """The :class:`PageOutcome` of a submitted page (waits). A page whose worker died is
        re-run alone in a fresh one-worker pool; if that worker dies too, the page's outcome is
        ``'error'`` with ``error_class='ExtractorCrashed'``."""
        job, fut, ex = handle
        if isinstance(fut, PageOutcome):
            return fut
        try:
            return fut.result()
        except BrokenProcessPool:
            return self._isolated(job, ex)
        except ExtractionTimeout as e:  # the alarm went off between the page's end and its reset
            return PageOutcome("error", error_class="ExtractionTimeout", error=str(e))
        except Exception as e:  # noqa: BLE001 - e.g. a job that does not pickle
            return PageOutcome("error", error_class=type(e).__name__, error=str(e)[:2000])

    def _isolated(self, job: PageJob, broken: Any) -> PageOutcome:
        with self._lock:  # the pool the page went to is broken: later submissions go to a new one
            if self._ex is not None and self._ex is broken:
                self._ex.shutdown(wait=False, cancel_futures=True)
                self._ex = None
        ex = self._executor(1)
        try:
            with _main_hidden():
                fut = ex.submit(_work, job)
            return fut.result()
        except BrokenProcessPool as e:
            self.crashes += 1
            log.warning("extractor crashed on %s: %s", job.cand.url, e)
            return PageOutcome("error", error_class="ExtractorCrashed",
                               error=f"the extraction worker process died on this page: {e}"[:2000])
        finally:
            ex.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Shut the worker processes down (waits for running pages)."""
        with self._lock:
            if self._ex is not None:
                self._ex.shutdown(wait=True, cancel_futures=True)
                self._ex = None

    def __enter__(self) -> "PagePool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def prescored(staging: Any, refs: Any) -> dict[str, tuple[str, Any, list]]:
    """The scores staged by the fetch tasks, from the batches ``refs`` (refs, or fetch results
    with a ``batch``; ``staging``: :class:`mediamon.ports.Staging`): article id ->
    ``(content_hash, SentimentRow | None, [TopicMatchRow])`` for each article marked
    :class:`~mediamon.records.ArticleScored`. The enrich stage uses an entry only when the stored
    article has that content hash. Raises FileNotFoundError for a batch that is missing."""
    from mediamon.records import SentimentRow, TopicMatchRow

    out: dict[str, tuple[str, Any, list]] = {}
    for ref in refs or ():
        ref = ref.get("batch") if isinstance(ref, dict) else ref
        if not ref:
            continue
        # an article's scores precede its marker (score_record); the same article may be staged
        # twice (two URLs with one canonical URL): the first one counts, as in the load stage
        sent: Any = None
        topics: list = []
        for r in staging.read_batch(ref):
            if isinstance(r, SentimentRow):
                sent = r
            elif isinstance(r, TopicMatchRow):
                topics.append(r)
            elif isinstance(r, ArticleScored):
                out.setdefault(r.article_id, (r.content_hash, sent if sent is not None and sent.article_id == r.article_id
                                              else None, [t for t in topics if t.article_id == r.article_id]))
                sent, topics = None, []
    return out
