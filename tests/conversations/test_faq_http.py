"""FAQ conversations over HTTP: menu, themes, suggestions, buttons and small talk."""
from __future__ import annotations

import uuid

import pytest
import requests

from bot.knowledge import load_catalogue
from bot.knowledge.models import THEMES


def say(servers, text: str, sender: str = "") -> list:
    response = requests.post(servers["rest_webhook"], json={"sender": sender or uuid.uuid4().hex, "message": text}, timeout=30)
    response.raise_for_status()
    return response.json()


def test_topic_menu_lists_every_theme_as_a_button(live_servers):
    replies = say(live_servers, "wat kun je?")
    assert [b["title"] for b in replies[-1]["buttons"]] == list(THEMES.values())


def test_a_theme_lists_its_questions_and_each_button_gives_that_answer(live_servers):
    sender = uuid.uuid4().hex
    replies = say(live_servers, '/show_theme{"theme": "uitwerkingsdocumenten"}', sender)
    catalogue = load_catalogue()
    expected = catalogue.in_theme("uitwerkingsdocumenten")
    assert [b["title"] for b in replies[-1]["buttons"]] == [e.title for e in expected]
    for button, entry in zip(replies[-1]["buttons"], expected):
        answer = say(live_servers, button["payload"], sender)[0]["text"]
        assert answer == entry.answer_with_source


@pytest.mark.parametrize("key", [e.key for e in load_catalogue().entries])
def test_every_faq_button_leads_to_exactly_its_answer(live_servers, key):
    answer = say(live_servers, f"faq:{key}")[0]["text"]
    assert answer == load_catalogue().get(key).answer_with_source


def test_unsure_question_gets_did_you_mean_buttons_that_work(live_servers):
    sender = uuid.uuid4().hex
    replies = say(live_servers, "keuzedelen", sender)
    assert "Bedoelde je" in replies[-1]["text"]
    buttons = replies[-1]["buttons"]
    assert 2 <= len(buttons) <= 4 and buttons[-1]["title"] == "Iets anders"
    first_key = buttons[0]["payload"].removeprefix("faq:")
    assert say(live_servers, buttons[0]["payload"], sender)[0]["text"] == load_catalogue().get(first_key).answer_with_source
    assert "onderwerp" in say(live_servers, buttons[-1]["payload"], sender)[0]["text"]


@pytest.mark.parametrize("message, expected", [
    ("hoi", "Vragenbot Metaal"),
    ("bedankt!", "Graag gedaan"),
    ("ben je een mens?", "chatbot, geen mens"),
    ("kan ik iemand van school spreken?", "studieadviseurs"),
    ("hoe laat begint de kermis?", "niet mee helpen"),
])
def test_small_talk(live_servers, message, expected):
    assert expected in "\n".join(r.get("text", "") for r in say(live_servers, message))
