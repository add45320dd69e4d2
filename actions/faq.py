"""'Bedoelde je…?' suggestions and the questions of one theme, as buttons.

Each button's payload `faq:<key>` selects exactly that answer (resolved in the Rasa
server by bot/nlu/faq_payloads.py), so a click never lands on another answer. Button titles
and the theme's label are in the conversation's language; the payloads are the same in both.
Like every module of the action server, this imports rasa-sdk and the knowledge package,
never Rasa itself.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import handover
from actions.handover import missed_twice, offer_person, person_buttons
from bot.knowledge import FaqEntry, load_catalogue
from bot.knowledge.themes import THEME_ENTITY, THEMES, theme_in_text, theme_label
from bot.knowledge.faq import faq_payload, suggested_answer_keys
from actions.wording import wording
from bot.language import DUTCH, conversation_language

SOMETHING_ELSE_PAYLOAD = "/ask_capabilities"

load_catalogue()  # validate at start-up, not during a conversation


def faq_button(entry: FaqEntry, language: Text = DUTCH) -> Dict[Text, Text]:
    return {"title": entry.title_in(language), "payload": faq_payload(entry.key)}


def suggestion_buttons(entries: List[FaqEntry], language: Text = DUTCH) -> List[Dict[Text, Text]]:
    """"Bedoelde je…?" buttons: the entries, then a way out to the topic menu."""
    something_else = {"title": wording(language).something_else, "payload": SOMETHING_ELSE_PAYLOAD}
    return [*(faq_button(entry, language) for entry in entries), something_else]


def suggested_entries(parse_data: Dict[Text, Any]) -> List[FaqEntry]:
    """The FAQ entries worth offering for this message (rules in bot/knowledge/faq.py)."""
    catalogue = load_catalogue()
    keys = suggested_answer_keys(parse_data, catalogue.keys)
    return [entry for entry in map(catalogue.get, keys) if entry is not None]


class ActionSuggestFaq(Action):
    """Low confidence: offer the likeliest questions instead of guessing an answer.

    When the school offers a person (school.yml `handover:`, actions/handover.py), a button
    "Een medewerker spreken" comes under the suggestions and the request to rephrase, and the
    second message in a row the bot cannot help with gets the offer of a person instead.
    """

    def name(self) -> Text:
        return "action_suggest_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        language = conversation_language(tracker)
        settings = handover.handover_settings()
        if settings is not None and missed_twice(tracker):
            dispatcher.utter_message(response="utter_handover_after_misses")
            offer_person(dispatcher, settings, language)
            return []
        entries = suggested_entries(tracker.latest_message)
        if not entries:
            if settings is not None:
                dispatcher.utter_message(response="utter_rephrase", buttons=person_buttons(language))
            else:
                dispatcher.utter_message(response="utter_rephrase")
            return []
        buttons = [*suggestion_buttons(entries, language), *person_buttons(language)]
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []


class ActionShowTheme(Action):
    """The questions of one theme of the topic menu."""

    def name(self) -> Text:
        return "action_show_theme"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        # A menu button sends the theme key as an entity; typed text names it in words.
        theme = next((t for t in tracker.get_latest_entity_values(THEME_ENTITY) if t in THEMES), None)
        theme = theme or theme_in_text(tracker.latest_message.get("text") or "")
        if theme is None:
            dispatcher.utter_message(response="utter_unknown_theme")
            return []
        language = conversation_language(tracker)
        entries = load_catalogue().in_theme(theme)
        dispatcher.utter_message(
            response="utter_theme_questions",
            theme_label=theme_label(theme, language),
            buttons=[faq_button(entry, language) for entry in entries],
        )
        return []
