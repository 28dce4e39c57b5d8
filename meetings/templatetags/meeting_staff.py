"""What the admin's own pages need: counts from the reminders side (delete confirmations) and
whether staff work at the address residents are sent to."""

from urllib.parse import urlsplit

from django import template
from django.conf import settings

from meetings import audience

register = template.Library()


@register.filter
def subscriber_total(meetings) -> int:
    """Confirmed subscribers of a meeting or a queryset of meetings (counts only)."""
    ids = [meetings.pk] if hasattr(meetings, "pk") else [m.pk for m in meetings]
    return sum(a.total for a in audience.audiences(ids).values())


@register.filter
def join_ids(meetings) -> str:
    return ",".join(str(m.pk) for m in meetings)


DEFAULT_PORTS = {"http": "80", "https": "443"}


def _host(scheme: str, host: str) -> str:
    """The host without its scheme's default port, lower case: how two addresses are compared
    (http or https does not matter: production sends one to the other)."""
    host = host.lower()
    if host.endswith(":" + DEFAULT_PORTS.get(scheme, "")):
        host = host.rsplit(":", 1)[0]
    return host


@register.simple_tag(takes_context=True)
def site_address_warning(context) -> dict | None:
    """When staff work at another address than SITE_URL, the one every text, email and flyer
    sends residents to: {"site": SITE_URL, "here": the address in use}; else None."""
    request = context.get("request")
    if request is None:
        return None
    site = urlsplit(settings.SITE_URL)
    here = _host(request.scheme, request.get_host())
    if _host(site.scheme, site.netloc) == here:
        return None
    return {"site": settings.SITE_URL, "here": f"{request.scheme}://{here}"}
