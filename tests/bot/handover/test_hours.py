"""Opening hours: weekdays, periods, holidays, summer time, and when staff are next there."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.handover.hours import Holiday, OpeningHours
from tests.bot.handover.conftest import HOURS, NINE_TO_FIVE, local


@pytest.mark.parametrize("moment, open_", [
    (local(2026, 10, 5, 8, 29), False),  # Monday, a minute early
    (local(2026, 10, 5, 8, 30), True),  # Monday, opening time
    (local(2026, 10, 5, 16, 59), True),
    (local(2026, 10, 5, 17, 0), False),  # closing time is closed
    (local(2026, 10, 9, 12, 30), False),  # Friday lunch
    (local(2026, 10, 9, 13, 0), True),
    (local(2026, 10, 9, 16, 0), False),  # Friday closes early
    (local(2026, 10, 10, 11, 0), False),  # Saturday
    (local(2026, 10, 11, 11, 0), False),  # Sunday
    (local(2026, 12, 22, 11, 0), False),  # Tuesday in the Christmas holiday
    (local(2027, 1, 1, 11, 0), False),  # its last day is included
    (local(2027, 1, 4, 11, 0), True),  # the Monday after
])
def test_open_on_weekdays_within_the_periods_and_not_on_holidays(moment, open_):
    assert HOURS.is_open(moment) is open_


def test_a_utc_moment_is_read_in_amsterdam_time():
    # 07:00 UTC on a Monday in October is 09:00 in Amsterdam (summer time): open.
    assert HOURS.is_open(datetime(2026, 10, 5, 7, 0, tzinfo=timezone.utc))
    # 07:00 UTC on a Monday in November is 08:00 in Amsterdam (winter time): not yet.
    assert not HOURS.is_open(datetime(2026, 11, 2, 7, 0, tzinfo=timezone.utc))
    assert not HOURS.is_open(datetime(2026, 11, 2, 7, 0))  # naive: UTC


def test_opening_time_stays_on_the_wall_clock_across_the_change_to_summer_time():
    # Summer time starts on Sunday 29 March 2026: Friday opens 07:30 UTC, Monday 06:30 UTC.
    friday, monday = HOURS.next_opening(local(2026, 3, 27, 7, 0)), HOURS.next_opening(local(2026, 3, 29, 12, 0))
    assert (friday.hour, friday.minute, monday.hour, monday.minute) == (8, 30, 8, 30)
    assert friday.astimezone(timezone.utc).hour == 7 and monday.astimezone(timezone.utc).hour == 6
    assert HOURS.is_open(datetime(2026, 3, 30, 6, 45, tzinfo=timezone.utc))
    assert not HOURS.is_open(datetime(2026, 3, 27, 7, 15, tzinfo=timezone.utc))


def test_next_opening_across_the_change_to_winter_time():
    # Winter time starts on Sunday 25 October 2026: from Saturday, Monday 08:30 is 07:30 UTC.
    opening = HOURS.next_opening(local(2026, 10, 24, 12, 0))
    assert opening == local(2026, 10, 26, 8, 30)
    assert opening.astimezone(timezone.utc) == datetime(2026, 10, 26, 7, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("now, expected", [
    (local(2026, 10, 5, 7, 0), local(2026, 10, 5, 8, 30)),  # early: today
    (local(2026, 10, 5, 10, 0), local(2026, 10, 5, 10, 0)),  # open: now
    (local(2026, 10, 5, 18, 0), local(2026, 10, 6, 8, 30)),  # evening: tomorrow
    (local(2026, 10, 9, 12, 15), local(2026, 10, 9, 13, 0)),  # Friday lunch: after lunch
    (local(2026, 10, 9, 16, 30), local(2026, 10, 12, 8, 30)),  # Friday afternoon: Monday
    (local(2026, 12, 18, 17, 0), local(2027, 1, 4, 8, 30)),  # before the holiday: after it
])
def test_next_opening(now, expected):
    assert HOURS.next_opening(now) == expected


def test_closing_time_is_the_end_of_the_current_period():
    assert HOURS.closing_time(local(2026, 10, 9, 9, 0)) == local(2026, 10, 9, 12, 0)
    assert HOURS.closing_time(local(2026, 10, 9, 12, 30)) is None


def test_without_hours_there_is_no_next_opening():
    assert OpeningHours().next_opening(local(2026, 10, 5, 10, 0)) is None
    always_on_holiday = OpeningHours({0: NINE_TO_FIVE}, (Holiday(date(2026, 1, 1), date(2030, 1, 1)),))
    assert always_on_holiday.next_opening(local(2026, 10, 5, 10, 0)) is None
