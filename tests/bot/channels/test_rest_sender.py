"""A REST sender that is personal data is stored as a keyed hash, the same one every time."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from bot import PROJECT_DIR
from bot.channels import ids
from bot.channels.ids import private_user_id
from bot.channels.rest import SENDER, RestChannel
from bot.web import sessions

HASHED = re.compile(r"~[0-9a-f]{32}")


@pytest.mark.parametrize("sender", ["jan.devries@student.roc.nl", "0612345678", "+31612345678", "06-12345678",
                                    "123456782", "NL91ABNA0417164300", "s1234567", "1234AB"])
def test_a_sender_that_is_personal_data_is_stored_as_a_keyed_hash(sender):
    stored = RestChannel().conversation(sender)
    assert stored == f"rest:{private_user_id(sender)}" and HASHED.fullmatch(stored.removeprefix("rest:"))
    assert stored == RestChannel().conversation(sender), "the same sender, the same conversation"
    assert not SENDER.fullmatch(stored.removeprefix("rest:")), "no caller can send a hashed id itself"


@pytest.mark.parametrize("sender", ["student-7", "U04ABCDE12", "3f2a9c0e8b7d4f6a9e1c2b3d4a5f6e7d", "load-1-12",
                                    "huge", "web:abc", "a"])
def test_any_other_sender_is_stored_as_it_is(sender):
    assert RestChannel().conversation(sender) == f"rest:{sender}"


def test_senders_get_different_hashes_and_the_hash_depends_on_the_servers_secret(monkeypatch):
    first, second = private_user_id("0612345678"), private_user_id("0612345679")
    assert first != second
    monkeypatch.setenv(sessions.SECRET_ENV, "een ander geheim")
    sessions._secret.cache_clear()
    try:
        assert private_user_id("0612345678") != first  # no one without the key can test guesses
    finally:
        monkeypatch.undo()
        sessions._secret.cache_clear()
    assert private_user_id("0612345678") == first


def test_the_stored_id_can_be_looked_up_for_a_request_to_delete():
    result = subprocess.run([sys.executable, "-m", "bot.channels.ids", "rest", "jan@school.nl"], cwd=PROJECT_DIR,
                            capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ids.conversation_id("rest", private_user_id("jan@school.nl"))
