"""The FAQ gate: exact answers for button payloads, no guessed answers."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge import load_catalogue
from bot.nlu.faq_gate import FaqConfidenceGate, selected_answer_confidence
from bot.knowledge.payloads import chosen_faq_key

KNOWN_KEYS = {e.key for e in load_catalogue().entries}
gate = FaqConfidenceGate({"threshold": 0.5, "retrieval_intent": "faq"})


def parsed(text: str, intent: str, answer_confidence: float) -> Message:
    return Message(data={
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "intent_ranking": [{"name": intent, "confidence": 0.99}],
        "response_selector": {"faq": {"response": {"confidence": answer_confidence,
                                                    "intent_response_key": "faq/keuzedelen_verplicht",
                                                    "utter_action": "utter_faq/keuzedelen_verplicht"},
                                       "ranking": []}},
    })


def test_confident_faq_answer_passes():
    message = gate.process([parsed("keuzedelen verplicht?", "faq", 0.93)])[0]
    assert message.data["intent"]["name"] == "faq"


def test_faq_intent_with_unsure_answer_becomes_fallback():
    """RasaHQ/rasa 9751: intent `faq` at 0.99, but the chosen answer is a guess."""
    message = gate.process([parsed("hoe laat vertrekt de bus", "faq", 0.21)])[0]
    assert message.data["intent"] == {"name": "nlu_fallback", "confidence": 0.21}
    assert message.data["intent_ranking"][0]["name"] == "nlu_fallback"
    assert message.data["intent_ranking"][1]["name"] == "faq"


def test_other_intents_are_left_alone():
    message = gate.process([parsed("hoi", "greet", 0.1)])[0]
    assert message.data["intent"]["name"] == "greet"


def test_button_payload_selects_exactly_that_answer():
    message = gate.process([parsed("faq:bol_bbl", "nlu_fallback", 0.05)])[0]
    assert message.data["intent"] == {"name": "faq", "confidence": 1.0}
    selected = message.data["response_selector"]["faq"]["response"]
    assert selected["utter_action"] == "utter_faq/bol_bbl" and selected["confidence"] == 1.0


@pytest.mark.parametrize("text, key", [
    ("faq:bol_bbl", "bol_bbl"),
    ("  faq:start_schooljaar_2023 ", "start_schooljaar_2023"),
    ("faq:bestaat_niet", None),
    ("faq:../../etc", None),
    ("faq:", None),
    ('/faq{"faq_key": "bol_bbl"}', None),
    ("wat is bol bbl", None),
    ("faq:bol_bbl en meer", None),
])
def test_payload_parsing(text, key):
    assert chosen_faq_key(text, KNOWN_KEYS) == key


def test_confidence_is_none_without_selector_output():
    assert selected_answer_confidence({"intent": {"name": "faq"}}) is None


def test_the_answer_given_becomes_the_subject_of_the_conversation():
    """The `faq_subject` entity fills the slot that follow-ups ("en wanneer is dat?") are read against."""
    confident = gate.process([parsed("keuzedelen verplicht?", "faq", 0.93)])[0]
    assert {"entity": "faq_subject", "value": "keuzedelen_verplicht", "extractor": "FaqConfidenceGate"} in confident.get("entities")
    unsure = gate.process([parsed("hoe laat vertrekt de bus", "faq", 0.21)])[0]
    assert not unsure.get("entities")
