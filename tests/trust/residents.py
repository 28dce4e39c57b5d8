"""A resident going through the site, as the trust tests need them: ask, confirm, be reminded."""

import re
from datetime import datetime
from uuid import uuid4

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from twilio.request_validator import RequestValidator

SITE = "https://meetings.example.org"
TWILIO_TOKEN = "trust-test-twilio-token"


def url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def ask(client: Client, meeting, language: str, **fields):
    data = {"channel": "sms", "language": language, "scope": "meeting", "consent": "on"}
    return client.post(
        url(language, "reminders:subscribe", slug=meeting.slug),
        {**data, **fields},
        REMOTE_ADDR="198.51.100.77",
    )


def subscribe_by_sms(client, committed, sms_outbox, meeting, language: str, phone: str, **extra):
    """Ask on the meeting page and type the code from the text: a confirmed SMS subscriber."""
    with committed():
        asked = ask(client, meeting, language, phone=phone, **extra)
    code = re.search(r"\b(\d{6})\b", sms_outbox()[-1]["body"]).group(1)
    with committed():
        client.post(asked["Location"], {"code": code})
    return asked


def subscribe_by_email(client, committed, meeting, language: str, email: str, **extra):
    """Ask on the meeting page and press the button behind the emailed link."""
    with committed():
        ask(client, meeting, language, channel="email", email=email, **extra)
    link = re.search(re.escape(SITE) + r"(\S+)", mail.outbox[-1].body).group(1)
    with committed():
        client.post(link)
    return link


def run_dispatcher_at(traveller, moment: datetime) -> None:
    traveller.move_to(moment)
    call_command("send_due_reminders", verbosity=0)


def text_us(client: Client, sender: str, body: str):
    """A signed inbound SMS from Twilio."""
    fields = {"From": sender, "To": "+17135550100", "Body": body}
    fields["MessageSid"] = f"SM{uuid4().hex}"  # Twilio names every message it passes on
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(SITE + "/twilio/sms", fields)
    return client.post("/twilio/sms", fields, HTTP_X_TWILIO_SIGNATURE=signature)


def database_text() -> str:
    """Every value of every row of every table, as one string (to search for a contact)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                chunks.extend(_as_text(value) for value in row)
    return "\n".join(chunks)


def _as_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
