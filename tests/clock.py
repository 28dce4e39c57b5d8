"""Clock helpers for tests that start real processes (a worker, gunicorn), whose clock is the
machine's own and cannot be pinned. CI runs at any hour, so such tests use one explicit SMS
window covering the whole day, in the processes they start and in their own."""

from datetime import time

# As environment variables for a started process (settings.SMS_WINDOW_*).
WHOLE_DAY_SMS_WINDOW_ENV = {
    "SMS_WINDOW_START": "00:00",
    "SMS_WINDOW_END": "23:59:59.999999",
    "SMS_WINDOW_SUNDAY_START": "00:00",
}

# The same window as settings.SMS_SEND_WINDOW, for the test's own process.
WHOLE_DAY_SMS_WINDOW = {
    "start": time(0, 0),
    "end": time(23, 59, 59, 999999),
    "sunday_start": time(0, 0),
}
