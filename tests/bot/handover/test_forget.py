"""`make forget` (bot/store/retention.py) and the handover's data: a REST conversation's delivery
pointer (which staff messages the caller has been sent) goes with the conversation's chats with
staff, on request (`--conversation`) and by age, as the command runs them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.handover.store import STAFF, HandoverStore
from bot.store.retention import main

HOUR = timedelta(hours=1)


@pytest.fixture
def endpoints(tmp_path: Path, monkeypatch) -> Path:
    """The endpoints file `make forget` reads: the conversations in a SQLite file of the test's own."""
    monkeypatch.setenv("SCHOOL_SETTINGS", str(tmp_path / "no-school.yml"))  # no handover section: one period
    path = tmp_path / "endpoints.yml"
    path.write_text("tracker_store:\n  type: bot.store.tracker_store.ConversationStore\n  dialect: sqlite\n"
                    f"  db: {tmp_path / 'conversations.db'}\n  retention_days: 30\n")
    return path


@pytest.fixture
def handovers(tmp_path: Path, endpoints: Path) -> HandoverStore:
    return HandoverStore(sa.create_engine(f"sqlite:///{tmp_path / 'conversations.db'}"))


def a_rest_chat_with_staff(store: HandoverStore, caller: str, ago: timedelta) -> None:
    """A REST caller whom a staff member answered, the answer delivered with the caller's next request."""
    at = datetime.now(timezone.utc) - ago
    handover = store.request(f"rest:{caller}", "rest", "nl", now=at)
    store.take(handover.id, "anne", now=at)
    reply = store.add_message(handover.id, STAFF, "Hoi, ik ben Anne van het studentenloket.", staff_name="Anne", now=at)
    store.mark_delivered(f"rest:{caller}", reply.id, now=at)
    store.hand_back(handover.id, now=at)


def test_forgetting_a_conversation_on_request_takes_its_delivery_pointer(endpoints, handovers, capsys):
    a_rest_chat_with_staff(handovers, "student", HOUR)
    a_rest_chat_with_staff(handovers, "other", HOUR)
    assert main(["--endpoints", str(endpoints), "--conversation", "rest:student"]) == 0
    assert "1 chats with staff, 1 messages" in capsys.readouterr().out
    assert handovers.delivered_up_to("rest:student") is None
    assert handovers.delivered_up_to("rest:other") is not None, "another conversation keeps its own"


def test_forgetting_by_age_takes_the_pointer_with_the_chats(endpoints, handovers, capsys):
    a_rest_chat_with_staff(handovers, "this-morning", 3 * HOUR)
    a_rest_chat_with_staff(handovers, "just-now", HOUR / 6)
    assert main(["--endpoints", str(endpoints), "--days", "0.05", "--dry-run"]) == 0  # 72 minutes
    assert handovers.delivered_up_to("rest:this-morning") is not None, "a dry run deletes nothing"
    assert main(["--endpoints", str(endpoints), "--days", "0.05"]) == 0
    assert "1 chats with staff (1 messages)" in capsys.readouterr().out
    assert handovers.delivered_up_to("rest:this-morning") is None
    assert handovers.delivered_up_to("rest:just-now") is not None
