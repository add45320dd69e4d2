"""A click on an FAQ button gets exactly that answer, whatever the classifier guessed."""
from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.faq_gate import FaqConfidenceGate
from bot.nlu.faq_payloads import FaqButtonPayloads

payloads = FaqButtonPayloads()


def classified(text: str) -> Message:
    """What the classifier made of a payload it has never seen: a guess."""
    return Message(data={
        "text": text,
        "intent": {"name": "greet", "confidence": 0.31},
        "intent_ranking": [{"name": "greet", "confidence": 0.31}, {"name": "faq", "confidence": 0.2}],
        "entities": [{"entity": "answer", "value": "x"}],
        "response_selector": {"faq": {"response": {"confidence": 0.1, "intent_response_key": "faq/basisdeel"},
                                      "ranking": []}},
    })


def test_button_payload_selects_exactly_that_answer():
    message = payloads.process([classified("faq:bol_bbl")])[0]
    assert message.data["intent"] == {"name": "faq", "confidence": 1.0}
    assert message.data["intent_ranking"] == [{"name": "faq", "confidence": 1.0}]
    assert message.data["entities"] == []
    selected = message.data["response_selector"]["faq"]["response"]
    assert selected["utter_action"] == "utter_faq/bol_bbl" and selected["confidence"] == 1.0


def test_a_clicked_answer_passes_the_gate_and_becomes_the_subject():
    message = FaqConfidenceGate({"threshold": 0.9}).process(payloads.process([classified("faq:bol_bbl")]))[0]
    assert message.data["intent"]["name"] == "faq"
    assert [e["value"] for e in message.get("entities")] == ["bol_bbl"]


def test_an_unknown_key_or_typed_text_is_left_to_the_classifier():
    for text in ("faq:bestaat_niet", "wat is bol bbl", "faq:bol_bbl en meer"):
        message = payloads.process([classified(text)])[0]
        assert message.data["intent"]["name"] == "greet", text
