"""Resident pages: ask for reminders, confirm (code or link), stop. Plain function views.

No view sends anything: services queue messages after the transaction commits. No contact
ever goes into an address; the pending request's id is kept in the session.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from meetings import public
from meetings.models import Meeting

from . import abuse, crypto, services
from .enums import Channel, Scope
from .forms import CodeForm, RemindMeForm

PENDING_KEY = "reminders_pending"


def short_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The short address in SMS messages: on to the meeting's page in the same language."""
    meeting = get_object_or_404(Meeting.objects.public(), pk=pk)
    return redirect(meeting.get_absolute_url())


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    """The "remind me" form: same answer whether or not the contact was known."""
    meeting = get_object_or_404(Meeting.objects.public().select_related("venue"), slug=slug)
    if request.method == "GET":
        return redirect(meeting.get_absolute_url())
    if abuse.subscribe_limited_by_address(request):
        return abuse.too_many(request)
    form = RemindMeForm(request.POST)
    if not form.is_valid():
        context = {**public.page_context(meeting), "remind_form": form}
        return render(request, "meetings/detail.html", context, status=400)
    data = form.cleaned_data
    if data.get(abuse.HONEYPOT_FIELD):  # a robot filled the field people never see
        sms = data["channel"] == Channel.SMS
        return redirect("reminders:enter_code" if sms else "reminders:email_sent")
    if abuse.messages_limited_for_contact(request, crypto.digest(data["contact"])):
        return abuse.too_many(request)
    subscription = services.request_subscription(
        channel=data["channel"],
        contact=data["contact"],
        language=data["language"],
        meeting=None if data["scope"] == Scope.ALL else meeting,
        consent_page=meeting.get_absolute_url(),
    )
    request.session[PENDING_KEY] = subscription.pk
    if data["channel"] == Channel.SMS:
        return redirect("reminders:enter_code")
    return redirect("reminders:email_sent")


def email_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "reminders/email_sent.html")


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    """Type the six-digit code from the SMS; or ask for a new one."""
    pending = request.session.get(PENDING_KEY)
    if pending is None:
        return render(request, "reminders/nothing_pending.html", status=404)
    form = CodeForm(request.POST if request.method == "POST" else None)
    resent = False
    if request.method == "POST":
        resend = "resend" in request.POST
        limited = abuse.resend_limited if resend else abuse.confirm_limited
        if limited(request, pending):
            return abuse.too_many(request)
    if request.method == "POST" and "resend" in request.POST:
        services.resend_confirmation(pending)
        form, resent = CodeForm(), True
    elif form.is_bound and form.is_valid():
        result = services.confirm_code(pending, form.cleaned_data["code"])
        if result == services.CodeResult.CONFIRMED:
            del request.session[PENDING_KEY]
            return redirect("reminders:confirmed")
        form.add_error("code", _code_error(result))
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "resent": resent}
    return render(request, "reminders/enter_code.html", context, status=status)


def _code_error(result: str) -> str:
    if result == services.CodeResult.WRONG:
        return gettext("That code is not right. Check the text message and try again.")
    if result == services.CodeResult.LOCKED:
        return gettext("Too many wrong tries. Ask for a new code below.")
    return gettext("This code has expired. Ask for a new code below.")


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links); POST confirms."""
    if services.pending_for_token(token) is None:
        return render(request, "reminders/link_invalid.html", status=404)
    if request.method == "POST":
        if abuse.confirm_limited(request):
            return abuse.too_many(request)
        services.confirm_token(token)
        request.session.pop(PENDING_KEY, None)
        return redirect("reminders:confirmed")
    return render(request, "reminders/confirm_email.html")


def confirmed(request: HttpRequest) -> HttpResponse:
    return render(request, "reminders/confirmed.html")


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs with no cookie; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing; POST (the button, or one-click) stops at once."""
    subscription = services.subscription_for_unsubscribe_token(token)
    if subscription is None:
        if request.method == "POST":
            # Already deleted: nothing left to stop, which is what was asked.
            return render(request, "reminders/unsubscribed.html")
        raise Http404
    if request.method == "POST":
        services.stop_contact(subscription.contact_digest)
        return render(request, "reminders/unsubscribed.html")
    return render(request, "reminders/unsubscribe.html")


@csrf_exempt  # one-click from a mail client, as for `unsubscribe`
@require_http_methods(["GET", "POST"])
def unsubscribe_old_address(request: HttpRequest, token: str) -> HttpResponse:
    """A link sent before the address was renamed: a visit moves to the new address; a
    one-click POST is answered here (mail clients do not follow redirects)."""
    if request.method == "POST":
        return unsubscribe(request, token)
    return redirect("reminders:unsubscribe", token=token, permanent=True)
