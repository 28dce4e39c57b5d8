"""Project-wide security helpers: the client's address, the admin login lockout backend and
the Content-Security-Policy middleware."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from functools import lru_cache
from typing import ClassVar

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoCSPMiddleware
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.csp import CSP, build_policy

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


def axes_address(request: HttpRequest) -> str:
    """What django-axes stores for a failed sign-in's address: not the address, but a keyed
    hash of it shaped as a private (fd00::/8) IPv6 address, the only form its table takes.
    Equal addresses give equal values, so a lockout still holds one name at one address."""
    digest = salted_hmac("outreach.axes-address", client_ip(request), algorithm="sha256").digest()
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))


def name_failures(username: str) -> int:
    """Wrong passwords for `username` from every address within the cool-off."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class AxesLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check (one name at one address), plus a name-wide limit.

    Axes locks a name at an address (an office behind one address is not locked out by one
    person's slips). A name guessed from many addresses is locked everywhere past
    ADMIN_LOGIN_NAME_FAILURE_LIMIT. Code that authenticates without a request (the test
    client's ``login()``, a shell) has no address to count: the next backend then checks the
    password as usual.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        if username and name_failures(username) >= settings.ADMIN_LOGIN_NAME_FAILURE_LIMIT:
            request.axes_locked_out = True  # AxesMiddleware answers with the lockout page
            raise AxesBackendPermissionDenied("too many wrong passwords for this name")
        return super().authenticate(request, username=username, password=password, **kwargs)


class ContentSecurityPolicyMiddleware(DjangoCSPMiddleware):
    """Django's CSP middleware, building each policy once instead of on every response.

    A policy without the nonce sentinel is the same string every time; it is kept per
    configuration object (override_settings replaces the object, so tests still see theirs).
    A policy that asks for a nonce is built per response, as Django does.
    """

    _built: ClassVar[dict[int, tuple[object, str]]] = {}

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        sentinel = object()
        for header, attribute, setting in (
            (CSP.HEADER_ENFORCE, "_csp_config", "SECURE_CSP"),
            (CSP.HEADER_REPORT_ONLY, "_csp_ro_config", "SECURE_CSP_REPORT_ONLY"),
        ):
            config = getattr(response, attribute, sentinel)
            if config is sentinel:
                config = getattr(settings, setting)
            if config and header not in response:
                response.headers[str(header)] = self._policy(config, get_nonce(request))
        return response

    def _policy(self, config: dict, nonce: object) -> str:
        kept = self._built.get(id(config))
        if kept is not None and kept[0] is config:
            return kept[1]
        if any(_asks_for_nonce(values) for values in config.values()):
            return build_policy(config, nonce)
        policy = build_policy(config)
        self._built[id(config)] = (config, policy)  # keeps `config` alive: its id stays its own
        return policy


def _asks_for_nonce(values: object) -> bool:
    return isinstance(values, list | tuple | set) and CSP.NONCE in values


class MinimalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, keeping only what a lockout needs: the name, the hashed address
    (axes_address), the time and the count. The browser string, the Accept header, the path
    and the (password-masked) form data it would store are never kept."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        if request is not None:  # axes has just read these from the request: forget them
            request.axes_user_agent = request.axes_http_accept = request.axes_path_info = ""
        super().user_login_failed(sender, credentials, request, **kwargs)
        AccessAttempt.objects.exclude(get_data="", post_data="").update(get_data="", post_data="")
