"""Report settings (the ``report:`` section of ``settings.yaml``): how much the HTML report shows.

```yaml
report:
  max_articles: 200     # articles listed in index.html (largest stories and most prominent first);
                        # the full list is always in articles.csv / articles.parquet
  trend_days: 30        # days of history in the volume chart (ending on the report day)
  top_stories: 5        # stories listed per topic
```
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ReportSettings"]


class ReportSettings(BaseModel):
    """What the HTML report shows (counts; the exports always hold every row)."""

    model_config = ConfigDict(extra="forbid")

    max_articles: int = Field(default=200, ge=0, le=100_000)
    trend_days: int = Field(default=30, ge=2, le=366)
    top_stories: int = Field(default=5, ge=1, le=100)
