"""``mediamon story ID_OR_URL``: one story's placements, its original, and its cross-language links
(each linked story with its own placements).

Each placement line: time (report timezone), outlet, language, wire credit, word edit distance to
the original (word insertions + deletions + substitutions from ``difflib.SequenceMatcher``'s
opcodes over the normalised words), the exact Jaccard similarity of word 5-shingles, and the URL.
"""

from __future__ import annotations

import difflib
import json
import sys
from zoneinfo import ZoneInfo

__all__ = ["register", "cmd_story", "edit_distance"]


def edit_distance(a: str | None, b: str | None) -> int:
    """Word-level edit distance of two texts after :func:`mediamon.enrich.dedup.normalize_text`:
    the words inserted, deleted or substituted in ``difflib.SequenceMatcher`` (autojunk off)'s
    alignment (an upper bound of the Levenshtein distance over words; equal for simple edits)."""
    from mediamon.enrich.dedup import normalize_text

    wa, wb = normalize_text(a).split(), normalize_text(b).split()
    n = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op != "equal":
            n += max(i2 - i1, j2 - j1)
    return n


def cmd_story(a) -> int:
    """Print the story of ``a.key`` (story id, article id or URL). Exit 1 when nothing matches."""
    from mediamon import stages, store
    from mediamon.enrich.storymatch import shingle_hashes, similarity
    from mediamon.runtime import db_path

    cfg = stages.load_config(a.config)
    with store.connect(db_path(cfg), read_only=True) as con:
        sid = store.resolve_story(con, a.key)
        detail = store.story_detail(con, sid) if sid else None
        linked = {link["other_story_id"]: (store.story_detail(con, link["other_story_id"]) or {}).get("placements", [])
                  for link in (detail or {}).get("links", [])}
    if detail is None:
        print(f"error: no story for {a.key!r} (a story id, article id or article URL)", file=sys.stderr)
        return 1
    st, placements = detail["story"], detail["placements"]
    orig = next((p for p in placements if p["article_id"] == st["original_article_id"]), placements[0])
    osets = shingle_hashes(orig["text"])
    tz = ZoneInfo(cfg.settings.timezone)
    out = []
    for p in placements:
        j, c, _ = similarity(osets, shingle_hashes(p["text"]))
        out.append({"time": p["placed_at"].astimezone(tz).isoformat(timespec="minutes") if p["placed_at"] else None,
                    "outlet": p["source_id"], "language": p["language"], "wire": p["wire_source"],
                    "original": p["article_id"] == orig["article_id"],
                    "edit_distance_words": edit_distance(orig["text"], p["text"]),
                    "jaccard": round(j, 3), "containment": round(c, 3), "url": p["canonical_url"]})
    if a.json:
        links = [{**link, "placements": [{k: p[k] for k in ("placed_at", "source_id", "language", "wire_source", "canonical_url")}
                                         for p in linked.get(link["other_story_id"], [])]} for link in detail["links"]]
        print(json.dumps({"story": st, "placements": out, "links": links}, ensure_ascii=False, default=str, indent=1))
        return 0
    days = ", ".join(d.isoformat() for d in st["days"] or [])
    print(f"story {st['story_id']}: {st['headline']!r}")
    print(f"  {st['copies']} placements, {st['outlets']} outlets, languages {', '.join(st['languages'] or [])}, "
          f"wire {st['wire_source'] or '-'}, days {days}, first day {st['first_day']}")
    print(f"  original {st['original_article_id']}")
    print(f"  {'time':<22} {'outlet':<16} {'lang':<4} {'wire':<7} {'edits':>6} {'jacc':>5}  url")
    for r in out:
        mark = "*" if r["original"] else " "
        print(f"{mark} {r['time'] or '-':<22} {r['outlet']:<16} {r['language'] or '-':<4} {r['wire'] or '-':<7} "
              f"{r['edit_distance_words']:>6} {r['jaccard']:>5.2f}  {r['url']}")
    for link in detail["links"]:
        print(f"  linked ({link['kind']}, confidence {link['confidence']:.2f}): story {link['other_story_id']} "
              f"{link['headline']!r} [{', '.join(link['languages'] or [])}, {link['copies']} placements]")
        for p in linked.get(link["other_story_id"], []):
            t = p["placed_at"].astimezone(tz).isoformat(timespec="minutes") if p["placed_at"] else "-"
            print(f"    {t:<22} {p['source_id']:<16} {p['language'] or '-':<4} {p['wire_source'] or '-':<7} {p['canonical_url']}")
    return 0


def register(sub) -> None:
    """Add the ``story`` subcommand to the ``mediamon`` parser's subparsers."""
    s = sub.add_parser("story", help="one story's placements (time, outlet, URL, language, edits to the original)")
    s.add_argument("key", metavar="ID_OR_URL", help="story id (merged ids are followed), article id or article URL")
    s.add_argument("--json", action="store_true", help="print JSON instead of a table")
    s.set_defaults(func=cmd_story)
