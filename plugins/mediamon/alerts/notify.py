"""The notifier: one message to every configured channel, never an exception to the caller.

Channels (``settings.alerts``, :mod:`mediamon.config.alerting`):

- ``log``: always; a WARNING on the ``mediamon.alerts`` logger (Airflow shows it in the task log).
- ``email``: when ``alerts.email`` is set; a plain-text message over SMTP (:mod:`smtplib`,
  STARTTLS, implicit TLS or plain per ``security``; login when ``username`` is set, the password
  read from the environment variable ``password_env``).
- ``webhook``: when ``alerts.webhook`` is set; a JSON POST ``{"subject", "text", "payload"}``
  (``text`` is the key Slack/Mattermost incoming webhooks display) with ``requests``; any 2xx
  answer counts as delivered, redirects are not followed.

A channel that fails (refused connection, SMTP error, non-2xx answer, timeout, bad payload) is
logged with its error and left out of the returned list; :meth:`Notifier.send` itself does not
raise. Used by the report stage for fired alert rules and by the DAGs' failure callbacks.
Stage-safe: imports neither airflow nor the store.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from mediamon.config.alerting import AlertSettings, EmailSettings, WebhookSettings

log = logging.getLogger("mediamon.alerts")

__all__ = ["Notifier", "build_notifier", "payload_json"]


def _json_default(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, (set, frozenset, tuple)):
        return list(v)
    return str(v)


def payload_json(subject: str, text: str, payload: Mapping | None) -> bytes:
    """The webhook body: UTF-8 JSON ``{"subject", "text", "payload"}``, keys sorted; dates as
    ISO 8601 text, other non-JSON values as ``str()``."""
    return json.dumps({"subject": subject, "text": text, "payload": dict(payload or {})}, ensure_ascii=False,
                      sort_keys=True, default=_json_default).encode("utf-8")


@dataclass
class Notifier:
    """Sends alerts to the log and the configured channels. Build it with :func:`build_notifier`."""

    email: EmailSettings | None = None
    webhook: WebhookSettings | None = None

    @property
    def channels(self) -> list[str]:
        """Configured channel names, in delivery order: ``log`` first, then ``email``, ``webhook``."""
        return ["log"] + (["email"] if self.email else []) + (["webhook"] if self.webhook else [])

    def send(self, subject: str, text: str, payload: dict | None = None) -> list[str]:
        """Deliver one alert: ``subject`` (one line), ``text`` (plain text body), ``payload``
        (JSON-able details, e.g. ``{"rule", "subject", "day", ...}``; sent by the webhook).

        Returns the names of the channels that delivered it (``"log"`` always, then ``"email"``
        and ``"webhook"`` when configured and successful). Never raises: a failing channel is
        logged at ERROR with its exception and left out of the list."""
        subject = " ".join(str(subject).split())  # one header line, no CR/LF injection
        text = str(text)
        delivered = ["log"]
        log.warning("ALERT %s\n%s", subject, text)
        for name, fn in (("email", self._send_email), ("webhook", self._send_webhook)):
            cfg = getattr(self, name)
            if cfg is None:
                continue
            try:
                fn(cfg, subject, text, payload)
            except Exception as e:  # noqa: BLE001 - a failing channel must not sink the caller
                log.error("alert channel %s failed for %r: %s: %s", name, subject, type(e).__name__, e)
            else:
                delivered.append(name)
        return delivered

    @staticmethod
    def _send_email(cfg: EmailSettings, subject: str, text: str, payload: dict | None) -> None:
        msg = EmailMessage()
        msg["Subject"] = f"{cfg.subject_prefix}{subject}"
        msg["From"] = cfg.sender
        msg["To"] = ", ".join(cfg.to)
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = make_msgid(domain=cfg.sender.rsplit("@", 1)[-1])
        msg.set_content(text)
        password = os.environ.get(cfg.password_env, "") if cfg.password_env else None
        if cfg.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_s,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
        with smtp:
            if cfg.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if cfg.username:
                smtp.login(cfg.username, password or "")
            refused = smtp.send_message(msg)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)

    @staticmethod
    def _send_webhook(cfg: WebhookSettings, subject: str, text: str, payload: dict | None) -> None:
        import requests

        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "mediamon-alerts"}
        if cfg.token_env:
            headers["Authorization"] = f"Bearer {os.environ.get(cfg.token_env, '')}"
        r = requests.post(cfg.url, data=payload_json(subject, text, payload), headers=headers,
                          timeout=cfg.timeout_s, allow_redirects=False)
        if not 200 <= r.status_code < 300:
            raise RuntimeError(f"webhook {cfg.url} answered HTTP {r.status_code}")


def build_notifier(settings: Any = None) -> Notifier:
    """A :class:`Notifier` for the ``alerts`` section of ``settings`` (a :class:`mediamon.config.Settings`;
    a :class:`mediamon.config.Config` or an :class:`~mediamon.config.alerting.AlertSettings` is
    accepted too; None = the log only). Does not connect to anything: channels are tried on
    :meth:`Notifier.send`. Raises TypeError for any other argument type."""
    if settings is None:
        return Notifier()
    alerts = settings
    if hasattr(alerts, "settings") and not isinstance(alerts, AlertSettings):
        alerts = alerts.settings
    if hasattr(alerts, "alerts") and not isinstance(alerts, AlertSettings):
        alerts = alerts.alerts
    if not isinstance(alerts, AlertSettings):
        raise TypeError(f"build_notifier needs Settings, Config or AlertSettings, got {type(settings).__name__}")
    return Notifier(email=alerts.email, webhook=alerts.webhook)
