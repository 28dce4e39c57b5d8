"""Project-wide security helpers: the client's address and the admin login lockout backend."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


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
