"""Fixes to Rasa 3.6.21 itself, applied by bot/server.py before Rasa's CLI runs.

1. Action server down: Rasa logs the failed call and answers nothing at all (the
processor catches the exception and drops the action's events). Here the user gets
`utter_lookup_unavailable` instead, a Dutch apology that says FAQ questions still work.

2. Profiled with py-spy (one user, lookups over REST): about half of the Rasa server's busy
time went to `RemoteAction._validate_action_result`, which calls `jsonschema.validate` on
every action-server reply. `jsonschema.validate` checks the *schema* itself again each time
before checking the reply; the schema never changes, so it is checked once here and a
prepared validator is kept. Replies are still validated exactly as before, with the same
error for a malformed one.

3. A message cost more the longer the conversation (one sender, 300 questions: p50 8 ms for
turns 1-20, 290 ms for turns 281-300, in-process). cProfile of turns 281-300: half the
time went to reading the tracker back, where `Event.resolve_by_type` walks every Event
subclass for every stored event (870,000 calls for 20 messages); the other half to the
policies' `past_states` over the whole session. So: event classes are looked up once per
type name, and a session holds at most MAX_TURNS_PER_SESSION user messages; then Rasa's
own `action_session_start` opens a new one with the slots carried over, so follow-ups
still work, and the SQL tracker store reads only the current session. Open-day kiosks and
Slack or Teams users keep one conversation id for ever; this keeps their answers fast.

4. `GET /` answered "Hello from Rasa: 3.6.21" (rasa/server.py, `add_root_route`), telling
anyone which Rasa, and so which Sanic and aiohttp, runs here. The route now says only that
the process runs; liveness probes and the launchers need no more than the 200.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any, Dict, List, Optional, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core import processor as rasa_processor
from rasa.core.actions import action as rasa_action
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.constants import SESSION_START_METADATA_SLOT
from rasa.shared.core.events import Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

UNAVAILABLE_RESPONSE = "utter_lookup_unavailable"
MAX_TURNS_PER_SESSION = 20


@functools.lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    schema = rasa_action.RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: rasa_action.RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _action_result_validator().validate(result)
        return True
    except ValidationError as error:  # the message Rasa gives, unchanged
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from "
            f"the Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error


_run_remote_action = rasa_action.RemoteAction.run


async def _run_or_apologise(self: rasa_action.RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
                            domain: Any) -> List[Event]:
    try:
        return await _run_remote_action(self, output_channel, nlg, tracker, domain)
    except rasa_action.ActionExecutionRejection:
        raise  # a deliberate refusal by the action, handled by Rasa's policies
    except (RasaException, asyncio.TimeoutError) as error:
        # Rasa has logged the cause; this says what the user got instead.
        logger.error("Action %s failed (%s); the user gets %s.", self.name(), error, UNAVAILABLE_RESPONSE)
        message = await nlg.generate(UNAVAILABLE_RESPONSE, tracker, output_channel.name())
        return [rasa_action.create_bot_utterance(message)] if message else []


_resolve_by_type = Event.resolve_by_type


@functools.lru_cache(maxsize=None)
def _event_class(type_name: Text) -> Optional[type]:
    return next((cls for cls in all_subclasses(Event) if cls.type_name == type_name), None)


def _resolve_event_class(type_name: Text, default: Optional[type] = None) -> Optional[type]:
    """`Event.resolve_by_type` with the class looked up once per type name."""
    return _event_class(type_name) or _resolve_by_type(type_name, default)


def user_turns_in_session(tracker: DialogueStateTracker) -> int:
    """User messages since the current session started."""
    turns = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        turns += isinstance(event, UserUttered)
    return turns


_session_expired_by_time = rasa_processor.MessageProcessor._has_session_expired
_update_tracker_session = rasa_processor.MessageProcessor._update_tracker_session


def _is_session_full(tracker: DialogueStateTracker) -> bool:
    return user_turns_in_session(tracker) >= MAX_TURNS_PER_SESSION


def _has_session_expired(self: rasa_processor.MessageProcessor, tracker: DialogueStateTracker) -> bool:
    return _session_expired_by_time(self, tracker) or _is_session_full(tracker)


async def _update_session_carrying_slots(self: rasa_processor.MessageProcessor, tracker: DialogueStateTracker,
                                         output_channel: Any, metadata: Optional[Dict] = None) -> None:
    # A session closed for its length, not for idleness, keeps its slots (domain.yml's
    # carry_over_slots_to_new_session stays the rule for idle sessions).
    carried: List[Event] = []
    if _is_session_full(tracker) and not _session_expired_by_time(self, tracker):
        carried = [SlotSet(name, value) for name, value in tracker.current_slot_values().items()
                   if value is not None and name != SESSION_START_METADATA_SLOT]
    await _update_tracker_session(self, tracker, output_channel, metadata)
    for event in carried:
        tracker.update(event, self.domain)


ROOT_TEXT = "Vragenbot draait."


def _add_root_route(app: Any) -> None:
    """Rasa's `GET /` without the version (fix 4)."""
    from sanic import response

    @app.get("/")
    async def hello(request: Any) -> Any:
        return response.text(ROOT_TEXT)


def apply() -> None:
    """Idempotent: safe to call from every component that Rasa creates or loads."""
    from rasa import server as rasa_server  # imported here: heavy, and only the server needs it

    rasa_server.add_root_route = _add_root_route  # run.py and create_app look it up at call time
    rasa_action.RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    rasa_action.RemoteAction.run = _run_or_apologise  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_event_class)  # type: ignore[method-assign]
    rasa_processor.MessageProcessor._has_session_expired = _has_session_expired  # type: ignore[method-assign]
    rasa_processor.MessageProcessor._update_tracker_session = _update_session_carrying_slots  # type: ignore[method-assign]
