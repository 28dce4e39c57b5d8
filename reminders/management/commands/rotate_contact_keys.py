"""`python manage.py rotate_contact_keys`: re-encrypt every stored contact under the current key.

Key rotation: put a new key first in CONTACT_KEYS (keep the old ones after it), deploy, run
this command, then remove the old keys. Contacts are read and written in batches, one
transaction each, and never printed.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from reminders import crypto
from reminders.models import Subscription

BATCH = 1000


class Command(BaseCommand):
    help = "Re-encrypt every stored contact under the first key of CONTACT_KEYS."

    def handle(self, *args, **options) -> None:
        done, last_pk = 0, 0
        while True:
            with transaction.atomic():
                batch = list(
                    Subscription.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", "contact_encrypted")[:BATCH]
                )
                if not batch:
                    break
                for subscription in batch:
                    subscription.contact_encrypted = crypto.rotate(subscription.contact_encrypted)
                Subscription.objects.bulk_update(batch, ["contact_encrypted"])
            done, last_pk = done + len(batch), batch[-1].pk
        self.stdout.write(f"Re-encrypted {done} contact(s) under the current key.")
