"""Test helpers for the English fills: an English tracker, and Dutch words left in a fill.

A fill may hold the dataset's names and the documents' names (they stay as the sources write
them); anything else Dutch in an English fill is a leak.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Set

from bot.knowledge.models import DOCUMENTS
from bot.knowledge.search import knowledge_index
from bot.language import ENGLISH, LANGUAGE_SLOT

ENGLISH_SLOTS = {LANGUAGE_SLOT: ENGLISH}

# Dutch words that have no business in an English fill (no English word is spelled like these).
DUTCH_WORDS = frozenset("""
de het een en van op niveau niveaus bron zegt zeggen opleiding opleidingen jarige nog vraag vragen naast buiten
dan hoger ja nee kwalificatie kwalificaties wel niet duur deze nieuwe alle aan hoe allebei kunnen zowel als
lesgeld verdient scholen eerste tweede derde vierde vijfde iets anders
""".split())
# Variables that hold no user text.
NOT_TEXT = frozenset({"response", "template", "answer_given", "crebo", "number", "dossier_number", "other_crebo"})


def _names() -> List[str]:
    dataset = knowledge_index().dataset
    names = [*DOCUMENTS.values(), *(r.name for r in (*dataset.dossiers, *dataset.qualifications))]
    return sorted(names, key=len, reverse=True)


def dutch_words_in(text: str) -> Set[str]:
    """The Dutch words of `text` once the dataset's and documents' names are taken out."""
    for name in _names():
        text = text.replace(name, " ")
    return {word for word in re.findall(r"[a-zà-ÿ]+", text.casefold()) if word in DUTCH_WORDS}


def dutch_in_fills(messages: List[Dict[str, Any]]) -> Dict[str, Set[str]]:
    """Per 'response.variable' (and button titles), the Dutch words its English fill holds."""
    leaks: Dict[str, Set[str]] = {}
    for message in messages:
        fills = {key: value for key, value in message.items() if isinstance(value, str) and key not in NOT_TEXT}
        fills.update({f"button {i}": b["title"] for i, b in enumerate(message.get("buttons") or [])})
        for key, value in fills.items():
            found = dutch_words_in(value)
            if found:
                leaks[f"{message.get('response')}.{key}"] = found
    return leaks
