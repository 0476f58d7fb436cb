"""``mediamon`` console command: the same stage functions the Airflow DAGs call.

Subcommands:
  run --date D            whole job without Airflow (discover, fetch, extract, load, enrich, report)
  extract URL_OR_FILE     print the extracted record as JSON (``--url`` gives a saved file's address)
  report --date D         rebuild daily coverage for D, render the report, evaluate alerts
  report --from D1 --to D2  range report (a week, a month) in reports/<D1>--<D2>/
  summary --date D        print the day's summary from the database
  sentiment [train]       one text per stdin line -> one JSON object per line; train a model
  reprocess --since D     re-extract articles from the WARC archive
  import-warc FILE        run an existing WARC file through extraction and loading
  validate                validate the configuration and exit
  search QUERY            full-text search (BM25) over stored articles
  story ID_OR_URL         one story's placements (mediamon.cli.story)

Exit codes: 0 success, 1 runtime failure (for ``run``: also when discovery failed for every
source), 2 bad input (configuration, arguments), 3 another ``run`` holds the data directory's
lock (``<data_dir>/run.lock``; ``run --wait SECONDS`` waits for it).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from datetime import date
from pathlib import Path

from mediamon.cli.args import day_arg, positive_int, seconds_arg
from mediamon.config import ConfigError

# Subcommands that live in their own module ``mediamon.cli.<name>``, each with
# ``register(subparsers)`` adding its parser and ``set_defaults(func=...)``.
COMMAND_MODULES: tuple[str, ...] = ("topics", "sentiment", "story")


def _progress_printer(stream):
    def progress(stage: str, info: dict) -> None:
        if stage == "config":
            msg = f"config ok: {len(info['sources'])} sources, {len(info['topics'])} topics"
        elif stage == "discover":
            msg = f"discover {info['source_id']}: {info['candidates']} candidate URLs"
            if info.get("not_due"):
                msg += f" ({info['not_due']} feeds not due yet: adaptive polling)"
            for err in info["errors"][:3]:
                msg += f"\n           ! {err}"
            if len(info["errors"]) > 3:
                msg += f"\n           ! ... and {len(info['errors']) - 3} more (see fetch_log)"
        elif stage == "plan":
            msg = f"plan: {info['to_fetch']} pages to fetch"
            if info.get("retry_capped"):
                msg += f" ({info['retry_capped']} failing pages given up: fetch.max_total_attempts)"
        elif stage == "fetch":
            msg = f"fetch {info.get('source_id') or info.get('shard')}: {info['fetched']} pages fetched, {info['articles']} extracted, {info['skipped']} skipped, {info['failed']} failed"
        elif stage == "load":
            msg = f"load: {info['articles']} articles ({info['inserted']} new, {info['updated']} updated), {info['fetch_log_rows']} fetch_log rows"
        elif stage == "enrich":
            msg = f"enrich: {info['sentiment']} sentiment, {info['topic_matches']} topic matches, {info['stories']} stories"
        elif stage == "report":
            msg = f"report: {info['files'].get('html')}"
        else:
            msg = f"{stage}: {info}"
        print(f"[{stage:>8}] {msg}", file=stream, flush=True)
    return progress


def cmd_run(a) -> int:
    from mediamon import stages
    from mediamon.util.runlock import RunLocked, run_lock

    cfg = stages.load_config(a.config)  # a bad configuration fails (exit 2) before anything is locked or fetched
    stages.validate_config(runtime=None, config_dir=a.config)  # unwritable paths too (exit 2)
    if a.date:
        stages.check_report_day(cfg, date.fromisoformat(a.date))  # a day the DAGs cannot run: exit 2, nothing fetched
    try:
        with run_lock(cfg.settings.path(cfg.settings.data_dir), wait_s=a.wait):
            out = stages.run(a.date, a.config, progress=_progress_printer(sys.stderr))
    except RunLocked as e:
        print(f"error: {e}", file=sys.stderr)
        return 3
    print(out["report"]["text"])
    print(f"\nreport: {out['report']['files'].get('html')}")
    print(f"elapsed: {out['elapsed_s']} s")
    if out.get("discovery_failed"):
        print(f"error: {out['discovery_failed']}", file=sys.stderr)
        return 1
    return 0


def cmd_extract(a) -> int:
    from mediamon.extract import extract_article

    src = a.target
    if src.startswith(("http://", "https://")):
        from mediamon import stages
        from mediamon.config import FetchSettings
        from mediamon.acquire.http import Fetcher
        from mediamon.replay import source_for_url
        from mediamon.runtime import make_fetcher

        # politeness settings and the SSRF allowlist of the configured source owning this host
        try:
            cfg = stages.load_config(a.config)
            sid = source_for_url(cfg, src)
            fetcher = make_fetcher(cfg, cfg.source(sid) if sid else None)
        except ConfigError:
            if a.config:
                raise
            fetcher = Fetcher(FetchSettings())
        res = fetcher.fetch(src)
        if res.outcome != "ok" or res.text is None:
            print(f"error: fetching {src}: {res.outcome} {res.status or ''} {res.error or ''}".rstrip(), file=sys.stderr)
            return 1
        html, url = res.text, res.final_url or src
    else:
        p = Path(src)
        if not p.exists():
            print(f"error: no such file: {src}", file=sys.stderr)
            return 2
        if not p.is_file():
            print(f"error: not a file: {src}", file=sys.stderr)
            return 2
        from mediamon.extract import read_page_file

        try:
            # the fetcher's byte cap and bomb guard: settings.fetch.max_bytes of the configuration
            from mediamon import stages

            max_bytes = stages.load_config(a.config).settings.fetch.max_bytes
        except ConfigError:
            if a.config:
                raise
            from mediamon.config import FetchSettings

            max_bytes = FetchSettings().max_bytes
        try:
            data = read_page_file(p, max_bytes)
        except ValueError as e:  # not gzip data, or inflates past the cap: one line naming the file
            print(f"error: {e}", file=sys.stderr)
            return 2
        html, url = data, a.url
    ext = extract_article(html, url, source_language=a.lang)
    print(json.dumps(ext.to_dict(), ensure_ascii=False, indent=2))
    return 0


def cmd_report(a) -> int:
    from mediamon import stages

    if a.date and (a.start or a.end):
        print("error: give either --date D or --from D1 --to D2, not both", file=sys.stderr)
        return 2
    if not a.date and not (a.start and a.end):
        print("error: give --date D, or --from D1 and --to D2 (a week, a month)", file=sys.stderr)
        return 2
    if a.date:
        out = stages.build_report(a.date, a.config)
    else:
        if a.end < a.start:
            print(f"error: --to {a.end} is before --from {a.start}", file=sys.stderr)
            return 2
        out = stages.build_range_report(a.start, a.end, a.config)
    print(out["text"])
    for al in out.get("alerts") or []:
        print(f"alert: {al['title']} (sent to {', '.join(al['channels'])})")
    print(f"\nreport: {out['files'].get('html')}")
    print(f"summary: {out['files'].get('markdown')}")
    return 0


def cmd_summary(a) -> int:
    from mediamon import report, stages, store
    from mediamon.runtime import db_path

    cfg = stages.load_config(a.config)
    if cfg.settings.store == "ducklake":
        from mediamon.runtime import make_store

        with make_store(cfg).session(read_only=True) as s:
            data = s.report_data(date.fromisoformat(a.date), cfg.settings.timezone)
    else:
        with store.connect(db_path(cfg), read_only=True) as con:
            data = store.report_data(con, date.fromisoformat(a.date), cfg.settings.timezone)
    print(report.summary_text(data))
    return 0


def cmd_reprocess(a) -> int:
    from mediamon import stages

    out = stages.reprocess(a.since, a.config, progress=_progress_printer(sys.stderr))
    print(json.dumps(out, indent=2, default=str))
    return 0


def cmd_import_warc(a) -> int:
    from mediamon import stages

    out = stages.import_warc(a.file, a.source, a.config, progress=_progress_printer(sys.stderr))
    print(json.dumps(out, indent=2, default=str))
    return 0


def cmd_validate(a) -> int:
    from mediamon import stages

    out = stages.validate_config(a.config)
    print(f"ok: {len(out['sources'])} sources ({', '.join(out['sources'])}), {len(out['topics'])} topics")
    return 0


def cmd_search(a) -> int:
    from mediamon import stages, store
    from mediamon.runtime import db_path

    cfg = stages.load_config(a.config)
    if cfg.settings.store == "ducklake":
        raise store.StoreError("mediamon search needs the DuckDB file store: DuckLake tables take no full-text index "
                               "(see docs/ducklake.md)")
    if not db_path(cfg).exists():
        raise store.StoreError(f"database {db_path(cfg)} does not exist yet: run the ingest first")
    with store.connect(db_path(cfg)) as con:
        store.build_fts_index(con)
        rows = con.execute(store.sql("search"), {"query": a.query, "limit": a.limit}).fetchall()
    for src, day, title, url, score in rows:
        print(f"{score:6.2f}  {day}  {src:<16} {title}\n        {url}")
    if not rows:
        print("no match")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mediamon", description="Media monitoring: discover, fetch, extract, enrich and report news coverage.",
                                epilog="Global options such as --config go before the subcommand: mediamon --config DIR run --date D")
    p.add_argument("--config", help="configuration directory, before the subcommand (default: $MEDIAMON_CONFIG_DIR or <project>/config)")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("run", help="run the whole job once (no Airflow)")
    s.add_argument("--date", type=day_arg, default=date.today().isoformat(), help="report day, YYYY-MM-DD (default today)")
    s.add_argument("--wait", type=seconds_arg, default=0.0, metavar="SECONDS",
                   help="wait this long for another run on the same data directory to finish (default 0: exit 3 at once)")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("extract", help="extract one page (URL or saved file) and print JSON")
    s.add_argument("target", metavar="URL_OR_FILE")
    s.add_argument("--url", help="original address of a saved file")
    s.add_argument("--lang", help="declared language of the source (prior for detection)")
    s.set_defaults(func=cmd_extract)

    s = sub.add_parser("report", help="rebuild daily coverage and render the report for a day, or for a range of days")
    s.add_argument("--date", type=day_arg, help="report day, YYYY-MM-DD (reports/<day>/index.html; alerts are evaluated)")
    s.add_argument("--from", dest="start", type=day_arg, metavar="D1", help="first day of a range report (with --to)")
    s.add_argument("--to", dest="end", type=day_arg, metavar="D2", help="last day of a range report: reports/<D1>--<D2>/index.html")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("summary", help="print a day's summary from the database")
    s.add_argument("--date", type=day_arg, required=True)
    s.set_defaults(func=cmd_summary)

    s = sub.add_parser("reprocess", help="re-extract archived responses (WARC) fetched since a day")
    s.add_argument("--since", type=day_arg, required=True)
    s.set_defaults(func=cmd_reprocess)

    s = sub.add_parser("import-warc", help="run a WARC file (e.g. CC-NEWS) through extraction and loading")
    s.add_argument("file")
    s.add_argument("--source", default=None, help="source id to file the articles under (default: by host, or 'warc')")
    s.set_defaults(func=cmd_import_warc)

    s = sub.add_parser("validate", help="validate the configuration")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("search", help="full-text search over stored articles")
    s.add_argument("query")
    s.add_argument("--limit", type=positive_int, default=10)
    s.set_defaults(func=cmd_search)
    for name in COMMAND_MODULES:
        importlib.import_module(f"mediamon.cli.{name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as e:
        print(f"configuration error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `mediamon summary ... | head`
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0
    except Exception as e:  # noqa: BLE001 - a clean one-line error for users
        from mediamon.store import StoreError
        from mediamon.acquire.archive import WarcError

        if isinstance(e, (StoreError, WarcError)):
            print(f"error: {e}", file=sys.stderr)
            return 1
        from mediamon.runcalendar import RunParamError

        if isinstance(e, (FileNotFoundError, IsADirectoryError, NotADirectoryError, RunParamError)):
            print(f"error: {e}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
