"""`python manage.py purge_expired`: the nightly deletion, run by hand (beat runs it too)."""

from django.core.management.base import BaseCommand

from reminders.retention import purge_expired, retention_days


class Command(BaseCommand):
    help = (
        "Delete reminder subscriptions (with their contact) past the retention period after "
        "their last meeting, and requests never confirmed within 24 hours."
    )

    def handle(self, *args, **options) -> None:
        purged = purge_expired()
        self.stdout.write(
            f"Deleted {purged.expired} subscription(s) more than {retention_days()} day(s) "
            f"after their last meeting and {purged.unconfirmed} unconfirmed request(s)."
        )
