"""SSRF guard: which URLs the fetcher may request at all.

URLs whose scheme is not http/https are refused (``blocked_scheme``); hosts that resolve to
any private, loopback, link-local, multicast, reserved or otherwise non-global address are
refused (``blocked_address``), re-checked by the fetcher at every redirect hop, unless the
host is in the fetcher's ``allow_private_hosts`` (``"host"`` or ``"host:port"``; see
:func:`allowlist_for_source`). Known gap: the address check resolves the name and requests
resolves it again (a DNS rebinding window remains).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Container
from urllib.parse import urlsplit

from mediamon.acquire.politeness import host_key
from mediamon.config import Source

__all__ = ["Refused", "allowlist_for_source", "check_url"]


class Refused(Exception):
    """``url`` may not be fetched. ``outcome``: 'blocked_scheme' | 'blocked_address' |
    'connection_error' (name does not resolve) | 'error' (invalid URL); ``error_class`` and
    ``error`` (message naming the URL or host) as they go to ``fetch_log``."""

    def __init__(self, outcome: str, error_class: str, error: str):
        super().__init__(error)
        self.outcome, self.error_class, self.error = outcome, error_class, error


def allowlist_for_source(source: Source) -> set[str]:
    """``host:port`` strings of a source's homepage, feeds, sitemaps and section pages when
    ``source.allow_private_network`` is true, else an empty set. Pass it as
    ``Fetcher(allow_private_hosts=...)`` for that source's fetcher (one fetcher per source
    task keeps one source's allowlist from admitting another source's URLs)."""
    if not source.allow_private_network:
        return set()
    return {host_key(u) for u in [source.homepage, *source.feeds, *source.sitemaps, *source.section_pages]}


def _blocked_ip(ip: ipaddress._BaseAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)



def check_url(url: str, allow_private_hosts: Container[str] = frozenset()) -> None:
    """Return None when ``url`` may be fetched; raise :class:`Refused` (``blocked_scheme``,
    ``blocked_address``, ``connection_error`` or ``error``) when it may not.

    ``allow_private_hosts``: lower-case ``"host"`` or ``"host:port"`` strings exempt from the
    address check. Resolves the host name (``socket.getaddrinfo``) unless it is an IP literal."""
    u = urlsplit(url)
    if u.scheme not in ("http", "https"):
        raise Refused("blocked_scheme", "BlockedScheme", f"scheme {u.scheme!r} not allowed (http/https only)")
    host = (u.hostname or "").lower()
    if not host:
        raise Refused("error", "InvalidURL", f"no host in URL {url!r}")
    try:
        hk = host_key(url)
    except ValueError as e:
        raise Refused("error", "InvalidURL", f"bad port in {url!r}: {e}") from None
    if host in allow_private_hosts or hk in allow_private_hosts:
        return
    try:
        ips = {ipaddress.ip_address(host.strip("[]"))}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, u.port or (443 if u.scheme == "https" else 80), type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as e:
            raise Refused("connection_error", "NameResolutionError", f"cannot resolve {host!r}: {e}") from None
        ips = {ipaddress.ip_address(i[4][0].split("%")[0]) for i in infos}
    bad = sorted(str(i) for i in ips if _blocked_ip(i))
    if bad:
        raise Refused("blocked_address", "BlockedAddress",
                      f"{host} resolves to non-public address {', '.join(bad)} (source not allowlisted)")

