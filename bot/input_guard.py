"""What every channel does with a user's text before Rasa sees it.

`screen(text)` cleans the text (Unicode NFC; terminal escapes, control, format and
surrogate characters out; white space collapsed), masks personal data (bot/masking.py), and
returns either that text for the NLU, or the payload of an intent that a rule answers in
the conversation's language (Dutch or English), without the NLU:
    /empty_message      nothing left after cleaning        -> utter_empty_message
    /message_too_long   more than MAX_MESSAGE_CHARS        -> utter_message_too_long
    /no_words           no letter or digit (emoji, "???")  -> utter_no_words
A pasted essay is refused rather than cut: a cut question would be answered as if whole.
A "/intent{…}" text passes only when it is exactly a payload of our own buttons
(bot/payloads.py); any other text starting with "/" is read as a question.
Markup needs no treatment here: every channel shows text as text (the web chat uses
textContent, Slack escapes mrkdwn, REST returns JSON).
"""
from __future__ import annotations

import re
import unicodedata

from bot.masking import mask_text
from bot.payloads import as_text

MAX_MESSAGE_CHARS = 2000
EMPTY_MESSAGE = "/empty_message"
MESSAGE_TOO_LONG = "/message_too_long"
NO_WORDS = "/no_words"

# Cc: control characters (NUL, ESC, DEL, C1). Cf: invisible format characters (zero-width
# space, byte-order mark, bidirectional overrides). Cs: lone surrogates from bad JSON escapes.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Terminal escape sequences ("\x1b[31m", pasted from a shell) go whole, not just their ESC.
_ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")


def clean(text: str) -> str:
    """`text` without invisible and control characters, its white space collapsed."""
    kept = (
        c if unicodedata.category(c) not in _DROPPED_CATEGORIES else " " if c.isspace() else ""
        for c in unicodedata.normalize("NFC", _ANSI_ESCAPE.sub("", text))
    )
    return " ".join("".join(kept).split())


def screen(text: str) -> str:
    """The text to hand to Rasa: the cleaned message, or the payload of an intent above."""
    if len(text) > 4 * MAX_MESSAGE_CHARS:  # clearly too long; spare the character loop
        return MESSAGE_TOO_LONG
    cleaned = clean(text)
    if not cleaned:
        return EMPTY_MESSAGE
    if len(cleaned) > MAX_MESSAGE_CHARS:
        return MESSAGE_TOO_LONG
    if not any(c.isalnum() for c in cleaned):
        return NO_WORDS
    return mask_text(as_text(cleaned))
