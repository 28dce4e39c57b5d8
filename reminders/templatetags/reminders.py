from django import template
from django.conf import settings
from django.template import loader
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from outreach import languages
from outreach.fragments import fragments
from reminders import abuse, heartbeat
from reminders.forms import RemindMeForm

register = template.Library()

FORM_TEMPLATE = "reminders/_remind_me.html"


@register.simple_tag(takes_context=True)
def remind_me_form(context, meeting) -> SafeString:
    """The sign-up form for a meeting page; a form with errors is passed back as remind_form.

    The blank form is the same for every visitor (it carries no CSRF token: outreach/csrf.py):
    it is rendered once per language, meeting address, state (open or not) and reminders
    chosen, and kept (outreach/fragments.py). Its blank widgets, about half a meeting page, are
    the same for every meeting: kept once per language.
    """
    open_for_reminders = not meeting.is_cancelled and meeting.starts_at > timezone.now()
    form = context.get("remind_form")
    if form is not None:
        fields = _field_groups(form)
        return _render(fields, meeting, open_for_reminders, form)
    language = languages.active()
    # Keyed by all it shows: the address, the reminders staff chose ("3 days before, …"), and
    # the day an "every meeting" term would end (it changes at midnight).
    reminders = tuple(meeting.chosen_reminders)
    key = (
        FORM_TEMPLATE,
        language,
        meeting.slug,
        open_for_reminders,
        reminders,
        timezone.localdate(),
    )
    return fragments.get_or_render(
        key, lambda: _render(_blank_field_groups(language), meeting, open_for_reminders)
    )


def _blank_field_groups(language: str) -> dict[str, SafeString]:
    """The blank form's fields, rendered (their labels, help and widgets are in the page's
    language, preselected, and nothing else): kept per language."""
    return fragments.get_or_render(
        (FORM_TEMPLATE, "blank fields", language),
        lambda: _field_groups(RemindMeForm(initial={"language": language})),
    )


def _field_groups(form: RemindMeForm) -> dict[str, SafeString]:
    return {name: form[name].as_field_group() for name in form.fields}


def _render(fields: dict, meeting, open_for_reminders: bool, form=None) -> SafeString:
    context = {"fields": fields, "form": form, "meeting": meeting, "open": open_for_reminders}
    return loader.render_to_string(FORM_TEMPLATE, context)


@register.simple_tag
def sms_budget_warning() -> dict | None:
    """For staff: when the hourly budget of confirmation texts was last reached (today)."""
    reached = abuse.budget_reached_at()
    if reached is None:
        return None
    return {"reached": reached, "budget": settings.REMINDERS_CONFIRMATION_SMS_PER_HOUR}


@register.simple_tag
def sending_stopped() -> heartbeat.Stalled | None:
    """For staff: messages still waiting well after they were due (no worker or beat)."""
    return heartbeat.stalled()


@register.simple_tag
def sms_join_line() -> str | None:
    """ "¿Sin internet? Envíe REUNION al (214) 555-0100" in the page's language (the number kept
    whole on a right-to-left page), or None when no join number is configured
    (reminders/join.py)."""
    from reminders import join

    line = join.sms_join_line(get_language())
    return languages.isolate_phone_numbers(line) if line else None
