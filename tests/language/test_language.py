"""Dutch or English on short chat messages (bot/language.py), against the labelled file.

A message with fewer than two words that are no name, number or filler ("ok", "25893?",
"yes") keeps the conversation's language by design; every other labelled message must be
read right in at least 98% of cases, whichever language the conversation was in.
"""
from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
import yaml

from bot.language import DUTCH, ENGLISH, MIN_CONTENT_WORDS, _FILLERS, _is_name_or_number, _tokens, detect

LABELLED = Path(__file__).parents[1] / "language" / "short_messages.yml"


def _messages() -> List[dict]:
    return [m for m in yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["messages"] if m["lang"] in (DUTCH, ENGLISH)]


def _decidable(text: str) -> bool:
    content = [t for t in _tokens(text) if not _is_name_or_number(t) and t not in _FILLERS and any(c.isalpha() for c in t)]
    return len(content) >= MIN_CONTENT_WORDS


def test_the_labelled_file_is_large_enough_and_has_both_languages():
    messages = _messages()
    assert len(messages) >= 300 and {m["lang"] for m in messages} == {DUTCH, ENGLISH}


@pytest.mark.parametrize("current", [DUTCH, ENGLISH])
def test_messages_that_say_their_language_are_read_right(current):
    decidable = [m for m in _messages() if _decidable(m["text"])]
    wrong = [m["text"] for m in decidable if detect(m["text"], current) != m["lang"]]
    assert len(decidable) >= 400
    assert 1 - len(wrong) / len(decidable) >= 0.98, wrong


@pytest.mark.parametrize("text", ["ok", "25893?", "thanks", "hallo", "BBL?", "menu", "mechatronica niveau 4"])
def test_a_message_without_enough_words_keeps_the_conversations_language(text):
    assert detect(text, DUTCH) == DUTCH and detect(text, ENGLISH) == ENGLISH


@pytest.mark.parametrize("text, language", [
    ("what is the crebo of Technicus mechatronica?", ENGLISH),
    ("how long does productietechniek take", ENGLISH),
    ("is BBL possible for level 4 engineering", ENGLISH),
    ("wat is de deadline voor de keuzedelen", DUTCH),
    ("engineering niveau 4 info graag", DUTCH),
    ("ok thanks, en hoe lang duurt het dan?", DUTCH),
])
def test_names_and_borrowed_words_do_not_decide(text, language):
    assert detect(text, DUTCH) == language and detect(text, ENGLISH) == language


def test_a_word_repeated_is_one_word():
    assert detect("is 25894? " * 200, DUTCH) == DUTCH
