"""Issue 9, case 9: the one-click unsubscribe header as it goes over the wire, not as a Python
object. A reminder is sent through Django's SMTP backend to a small SMTP server in this test,
and the bytes it receives are read: `List-Unsubscribe: <https://...>` in plain ASCII on one
line (RFC 2369, RFC 8058), never RFC 2047 encoded words, which mail providers do not decode
in this header."""

import re
import socketserver
import threading
from datetime import datetime, timedelta

import pytest
from django.core import mail

from reminders import services
from reminders.enums import Channel, Kind
from reminders.models import Delivery
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

WEDNESDAY_EVENING = datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive one message: the DATA bytes go to server.received."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 test ready")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test")
            elif command == "DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.received.append(data)
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL FROM, RCPT TO, RSET, NOOP
                self.reply("250 ok")


@pytest.fixture
def smtp_server(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": server.server_address[1],
                "use_tls": False,
                "timeout": 5,
            },
        }
    }
    yield server.received
    server.shutdown()
    server.server_close()


def send_reminder(frozen_now, language: str) -> None:
    meeting = MeetingFactory(starts_at=WEDNESDAY_EVENING)
    SubscriptionFactory(
        meeting=meeting, channel=Channel.EMAIL, contact="maria@example.org", language=language
    )
    services.plan_meeting(meeting)
    frozen_now.move_to(WEDNESDAY_EVENING - timedelta(hours=23))
    services.dispatch(in_process=True)
    assert Delivery.objects.get(kind=Kind.REMINDER_24H).status == "sent"


def header_line(raw: bytes, name: bytes) -> bytes:
    """A header's whole line from a message's raw bytes; fails if the header was folded."""
    lines = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].split(b"\n")
    for i, line in enumerate(lines):
        if line.lower().startswith(name.lower() + b":"):
            folded = i + 1 < len(lines) and lines[i + 1][:1] in (b" ", b"\t")
            assert not folded, lines[i : i + 3]
            return line
    raise AssertionError(f"no {name!r} header")


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_unsubscribe_header_goes_over_smtp_as_a_plain_url(frozen_now, smtp_server, language):
    send_reminder(frozen_now, language)
    (raw,) = smtp_server
    line = header_line(raw, b"List-Unsubscribe")
    assert b"=?" not in line
    url = re.fullmatch(rb"List-Unsubscribe: <(https://meetings\.example\.org/\S+)>", line)
    assert url, line
    assert url.group(1).isascii() and len(line) <= 998
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    assert b"maria" not in url.group(1).lower()


def test_the_unsubscribe_header_is_plain_in_every_backend_s_bytes(frozen_now):
    """The console and file backends write message().as_bytes() with the default policy."""
    send_reminder(frozen_now, "es")
    raw = mail.outbox[-1].message().as_bytes()
    line = header_line(raw, b"List-Unsubscribe")
    assert re.fullmatch(rb"List-Unsubscribe: <https://meetings\.example\.org/\S+>", line), line


def test_an_unfolded_header_refuses_a_second_line_or_non_ascii():
    from reminders.notify.email import UnfoldedHeader

    for value in ["<https://x.example/a>\r\nBcc: someone@example.org", "<https://x.example/ñ>"]:
        with pytest.raises(ValueError, match="one line of ASCII"):
            UnfoldedHeader("List-Unsubscribe", value)
