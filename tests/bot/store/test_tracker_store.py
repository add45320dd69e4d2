"""The conversation store: masked writes, no silent database errors, a bounded start-up."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import PROJECT_DIR
from bot.store.tracker_store import ConversationStore, unwrap
from tools.launcher import free_port

DOMAIN = Domain.load(str(PROJECT_DIR / "domain.yml"))


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "var" / "conversations.db"))


def conversation(sender: str, text: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered(text, {"name": "lookup_crebo", "confidence": 1.0}))
    tracker.update(BotUttered("Medewerker productietechniek (crebo 25894) ..."))
    tracker.update(SlotSet("qualification", "25894"))
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def stored_rows(store: ConversationStore) -> list:
    with sqlite3.connect(store.engine.url.database) as db:
        return [json.loads(data) for (data,) in db.execute("SELECT data FROM events ORDER BY id")]


async def test_a_conversation_is_kept_with_its_slots_and_personal_data_masked(store):
    await store.save(conversation("student-1", "Ik ben jan@example.nl (06-12345678). Wat is crebo 25894?"))

    again = await store.retrieve("student-1")
    assert again.get_slot("qualification") == "25894"
    assert again.latest_message.text == "Ik ben [e-mail] ([telefoonnummer]). Wat is crebo 25894?"
    raw = json.dumps(stored_rows(store))
    assert "jan@example.nl" not in raw and "12345678" not in raw


async def test_only_new_events_are_written_on_each_save(store):
    tracker = conversation("student-2", "Wat is crebo 25894?")
    await store.save(tracker)
    tracker.update(UserUttered("Hoe lang duurt die opleiding?", {"name": "ask_duration", "confidence": 1.0}))
    await store.save(tracker)
    assert [row["event"] for row in stored_rows(store)].count("user") == 2


async def test_a_database_error_is_raised_logged_and_reported(store, caplog):
    await store.save(conversation("student-3", "Wat is crebo 25894?"))
    with sqlite3.connect(store.engine.url.database) as db:
        db.execute("ALTER TABLE events RENAME TO events_elsewhere")

    with pytest.raises(Exception):
        await store.save(conversation("student-4", "Wat is crebo 25895?"))
    assert "NOT STORED" in caplog.text and "student-4" in caplog.text
    report = store.check()
    assert report["ok"] is False and report["reachable"] is False and report["failed_writes"] == 1

    with sqlite3.connect(store.engine.url.database) as db:
        db.execute("ALTER TABLE events_elsewhere RENAME TO events")
    assert store.check()["ok"] is False, "still degraded until a write succeeds again"
    await store.save(conversation("student-4", "Wat is crebo 25895?"))
    assert store.check()["ok"] is True


def test_an_unreachable_database_stops_start_up_with_one_clear_line():
    starting = (
        "from bot.store.tracker_store import ConversationStore\n"
        f"ConversationStore(dialect='postgresql', host='127.0.0.1', port={free_port()}, db='vragenbot',\n"
        "                  username='vragenbot', password='geheim', connect_timeout=2)\n"
        "print('still running')\n"
    )
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", starting], cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)})
    said = result.stdout + result.stderr
    assert result.returncode == 1 and "still running" not in said
    assert time.monotonic() - started < 60, "gives up instead of retrying forever"
    assert "is not reachable after 2 s" in said and "Connection refused" in said
    assert "Traceback" not in said
    assert "geheim" not in said, "the password is never printed"


def test_rasas_wrappers_are_looked_through(store):
    from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore

    assert unwrap(FailSafeTrackerStore(AwaitableTrackerStore(store))) is store


async def test_a_value_error_of_the_database_is_an_ordinary_error_not_an_exit(store, monkeypatch):
    # psycopg2 refuses a NUL in a parameter with ValueError; Rasa's session_scope exited on it.
    def refuse(*args, **kwargs):
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")

    monkeypatch.setattr(store, "_additional_events", refuse)
    with pytest.raises(ValueError):
        await store.save(conversation("nul", "hoi"))
    assert store.health.failed_writes == 1
    assert store.health.last_error == "write: ValueError"  # never the statement's parameters
