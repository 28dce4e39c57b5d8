"""Project-wide security helpers: the client's address and the admin login lockout backend."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def parse_proxies(proxies: list[str]) -> tuple[IPNetwork, ...]:
    """settings.TRUSTED_PROXIES as networks (settings.py has checked each entry)."""
    return _networks(tuple(proxies))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[IPNetwork, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. X-Forwarded-For is read only when the connection comes from one
    of settings.TRUSTED_PROXIES, and only as far back as our own proxies vouch for it: each
    appends the address it saw, and anything further left can be made up by the visitor."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = parse_proxies(settings.TRUSTED_PROXIES)
    if not _trusted(_address(remote), networks):
        return remote  # straight from the visitor (or a stranger): no header is believed
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        address = _address(hop)
        if address is None:
            return remote  # our proxy would not write this: believe nothing further
        if not _trusted(address, networks):
            return str(address)
    return remote


class AxesLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped only when there is no request at all.

    Every login form (the admin's) passes the request, so it is always checked. Code that
    authenticates without one (the test client's ``login()``, a shell) has no address to
    count and would otherwise crash; the next backend then checks the password as usual.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
