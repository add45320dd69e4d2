"""Retention (AVG): conversations idle for longer than the period are deleted as a whole."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Tuple

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import PROJECT_DIR
from bot.store.retention import (
    SECONDS_PER_DAY, Forgotten, forget_conversation, forget_idle_conversations, main,
)
from bot.store.tracker_store import ConversationStore

DOMAIN = Domain.load(str(PROJECT_DIR / "domain.yml"))
NOW = time.time()


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "conversations.db"),
                             retention_days=30)


async def chat(store: ConversationStore, sender: str, *turns: Tuple[float, str]) -> None:
    """One conversation: each turn is (days ago, question), answered a second later."""
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for days_ago, question in turns:
        when = NOW - days_ago * SECONDS_PER_DAY
        tracker.update(UserUttered(question, timestamp=when))
        tracker.update(BotUttered("Een antwoord.", timestamp=when + 1))
    await store.save(tracker)


async def test_only_conversations_idle_for_longer_than_the_period_are_deleted(store):
    await chat(store, "last-year", (365, "UniekeOudeVraag over crebo 25894"))
    await chat(store, "last-month", (31, "Wat is crebo 25895?"))
    await chat(store, "yesterday", (1, "Wat is crebo 25896?"))

    forgotten = forget_idle_conversations(store, idle_days=30, now=NOW)

    assert (forgotten.conversations, forgotten.events) == (2, 4)
    assert await store.retrieve("last-year") is None and await store.retrieve("last-month") is None
    assert (await store.retrieve("yesterday")).latest_message.text == "Wat is crebo 25896?"
    assert b"UniekeOudeVraag" not in Path(store.engine.url.database).read_bytes(), "vacuumed out of the file"


async def test_a_conversation_that_went_on_recently_is_kept_whole(store):
    await chat(store, "long-running", (60, "Wat is crebo 25894?"), (2, "En hoe lang duurt die?"))
    assert forget_idle_conversations(store, idle_days=30, now=NOW).conversations == 0
    assert len((await store.retrieve_full_tracker("long-running")).events) == 4


async def test_a_dry_run_only_counts(store):
    await chat(store, "last-year", (365, "Wat is crebo 25894?"))
    assert forget_idle_conversations(store, idle_days=30, dry_run=True, now=NOW).conversations == 1
    assert await store.retrieve("last-year") is not None


async def test_the_command_uses_the_retention_days_of_the_endpoints_file(store, tmp_path, capsys):
    await chat(store, "last-year", (365, "Wat is crebo 25894?"))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: bot.store.tracker_store.ConversationStore\n  dialect: sqlite\n"
        f"  db: {store.engine.url.database}\n  retention_days: 30\n"
    )
    assert main(["--endpoints", str(endpoints)]) == 0
    assert "deleted 1 conversations (2 events) idle for more than 30 days" in capsys.readouterr().out


async def test_one_conversation_can_be_deleted_on_request(store):
    await chat(store, "student-a", (1, "Wat is crebo 25894?"))
    await chat(store, "student-b", (1, "Wat is crebo 25895?"))
    assert forget_conversation(store, "student-a") == Forgotten(1, 2)
    assert await store.retrieve("student-a") is None and await store.retrieve("student-b") is not None
    assert forget_conversation(store, "nobody") == Forgotten(0, 0)


# --- the handover to staff (bot/handover/store.py): same database, same run --------------------

def handover_data(store: ConversationStore):
    """A chat with staff that ended 40 days ago, one that ended yesterday, left messages of 10 and 2 days ago."""
    from datetime import datetime, timedelta, timezone

    from bot.handover.store import USER, HandoverStore

    handovers = HandoverStore(store.engine)
    now = datetime.fromtimestamp(NOW, timezone.utc)
    for conversation, days_ago in (("web:old", 40), ("web:recent", 1)):
        handover = handovers.request(conversation, "web", "nl", now=now - timedelta(days=days_ago))
        handovers.add_message(handover.id, USER, f"UniekeStaffVraag van {conversation}",
                              now=now - timedelta(days=days_ago))
        handovers.close(handover.id, now=now - timedelta(days=days_ago))
    for days_ago in (10, 2):
        handovers.leave_message(f"UniekeAchtergelatenVraag {days_ago}", "06 12345678", True, "nl",
                                now=now - timedelta(days=days_ago))
    return handovers


def test_old_chats_with_staff_and_old_left_messages_are_deleted(store):
    from bot.store.retention import HandoverForgotten, forget_handover_data

    handovers = handover_data(store)
    assert forget_handover_data(store.engine, 30, 7, dry_run=True, now=NOW) == HandoverForgotten(1, 1, 1)
    assert forget_handover_data(store.engine, 30, 7, now=NOW) == HandoverForgotten(1, 1, 1)
    assert handovers.get(1) is None and handovers.get(2) is not None
    assert [m.question for m in handovers.left_messages()] == ["UniekeAchtergelatenVraag 2"]
    data = Path(store.engine.url.database).read_bytes()
    assert b"UniekeStaffVraag van web:old" not in data and b"UniekeAchtergelatenVraag 10" not in data, "vacuumed"


def test_a_database_without_handover_tables_is_left_as_it_is(store):
    import sqlalchemy as sa

    from bot.store.retention import HandoverForgotten, forget_handover_data

    assert forget_handover_data(store.engine, 30, 30, now=NOW) == HandoverForgotten(0, 0, 0)
    assert not sa.inspect(store.engine).has_table("handovers")


def test_the_command_forgets_left_messages_after_the_schools_period(store, tmp_path, capsys, monkeypatch):
    handover_data(store)
    school = tmp_path / "school.yml"
    school.write_text('handover:\n  hours:\n    ma: "08:30-17:00"\n  message_retention_days: 5\n', encoding="utf-8")
    monkeypatch.setenv("SCHOOL_SETTINGS", str(school))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: bot.store.tracker_store.ConversationStore\n  dialect: sqlite\n"
        f"  db: {store.engine.url.database}\n  retention_days: 30\n"
    )
    assert main(["--endpoints", str(endpoints)]) == 0
    assert ("1 chats with staff (1 messages) idle for as long; 1 left messages older than 5 days"
            in capsys.readouterr().out)


def test_one_conversation_on_request_takes_its_chats_with_staff(store, capsys, tmp_path):
    from bot.handover.store import HandoverStore

    handovers = handover_data(store)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: bot.store.tracker_store.ConversationStore\n  dialect: sqlite\n"
                         f"  db: {store.engine.url.database}\n")
    assert main(["--endpoints", str(endpoints), "--conversation", "web:recent"]) == 0
    assert "1 chats with staff, 1 messages" in capsys.readouterr().out
    assert HandoverStore(store.engine).conversation_messages("web:recent") == []
    assert len(handovers.left_messages()) == 2, "left messages are not tied to a conversation"
