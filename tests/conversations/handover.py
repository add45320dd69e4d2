"""A school.yml for tests of the handover to staff: open during the whole test, or closed.

No test may depend on the clock. Open: every day 00:00-23:59, in a time zone where it is now
before noon, so the test has at least twelve hours of opening left (among the zones below one
always is: their offsets cover the day). Closed: the same hours, with a holiday around today.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Dict
from zoneinfo import ZoneInfo

import yaml

ZONES = ("Europe/Amsterdam", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati")
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


def morning_zone(now: datetime) -> str:
    """A zone where `now` is before noon."""
    return next(zone for zone in ZONES if now.astimezone(ZoneInfo(zone)).hour < 12)


def school_settings(directory: Path, open_now: bool = True, **limits: int) -> Path:
    """A school.yml in `directory` with a `handover:` section; its path (for SCHOOL_SETTINGS)."""
    now = datetime.now(timezone.utc)
    zone = morning_zone(now)
    handover: Dict[str, object] = {"timezone": zone, "hours": {day: "00:00-23:59" for day in WEEKDAYS}, **limits}
    if not open_now:
        today = now.astimezone(ZoneInfo(zone)).date()
        handover["holidays"] = [{"from": (today - timedelta(days=1)).isoformat(),
                                 "to": (today + timedelta(days=1)).isoformat(), "name": "Studiedagen"}]
    settings = {"name": "ROC Teststad", "contact": {"email": "studentenloket@rocteststad.nl"}, "handover": handover}
    path = directory / "school.yml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


# --- a staff member, through the console's JSON API (bot/handover/console.py) --------------------
import re  # noqa: E402
import uuid  # noqa: E402
from typing import Any, List, Optional  # noqa: E402

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

STAFF = "/webhooks/staff"
PASSWORD = "een-lang-wachtwoord-voor-de-test"


def new_staff_account(database_url: str, name: str = "Anne (studentenloket)") -> str:
    """An account in the assistant's database, as `make staff-account` adds one: its username."""
    from bot.handover.accounts import StaffAccounts
    from bot.handover.store import HandoverStore

    username = f"anne{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(database_url)
    try:
        StaffAccounts(HandoverStore(engine)).add(username, name, PASSWORD)
    finally:
        engine.dispose()
    return username


class StaffMember:
    """A staff member's browser on the console's API: its cookie and the page's CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url + STAFF
        self.http = requests.Session()
        self.csrf: Optional[str] = None

    def sign_in(self, username: str, password: str = PASSWORD) -> "StaffMember":
        form = self.http.get(f"{self.base}/signin", timeout=10)
        token = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)
        signed = self.http.post(f"{self.base}/signin", data={"form_token": token, "username": username,
                                                             "password": password}, allow_redirects=False, timeout=30)
        assert signed.status_code == 303, signed.text[:500]
        page = self.http.get(f"{self.base}/console", timeout=10)
        self.csrf = re.search(r'data-csrf-token="([^"]+)"', page.text).group(1)
        return self

    def get(self, path: str) -> Any:
        reply = self.http.get(f"{self.base}{path}", timeout=10)
        assert reply.status_code == 200, reply.text[:500]
        return reply.json()

    def post(self, path: str, body: Optional[dict] = None) -> Any:
        reply = self.http.post(f"{self.base}{path}", json=body or {}, headers={"X-CSRF-Token": self.csrf}, timeout=10)
        assert reply.status_code == 200, reply.text[:500]
        return reply.json()

    def waiting(self) -> List[dict]:
        return [h for h in self.get("/api/handovers")["handovers"] if h["state"] == "waiting"]

    def take(self, handover_id: int) -> dict:
        return self.post(f"/api/handovers/{handover_id}/take")

    def reply(self, handover_id: int, text: str) -> dict:
        return self.post(f"/api/handovers/{handover_id}/reply", {"text": text})

    def hand_back(self, handover_id: int) -> dict:
        return self.post(f"/api/handovers/{handover_id}/hand-back")

    def transcript(self, handover_id: int) -> List[dict]:
        return self.get(f"/api/handovers/{handover_id}")["messages"]

    def find_waiting(self, written: str, timeout: float = 30) -> dict:
        """The waiting conversation whose user wrote `written` (the console shows no conversation ids)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            for handover in self.waiting():
                if any(m["sender"] == "user" and m["text"] == written for m in self.transcript(handover["id"])):
                    return handover
            assert time.monotonic() < deadline, f"no waiting conversation in which the user wrote {written!r}"
            time.sleep(0.5)


def marker() -> str:
    """Six random letters that make a message one's own (digits could be masked as a number)."""
    import random
    import string

    return "".join(random.choice(string.ascii_lowercase) for _ in range(6))
