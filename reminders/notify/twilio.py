"""SMS through Twilio's REST API (credentials from the environment, see settings)."""

from datetime import datetime

import requests
from django.conf import settings
from django.urls import reverse
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from .base import Message, Transport, TransportError

# Twilio error codes: the recipient opted out at the carrier; counts as STOP.
UNSUBSCRIBED = 21610
# Codes that will never succeed on retry (bad or unreachable number, not a mobile...).
PERMANENT = {21211, 21214, 21408, 21612, 21614, 30003, 30005, 30006}


class TwilioTransport(Transport):
    can_look_up = True

    def __init__(self) -> None:
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise TransportError("Twilio credentials are not configured.", permanent=True)
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=15),
        )

    def send(self, message: Message) -> str:
        sender = (
            {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            if settings.TWILIO_MESSAGING_SERVICE_SID
            else {"from_": settings.TWILIO_FROM_NUMBER}
        )
        try:
            sent = self.client.messages.create(
                to=message.to,
                body=message.sms,
                # Carrier results come back signed to reminders/webhooks.py (delivery_status).
                status_callback=settings.SITE_URL + reverse("twilio:status"),
                **sender,
            )
        except TwilioRestException as error:
            raise _error(error) from None
        except requests.exceptions.ReadTimeout:
            # The request went out and no answer came: Twilio may have queued the text.
            raise TransportError("No answer from Twilio in time.", unknown=True) from None
        except (TwilioException, OSError) as error:
            # Could not reach Twilio (refused, DNS, connect timeout): nothing was sent.
            raise TransportError(f"Twilio unreachable ({type(error).__name__}).") from None
        return sent.sid

    def lookup(self, message: Message, since: datetime) -> str | None:
        """Twilio's record of a text with this body to this number since `since`."""
        try:
            # Twilio filters by day; the same body to the same number that day is this text.
            recent = self.client.messages.list(to=message.to, date_sent_after=since, limit=50)
        except TwilioRestException as error:
            raise _error(error) from None
        except (TwilioException, OSError) as error:
            raise TransportError(f"Twilio unreachable ({type(error).__name__}).") from None
        for record in recent:
            if record.body == message.sms and record.status not in {"failed", "undelivered"}:
                return record.sid
        return None


def _error(error: TwilioRestException) -> TransportError:
    """Twilio's error text may quote the number, so only the code and status are kept."""
    text = f"Twilio error {error.code} (HTTP {error.status})."
    if error.code == UNSUBSCRIBED:
        return TransportError(text, stop=True)
    permanent = error.code in PERMANENT or (400 <= error.status < 500 and error.status != 429)
    return TransportError(text, permanent=permanent)
