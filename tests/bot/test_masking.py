"""Personal data is masked before conversations are stored; lookups and dates are kept."""
from __future__ import annotations

import time

import pytest

from bot.masking import mask_event, mask_text


@pytest.mark.parametrize("said, stored", [
    ("Mail me op jan.jansen@student.roc.nl a.u.b.", "Mail me op [e-mail] a.u.b."),
    ("Bel me: 06-12345678", "Bel me: [telefoonnummer]"),
    ("of 06 1234 5678", "of [telefoonnummer]"),
    ("mijn nummer is +31 6 12345678", "mijn nummer is [telefoonnummer]"),
    ("0031612345678", "[telefoonnummer]"),
    ("school: (020) 123 45 67", "school: [telefoonnummer]"),
    ("vast 010-1234567", "vast [telefoonnummer]"),
    ("mijn studentnummer is 123456", "mijn studentnummer is [studentnummer]"),
    ("studentnr: s1234567", "studentnr: [studentnummer]"),
    ("leerlingnummer AB12C3", "leerlingnummer [studentnummer]"),
    ("ik ben 7654321, waar vind ik mijn rooster", "ik ben [nummer], waar vind ik mijn rooster"),
])
def test_personal_data_is_masked(said, stored):
    assert mask_text(said) == stored


@pytest.mark.parametrize("kept", [
    "Wat is crebo 25894?",
    "crebo 25894 en 25895",
    "Wat verandert er in schooljaar 2023-2024?",
    "Het vragenuur van 17 oktober 2022",
    "Heb ik een studentnummer nodig?",
    "Welke kwalificaties zijn er op niveau 4?",
])
def test_questions_without_personal_data_are_kept_as_they_are(kept):
    assert mask_text(kept) == kept


def test_every_text_of_an_event_is_masked_but_rasas_identifiers_are_not():
    event = {
        "event": "user",
        "text": "Ik ben jan@example.nl, wat is crebo 25894?",
        "timestamp": 1700000000.5,
        "message_id": "0612345678abc",
        "parse_data": {
            "text": "Ik ben jan@example.nl, wat is crebo 25894?",
            "intent": {"name": "lookup_crebo", "confidence": 0.98},
            "entities": [{"entity": "crebo", "value": "25894"}, {"entity": "email", "value": "jan@example.nl"}],
        },
        "metadata": {"note": ["bel 0612345678"]},
    }
    masked = mask_event(event)
    assert masked["text"] == masked["parse_data"]["text"] == "Ik ben [e-mail], wat is crebo 25894?"
    assert [e["value"] for e in masked["parse_data"]["entities"]] == ["25894", "[e-mail]"]
    assert masked["metadata"] == {"note": ["bel [telefoonnummer]"]}
    assert masked["message_id"] == "0612345678abc" and masked["timestamp"] == 1700000000.5
    assert masked["parse_data"]["intent"] == {"name": "lookup_crebo", "confidence": 0.98}
    assert event["text"].startswith("Ik ben jan@"), "the event itself is not changed"


# The worst case of each alternative, 100 kB: quadratic matching took 18 s on 64 kB of digits.
ADVERSARIAL = {
    "a run of word characters": "a" * 100_000,
    "a run of digits": "1" * 100_000,
    "local parts without an @": "a." * 50_000,
    "@ after @": "a@" * 50_000,
    "a domain that never ends": "a@" + "b." * 50_000,
    "a phone number that never ends": "0" + " 1" * 50_000,
    "area-code brackets": "(0" * 50_000,
    "student number keywords": "studentnummer " * 7_000,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_masking_takes_linear_time_on_adversarial_text(text):
    started = time.perf_counter()
    mask_text(text)
    assert time.perf_counter() - started < 1.0  # linear: about 0.02 s here; quadratic: minutes
