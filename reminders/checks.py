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


@register("reminders")
def check_reminder_hours(app_configs, **kwargs) -> list[Error]:
    """The forms, consent text and messages say "3 days / 1 day / 2 hours before" in every
    language: hours set otherwise would have them promise the wrong time."""
    from meetings.enums import LABELLED_HOURS

    wrong = {
        kind: hours
        for kind, hours in settings.REMINDERS_OFFSETS_HOURS.items()
        if LABELLED_HOURS.get(kind, hours) != hours
    }
    return [
        Error(
            f"The reminder {kind} is set to {hours} hours before the start, but every page and "
            f"message calls it {LABELLED_HOURS[kind]} hours before.",
            hint="Keep REMINDER_PLAN_HOURS=72, REMINDER_FIRST_HOURS=24, REMINDER_SECOND_HOURS=2, "
            "or change the labels in meetings/enums.py and their translations too.",
            id="reminders.E003",
        )
        for kind, hours in wrong.items()
    ]
