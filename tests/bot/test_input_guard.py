"""Every channel screens what users type before the NLU sees it."""
from __future__ import annotations

import pytest

from bot.input_guard import EMPTY_MESSAGE, MAX_MESSAGE_CHARS, MESSAGE_TOO_LONG, NO_WORDS, clean, screen


@pytest.mark.parametrize("text", ["", " ", "   \n\t  ", "\u200b\ufeff", "\x00\x07"])
def test_empty_messages_get_the_empty_message_answer(text):
    assert screen(text) == EMPTY_MESSAGE


@pytest.mark.parametrize("text", ["👍", "🙂🙂🙂", "👩‍🔧", "???", "!!! ...", "❤️ 🔥"])
def test_messages_without_letters_or_digits_get_the_no_words_answer(text):
    assert screen(text) == NO_WORDS


def test_a_message_of_20000_characters_is_refused_before_the_nlu():
    assert screen("Wat is crebo 25894? " * 1000) == MESSAGE_TOO_LONG


def test_the_longest_allowed_message_still_goes_to_the_nlu():
    assert screen("a" * MAX_MESSAGE_CHARS) == "a" * MAX_MESSAGE_CHARS
    assert screen("a" * (MAX_MESSAGE_CHARS + 1)) == MESSAGE_TOO_LONG


def test_white_space_does_not_count_towards_the_length():
    assert screen("Wat is crebo 25894?" + " " * 5_000) == "Wat is crebo 25894?"


@pytest.mark.parametrize("typed, seen", [
    ("Wat is\ncrebo 25894?", "Wat is crebo 25894?"),
    ("Wat\x00 is \x1b[31mcrebo\x1b[0m\x7f 25894?", "Wat is crebo 25894?"),
    ("crebo\u200b 25894\u202e", "crebo 25894"),
    ("\ud800Wat is crebo 25894?", "Wat is crebo 25894?"),
    ("e\u0301e\u0301n keuzedeel", "één keuzedeel"),
])
def test_control_and_invisible_characters_are_removed(typed, seen):
    assert clean(typed) == seen


@pytest.mark.parametrize("text", ["Wat is crebo 25894?", "faq:aanleiding_herziening", "/ask_capabilities",
                                  "<script>alert(1)</script> wat is crebo 25894"])
def test_ordinary_messages_and_button_payloads_pass_unchanged(text):
    assert screen(text) == text


def test_personal_data_is_masked_before_the_nlu_sees_it():
    assert screen("Ik ben jan@example.nl (06-12345678). Wat is crebo 25894?") == (
        "Ik ben [e-mail] ([telefoonnummer]). Wat is crebo 25894?")
