"""FAQ conversations over HTTP: menu, themes, suggestions, buttons and small talk."""
from __future__ import annotations

import uuid

import pytest

from bot.knowledge import load_catalogue
from bot.knowledge.themes import THEMES

from tests.conversations.rest import answer, say





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
        assert answer(say(live_servers, button["payload"], sender)) == entry.answer_with_source


@pytest.mark.parametrize("key", [e.key for e in load_catalogue().entries])
def test_every_faq_button_leads_to_exactly_its_answer(live_servers, key):
    assert answer(say(live_servers, f"faq:{key}")) == load_catalogue().get(key).answer_with_source


# Vague questions that touch several answers at once. Which of them the model is unsure
# about depends on training; at least one must lead to suggestions instead of a guess.
VAGUE_QUESTIONS = [
    "hoe zit het met de nieuwe opleidingen en de school",
    "wat verandert er allemaal",
    "Is het aan de instelling of een opleiding dagonderwijs of werkend leren wordt?",
    "wat moet ik weten over de documenten",
    "keuzedelen en examens en erkenning",
    "hoe gaat het verder met de opleidingen",
]


def test_unsure_question_gets_did_you_mean_buttons_that_work(live_servers):
    sender = uuid.uuid4().hex
    replies = next(
        (r for r in (say(live_servers, q, sender) for q in VAGUE_QUESTIONS) if "Bedoelde je" in r[-1].get("text", "")),
        None,
    )
    assert replies is not None, "no vague question led to 'Bedoelde je…?'"
    buttons = replies[-1]["buttons"]
    assert 2 <= len(buttons) <= 4 and buttons[-1]["title"] == "Iets anders"
    first_key = buttons[0]["payload"].removeprefix("faq:")
    assert answer(say(live_servers, buttons[0]["payload"], sender)) == load_catalogue().get(first_key).answer_with_source
    assert "onderwerp" in answer(say(live_servers, buttons[-1]["payload"], sender))


@pytest.mark.parametrize("message, expected", [
    ("hoi", "Vragenbot Metaal"),
    ("bedankt!", "Graag gedaan"),
    ("ben je een mens?", "chatbot, geen mens"),
    ("kan ik iemand van school spreken?", "studieadviseurs"),
    ("hoe laat begint de kermis?", "niet mee helpen"),
])
def test_small_talk(live_servers, message, expected):
    assert expected in "\n".join(r.get("text", "") for r in say(live_servers, message))
