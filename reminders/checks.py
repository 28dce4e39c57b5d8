"""System checks for reminders, run by `check --deploy` and at production start-up."""

from django.conf import settings
from django.core.checks import Error, register


@register("reminders", deploy=True)
def check_sms_provider(app_configs, **kwargs) -> list[Error]:
    """Texts through Twilio need its credentials and a sender, or none would ever go."""
    if settings.REMINDERS_SMS_TRANSPORT != "twilio":
        return []
    missing = [
        name for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN") if not getattr(settings, name)
    ]
    if not (settings.TWILIO_FROM_NUMBER or settings.TWILIO_MESSAGING_SERVICE_SID):
        missing.append("TWILIO_FROM_NUMBER")
    if not missing:
        return []
    return [
        Error(
            f"Texts go through Twilio, but {', '.join(missing)} is not set: no text would be sent.",
            hint="Set it (see .env.example), or choose another SMS_TRANSPORT.",
            id="reminders.E001",
        )
    ]


@register("reminders", deploy=True)
def check_mail_backend(app_configs, **kwargs) -> list[Error]:
    """Our console mail backend, like Django's (mail.E001), writes to nobody."""
    mailer = getattr(settings, "MAILERS", {}).get("default", {})
    if mailer.get("BACKEND") != "reminders.notify.console.ConsoleEmailBackend":
        return []
    return [
        Error(
            "Email goes to the console: no resident would ever get one.",
            hint="Set EMAIL_HOST (see .env.example).",
            id="reminders.E002",
        )
    ]
