"""System checks for the site as a whole, run by `manage.py check` and at production start-up."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register
from django.http.request import validate_host


@register()
def check_site_url_host(app_configs, **kwargs) -> list[Warning]:
    """SITE_URL's host must be one the site answers: every link in a text or email uses it,
    and the pages rendered after a staff save are asked for at that address (prerender.py)."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:  # Django's own default then: local names only
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    if validate_host(host, allowed):
        return []
    return [
        Warning(
            f"SITE_URL's host ({host}) is not in ALLOWED_HOSTS: the links in reminders would be "
            "refused (400), and pages are not rendered ahead after a staff save.",
            hint="Add it to ALLOWED_HOSTS, or correct SITE_URL.",
            id="outreach.W001",
        )
    ]
