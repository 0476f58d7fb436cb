"""Alert settings (the ``alerts:`` section of ``settings.yaml``): notifier channels and alert rules.

One job: the shape, defaults and checks of the alerting configuration; sending is
:mod:`mediamon.alerts.notify`, evaluating rules is :mod:`mediamon.alerts.rules`.

```yaml
alerts:
  enabled: true                 # false: no rule is evaluated (the notifier still works for callers)
  email:                        # optional: SMTP delivery
    host: smtp.example.org
    port: 587
    security: starttls          # starttls | ssl | none
    username: mediamon          # optional; the password comes from the environment variable named here
    password_env: MEDIAMON_SMTP_PASSWORD
    sender: mediamon@example.org
    to: [desk@example.org]
    timeout_s: 10
  webhook:                      # optional: JSON POST {"subject", "text", "payload"}
    url: https://hooks.example.org/T000/B000
    token_env: MEDIAMON_WEBHOOK_TOKEN   # optional: sent as "Authorization: Bearer <token>"
    timeout_s: 10
  rules:                        # default: the four rules below with these values
    - {id: topic-spike, kind: spike, min_score: 3.5, min_articles: 3}
    - {id: silent-source, kind: silent_source}
    - {id: empty-feed, kind: empty_feed}
    - {id: fetch-errors, kind: error_rate, max_rate: 0.5, min_requests: 10}
```
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mediamon.config.checks import EntryId, FieldError, HttpUrl

__all__ = ["EmailSettings", "WebhookSettings", "SpikeRule", "SilentSourceRule", "EmptyFeedRule", "ErrorRateRule",
           "AlertRule", "AlertSettings", "RULE_KINDS", "default_rules"]

_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
_ADDRESS = r"^[^@\s<>]+@[^@\s<>]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EmailSettings(_Strict):
    """SMTP delivery (RFC 5321). The password is never written in the file: ``password_env`` names
    the environment variable holding it (read when a message is sent)."""

    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = Field(default=None, pattern=_ENV_NAME)
    sender: str = Field(pattern=_ADDRESS)
    to: list[Annotated[str, Field(pattern=_ADDRESS)]] = Field(min_length=1)
    timeout_s: float = Field(default=10.0, gt=0)
    subject_prefix: str = "[mediamon] "

    @model_validator(mode="after")
    def _password_needs_user(self) -> "EmailSettings":
        if self.password_env and not self.username:
            raise FieldError("username", "password_env is set but username is not")
        return self


class WebhookSettings(_Strict):
    """Webhook delivery: one JSON POST per alert to ``url`` (a 2xx answer counts as delivered)."""

    url: HttpUrl
    token_env: str | None = Field(default=None, pattern=_ENV_NAME)
    timeout_s: float = Field(default=10.0, gt=0)


class _Rule(_Strict):
    id: EntryId
    enabled: bool = True


class SpikeRule(_Rule):
    """A topic's day is a spike when its ``topic_trends.spike_score`` (robust z-score of the day's
    articles against the 28-day median and MAD) reaches ``min_score`` and the day has at least
    ``min_articles`` articles on the topic. ``topics``: ids to watch (empty = every topic)."""

    kind: Literal["spike"]
    min_score: float = Field(default=3.5, gt=0)
    min_articles: int = Field(default=3, ge=1)
    topics: list[EntryId] = Field(default_factory=list)


class SilentSourceRule(_Rule):
    """An outlet published nothing on the day although its baseline is above zero
    (``source_health.silent``). ``sources``: ids to watch (empty = every outlet)."""

    kind: Literal["silent_source"]
    sources: list[EntryId] = Field(default_factory=list)


class EmptyFeedRule(_Rule):
    """An outlet's feed polls returned no items on the day (``source_health.empty_feed``)."""

    kind: Literal["empty_feed"]
    sources: list[EntryId] = Field(default_factory=list)


class ErrorRateRule(_Rule):
    """An outlet's share of failed requests (``source_health.error_rate``: fetch errors over feed
    polls plus article fetches) reached ``max_rate`` with at least ``min_requests`` requests on the day."""

    kind: Literal["error_rate"]
    max_rate: float = Field(default=0.5, gt=0, le=1)
    min_requests: int = Field(default=10, ge=1)
    sources: list[EntryId] = Field(default_factory=list)


AlertRule = Annotated[Union[SpikeRule, SilentSourceRule, EmptyFeedRule, ErrorRateRule], Field(discriminator="kind")]
RULE_KINDS = ("spike", "silent_source", "empty_feed", "error_rate")


def default_rules() -> list:
    """The rules used when ``alerts.rules`` is not given: one of each kind with its defaults."""
    return [SpikeRule(id="topic-spike", kind="spike"), SilentSourceRule(id="silent-source", kind="silent_source"),
            EmptyFeedRule(id="empty-feed", kind="empty_feed"), ErrorRateRule(id="fetch-errors", kind="error_rate")]


class AlertSettings(_Strict):
    """The ``alerts:`` section: channels (the log always; ``email`` and ``webhook`` when given) and rules."""

    enabled: bool = True
    email: EmailSettings | None = None
    webhook: WebhookSettings | None = None
    rules: list[AlertRule] = Field(default_factory=default_rules)

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, v: list) -> list:
        seen: set[str] = set()
        for r in v:
            if r.id in seen:
                raise ValueError(f"duplicate rule id {r.id!r}")
            seen.add(r.id)
        return v
