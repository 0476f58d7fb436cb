"""Shared by the stage modules: the pool and asset names, configuration loading and the
runtime a stage uses when none is passed in (see :mod:`mediamon.stages`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from mediamon import config as config_mod
from mediamon.runtime import Runtime, build_runtime


log = logging.getLogger("mediamon.stages")

DUCKDB_POOL = "mediamon_duckdb"
ASSET_URI = "mediamon://duckdb/articles"
ASSET_NAME = "mediamon_articles"
_DISCOVERY_KINDS = ("feed", "sitemap", "section", "discovery")

Progress = Callable[[str, dict], None]


def load_config(config_dir: str | None = None) -> config_mod.Config:
    """Load and validate the configuration (raises config.ConfigError naming file/entry/field)."""
    return config_mod.load_config(config_dir)


def _rt(config_dir: str | None, runtime: Runtime | None) -> Runtime:
    return runtime if runtime is not None else build_runtime(load_config(config_dir))


def _selected(cfg: config_mod.Config, sources: list[str] | None) -> list[config_mod.Source]:
    """The configured sources named in ``sources`` (None or empty = all), in config order."""
    return [s for s in cfg.sources if not sources or s.id in sources]
