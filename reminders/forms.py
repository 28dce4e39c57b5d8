"""The "remind me" form on a meeting page and the SMS code form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from outreach import form_errors, languages

from . import contacts
from .enums import Channel, Scope

# Django puts its label suffix (":") after a form label unless the label ends with one of the
# characters of this string, translated (BoundField.label_tag): each of our catalogues gives
# it, so a question keeps the language's own question mark with no colon after it ("؟", not
# "؟:"). Django's own catalogues leave the Arabic one out.
# Translators: characters that end a form label so that no colon is added after it. Keep
# ":?.!" and add your language's own question mark, full stop or colon (Arabic: ":?.!؟").
gettext_noop(":?.!")

EXAMPLE_PHONE = "713 555 0123"  # a Houston-area number, shown under the phone field


class RemindMeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How should we remind you?"),
        choices=Channel.choices,
        initial=Channel.SMS,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Mobile phone number (for text messages)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Email (for email reminders)"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the messages"), choices=languages.choices, widget=forms.RadioSelect
    )
    scope = forms.ChoiceField(
        label=_("Remind me of"),
        choices=Scope.choices,
        initial=Scope.MEETING,
        widget=forms.RadioSelect,
    )
    # Honeypot: hidden from people (and screen readers); a robot that fills it is ignored.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    consent = forms.BooleanField(
        label=_("I agree to receive these reminders."),
        error_messages={"required": _("Check the box to agree, or we cannot send reminders.")},
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None and data.get("scope") == "meeting":
            # The value pages used before the short codes (a page may still be cached).
            data = data.copy()
            data["scope"] = Scope.MEETING
        super().__init__(data, *args, **kwargs)
        # Said before typing, not only after a refusal: which numbers can get our texts.
        # The example number stays one left-to-right run on one line, in a right-to-left
        # page too (site.css: .helptext bdi): Arabic once split it and reordered its groups.
        example = format_html('<bdi dir="ltr">{}</bdi>', EXAMPLE_PHONE)
        # Translators: %(example)s is a phone number, "713 555 0123".
        text = gettext("A mobile number from %(regions)s, for example %(example)s.")
        values = {"regions": conditional_escape(contacts.served_regions()), "example": example}
        self.fields["phone"].help_text = mark_safe(conditional_escape(text) % values)  # noqa: S308 (every part escaped)

    def error_summary(self) -> list[tuple[str, str]]:
        """Every error as (id of the input to fix, message), form-wide ones first with no id."""
        return form_errors.error_summary(self)

    def clean(self) -> dict:
        data = super().clean()
        channel = data.get("channel")
        field = "phone" if channel == Channel.SMS else "email"
        other = "email" if field == "phone" else "phone"
        if channel and not (data.get(field) or "").strip():
            # The other box filled in instead: say which choice to change, not "enter a number"
            # as if what they wrote were lost (it is kept).
            if (data.get(other) or "").strip():
                labels = {"email": Channel.EMAIL.label, "sms": Channel.SMS.label}
                message = (
                    _(
                        "You wrote an email address but chose text message: choose "
                        "“%(email)s” above, or enter your mobile phone number."
                    )
                    if channel == Channel.SMS
                    else _(
                        "You wrote a phone number but chose email: choose “%(sms)s” above, "
                        "or enter your email address."
                    )
                ) % labels
            else:
                message = (
                    _("Enter your mobile phone number.")
                    if channel == Channel.SMS
                    else _("Enter your email address.")
                )
            self.add_error(field, ValidationError(message, code="required"))
        elif channel:
            try:
                data["contact"] = contacts.normalize(channel, data[field])
            except ValidationError as error:
                # "713 555 0123" in an Arabic sentence stays one left-to-right piece.
                self.add_error(
                    field,
                    [
                        ValidationError(languages.isolate_phone_numbers(message), code=item.code)
                        for item, message in zip(error.error_list, error.messages, strict=True)
                    ],
                )
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationError(_("The code has six digits."), code="format")
        return code
