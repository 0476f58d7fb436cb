"""Print the topic spikes of the 30 days up to a day (``make demo``): ``python demo/spikes.py 2022-02-02``.

Reads the configured database (``MEDIAMON_CONFIG_DIR`` / ``config/``) read-only through the
store's query function for the ``topic_trends`` view (all outlets together)."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from mediamon import store  # noqa: E402
from mediamon.config import load_config  # noqa: E402


def main(day: str) -> int:
    d = date.fromisoformat(day)
    cfg = load_config()
    with store.connect(cfg.settings.path(cfg.settings.db_path), read_only=True) as con:
        rows = store.as_rows(store.topic_trends(con, d - timedelta(days=29), d))
    spikes = [r for r in rows if r["source_id"] == "" and r["topic_id"] and r["is_spike"]]
    for r in spikes:
        print(f"  {r['day']}  {r['topic_id']:<16} {r['articles']:>3} articles (28-day median {r['baseline_median']:g},"
              f" spike score {r['spike_score']:.1f})")
    if not spikes:
        print("  none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
