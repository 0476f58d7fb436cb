"""``mediamon topics``: versioned topics on stored articles, no refetch.

  topics test 'QUERY' [--since D] [--lang L] [--limit N] [--json]
                         preview the matches of a query (snippets, prominence); writes nothing
  topics rerun [--since D] [--topic ID ...]
                         re-apply configured topics to stored articles (default: all, every day)
  topics status [--json] configured topics, their version, the version in force, pending ones

Exit codes: 0 success, 2 bad input (malformed query: the message gives its position;
unknown topic id; bad date), 1 runtime failure (e.g. the database is locked).
"""

from __future__ import annotations

import json
import sys

from mediamon.cli.args import day_arg, positive_int


def register(sub) -> None:
    """Add the ``topics`` subcommand and its actions to ``sub`` (argparse subparsers)."""
    p = sub.add_parser("topics", help="versioned topics: preview a query, re-apply topics to stored articles, status")
    acts = p.add_subparsers(dest="topics_cmd", required=True)

    s = acts.add_parser("test", help="preview the matches of a query over stored articles (writes nothing)")
    s.add_argument("query", help="topic query, e.g. '\"harga beras\" NEAR/5 naik AND NOT title:impor'")
    s.add_argument("--since", type=day_arg, default=None, help="only articles of this day or later (YYYY-MM-DD)")
    s.add_argument("--lang", default=None, help="only articles in this language (ISO 639-1)")
    s.add_argument("--limit", type=positive_int, default=20, help="matches to show (default 20; all are counted)")
    s.add_argument("--json", action="store_true", help="print the result as JSON")
    s.set_defaults(func=cmd_test)

    s = acts.add_parser("rerun", help="re-apply configured topics to stored articles (no refetch)")
    s.add_argument("--since", type=day_arg, default=None, help="articles of this day or later (default: all)")
    s.add_argument("--topic", action="append", default=None, metavar="ID", help="topic id (repeatable; default: all)")
    s.set_defaults(func=cmd_rerun)

    s = acts.add_parser("status", help="configured topics, their versions and what the next enrich applies")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_status)


def cmd_test(a) -> int:
    """``topics test``: 0, or 2 with the query's error position."""
    from mediamon import stages

    try:
        out = stages.topics_test(a.query, a.config, since=a.since, language=a.lang, limit=a.limit)
    except ValueError as e:
        print(f"error: query: {e}", file=sys.stderr)
        return 2
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for m in out["matches"]:
        print(f"{m['day'] or '????-??-??'}  {m['source_id']:<16} [{m['prominence']}] x{m['mentions']}  {m['title'] or ''}")
        print(f"    {m['snippet']}")
        print(f"    {m['url']}")
    since = f" since {out['since']}" if out["since"] else ""
    print(f"{out['matched']} of {out['scanned']} stored articles{since} match {a.query!r}"
          + (f" (first {len(out['matches'])} shown)" if out["matched"] > len(out["matches"]) else ""))
    return 0


def cmd_rerun(a) -> int:
    """``topics rerun``: 0, or 2 for an unknown topic id."""
    from mediamon import stages

    out = stages.topics_rerun(a.since, a.config, topics=a.topic)
    since = out["since"] or "the first stored day"
    print(f"topics {', '.join(out['topics']) or '(none configured)'}: {out['articles']} stored articles since {since} "
          f"re-matched, {out['matches']} matches, {out['failed']} failed, {out['coverage_days']} coverage days rebuilt")
    return 1 if out["failed"] else 0


def cmd_status(a) -> int:
    """``topics status``: 0."""
    from mediamon import stages

    out = stages.topics_status(a.config)
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        return 0
    for t in out["topics"]:
        state = "pending (applied on the next enrich)" if t["pending"] else "in force"
        print(f"{t['topic_id']:<20} version {t['version']}  {state}" + (f"  (stored: {t['in_force']})" if t["pending"] and t["in_force"] else ""))
    return 0
