"""System checks for the site as a whole: `manage.py check`, and production's start-up (an
error stops it: outreach/apps.py STARTUP_CHECK_TAGS)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from outreach.prerender import site_url_is_served


@register("outreach")
def check_site_url(app_configs, **kwargs) -> list[CheckMessage]:
    """SITE_URL must be an address the site answers, as visitors reach it: every link in a text
    or email uses it, and the pages rendered after a staff save are asked for and kept there
    (prerender.py). An error in production, a warning elsewhere."""
    found: list[CheckMessage] = []
    kind = Error if settings.PRODUCTION else Warning
    site = urlsplit(settings.SITE_URL)
    if not site_url_is_served():
        found.append(
            kind(
                f"SITE_URL's host ({site.hostname}) is not in ALLOWED_HOSTS: the links in "
                "reminders would be refused (400), and no page is rendered ahead after a staff "
                "save.",
                hint="Add it to ALLOWED_HOSTS, or correct SITE_URL.",
                id="outreach.E001" if settings.PRODUCTION else "outreach.W001",
            )
        )
    if settings.SECURE_SSL_REDIRECT and site.scheme != "https":
        found.append(
            kind(
                "SITE_URL starts with http:// while the site redirects every visit to https: "
                "links in reminders would take a detour, and the pages rendered after a staff "
                "save would be kept for http visits that never come.",
                hint="Write SITE_URL with https://.",
                id="outreach.E002" if settings.PRODUCTION else "outreach.W002",
            )
        )
    return found
