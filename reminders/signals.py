"""Staff changes to meetings, through any save path: queue their planning, never plan or
send from here.

A save only queues the task reminders.meeting_changed (the meeting's id, on commit); the
worker runs services.meeting_changed(), which compares the meeting with what reminders last
knew (MeetingState) and plans notices and reminders for every subscriber. So a staff request
costs the same whatever the number of subscribers. A lost task, or a queryset.update() that
bypasses signals, is caught by the dispatcher's next pass (services.reconcile()).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from meetings.models import Meeting, Venue

from . import services


@receiver(post_save, sender=Meeting, dispatch_uid="reminders.meeting_saved")
def meeting_saved(sender, instance: Meeting, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the database is being restored, not changed by staff
        return
    services.queue_meeting_changed(instance.pk)


@receiver(post_save, sender=Venue, dispatch_uid="reminders.venue_saved")
def venue_saved(sender, instance: Venue, raw: bool = False, **kwargs) -> None:
    """A venue's new address is a move for every meeting there that has not started."""
    if raw:
        return
    for pk in services.meetings_at_venue_to_recheck(instance.pk):
        services.queue_meeting_changed(pk)
