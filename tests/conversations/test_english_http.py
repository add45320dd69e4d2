"""An English visitor over HTTP: the same answers, in English, and Dutch left as it was."""
from __future__ import annotations

import uuid

import pytest

from bot.knowledge import load_catalogue
from bot.knowledge.themes import THEMES, THEMES_EN
from bot.language import detect

from tests.conversations.rest import answer, say

SWITCH_TO_ENGLISH = '/switch_language{"language":"en"}'
SWITCH_TO_DUTCH = '/switch_language{"language":"nl"}'


def is_english(text: str) -> bool:
    return detect(text, "nl") == "en"


def test_an_english_question_gets_the_english_answer_with_its_dutch_source(live_servers):
    reply = answer(say(live_servers, "Why was the qualification structure of the metal programmes revised?"))
    assert reply == load_catalogue().get("aanleiding_herziening").answer_with_source_in("en")
    assert "Source: 1e vragenuur, 4 maart 2022" in reply


def test_a_lookup_in_english_names_the_record_as_the_source_writes_it(live_servers):
    reply = answer(say(live_servers, "what is the crebo number of Technicus mechatronica?"))
    assert "25893" in reply and "Technicus mechatronica" in reply
    assert is_english(reply) and "Source: 1e vragenuur, 4 maart 2022 (question 2)" in reply


def test_the_switch_turns_the_conversation_english_and_back(live_servers):
    sender = uuid.uuid4().hex
    assert "English" in answer(say(live_servers, SWITCH_TO_ENGLISH, sender))
    assert is_english(answer(say(live_servers, "25894?", sender)))  # too short to say its language: stays English
    assert "Nederlands" in answer(say(live_servers, SWITCH_TO_DUTCH, sender))
    assert not is_english(answer(say(live_servers, "25894?", sender)))


def test_typing_english_please_switches_and_a_dutch_question_switches_back(live_servers):
    sender = uuid.uuid4().hex
    assert is_english(answer(say(live_servers, "English please", sender)))
    assert is_english(answer(say(live_servers, "menu", sender)))
    dutch = answer(say(live_servers, "Hoeveel kwalificaties heeft het dossier Mechatronica?", sender))
    assert "Bron:" in dutch and not is_english(dutch)


@pytest.mark.parametrize("key", [e.key for e in load_catalogue().entries])
def test_every_faq_button_gives_its_english_answer_in_an_english_conversation(live_servers, key):
    sender = uuid.uuid4().hex
    say(live_servers, SWITCH_TO_ENGLISH, sender)
    assert answer(say(live_servers, f"faq:{key}", sender)) == load_catalogue().get(key).answer_with_source_in("en")


def test_the_topic_menu_is_english_in_an_english_conversation(live_servers):
    sender = uuid.uuid4().hex
    say(live_servers, SWITCH_TO_ENGLISH, sender)
    titles = [b["title"] for b in say(live_servers, "/ask_capabilities", sender)[-1]["buttons"]]
    assert titles[: len(THEMES_EN)] == list(THEMES_EN.values())
    dutch = [b["title"] for b in say(live_servers, "/ask_capabilities")[-1]["buttons"]]
    assert dutch[: len(THEMES)] == list(THEMES.values())


def test_something_the_sources_do_not_hold_is_said_plainly_in_english(live_servers):
    reply = answer(say(live_servers, "How much does the Technicus mechatronica programme cost per year?"))
    assert "not in my sources" in reply and "25893" in reply and is_english(reply)


def test_the_bot_says_in_english_that_it_is_a_bot(live_servers):
    reply = answer(say(live_servers, "am I talking to a real person?"))
    assert "chatbot" in reply and is_english(reply)


@pytest.mark.parametrize("question", [
    "Wat is het crebonummer van Productietechnicus?",
    "ok thanks, en hoe lang duurt Mechatronica niveau 4?",
    "Is BBL mogelijk bij engineering niveau 4?",
    "welke kwalificaties vallen onder smart industry?",
])
def test_a_dutch_question_full_of_english_words_is_answered_in_dutch(live_servers, question):
    assert not is_english(answer(say(live_servers, question)))
