"""Data-quality settings (the ``quality:`` section of ``settings.yaml``): the limits the checks run
after each ingest hold the run to (:mod:`mediamon.quality`).

```yaml
quality:
  enabled: true
  max_extraction_failure_rate: 0.2   # of a source's article pages received, share whose extraction failed or crashed
  max_empty_text_ratio: 0.3          # share of those pages that gave no text (skip_reason 'empty')
  max_replacement_char_ratio: 0.001  # U+FFFD per character of the run's article text (mis-decoded pages)
  min_pages: 5                       # the rates are judged on sources with at least this many pages
  volume_baseline_runs: 14           # baseline: median of the same source and language over the last N runs
  volume_min_baseline: 10            # volume is judged only when that median is at least this
  volume_min_ratio: 0.25             # fail below ratio x baseline (a source that stopped producing)
  volume_max_ratio: 5.0              # warn above ratio x baseline (a feed flooding, duplicated items)
```
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["QualitySettings"]


class QualitySettings(BaseModel):
    """Limits of the data-quality checks (ratios in [0, 1], counts of pages/articles)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    max_extraction_failure_rate: float = Field(default=0.2, ge=0, le=1)
    max_empty_text_ratio: float = Field(default=0.3, ge=0, le=1)
    max_replacement_char_ratio: float = Field(default=0.001, ge=0, le=1)
    min_pages: int = Field(default=5, ge=1)
    volume_baseline_runs: int = Field(default=14, ge=1, le=1000)
    volume_min_baseline: float = Field(default=10, ge=0)
    volume_min_ratio: float = Field(default=0.25, ge=0)
    volume_max_ratio: float = Field(default=5.0, gt=0)

    @model_validator(mode="after")
    def _ratios_ordered(self) -> "QualitySettings":
        if self.volume_min_ratio >= self.volume_max_ratio:
            raise ValueError(f"volume_min_ratio ({self.volume_min_ratio}) must be below volume_max_ratio ({self.volume_max_ratio})")
        return self
