"""Staff changes to meetings, through any save path: plan notices, never send from here.

The services function meeting_changed() compares the meeting with what reminders last knew
(MeetingState), writes Delivery rows in the same transaction, and queues the dispatcher with
transaction.on_commit. queryset.update() bypasses signals: call meeting_changed() after it.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from meetings.models import Meeting, Venue

from . import services


@receiver(post_save, sender=Meeting, dispatch_uid="reminders.meeting_saved")
def meeting_saved(sender, instance: Meeting, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the database is being restored, not changed by staff
        return
    services.meeting_changed(instance.pk)


@receiver(post_save, sender=Venue, dispatch_uid="reminders.venue_saved")
def venue_saved(sender, instance: Venue, raw: bool = False, **kwargs) -> None:
    """A venue's new address is a move for every meeting there that has not started."""
    if raw:
        return
    for pk in services.meetings_at_venue_to_recheck(instance.pk):
        services.meeting_changed(pk)
