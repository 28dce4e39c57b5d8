"""The real-worker tests plan their reminder from the machine's clock; whatever hour CI runs at
(here, 06:00 and 23:59:30 in Chicago, both outside the usual SMS window), that reminder is due
and may be sent, because the worker and the test share the whole-day window of tests/clock.py."""

from datetime import datetime

import pytest
import time_machine

from reminders import quiet_hours, services
from tests.clock import WHOLE_DAY_SMS_WINDOW
from tests.conftest import CHICAGO
from tests.reminders.test_worker import due_reminder

AWKWARD_HOURS = [
    datetime(2027, 3, 14, 6, 0, tzinfo=CHICAGO),  # a Sunday morning, the day clocks go forward
    datetime(2026, 12, 31, 23, 59, 30, tzinfo=CHICAGO),  # the last half minute of a year
]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", AWKWARD_HOURS, ids=["sunday-0600", "new-year-eve-2359"])
def test_the_worker_tests_reminder_is_due_and_sendable_at_any_hour(settings, moment):
    settings.SMS_SEND_WINDOW = WHOLE_DAY_SMS_WINDOW
    with time_machine.travel(moment, tick=False):
        delivery = due_reminder()
        assert services.claim_due() == [delivery.pk]
        assert quiet_hours.is_allowed(datetime.now(CHICAGO))


@pytest.mark.django_db
def test_without_the_shared_window_six_in_the_morning_plans_nothing():
    """What CI saw before: at 06:00 the two-hour reminder moves into the night before."""
    from reminders.models import Delivery

    with time_machine.travel(AWKWARD_HOURS[0], tick=False), pytest.raises(Delivery.DoesNotExist):
        due_reminder()
