"""Lookups over HTTP: many phrasings, the ambiguous name, unknown numbers, follow-ups."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
import yaml

QUESTIONS = yaml.safe_load((Path(__file__).parent / "lookup_questions.yml").read_text(encoding="utf-8"))
REQUIRED_SHARE = 0.9


def say(servers, text: str, sender: str = "") -> list:
    response = requests.post(servers["rest_webhook"], json={"sender": sender or uuid.uuid4().hex, "message": text}, timeout=30)
    response.raise_for_status()
    return response.json()


def answer_text(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_share_of_lookup_questions_answered_right(live_servers):
    wrong = []
    for item in QUESTIONS:
        answer = answer_text(say(live_servers, item["ask"]))
        if item["expect"] not in answer:
            wrong.append(f"{item['ask']!r} → {answer[:120]!r}")
    share = 1 - len(wrong) / len(QUESTIONS)
    print(f"\nlookup questions answered right: {len(QUESTIONS) - len(wrong)}/{len(QUESTIONS)} = {share:.1%}")
    print("\n".join(wrong))
    assert share >= REQUIRED_SHARE, "\n".join(wrong)


def test_ambiguous_name_offers_buttons_and_a_button_answers(live_servers):
    sender = uuid.uuid4().hex
    replies = say(live_servers, "welk crebo heeft technicus?", sender)
    buttons = replies[-1]["buttons"]
    assert {b["title"] for b in buttons} == {"Technicus mechatronica", "Technicus engineering", "Commercieel technicus engineering"}
    chosen = next(b for b in buttons if b["title"] == "Technicus engineering")
    assert "Technicus engineering (crebo 25898)" in answer_text(say(live_servers, chosen["payload"], sender))


@pytest.mark.parametrize("question", ["wat is crebo 12345?", "crebo 25890"])
def test_unknown_crebo_is_never_a_near_miss(live_servers, question):
    answer = answer_text(say(live_servers, question))
    assert "staat niet in mijn gegevens" in answer and "s-bb.nl" in answer
    assert "(crebo 2589" not in answer


def test_follow_ups_after_a_lookup(live_servers):
    sender = uuid.uuid4().hex
    assert "Productietechnicus (crebo 25896)" in answer_text(say(live_servers, "Wat is crebo 25896?", sender))
    assert "vierjarige" in answer_text(say(live_servers, "hoe lang duurt die opleiding?", sender))
    assert "niveau 4" in answer_text(say(live_servers, "en op welk niveau is die?", sender))
