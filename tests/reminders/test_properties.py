"""Whatever a resident types or staff write, parsing and rendering never crash or leak."""

import re
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.models import Meeting, Venue
from reminders import messages
from reminders.contacts import mask, normalize_email, normalize_phone
from reminders.enums import Channel, Kind
from reminders.forms import CodeForm, RemindMeForm
from reminders.keywords import classify

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
phone_like = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 +-().", max_size=25),
    st.from_regex(r"\+?1? ?\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]?\d{4}", fullmatch=True),
)


@given(phone_like)
def test_any_typed_phone_is_a_clean_number_or_a_clear_error(typed):
    try:
        number = normalize_phone(typed)
    except ValidationError as error:
        text = " ".join(error.messages)
        assert "713 555 0123" in text
        if len(typed.strip()) >= 5:
            assert typed.strip() not in text  # the error never echoes what was typed
        return
    assert E164.match(number)
    assert normalize_phone(number) == number  # stored form reads back the same
    assert mask(Channel.SMS, number).endswith(number[-4:])
    assert number[:-4] not in mask(Channel.SMS, number)


@given(st.one_of(st.text(), st.emails()))
def test_any_typed_email_is_lowercased_or_a_clear_error(typed):
    try:
        email = normalize_email(typed)
    except ValidationError as error:
        assert "maria@example.org" in " ".join(error.messages)
        return
    assert email == email.strip().lower()
    local = email.partition("@")[0]
    shown_local = mask(Channel.EMAIL, email).partition("@")[0]
    assert len(local) < 2 or local not in shown_local


form_values = st.one_of(st.none(), st.text(max_size=60), st.sampled_from(["sms", "email", "on"]))


@settings(max_examples=150)
@given(
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            ("channel", "phone", "email", "language", "scope", "consent", "website"), form_values
        ),
    ),
    st.text(max_size=20),
)
def test_any_posted_form_is_validated_without_error(data, code):
    posted = {key: value for key, value in data.items() if value is not None}
    form = RemindMeForm(posted)
    if form.is_valid():
        assert form.cleaned_data["contact"]
    CodeForm({"code": code}).is_valid()


@given(st.text())
def test_any_inbound_text_gets_a_keyword(body):
    assert classify(body).action


meeting_text = st.text(min_size=1, max_size=80).filter(lambda text: text.strip())
starts = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=60, deadline=None)
@given(
    title=meeting_text,
    venue_name=meeting_text,
    street=meeting_text,
    start=starts,
    kind=st.sampled_from([*Kind.values, "confirm", "welcome"]),
    language=st.sampled_from(["es", "en"]),
)
def test_any_meeting_renders_every_message_in_both_languages(
    title, venue_name, street, start, kind, language
):
    venue = Venue(name=venue_name, street_address=street, city="Houston", postal_code="77009")
    meeting = Meeting(
        pk=7,
        slug="reunion",
        title=title,
        venue=venue,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )

    def build() -> dict:
        with translation.override(language):
            context = messages.meeting_context(meeting)
        links = {"confirm_url": "https://x.example/c", "unsubscribe_url": "https://x.example/u"}
        return {**context, **links, "code": "123456", "all_meetings": False}

    sms_only = kind in {"welcome"}
    rendered = messages.render(kind, language, build, sms_only=sms_only)
    assert rendered.sms and "\n" not in rendered.sms
    assert messages.sms_segments(rendered.sms) >= 1
    if not sms_only:
        assert rendered.subject and "\n" not in rendered.subject
        # Staff text is escaped in the HTML part.
        if "<" in title:
            assert f"<strong>{title}</strong>" not in rendered.html
