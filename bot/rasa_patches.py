"""Fixes to Rasa 3.6.21 itself, applied when the Rasa server loads our NLU component.

1. Action server down: Rasa logs the failed call and answers nothing at all (the
processor catches the exception and drops the action's events). Here the user gets
`utter_lookup_unavailable` instead, a Dutch apology that says FAQ questions still work.

2. Profiled with py-spy (one user, lookups over REST): about half of the Rasa server's busy
time went to `RemoteAction._validate_action_result`, which calls `jsonschema.validate` on
every action-server reply. `jsonschema.validate` checks the *schema* itself again each time
before checking the reply; the schema never changes, so it is checked once here and a
prepared validator is kept. Replies are still validated exactly as before, with the same
error for a malformed one.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any, Dict, List, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions import action as rasa_action
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

UNAVAILABLE_RESPONSE = "utter_lookup_unavailable"


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


def apply() -> None:
    """Idempotent: safe to call from every component that Rasa creates or loads."""
    rasa_action.RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    rasa_action.RemoteAction.run = _run_or_apologise  # type: ignore[method-assign]
