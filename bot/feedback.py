"""👍/👎 under every answer: which answer a click rates, and which turns are only feedback.

The buttons send `/feedback_helpful{"answer": …}` or `/feedback_not_helpful{"answer": …}`; the
answer id comes from `answer_given` when the buttons are made, so the click is stored in the
conversation together with the answer it is about (the `answer` entity, mapped to no slot).
A feedback turn changes no context: follow-ups after it still refer to the answer before it
(bot/nlu/dialogue_context.py skips feedback turns).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Text

from bot.knowledge.faq import RETRIEVAL_INTENT, answer_label, selected_answer
from bot.knowledge.lookup_intents import LOOKUP_INTENTS

if TYPE_CHECKING:  # the action server imports this module too, and never Rasa
    from rasa.shared.core.trackers import DialogueStateTracker

FEEDBACK_INTENTS = frozenset({"feedback_helpful", "feedback_not_helpful"})
FEEDBACK_ACTIONS = frozenset({"utter_feedback_thanks", "action_feedback_not_helpful"})
# Actions that run around every message and answer nothing: what a follow-up refers to is the
# answer before them (a 👍/👎 turn is not it). Read by both servers.
NOT_ANSWERS = frozenset({"action_listen", "action_extract_slots", "action_session_start", "action_unlikely_intent",
                         "utter_ask_feedback", *FEEDBACK_ACTIONS})
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_/-")


def lookup_answer(intent: Text, record: Optional[Text]) -> Text:
    """'lookup/ask_level/25893': the id of a lookup's answer (record: crebo, dossier number or level)."""
    return f"lookup/{intent}/{record or '-'}"


def answer_given(tracker: Optional["DialogueStateTracker"]) -> Text:
    """An id of the answer the latest message got: 'faq/<key>', 'lookup/<intent>/<record>', or the intent."""
    if tracker is None or tracker.latest_message is None:
        return "onbekend"
    message = tracker.latest_message
    intent = (message.intent or {}).get("name") or "onbekend"
    if intent == RETRIEVAL_INTENT:
        selected = selected_answer(message.parse_data)
        answer = answer_label(selected.key) if selected else RETRIEVAL_INTENT
    elif intent in LOOKUP_INTENTS:
        record = tracker.get_slot("qualification") or tracker.get_slot("dossier") or tracker.get_slot("level")
        answer = lookup_answer(intent, str(record) if record else None)
    else:
        answer = intent
    # The id goes into a button payload's JSON: keep it to a safe alphabet.
    return "".join(c for c in answer.lower() if c in _SAFE)[:80] or "onbekend"
