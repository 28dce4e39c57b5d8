from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The deploy checks that must pass before production serves or sends anything: Django's mail
# check (mail.E001: a development backend such as the console, which is what no EMAIL_HOST
# gives), ours for texts (reminders.E001) and for SITE_URL (outreach.E001, E002). `check
# --deploy` reports them too, but nothing runs it when a container starts; this does, in
# every process (web, worker, beat, commands).
STARTUP_CHECK_TAGS = [checks.Tags.mail, checks.Tags.security, "reminders", "outreach"]


class OutreachConfig(AppConfig):
    """The project package as an app, for wiring that spans apps (page cache invalidation)
    and the production start-up checks."""

    name = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from outreach import checks as _checks  # noqa: F401  (registers them)
        from outreach import csrf, pagecache

        pagecache.connect_signals()
        checks.register(csrf.check_csrf_middleware, checks.Tags.security, deploy=True)
        if settings.PRODUCTION:
            run_startup_checks()


def run_startup_checks() -> None:
    """Stop with ImproperlyConfigured, listing every error, when a start-up check fails."""
    found = checks.run_checks(tags=STARTUP_CHECK_TAGS, include_deployment_checks=True)
    errors = [message for message in found if message.is_serious()]
    if not errors:
        return
    lines = [str(error) for error in errors]
    if any(error.id and error.id.startswith("mail.") for error in errors):
        lines.append("Email needs a mail server: set EMAIL_HOST (see .env.example).")
    raise ImproperlyConfigured(
        "OUTREACH_ENV=production cannot start:\n" + "\n".join(f"  {line}" for line in lines)
    )


class AxesConfig(AxesAppConfig):
    """django-axes under a name staff understand, in their language ("Axes" otherwise)."""

    verbose_name = _("Sign-in security")
