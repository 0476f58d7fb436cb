"""Alerts: the notifier (:mod:`.notify`: log, e-mail, webhook) and alert rules evaluated after each
report build (:mod:`.rules`). ``from mediamon.alerts import build_notifier`` works."""

from mediamon.alerts.notify import Notifier, build_notifier, payload_json

__all__ = ["Notifier", "build_notifier", "payload_json"]
