"""Project-wide security helpers: the client's address, the admin login lockout backend and
the Content-Security-Policy middleware."""

from typing import ClassVar

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoCSPMiddleware
from django.middleware.csp import get_nonce
from django.utils.csp import CSP, build_policy


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: X-Forwarded-For only as far as our own proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    # Each trusted proxy appends the address it saw; anything further left can be made up.
    return hops[-proxies] if len(hops) >= proxies else remote


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
