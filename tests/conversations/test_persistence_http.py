"""Conversations live in SQLite: a restart keeps them, personal data is masked, errors are loud."""
from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List

import pytest
import requests

from tests.conversations.rest import answer, say
from tests.servers import start_both
from tools.launcher import Assistant

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def assistant(model_path: Path, tmp_path_factory) -> Iterator[Assistant]:
    assistant = Assistant(tmp_path_factory.mktemp("persistence"), model_path)
    try:
        yield start_both(assistant)
    finally:
        assistant.stop()


def stored_user_messages(assistant: Assistant, sender: str) -> List[str]:
    with sqlite3.connect(assistant.db_path) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                          (f"rest:{sender}",))
        return [json.loads(data)["text"] for (data,) in rows]


@contextmanager
def events_table_gone(assistant: Assistant) -> Iterator[None]:
    """The database breaks under the running server (as a full disk or a dropped table would)."""
    with sqlite3.connect(assistant.db_path) as db:
        db.execute("ALTER TABLE events RENAME TO events_away")
    try:
        yield
    finally:
        with sqlite3.connect(assistant.db_path) as db:
            db.execute("ALTER TABLE events_away RENAME TO events")


def test_a_restart_in_the_middle_of_a_conversation_keeps_its_history_and_slots(assistant):
    student = uuid.uuid4().hex
    assert "Productietechnicus" in answer(say(assistant.urls, "Wat is crebo 25896?", student))

    assistant.stop_rasa()
    assistant.start_rasa()

    # "die opleiding" is only known from the slot set before the restart.
    assert "Productietechnicus (crebo 25896) is een kwalificatie op niveau 4 in het kwalificatiedossier Productietechniek" in answer(
        say(assistant.urls, "Hoe lang duurt die opleiding?", student))
    assert stored_user_messages(assistant, student) == ["Wat is crebo 25896?", "Hoe lang duurt die opleiding?"]


def test_personal_data_is_masked_before_the_conversation_is_processed_or_stored(assistant):
    student = uuid.uuid4().hex
    said = "Ik ben jan.devries@student.example.nl, 06-12345678, studentnummer 4567890. Wat is crebo 25894?"
    assert "Medewerker productietechniek" in answer(say(assistant.urls, said, student))
    assert stored_user_messages(assistant, student) == [
        "Ik ben [e-mail], [telefoonnummer], studentnummer [studentnummer]. Wat is crebo 25894?"]
    assert b"jan.devries" not in assistant.db_path.read_bytes()


def test_a_database_error_during_a_conversation_is_logged_and_reported(assistant):
    student = uuid.uuid4().hex
    with events_table_gone(assistant):
        replied = answer(say(assistant.urls, "Wat is crebo 25894?", student))
        health = requests.get(assistant.urls["health"], timeout=30)

    assert "Medewerker productietechniek" in replied, "the user still gets an answer"
    assert f"NOT STORED: the new events of conversation rest:{student}" in assistant.rasa_log()
    assert health.status_code == 503
    assert health.json()["conversation_store"]["failed_writes"] >= 1

    say(assistant.urls, "Wat is crebo 25894?", student)  # stored again once the table is back
    assert requests.get(assistant.urls["health"], timeout=30).status_code == 200
