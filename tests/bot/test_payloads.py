"""Only the payloads our own buttons send pass as intents; anything else that starts with "/" is a question."""
from __future__ import annotations

import pytest

from bot.input_guard import screen
from bot.knowledge.themes import menu_buttons
from bot.payloads import as_text, is_our_payload

OUR_BUTTONS = [
    "/ask_capabilities",
    '/feedback_helpful{"answer": "faq/bol_bbl"}',
    '/feedback_not_helpful{"answer": "lookup/ask_level/25893"}',
    '/ask_level{"crebo": "25893"}',
    '/lookup_qualification{"crebo": "23360"}',
    *[button["payload"] for button in menu_buttons()],
]


@pytest.mark.parametrize("payload", OUR_BUTTONS)
def test_a_click_on_one_of_our_buttons_passes_as_it_is(payload):
    assert is_our_payload(payload) and screen(payload) == payload


@pytest.mark.parametrize("typed, read_as", [
    ('/lookup_crebo{"crebo": ' + "[" * 900 + "]" * 900 + "}", None),  # RecursionError inside Rasa before
    ('/lookup_crebo{"crebo": ["25894"]}', None),
    ('/lookup_crebo{"crebo": "25894", "level": "4"}', None),  # an entity no button sends
    ('/lookup_crebo{"crebo": "2589"}', None),
    ('/show_theme{"theme": "bestaat_niet"}', None),
    ('/feedback_helpful{"answer": "<script>"}', None),
    ('/feedback_helpful{"answer": "faq/x"', None),  # broken JSON
    ("/restart", "restart"),  # Rasa's own intents are no buttons of ours
    ("/session_start", "session_start"),
    ("/greet", "greet"),
    ("/wat is crebo 25894?", "wat is crebo 25894?"),
    ("//ask_capabilities", "ask_capabilities"),
])
def test_any_other_slash_text_is_read_as_a_question(typed, read_as):
    assert not is_our_payload(typed)
    screened = screen(typed)
    assert not screened.startswith("/") or screened == "/message_too_long"
    if read_as is not None:
        assert screened == read_as
    assert as_text(typed) == typed.lstrip("/").strip()


def test_the_payloads_rasa_would_read_as_intents_are_exactly_ours():
    """No text but ours reaches Rasa with the "/" that makes it an intent."""
    for text in ["/", "/ ", "/x{}", "/ask_capabilities{}", '/ask_capabilities{"a": "b"}', "/ASK_CAPABILITIES"]:
        assert not screen(text).startswith("/") or screen(text) in {"/no_words", "/empty_message"}
