"""Texts arrive at decent hours: 09:00-20:00 at the venue, Sundays from noon."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reminders.enums import Kind
from reminders.quiet_hours import allowed_send_time, earliest_allowed, is_allowed, latest_allowed

CHICAGO = ZoneInfo("America/Chicago")
UTC = ZoneInfo("UTC")


def at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def test_the_window_on_a_weekday_and_on_sunday():
    assert not is_allowed(at(2027, 2, 1, 8, 59))  # Monday
    assert is_allowed(at(2027, 2, 1, 9, 0))
    assert is_allowed(at(2027, 2, 1, 20, 0))
    assert not is_allowed(at(2027, 2, 1, 20, 1))
    assert not is_allowed(at(2027, 2, 7, 11, 59))  # Sunday
    assert is_allowed(at(2027, 2, 7, 12, 0))


def test_a_reminder_inside_the_window_keeps_its_time():
    meeting = at(2027, 2, 3, 18, 30)  # Wednesday evening
    for kind, hours in [(Kind.REMINDER_24H, 24), (Kind.REMINDER_2H, 2)]:
        desired = meeting - timedelta(hours=hours)
        assert allowed_send_time(desired, meeting_start=meeting, kind=kind) == desired


def test_monday_8am_meeting_reminders_move_to_the_evenings_before():
    meeting = at(2027, 2, 8, 8, 0)  # Monday 08:00
    two_hours = allowed_send_time(
        meeting - timedelta(hours=2), meeting_start=meeting, kind=Kind.REMINDER_2H
    )
    day_before = allowed_send_time(
        meeting - timedelta(hours=24), meeting_start=meeting, kind=Kind.REMINDER_24H
    )
    assert two_hours == at(2027, 2, 7, 20, 0)  # Sunday 20:00, not 06:00 Monday
    # Sunday 08:00 is before Sunday's noon opening: Saturday evening instead.
    assert day_before == at(2027, 2, 6, 20, 0)


def test_sunday_noon_meeting_gets_its_reminder_on_saturday_evening():
    meeting = at(2027, 2, 7, 12, 30)  # Sunday 12:30: noon's opening is too close to it
    sent = allowed_send_time(
        meeting - timedelta(hours=2), meeting_start=meeting, kind=Kind.REMINDER_2H
    )
    assert sent == at(2027, 2, 6, 20, 0)
    one_pm = at(2027, 2, 7, 13, 0)  # Sunday 13:00: the opening leaves an hour, so at noon
    sent = allowed_send_time(
        one_pm - timedelta(hours=2), meeting_start=one_pm, kind=Kind.REMINDER_2H
    )
    assert sent == at(2027, 2, 7, 12, 0)  # tests/reminders/test_quiet_hours_same_morning.py
    later = at(2027, 2, 7, 15, 0)  # Sunday 15:00: 13:00 is inside Sunday's window
    sent = allowed_send_time(later - timedelta(hours=2), meeting_start=later, kind=Kind.REMINDER_2H)
    assert sent == at(2027, 2, 7, 13, 0)


def test_a_reminder_never_goes_after_the_meeting_starts():
    meeting = at(2027, 2, 8, 8, 0)  # Monday 08:00
    # Planned late on Sunday night: the evening is over and 09:00 is after the start.
    now = at(2027, 2, 7, 21, 30)
    assert (
        allowed_send_time(
            meeting - timedelta(hours=2), meeting_start=meeting, kind=Kind.REMINDER_2H, now=now
        )
        is None
    )


def test_a_late_reminder_goes_at_the_next_allowed_minute_if_still_before_the_start():
    meeting = at(2027, 2, 8, 18, 0)  # Monday 18:00
    now = at(2027, 2, 8, 7, 0)  # planned at 07:00 Monday for a 24h reminder already past
    sent = allowed_send_time(
        meeting - timedelta(hours=24), meeting_start=meeting, kind=Kind.REMINDER_24H, now=now
    )
    assert sent == at(2027, 2, 8, 9, 0)


def test_cancellation_at_dawn_for_tonight_goes_at_the_first_allowed_minute():
    meeting = at(2027, 2, 8, 18, 30)  # Monday evening
    now = at(2027, 2, 8, 6, 15)
    assert allowed_send_time(now, meeting_start=meeting, kind=Kind.CANCELLED) == at(
        2027, 2, 8, 9, 0
    )
    sunday_now = at(2027, 2, 7, 7, 0)
    sunday_meeting = at(2027, 2, 7, 17, 0)
    assert allowed_send_time(sunday_now, meeting_start=sunday_meeting, kind=Kind.CANCELLED) == at(
        2027, 2, 7, 12, 0
    )
    late_night = at(2027, 2, 8, 22, 0)  # for tomorrow's meeting: tomorrow 09:00
    assert allowed_send_time(
        late_night, meeting_start=at(2027, 2, 9, 18, 30), kind=Kind.CHANGED
    ) == at(2027, 2, 9, 9, 0)


def test_daylight_saving_change_keeps_the_window_in_local_time():
    """Sunday 14 March 2027 clocks jump 02:00 -> 03:00 in Chicago."""
    monday = at(2027, 3, 15, 8, 0)  # Monday 08:00 CDT, the day after the change
    sent = allowed_send_time(
        monday - timedelta(hours=2), meeting_start=monday, kind=Kind.REMINDER_2H
    )
    assert sent == at(2027, 3, 14, 20, 0)
    assert sent.astimezone(UTC) == datetime(2027, 3, 15, 1, 0, tzinfo=UTC)  # CDT, UTC-5
    sunday = at(2027, 3, 14, 12, 30)  # the change day itself (noon is too close: Saturday)
    sent = allowed_send_time(
        sunday - timedelta(hours=2), meeting_start=sunday, kind=Kind.REMINDER_2H
    )
    assert sent == at(2027, 3, 13, 20, 0)
    assert sent.astimezone(UTC) == datetime(2027, 3, 14, 2, 0, tzinfo=UTC)  # CST, UTC-6
    # A desired time given in UTC is judged by the Chicago clock of that day.
    desired = datetime(2027, 3, 14, 16, 30, tzinfo=UTC)  # 11:30 CDT: before Sunday's noon
    assert not is_allowed(desired)
    assert earliest_allowed(desired) == at(2027, 3, 14, 12, 0)
    assert latest_allowed(desired) == at(2027, 3, 13, 20, 0)


def test_the_window_comes_from_settings(settings):
    settings.SMS_SEND_WINDOW = {
        "start": time(10, 0),
        "end": time(19, 0),
        "sunday_start": time(13, 0),
    }
    assert not is_allowed(at(2027, 2, 1, 9, 30))
    assert earliest_allowed(at(2027, 2, 1, 19, 30)) == at(2027, 2, 2, 10, 0)
    assert earliest_allowed(at(2027, 2, 7, 12, 0)) == at(2027, 2, 7, 13, 0)


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(CHICAGO)
)


@given(
    desired=moments, lead=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=3))
)
def test_any_reminder_lands_inside_the_window_before_the_start_or_not_at_all(desired, lead):
    meeting = desired + lead
    for kind in (Kind.REMINDER_24H, Kind.REMINDER_2H):
        sent = allowed_send_time(desired, meeting_start=meeting, kind=kind)
        if sent is None:
            continue
        assert is_allowed(sent)
        assert sent < meeting
        if sent > desired:
            # Later only on the meeting's morning: the window's first minute, an hour ahead.
            assert sent.date() == meeting.date()
            assert not is_allowed(sent - timedelta(minutes=1))
            assert meeting - sent >= timedelta(hours=1)
        else:
            # It moves back at most to the previous evening.
            assert desired - sent < timedelta(hours=25)


@given(
    desired=moments,
    lead=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=3)),
    kind=st.sampled_from([Kind.CANCELLED, Kind.CHANGED, Kind.BACK_ON]),
)
def test_any_notice_arrives_before_the_start(desired, lead, kind):
    """Quiet hours never make a notice miss its meeting: it goes inside the window if that
    opens in time (at least SMS_NOTICE_LEAD before the start), else at once."""
    start = desired + lead
    sent = allowed_send_time(desired, meeting_start=start, kind=kind)
    assert desired <= sent < start
    assert is_allowed(sent) or sent == desired  # outside the window only when sent at once
    if sent > desired:  # held for the window: no allowed minute skipped, still in time
        assert is_allowed(sent)
        assert not is_allowed(sent - timedelta(minutes=1))
        assert start - sent >= timedelta(hours=2)
        assert sent - desired <= timedelta(hours=16)  # 20:00 to 12:00 on Sunday, the longest


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "America/New_York"])
def test_the_venue_zone_is_what_counts(zone):
    local = ZoneInfo(zone)
    eight_in_venue = datetime(2027, 2, 1, 8, 0, tzinfo=local)
    assert not is_allowed(eight_in_venue, local)
    assert earliest_allowed(eight_in_venue, local) == datetime(2027, 2, 1, 9, 0, tzinfo=local)
