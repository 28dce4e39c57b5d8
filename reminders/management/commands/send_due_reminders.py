"""One dispatcher pass, sending in this process: no worker or broker needed."""

from django.core.management.base import BaseCommand

from reminders import services


class Command(BaseCommand):
    help = (
        "Send every reminder and notice that is due now, in this process (an operator's "
        "fallback when no Celery worker runs), and delete requests never confirmed in 24 hours."
    )

    def handle(self, *args, **options) -> None:
        deleted = services.delete_unconfirmed()
        services.reconcile()  # changed meetings not planned yet (no worker ran their task)
        handled = services.dispatch(in_process=True)
        self.stdout.write(
            f"Handled {handled} due deliveries; deleted {deleted} unconfirmed requests."
        )
