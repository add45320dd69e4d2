"""The cached action-reply validation accepts and refuses exactly what Rasa's did."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import rasa_patches

VALID = {"events": [{"event": "slot", "name": "qualification", "value": "25894"}],
         "responses": [{"response": "utter_qualification_info", "name": "x"}]}
INVALID = [{"events": "geen lijst"}, {"events": [{"geen": "event"}]}, {"responses": {"text": "geen lijst"}}]


@pytest.fixture
def remote_action():
    rasa_patches.apply()
    return RemoteAction("action_answer_lookup", None)


def test_a_valid_reply_passes(remote_action):
    assert remote_action._validate_action_result(VALID) is True


@pytest.mark.parametrize("reply", INVALID)
def test_an_invalid_reply_is_refused_with_rasas_message(remote_action, reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result(reply)


@pytest.mark.parametrize("reply", [VALID, *INVALID])
def test_same_verdict_as_plain_jsonschema(reply):
    from jsonschema import validate

    try:
        validate(reply, RemoteAction.action_response_format_spec())
        expected = True
    except ValidationError:
        expected = False
    try:
        actual = rasa_patches._validate_action_result(RemoteAction("a", None), dict(reply))
    except ValidationError:
        actual = False
    assert actual == expected


def test_the_server_entry_point_applies_the_fixes_before_rasa_runs(monkeypatch):
    import rasa.__main__

    from bot import server

    seen = {}
    monkeypatch.setattr(rasa.__main__, "main", lambda: seen.update(
        validator=RemoteAction._validate_action_result, argv=list(__import__("sys").argv)))
    server.main(["run", "--model", "m.tar.gz"])
    assert seen == {"validator": rasa_patches._validate_action_result, "argv": ["rasa", "run", "--model", "m.tar.gz"]}


def test_event_classes_are_found_as_rasa_finds_them():
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    rasa_patches.apply()
    for cls in all_subclasses(Event):
        if cls.type_name:
            assert Event.resolve_by_type(cls.type_name) is rasa_patches._resolve_by_type(cls.type_name)
    assert Event.resolve_by_type("topic") is None  # Rasa's old TopicSet events
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
