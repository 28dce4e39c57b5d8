"""Site-wide housekeeping tasks (beat schedule in settings)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="outreach.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Nightly: delete expired sessions (Django keeps them until told; `clearsessions`)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
