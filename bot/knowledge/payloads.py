"""Names both servers use: the retrieval intent, the lookup intents, and the button payloads
that select one FAQ answer (`faq:<key>`).

Shared by the action server (it makes the buttons) and the Rasa server (bot.nlu.faq_gate
resolves them), so it imports neither Rasa nor rasa-sdk.
"""
from __future__ import annotations

import re
from typing import Collection, Optional

RETRIEVAL_INTENT = "faq"
# The intents action_answer_lookup answers (data/rules.yml).
LOOKUP_INTENTS = frozenset(
    {"lookup_crebo", "lookup_qualification", "lookup_dossier", "list_by_level", "ask_level", "ask_duration", "lookup_overview"}
)
PAYLOAD_PREFIX = f"{RETRIEVAL_INTENT}:"
_PAYLOAD = re.compile(rf"^{PAYLOAD_PREFIX}(?P<key>[a-z0-9_]+)$")


def faq_payload(key: str) -> str:
    """The button payload that selects the FAQ answer `key`."""
    return f"{PAYLOAD_PREFIX}{key}"


def chosen_faq_key(text: str, known_keys: Collection[str]) -> Optional[str]:
    """The key named by a button payload `faq:<key>`, if the text is one for a known key."""
    match = _PAYLOAD.match((text or "").strip())
    return match.group("key") if match and match.group("key") in known_keys else None
