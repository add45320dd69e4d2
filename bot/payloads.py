"""The payloads our own buttons send: the only `/intent{…}` messages a public channel passes on.

Rasa reads a message that starts with "/" as an intent with entities, without the NLU
(`/lookup_crebo{"crebo": "25894"}`). Anyone can type one: an intent no button sends, entities
of any shape, JSON nested 900 deep (a RecursionError inside Rasa and a 113 kB traceback in the
log per 1.8 kB message). So a channel passes on only what our buttons send, each with its
exact entity shape; any other text that starts with "/" is read as a question like any other.

    /ask_capabilities                             "Iets anders" under "Bedoelde je…?"
    /feedback_helpful{"answer": "<answer id>"}    👍 under an answer (bot/feedback.py)
    /feedback_not_helpful{"answer": "<answer id>"} 👎
    /show_theme{"theme": "<theme key>"}           the topic menu (bot/knowledge/themes.py)
    /<lookup intent>{"crebo": "<5 digits>"}       "Welke bedoel je?" (actions/lookups.py)
    /empty_message, /message_too_long, /no_words  what bot/input_guard.py itself sends
    /request_human                                "Een medewerker spreken" under "Bedoelde je…?" and 👎
    /handover_start, /handover_leave_message      the offer of a person (actions/handover.py)
    /handover_cancel                              "Annuleren" while waiting for a person (the pages)
The three /handover_… payloads never reach Rasa: the channels hand them to the handover
service (bot/channels/base.py).

`faq:<key>` buttons are not intents; bot/nlu/faq_payloads.py reads them.
"""
from __future__ import annotations

import json
import re
from typing import Callable, Dict, Mapping, Optional

from bot.knowledge.lookup_intents import LOOKUP_INTENTS
from bot.language import LANGUAGES
from bot.knowledge.themes import SHOW_THEME_INTENT, THEME_ENTITY, THEMES

INTENT_PREFIX = "/"
# Our longest payload is a feedback click with an 80-character answer id.
MAX_PAYLOAD_CHARS = 200
_PAYLOAD = re.compile(r"/(?P<intent>[a-z_]{1,40})(?P<entities>\{[^{}]*\})?")
_ANSWER_ID = re.compile(r"[a-z0-9_/-]{1,80}")  # bot/feedback.py keeps answer ids to this alphabet
_RECORD_NUMBER = re.compile(r"\d{5}")

# The intents of the handover buttons (bot/channels/base.py handles them, not Rasa).
HANDOVER_START = "handover_start"
HANDOVER_CANCEL = "handover_cancel"
HANDOVER_LEAVE_MESSAGE = "handover_leave_message"
HANDOVER_PAYLOADS = frozenset(INTENT_PREFIX + name for name in (HANDOVER_START, HANDOVER_CANCEL, HANDOVER_LEAVE_MESSAGE))

EntityCheck = Callable[[str], bool]
# Each payload's intent → its entities, each with the check its value must pass.
SCHEMAS: Dict[str, Dict[str, EntityCheck]] = {
    "ask_capabilities": {},
    "feedback_helpful": {"answer": lambda value: bool(_ANSWER_ID.fullmatch(value))},
    "feedback_not_helpful": {"answer": lambda value: bool(_ANSWER_ID.fullmatch(value))},
    SHOW_THEME_INTENT: {THEME_ENTITY: lambda value: value in THEMES},
    **{intent: {"crebo": lambda value: bool(_RECORD_NUMBER.fullmatch(value))} for intent in LOOKUP_INTENTS},
    "empty_message": {},
    "message_too_long": {},
    "no_words": {},
    "switch_language": {"language": lambda value: value in LANGUAGES},
    "request_human": {},
    HANDOVER_START: {},
    HANDOVER_CANCEL: {},
    HANDOVER_LEAVE_MESSAGE: {},
}


def is_our_payload(text: str) -> bool:
    """Whether `text` is exactly a payload one of our buttons sends (see the module docstring)."""
    if len(text) > MAX_PAYLOAD_CHARS:
        return False
    match = _PAYLOAD.fullmatch(text)
    if match is None or match.group("intent") not in SCHEMAS:
        return False
    schema, written = SCHEMAS[match.group("intent")], match.group("entities")
    if bool(schema) != (written is not None):  # "/ask_capabilities{}" is no payload of ours either
        return False
    entities = _flat_entities(written)
    if entities is None:
        return False
    return entities.keys() == schema.keys() and all(check(entities[name]) for name, check in schema.items())


def as_text(text: str) -> str:
    """`text` as Rasa should get it: our payloads as they are; any other "/…" without its
    slashes, so that the NLU reads it ("/wat is crebo 25894" is a question)."""
    if not text.startswith(INTENT_PREFIX) or is_our_payload(text):
        return text
    return text.lstrip(INTENT_PREFIX).strip()


def _flat_entities(written: Optional[str]) -> Optional[Mapping[str, str]]:
    """The entities of a payload: a JSON object of strings (nothing nested: `[^{}]` above)."""
    if written is None:
        return {}
    try:
        entities = json.loads(written)
    except ValueError:
        return None
    if not isinstance(entities, dict) or not all(isinstance(value, str) for value in entities.values()):
        return None
    return entities
