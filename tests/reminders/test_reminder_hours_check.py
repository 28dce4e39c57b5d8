"""An operator who sets REMINDER_PLAN_HOURS=48 would have every page and text promise "3 days
before" for a reminder sent 2 days before: the site refuses to start that way."""

from django.core.checks import run_checks


def ids(settings_hours, settings) -> list[str]:
    settings.REMINDERS_OFFSETS_HOURS = settings_hours
    return [message.id for message in run_checks(tags=["reminders"])]


def test_the_hours_the_labels_say_pass(settings):
    hours = {"reminder_3d": 72, "reminder_24h": 24, "reminder_2h": 2}
    assert "reminders.E003" not in ids(hours, settings)


def test_a_reminder_moved_away_from_its_label_is_refused(settings):
    hours = {"reminder_3d": 48, "reminder_24h": 24, "reminder_2h": 2}
    assert ids(hours, settings).count("reminders.E003") == 1
