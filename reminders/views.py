"""Resident pages: ask for reminders, confirm (code or link), stop. Plain function views.

No view sends anything: services queue messages after the transaction commits. No contact
ever goes into an address; the pending request's id is kept in the session.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from kombu.exceptions import OperationalError

from meetings import dates, public
from meetings.models import Meeting
from outreach.cache import REDIS_ERRORS
from outreach.csrf import same_origin_form

from . import abuse, contacts, crypto, frequency, join, services
from .enums import Channel, Scope, SubscriptionStatus
from .forms import CodeForm, RemindMeForm
from .models import Subscription

logger = logging.getLogger(__name__)

PENDING_KEY = "reminders_pending"
# What the "reminders are on" page names: the confirmed meeting's id, or ALL_MEETINGS.
CONFIRMED_KEY = "reminders_confirmed"
CONFIRMED_CHANNEL_KEY = "reminders_confirmed_channel"
ALL_MEETINGS = 0
# The form's place on the meeting page: a post with errors comes back scrolled there.
FORM_ANCHOR = "remind"
# Queueing a task failed: the broker (Redis) is down or hung.
QUEUE_ERRORS = (OperationalError, *REDIS_ERRORS)


def short_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The short address in SMS messages: on to the meeting's page in the same language."""
    meeting = get_object_or_404(Meeting.objects.public(), pk=pk)
    return redirect(meeting.get_absolute_url())


@same_origin_form  # the form carries no CSRF token: the cached page sets no cookie
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    """The "remind me" form: same answer whether or not the contact was known."""
    meeting = get_object_or_404(Meeting.objects.public().select_related("venue"), slug=slug)
    if request.method == "GET":
        return redirect(meeting.get_absolute_url() + "#" + FORM_ANCHOR)
    form = RemindMeForm(request.POST)
    if not form.is_valid():  # a mistake costs nothing and counts for nothing
        return _form_again(request, meeting, form, status=400)
    data = form.cleaned_data
    if data.get(abuse.HONEYPOT_FIELD):  # a robot filled the field people never see
        sms = data["channel"] == Channel.SMS
        return redirect("reminders:enter_code" if sms else "reminders:email_sent")
    digest = crypto.digest(data["contact"])
    verdict = abuse.may_send_confirmation(request, digest, data["channel"])
    if verdict == abuse.Verdict.TOO_MANY:
        return abuse.too_many(request)
    if verdict != abuse.Verdict.SEND:
        form.add_error(None, refusal_message(verdict))
        return _form_again(request, meeting, form, status=503)
    try:
        subscription = services.request_subscription(
            channel=data["channel"],
            contact=data["contact"],
            language=data["language"],
            meeting=None if data["scope"] == Scope.ALL else meeting,
            consent_page=meeting.get_absolute_url(),
        )
    except QUEUE_ERRORS as error:
        logger.warning("Could not queue a confirmation: %s", type(error).__name__)
        form.add_error(None, refusal_message(abuse.Verdict.QUEUE_DOWN))
        return _form_again(request, meeting, form, status=503)
    abuse.count_confirmation(request, digest, data["channel"])
    request.session[PENDING_KEY] = subscription.pk
    if data["channel"] == Channel.SMS:
        return redirect("reminders:enter_code")
    return redirect("reminders:email_sent")


def _form_again(request: HttpRequest, meeting: Meeting, form: RemindMeForm, status: int):
    """The meeting page with the form as it was typed and what to fix, summed up at its top."""
    context = {**public.page_context(meeting), "remind_form": form, "form_has_errors": True}
    return render(request, "meetings/detail.html", context, status=status)


def refusal_message(verdict: abuse.Verdict) -> str:
    """Why no code or link can be sent now, and what to do instead."""
    if verdict == abuse.Verdict.BUDGET_SPENT:
        return gettext(
            "We have sent all the text messages we can this hour. Choose email instead, "
            "or try again after %(time)s."
        ) % {"time": dates.clock(abuse.budget_resets_at())}
    return gettext(
        "We cannot send codes or links right now. Nothing was lost: please try again "
        "in a few minutes."
    )


def email_sent(request: HttpRequest) -> HttpResponse:
    """The "check your email" page, naming (masked) the address the link went to."""
    subscription = _pending(request)
    masked = contacts.mask(subscription.channel, subscription.contact) if subscription else ""
    return render(request, "reminders/email_sent.html", {"masked": masked})


def _pending(request: HttpRequest) -> Subscription | None:
    pending = request.session.get(PENDING_KEY)
    if pending is None:
        return None
    return Subscription.objects.select_related("meeting").filter(pk=pending).first()


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    """Type the six-digit code from the SMS; or ask for a new one; or change the number."""
    subscription = _pending(request)
    if subscription is None:
        return render(request, "reminders/nothing_pending.html", status=404)
    if subscription.status == SubscriptionStatus.CONFIRMED and not subscription.code_hash:
        # Confirmed already, no new code waiting (asking again issues one): nothing to type.
        return _show_confirmed(request, subscription)
    form, resent, status, refusal = CodeForm(), False, 200, ""
    if request.method == "POST" and "resend" in request.POST:
        resent, verdict = _resend(request, subscription)
        if verdict == abuse.Verdict.TOO_MANY:
            return abuse.too_many(request)
        if verdict:
            refusal, status = refusal_message(verdict), 503
    elif request.method == "POST":
        if abuse.wrong_codes_limited(request):
            return abuse.too_many(request)
        form = CodeForm(request.POST)
        if form.is_valid():
            result = services.confirm_code(subscription.pk, form.cleaned_data["code"])
            if result == services.CodeResult.CONFIRMED:
                return _show_confirmed(request, subscription)
            if result in (services.CodeResult.WRONG, services.CodeResult.LOCKED):
                abuse.count_wrong_code(request)
            form.add_error("code", _code_error(result))
        status = 400
    context = {
        "form": form,
        "resent": resent,
        "refusal": refusal,
        "masked": contacts.mask(subscription.channel, subscription.contact),
    }
    return render(request, "reminders/enter_code.html", context, status=status)


def _resend(request: HttpRequest, subscription: Subscription) -> tuple[bool, str]:
    """Queue a new code if this contact and address may have one: (sent, refusal)."""
    digest, channel = subscription.contact_digest, subscription.channel
    verdict = abuse.may_send_confirmation(request, digest, channel)
    if verdict != abuse.Verdict.SEND:
        return False, verdict
    try:
        services.resend_confirmation(subscription.pk)
    except QUEUE_ERRORS as error:
        logger.warning("Could not queue a new code: %s", type(error).__name__)
        return False, abuse.Verdict.QUEUE_DOWN
    abuse.count_confirmation(request, digest, channel)
    return True, ""


@require_POST
def change_number(request: HttpRequest) -> HttpResponse:
    """The "wrong number?" button: forget the request waiting for a code, back to the form."""
    subscription = _pending(request)
    request.session.pop(PENDING_KEY, None)
    if subscription is None:
        return redirect("meetings:upcoming")
    meeting = subscription.meeting
    services.withdraw_request(subscription.pk)
    if meeting is None or not meeting.published:
        return redirect("meetings:upcoming")
    return redirect(meeting.get_absolute_url() + "#" + FORM_ANCHOR)


def _code_error(result: str) -> str:
    if result == services.CodeResult.WRONG:
        return gettext("That code is not right. Check the text message and try again.")
    if result == services.CodeResult.LOCKED:
        return gettext("Too many wrong tries. Ask for a new code below.")
    return gettext("This code has expired. Ask for a new code below.")


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links); POST confirms. Opened again once
    confirmed, the link says so instead of failing."""
    subscription = services.subscription_for_email_token(token)
    if subscription is not None and subscription.status == SubscriptionStatus.CONFIRMED:
        return render(request, "reminders/already_confirmed.html")
    if subscription is None or subscription.status != SubscriptionStatus.PENDING:
        return render(request, "reminders/link_invalid.html", status=404)
    if request.method == "POST":
        services.confirm_token(token)
        return _show_confirmed(request, subscription)
    return render(request, "reminders/confirm_email.html")


def _show_confirmed(request: HttpRequest, subscription: Subscription) -> HttpResponse:
    """On to the "reminders are on" page, which names what was confirmed: the meeting's id
    (or ALL_MEETINGS) goes into the session, never into the address."""
    request.session.pop(PENDING_KEY, None)
    request.session[CONFIRMED_KEY] = subscription.meeting_id or ALL_MEETINGS
    request.session[CONFIRMED_CHANNEL_KEY] = subscription.channel
    return redirect("reminders:confirmed")


def confirmed(request: HttpRequest) -> HttpResponse:
    """Names the meeting the reminders are for (day, time, venue), or every upcoming meeting
    and the next one; a visit with nothing confirmed in this session gets the general page."""
    chosen = request.session.get(CONFIRMED_KEY)
    if chosen is None:
        return render(request, "reminders/confirmed.html")
    if chosen == ALL_MEETINGS:
        meeting = next(iter(join.next_meetings(timezone.now())), None)
    else:
        meeting = Meeting.objects.public().select_related("venue").filter(pk=chosen).first()
    context = {
        "every": chosen == ALL_MEETINGS,
        "meeting": meeting,
        "by_text": request.session.get(CONFIRMED_CHANNEL_KEY) == Channel.SMS,
        "by_email": request.session.get(CONFIRMED_CHANNEL_KEY) == Channel.EMAIL,
        # One meeting: only the reminders still ahead (its 3-day one may have passed).
        "times": ""
        if chosen == ALL_MEETINGS or meeting is None
        else frequency.reminder_times_ahead(meeting, timezone.now()),
    }
    return render(request, "reminders/confirmed.html", context)


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs with no cookie; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing; POST (the button, or one-click) stops at once.
    Opened again, it says the reminders are already stopped and how to sign up again."""
    pk = services.unsubscribe_token_pk(token)
    if pk is None:
        raise Http404
    subscription = Subscription.objects.filter(pk=pk).first()
    # Deleted (stopped, then removed after the meetings) or stopped: nothing left to stop.
    already = subscription is None or subscription.status == SubscriptionStatus.STOPPED
    if request.method == "POST" and not already:
        services.stop_contact(subscription.contact_digest)
    if request.method == "POST" or already:
        return render(request, "reminders/unsubscribed.html", {"already": already})
    return render(request, "reminders/unsubscribe.html")


@csrf_exempt  # one-click from a mail client, as for `unsubscribe`
@require_http_methods(["GET", "POST"])
def unsubscribe_old_address(request: HttpRequest, token: str) -> HttpResponse:
    """A link sent before the address was renamed: a visit moves to the new address; a
    one-click POST is answered here (mail clients do not follow redirects)."""
    if request.method == "POST":
        return unsubscribe(request, token)
    return redirect("reminders:unsubscribe", token=token, permanent=True)
