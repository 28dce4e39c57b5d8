from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from reminders import abuse
from reminders.forms import RemindMeForm

register = template.Library()


@register.inclusion_tag("reminders/_remind_me.html", takes_context=True)
def remind_me_form(context, meeting) -> dict:
    """The sign-up form for a meeting page; a form with errors is passed back as remind_form."""
    form = context.get("remind_form") or RemindMeForm(
        initial={"language": (get_language() or "en")[:2]}
    )
    open_for_reminders = not meeting.is_cancelled and meeting.starts_at > timezone.now()
    return {"form": form, "meeting": meeting, "open": open_for_reminders}


@register.simple_tag
def sms_budget_warning() -> dict | None:
    """For staff: when the hourly budget of confirmation texts was last reached (today)."""
    reached = abuse.budget_reached_at()
    if reached is None:
        return None
    return {"reached": reached, "budget": settings.REMINDERS_CONFIRMATION_SMS_PER_HOUR}
