"""Lookups over HTTP: many phrasings, the ambiguous name, unknown numbers, follow-ups."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from tests.conversations.rest import answer, say

QUESTIONS = yaml.safe_load((Path(__file__).parent / "lookup_questions.yml").read_text(encoding="utf-8"))


def test_every_lookup_question_is_answered_right(live_servers):
    wrong = []
    for item in QUESTIONS:
        reply = answer(say(live_servers, item["ask"]))
        if item["expect"] not in reply:
            wrong.append(f"{item['ask']!r} → {reply[:120]!r}")
    share = 1 - len(wrong) / len(QUESTIONS)
    print(f"\nlookup questions answered right: {len(QUESTIONS) - len(wrong)}/{len(QUESTIONS)} = {share:.1%}")
    assert not wrong, "\n".join(wrong)


def test_ambiguous_name_offers_buttons_and_a_button_answers(live_servers):
    sender = uuid.uuid4().hex
    replies = say(live_servers, "welk crebo heeft technicus?", sender)
    buttons = replies[-1]["buttons"]
    assert {b["title"] for b in buttons} == {"Technicus mechatronica", "Technicus engineering", "Commercieel technicus engineering"}
    chosen = next(b for b in buttons if b["title"] == "Technicus engineering")
    assert "Technicus engineering (crebo 25898)" in answer(say(live_servers, chosen["payload"], sender))


@pytest.mark.parametrize("question", ["wat is crebo 12345?", "crebo 25890"])
def test_unknown_crebo_is_never_a_near_miss(live_servers, question):
    reply = answer(say(live_servers, question))
    assert "staat niet in mijn gegevens" in reply and "s-bb.nl" in reply
    assert "(crebo 2589" not in reply


def test_follow_ups_after_a_lookup(live_servers):
    sender = uuid.uuid4().hex
    assert "Productietechnicus (crebo 25896)" in answer(say(live_servers, "Wat is crebo 25896?", sender))
    assert "vierjarige" in answer(say(live_servers, "hoe lang duurt die opleiding?", sender))
    assert "niveau 4" in answer(say(live_servers, "en op welk niveau is die?", sender))
