"""The FAQ gate: no guessed answers, and the answer given is remembered."""
from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.faq_gate import FaqConfidenceGate

gate = FaqConfidenceGate({"threshold": 0.5})


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
    assert not message.get("entities")


def test_faq_intent_without_selector_output_is_left_alone():
    message = gate.process([Message(data={"text": "x", "intent": {"name": "faq", "confidence": 0.9}})])[0]
    assert message.data["intent"]["name"] == "faq"
    assert not message.get("entities")


def test_the_answer_given_becomes_the_subject_of_the_conversation():
    """The `faq_subject` entity fills the slot that follow-ups ("en wanneer is dat?") are read against."""
    confident = gate.process([parsed("keuzedelen verplicht?", "faq", 0.93)])[0]
    assert {"entity": "faq_subject", "value": "keuzedelen_verplicht", "extractor": "FaqConfidenceGate"} in confident.get("entities")
    unsure = gate.process([parsed("hoe laat vertrekt de bus", "faq", 0.21)])[0]
    assert not unsure.get("entities")
