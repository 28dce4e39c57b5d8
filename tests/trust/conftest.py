"""Trust tests run the reminders for real: same test keys, outbox and eager Celery."""

from tests.reminders.conftest import (  # noqa: F401  (re-exported fixtures)
    _reminder_settings,
    committed,
    sms_outbox,
)
