"""'Bedoelde je…?' suggestions and the questions of one theme, as buttons.

Each button's payload `faq:<key>` selects exactly that answer (resolved in the Rasa
server by bot.nlu.faq_gate), so a click never lands on another answer. Like every module of
the action server, this imports rasa-sdk and the knowledge package, never Rasa itself.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import FaqEntry, load_catalogue
from bot.knowledge.models import THEMES, theme_in_text
from bot.knowledge.payloads import RETRIEVAL_INTENT, faq_payload

MAX_SUGGESTIONS = 3
# Candidates below this answer confidence are noise, not suggestions.
MIN_SUGGESTION_CONFIDENCE = 0.08
SOMETHING_ELSE_PAYLOAD = "/ask_capabilities"

load_catalogue()  # validate at start-up, not during a conversation


def faq_button(entry: FaqEntry) -> Dict[Text, Text]:
    return {"title": entry.title, "payload": faq_payload(entry.key)}


def suggestion_buttons(entries: List[FaqEntry]) -> List[Dict[Text, Text]]:
    """"Bedoelde je…?" buttons: the entries, then a way out to the topic menu."""
    return [*(faq_button(entry) for entry in entries), {"title": "Iets anders", "payload": SOMETHING_ELSE_PAYLOAD}]


def suggested_entries(parse_data: Dict[Text, Any]) -> List[FaqEntry]:
    """Up to three FAQ entries the ResponseSelector ranked highest for this message."""
    intents = [i.get("name") for i in parse_data.get("intent_ranking") or [] if i.get("name") != "nlu_fallback"]
    if RETRIEVAL_INTENT not in intents[:2]:
        return []
    ranking = ((parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}).get("ranking") or []
    catalogue, entries = load_catalogue(), []
    for candidate in ranking:
        key = str(candidate.get("intent_response_key", "")).removeprefix(f"{RETRIEVAL_INTENT}/")
        entry = catalogue.get(key)
        if entry and candidate.get("confidence", 0.0) >= MIN_SUGGESTION_CONFIDENCE and entry not in entries:
            entries.append(entry)
        if len(entries) == MAX_SUGGESTIONS:
            break
    return entries


class ActionSuggestFaq(Action):
    """Low confidence: offer the likeliest questions instead of guessing an answer."""

    def name(self) -> Text:
        return "action_suggest_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        entries = suggested_entries(tracker.latest_message)
        if not entries:
            dispatcher.utter_message(response="utter_rephrase")
            return []
        dispatcher.utter_message(response="utter_did_you_mean", buttons=suggestion_buttons(entries))
        return []


class ActionShowTheme(Action):
    """The questions of one theme of the topic menu."""

    def name(self) -> Text:
        return "action_show_theme"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        # A menu button sends the theme key as an entity; typed text names it in words.
        theme = next((t for t in tracker.get_latest_entity_values("theme") if t in THEMES), None)
        theme = theme or theme_in_text(tracker.latest_message.get("text") or "")
        if theme is None:
            dispatcher.utter_message(response="utter_unknown_theme")
            return []
        entries = load_catalogue().in_theme(theme)
        dispatcher.utter_message(
            response="utter_theme_questions",
            theme_label=THEMES[theme],
            buttons=[faq_button(entry) for entry in entries],
        )
        return []
