"""Configuration package: :mod:`.models` (pydantic models), :mod:`.checks` (field validators, error
types), :mod:`.loader` (YAML safe loader, alias budget, :func:`load_config`). This module re-exports
their public names, so ``from mediamon.config import load_config, Config, ConfigError, ...`` works."""

from mediamon.config.checks import (
    SCHEDULE_PRESETS,
    SENTIMENT_BACKENDS,
    ConfigError,
    EntryId,
    FieldError,
    HttpUrl,
    Regex,
    XPathExpr,
    check_cron,
    check_http_url,
    check_id,
    check_regex,
    check_xpath,
    find_lone_surrogate,
)
from mediamon.config.loader import MAX_ALIAS_EXPANSION, config_dir_from_env, load_config
from mediamon.config.models import (
    DEFAULT_CONFIG_DIR,
    PROJECT_ROOT,
    Config,
    DuckLakeSettings,
    FetchSettings,
    PollSettings,
    Settings,
    Source,
    SourceRules,
    Topic,
)

__all__ = [
    "SCHEDULE_PRESETS", "SENTIMENT_BACKENDS", "ConfigError", "EntryId", "FieldError", "HttpUrl", "Regex", "XPathExpr",
    "check_cron", "check_http_url", "check_id", "check_regex", "check_xpath", "find_lone_surrogate",
    "MAX_ALIAS_EXPANSION", "config_dir_from_env", "load_config",
    "DEFAULT_CONFIG_DIR", "PROJECT_ROOT", "Config", "DuckLakeSettings", "FetchSettings", "PollSettings", "Settings", "Source", "SourceRules",
    "Topic",
]
