"""👍/👎 in the action server: asking for it under an action's answer, and answering a 👎.

After a 👎: other questions the last one may have been, the school's contact and, when the
school offers a person (school.yml `handover:`), "Een medewerker spreken". The click
itself is stored by Rasa (intent `feedback_not_helpful`, entity `answer`); this only answers
it. It sets no slot: a feedback turn changes no context.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import suggested_entries, suggestion_buttons
from actions.handover import person_buttons
from bot.feedback import FEEDBACK_INTENTS
from bot.language import conversation_language

# Answers that ask something back (lookups' "Welke bedoel je?"): no 👍/👎 under them.
QUESTIONS_BACK = frozenset({"utter_which_one", "utter_ask_which_record", "utter_ask_crebo", "utter_ask_level",
                            "utter_crebo_malformed"})


def rated_question(tracker: Tracker) -> Optional[Dict[Text, Any]]:
    """The parse data of the question the 👎 is about: the last user message that was no feedback."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse_data = event.get("parse_data") or {}
        if (parse_data.get("intent") or {}).get("name") not in FEEDBACK_INTENTS:
            return parse_data
    return None


class ActionFeedbackNotHelpful(Action):
    def name(self) -> Text:
        return "action_feedback_not_helpful"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        question = rated_question(tracker)
        rated = next(iter(tracker.get_latest_entity_values("answer")), None)
        entries = [e for e in suggested_entries(question or {}) if e.intent_response_key != rated]
        language = conversation_language(tracker)
        person = person_buttons(language)
        if not entries:
            if person:
                dispatcher.utter_message(response="utter_feedback_sorry", buttons=person)
            else:
                dispatcher.utter_message(response="utter_feedback_sorry")
            return []
        buttons = [*suggestion_buttons(entries, language), *person]
        dispatcher.utter_message(response="utter_feedback_sorry_suggestions", buttons=buttons)
        return []


def ask_feedback(dispatcher: CollectingDispatcher, answer: Text) -> None:
    """👍/👎 under an answer (not under a question back, such as "Welke bedoel je?"); `answer`
    names what it rates (the slots the action sets are not yet visible to Rasa's responses)."""
    if dispatcher.messages and dispatcher.messages[-1].get("response") not in QUESTIONS_BACK:
        dispatcher.utter_message(response="utter_ask_feedback", answer_given=answer)
