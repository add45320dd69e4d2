"""When school staff are in the chat: opening hours per weekday, school holidays, a time zone.

The settings come from school.yml's section `handover:` (bot/school.py parses and validates it,
and gives a `HandoverSettings`). Wall-clock times are in the school's time zone (Europe/Amsterdam
by default, through zoneinfo), so "08:30" stays 08:30 on both sides of a change to or from summer
time; every moment handed in or out is a timezone-aware `datetime` (a naive one is read as UTC,
the database's convention).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Dict, Optional, Tuple
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Amsterdam"
# The weekdays as school.yml names them, Monday first (datetime.weekday() order).
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
# How far ahead next_opening looks: past a year of holidays, with hours on at least one weekday.
LOOK_AHEAD_DAYS = 400

Period = Tuple[time, time]  # opening and closing time on one day, opening < closing


@dataclass(frozen=True)
class Holiday:
    """Closed from `start` to `end`, both days included (a school holiday, a study day)."""

    start: date
    end: date
    name: Optional[str] = None

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class OpeningHours:
    """Per weekday (0 = Monday) the periods staff are there; closed on holidays and other days."""

    periods: Dict[int, Tuple[Period, ...]] = field(default_factory=dict)
    holidays: Tuple[Holiday, ...] = ()
    timezone: str = DEFAULT_TIMEZONE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: datetime) -> datetime:
        """`moment` in the school's time zone (a naive moment is taken as UTC)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(self.zone)

    def holiday(self, day: date) -> Optional[Holiday]:
        """The holiday `day` falls in, if any."""
        return next((holiday for holiday in self.holidays if holiday.covers(day)), None)

    def periods_on(self, day: date) -> Tuple[Tuple[datetime, datetime], ...]:
        """The opening periods of the local day `day`, as aware datetimes; none on a holiday."""
        if self.holiday(day):
            return ()
        zone = self.zone
        return tuple((datetime.combine(day, start, zone), datetime.combine(day, end, zone))
                     for start, end in self.periods.get(day.weekday(), ()))

    def is_open(self, now: datetime) -> bool:
        """Are staff there at `now`?"""
        return self.closing_time(now) is not None

    def closing_time(self, now: datetime) -> Optional[datetime]:
        """When the period `now` falls in ends (in the school's zone); None when closed at `now`."""
        local = self.local(now)
        for start, end in self.periods_on(local.date()):
            if start <= local < end:
                return end
        return None

    def next_opening(self, now: datetime) -> Optional[datetime]:
        """The first moment at or after `now` that staff are there (in the school's zone).

        `now` itself when open. None when no weekday has hours (or a holiday covers the whole look-ahead).
        """
        local = self.local(now)
        if self.is_open(local):
            return local
        for offset in range(LOOK_AHEAD_DAYS):
            for start, _ in self.periods_on(local.date() + timedelta(days=offset)):
                if start > local:
                    return start
        return None


@dataclass(frozen=True)
class HandoverSettings:
    """school.yml's `handover:` section, validated (bot/school.py)."""

    hours: OpeningHours
    wait_limit_minutes: float = 5  # nobody took it → missed, the message box is offered
    user_idle_minutes: float = 10  # the user did not answer staff → back to the bot, with a message
    staff_idle_minutes: float = 10  # staff did not answer the user → back to the bot, with a message
    message_retention_days: int = 30  # left messages; `make forget` removes older ones
    notify_webhook: Optional[str] = None  # a Teams or Slack incoming webhook (bot/handover/console.py)

    @property
    def wait_limit(self) -> timedelta:
        return timedelta(minutes=self.wait_limit_minutes)

    @property
    def user_idle(self) -> timedelta:
        return timedelta(minutes=self.user_idle_minutes)

    @property
    def staff_idle(self) -> timedelta:
        return timedelta(minutes=self.staff_idle_minutes)

    @property
    def message_retention(self) -> timedelta:
        return timedelta(days=self.message_retention_days)
