"""The conversation's language: a switch request, or a message clearly in the other language."""
from __future__ import annotations

from typing import Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_DIR
from bot.nlu.language import LanguageReader, requested_language

DOMAIN = Domain.load(str(PROJECT_DIR / "domain.yml"))
reader = LanguageReader()


def conversation_in(language: Optional[str]) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen")] + ([SlotSet("language", language)] if language else [])
    return DialogueStateTracker.from_events("test", events, slots=DOMAIN.slots)


def language_entity(text: str, intent: str = "faq", current: Optional[str] = None) -> Optional[str]:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9}})
    reader.process([message], conversation_in(current))
    found = [e["value"] for e in message.get("entities") or [] if e["entity"] == "language"]
    return found[0] if found else None


def test_a_dutch_conversation_turns_english_on_a_clearly_english_question():
    assert language_entity("what is the crebo of Technicus mechatronica?") == "en"


def test_an_english_conversation_turns_dutch_on_a_clearly_dutch_question():
    assert language_entity("wat is het crebonummer van Technicus mechatronica?", current="en") == "nl"


@pytest.mark.parametrize("text", ["ok", "25893?", "thanks", "BBL?", "mechatronica niveau 4"])
def test_a_short_or_mixed_message_keeps_the_conversations_language(text):
    assert language_entity(text, current="en") is None
    assert language_entity(text, current="nl") is None


def test_a_message_in_the_conversations_own_language_sets_nothing():
    assert language_entity("hoe lang duurt Productietechnicus?") is None
    assert language_entity("how long does Productietechnicus take?", current="en") is None


@pytest.mark.parametrize("text, current, expected", [
    ("English please", "nl", "en"),
    ("kan het ook in het Engels?", "nl", "en"),
    ("Nederlands graag", "en", "nl"),
    ("back to Dutch please", "en", "nl"),
    ("andere taal", "nl", "en"),
    ("other language please", "en", "nl"),
])
def test_a_switch_request_names_its_language_or_means_the_other_one(text, current, expected):
    assert requested_language(text, current) == expected
    assert language_entity(text, intent="switch_language", current=current) == expected


def test_a_button_payload_is_left_to_its_own_entities():
    assert language_entity('/switch_language{"language":"en"}', intent="switch_language") is None


def test_an_faq_button_payload_keeps_the_conversations_language():
    assert language_entity("faq:aanleiding_herziening", current="en") is None


def test_a_question_that_names_both_languages_asks_no_switch():
    text = "Wordt de opleiding in het Nederlands of in het Engels gegeven?"
    assert requested_language(text, "nl") is None
    assert language_entity(text, intent="switch_language") is None


@pytest.mark.parametrize("text", ["Kan ik de opleiding ook in het Engels volgen?", "are the classes taught in Dutch?"])
def test_a_question_about_a_programmes_language_asks_no_switch(text):
    assert requested_language(text, "nl") is None


@pytest.mark.parametrize("text", ["Is de opleiding in het Engels?", "is technisch Engels verplicht?"])
def test_a_question_about_the_programmes_language_is_answered_as_not_in_the_sources(text):
    message = Message(data={"text": text, "intent": {"name": "switch_language", "confidence": 0.9}})
    reader.process([message], conversation_in("nl"))
    assert message.get("intent")["name"] == "ask_not_in_sources"
    assert not [e for e in message.get("entities") or [] if e["entity"] == "language"]


def test_a_request_for_english_stays_a_switch():
    message = Message(data={"text": "kan de chat ook in het Engels?", "intent": {"name": "switch_language", "confidence": 0.9}})
    reader.process([message], conversation_in("nl"))
    assert message.get("intent")["name"] == "switch_language"


@pytest.mark.parametrize("text", ["ik spreek niet zo goed Nederlands", "I don't speak Dutch, sorry"])
def test_saying_you_do_not_speak_dutch_asks_for_english(text):
    assert language_entity(text, intent="switch_language") == "en"


def test_asking_for_dutch_still_switches_back():
    assert language_entity("terug naar Nederlands graag", intent="switch_language", current="en") == "nl"


def test_a_request_for_dutch_with_a_negation_elsewhere_is_still_dutch():
    assert language_entity("kun je niet gewoon Nederlands praten?", intent="switch_language", current="en") == "nl"
