"""Shared fixtures: a handover store on a fresh SQLite file, the example school's settings, a clock.

HANDOVER_TEST_DATABASE_URL=postgresql+psycopg2://… runs the same tests on PostgreSQL instead
(its handover tables are dropped before and after each test).
"""
from __future__ import annotations

import os
from datetime import datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.handover.hours import HandoverSettings, Holiday, OpeningHours
from bot.handover.store import METADATA, HandoverStore

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NINE_TO_FIVE = ((time(8, 30), time(17, 0)),)
# ma–do 08:30–17:00, vr 08:30–12:00 and 13:00–16:00; closed in the Christmas holiday.
HOURS = OpeningHours(
    periods={0: NINE_TO_FIVE, 1: NINE_TO_FIVE, 2: NINE_TO_FIVE, 3: NINE_TO_FIVE,
             4: ((time(8, 30), time(12, 0)), (time(13, 0), time(16, 0)))},
    holidays=(Holiday(datetime(2026, 12, 21).date(), datetime(2027, 1, 1).date(), "Kerstvakantie"),),
)
SETTINGS = HandoverSettings(hours=HOURS, wait_limit_minutes=5, user_idle_minutes=10, staff_idle_minutes=10,
                            message_retention_days=30)


def local(*args: int) -> datetime:
    """A wall-clock moment in Amsterdam, as an aware datetime."""
    return datetime(*args, tzinfo=AMSTERDAM)


# Tuesday 6 October 2026, 10:00 in Amsterdam (08:00 UTC): open.
OPEN = local(2026, 10, 6, 10, 0)
# The same Tuesday, 20:00: closed until Wednesday 08:30.
EVENING = local(2026, 10, 6, 20, 0)


@pytest.fixture
def engine(tmp_path: Path):
    url = os.environ.get("HANDOVER_TEST_DATABASE_URL")
    if not url:
        yield sa.create_engine(f"sqlite:///{tmp_path / 'conversations.db'}")
        return
    engine = sa.create_engine(url)
    METADATA.drop_all(engine)
    yield engine
    METADATA.drop_all(engine)
    engine.dispose()


@pytest.fixture
def store(engine: sa.engine.Engine) -> HandoverStore:
    return HandoverStore(engine)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
