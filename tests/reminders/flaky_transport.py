"""A stand-in SMS provider for tests: fails a set number of times, then writes to the outbox."""

import os
import signal
from pathlib import Path

from reminders.notify.base import Message, TransportError
from reminders.notify.outbox import OutboxTransport


class FailTwiceTransport(OutboxTransport):
    failures_left = 2

    def send(self, message: Message) -> str:
        if FailTwiceTransport.failures_left > 0:
            FailTwiceTransport.failures_left -= 1
            raise TransportError("Provider busy (HTTP 503).")
        return super().send(message)


class RejectingTransport(OutboxTransport):
    def send(self, message: Message) -> str:
        raise TransportError("Provider says the number is not a mobile.", permanent=True)


# --- Crashes at each point of a send (issue 9, case 6) ------------------------------------
# CRASH_AT (environment, for a real worker; or the class attribute, in-process) names where
# the process dies, once: "before_call" (the attempt is on record, the provider never heard
# of it), "after_accept" (the provider has it, our database does not), "after_commit" (all
# recorded, the task not yet acknowledged; real worker only). In-process a crash is an
# exception nothing catches; in a real worker (CRASH_MODE=kill) it is SIGKILL.


class Crash(BaseException):  # noqa: N818 (it stands for the process dying, not an error)
    """The process died here: nothing after this line runs."""


def _crash_once(folder: Path, point: str, wanted: str | None) -> None:
    marker = folder / f".crashed-{point}"
    if wanted != point or marker.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    marker.touch()
    if os.environ.get("CRASH_MODE") == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise Crash(point)


class CrashingTransport(OutboxTransport):
    crash_at: str | None = None

    def _wanted(self) -> str | None:
        return os.environ.get("CRASH_AT") or self.crash_at

    def send(self, message: Message) -> str:
        _crash_once(self.folder, "before_call", self._wanted())
        provider_id = super().send(message)
        _crash_once(self.folder, "after_accept", self._wanted())
        return provider_id


class CrashingBlindTransport(CrashingTransport):
    """A provider that cannot be asked whether it has a message (like SMTP)."""

    can_look_up = False


class AcceptThenTimeOutTransport(OutboxTransport):
    """The provider takes the message, and the answer never comes back (once)."""

    timeouts_left = 1

    def send(self, message: Message) -> str:
        provider_id = super().send(message)
        if AcceptThenTimeOutTransport.timeouts_left > 0:
            AcceptThenTimeOutTransport.timeouts_left -= 1
            raise TransportError("No answer from the provider in time.", unknown=True)
        return provider_id


if os.environ.get("CRASH_AT") == "after_commit":
    from celery.signals import task_postrun

    @task_postrun.connect(weak=False)
    def _die_before_the_acknowledgement(**kwargs) -> None:
        from django.conf import settings

        _crash_once(Path(settings.REMINDERS_OUTBOX_DIR), "after_commit", "after_commit")


class GatedTransport(OutboxTransport):
    """Holds each send until `gate` is set (after the first one through), to race it."""

    gate = None
    entered = None

    def send(self, message: Message) -> str:
        gate, GatedTransport.gate = GatedTransport.gate, None
        if gate is not None:
            GatedTransport.entered.set()
            gate.wait(10)
        return super().send(message)


class CountingTransport(OutboxTransport):
    """Counts how many transports (think: Twilio clients) were made."""

    made = 0

    def __init__(self) -> None:
        CountingTransport.made += 1
        super().__init__()
