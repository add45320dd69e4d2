"""The intents `action_answer_lookup` answers (data/rules.yml), and what each one asks.

The Rasa server routes messages to them (bot/nlu/lookup_reader.py), the action server
answers them (actions/lookups.py) and the feedback buttons name them (bot/feedback.py);
this is their one list. Rasa-free, like the rest of the knowledge package.
"""
from __future__ import annotations

from typing import Collection, Dict, Optional

from bot.knowledge.reader import Ask

# What an intent asks when the words of the message do not say it ("25893?").
INTENT_ASKS: Dict[str, Optional[Ask]] = {
    "lookup_crebo": Ask.CREBO,
    "lookup_qualification": None,
    "lookup_dossier": Ask.DOSSIER,
    "list_by_level": Ask.LIST,
    "ask_level": Ask.LEVEL,
    "ask_duration": Ask.DURATION,
    "lookup_overview": Ask.COUNT,
    "ask_not_in_sources": Ask.NOT_HELD,
}
LOOKUP_INTENTS = frozenset(INTENT_ASKS)
# FAQ answers that give a fact of the dataset: "en Mechatronica?" right after one asks that fact of it.
FAQ_ASKS: Dict[str, Ask] = {"opleidingsduur_niveau4": Ask.DURATION}
# The actions that answer lookups: one question, or each question of a message that asks several.
LOOKUP_ACTIONS = frozenset({"action_answer_lookup", "action_answer_parts"})
# A question about a record without a fact asked: its crebo, name and dossier together.
NAME_LOOKUP = "lookup_qualification"
OVERVIEW = "lookup_overview"
LIST_BY_LEVEL = "list_by_level"
NOT_IN_SOURCES = "ask_not_in_sources"
# When a message asks several facts, the intent of the first of these it asks.
_ASKS_IN_ORDER = (Ask.NOT_HELD, Ask.CREBO, Ask.LEVEL, Ask.DOSSIER, Ask.DURATION, Ask.COUNT)
# The facts of one record; "Welke bedoel je?" buttons keep these in their intent.
RECORD_ASKS = frozenset({Ask.CREBO, Ask.LEVEL, Ask.DOSSIER, Ask.DURATION})
_INTENT_OF_ASK = {ask: intent for intent, ask in INTENT_ASKS.items() if ask is not None}


def intent_asking(asks: Collection[Ask]) -> str:
    """The lookup intent for a message that asks `asks`: 'wat is het crebo van …' → lookup_crebo."""
    return next((_INTENT_OF_ASK[ask] for ask in _ASKS_IN_ORDER if ask in asks), NAME_LOOKUP)
