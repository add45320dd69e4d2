"""A message that names a five-digit number goes to a lookup, whatever its words suggested."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.number_reader import CreboNumberReader


def read(text: str, intent: str, confidence: float = 0.4) -> Message:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": [{"name": intent, "confidence": confidence}]})
    CreboNumberReader().process([message])
    return message


@pytest.mark.parametrize("text", ["wat betekent 25893", "25891, welke opleiding is dat?", "wat is crebo 12345?"])
def test_a_number_makes_a_sure_crebo_lookup(text):
    message = read(text, "faq")
    assert message.get("intent") == {"name": "lookup_crebo", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "lookup_crebo"


def test_a_lookup_the_classifier_chose_is_kept():
    assert read("hoe lang duurt 25896?", "ask_duration").get("intent") == {"name": "ask_duration", "confidence": 1.0}


@pytest.mark.parametrize("text", ["vanaf schooljaar 2023", "bel 0612345678", "niveau 4", "crebo 2589"])
def test_other_numbers_change_nothing(text):
    assert read(text, "faq").get("intent") == {"name": "faq", "confidence": 0.4}
