"""Mask personal data (AVG): in what users type, and again in events before they are stored.

Every channel masks the user's text before the NLU (bot/input_guard.py): the bot never needs
an e-mail address or phone number, and the NLU is less distracted without them. The
conversation store masks every text of every event again (slots, the bot's reply, metadata,
and messages that reached Rasa another way, such as `rasa shell`). What is masked:
- e-mail addresses                          -> [e-mail]
- phone numbers: Dutch (06-12345678, 010 123 4567, 0031 ..., +31 ...) and
  other international numbers starting with + or 00   -> [telefoonnummer]
- a word after "studentnummer", "leerlingnummer", "studentnr", "student-id"
  (any shape: 123456, s1234567, AB12C3)      -> [studentnummer]
- any other number of 6 to 12 digits, alone or with one or two leading letters
  (student numbers, BSN, account numbers)   -> [nummer]
Crebo numbers have 5 digits and years 4, so lookups and dates are kept. Names and
addresses are not recognised; docs/privacy.md says so.

Linear time on any input (a public endpoint feeds it): every alternative starts only where
its text starts (a lookbehind), so no run of characters is scanned again from each of its
positions; repetitions are bounded. The e-mail pattern without that took 18 s on 64 kB of
digits. tests/bot/test_masking.py times 100 kB worst cases of each alternative.
"""
from __future__ import annotations

import re
from typing import Any

# Order matters: the first alternative that matches at a position wins.
_PATTERN = re.compile(
    # Local part from its first character only; at most 64 characters (RFC 5321), labels 63.
    r"(?P<email>(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?![\w-]))"
    # The keyword, then an id with at least one digit ("studentnummer is s1234567").
    r"|(?P<studentnummer>\b(?:student|leerling)[\s-]?(?:nummer|nr\.?|id)\s*(?:is\s+|[:#=]\s*)?)"
    r"(?P<student_id>(?=[A-Za-z-]*\d)[A-Za-z0-9-]{4,20})"
    # A "(" only as part of an area code: "(020) 123 45 67", not "(06-12345678)".
    r"|(?P<phone>(?<![\w+])(?:\((?=0\d{1,3}\)))?(?:(?:\+|00)[1-9]\d{0,2}|0)(?:[\s.()-]{0,2}\d){8,12}(?!\w))"
    r"|(?P<number>(?<![\w-])[A-Za-z]{0,2}\d{6,12}(?![\w-]))",
    re.IGNORECASE,
)
_LABELS = {"email": "[e-mail]", "phone": "[telefoonnummer]", "number": "[nummer]"}

# Keys whose values are identifiers Rasa needs back unchanged, never user text.
_KEEP_KEYS = frozenset({"event", "name", "policy", "message_id", "input_channel", "timestamp"})


def _replace(match: re.Match) -> str:
    if match.group("student_id") is not None:
        return match.group("studentnummer") + "[studentnummer]"
    return _LABELS[match.lastgroup or "number"]


def mask_text(text: str) -> str:
    """`text` with e-mail addresses, phone numbers and student numbers replaced."""
    return _PATTERN.sub(_replace, text)


def mask_event(data: Any) -> Any:
    """A copy of an event's dict (`Event.as_dict()`) with every text masked."""
    if isinstance(data, str):
        return mask_text(data)
    if isinstance(data, list):
        return [mask_event(item) for item in data]
    if isinstance(data, dict):
        return {key: value if key in _KEEP_KEYS else mask_event(value) for key, value in data.items()}
    return data

