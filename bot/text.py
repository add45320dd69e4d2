"""Pure helpers for Dutch user text: normalising names, levels and crebo numbers."""
from __future__ import annotations

import re
import unicodedata
from typing import Dict, List, Optional

LEVEL_WORDS: Dict[int, str] = {1: "een", 2: "twee", 3: "drie", 4: "vier"}
_LEVEL_PATTERN = re.compile(
    r"\b(?:mbo[\s-]*niveau|niveau|nivo|mbo|n)[\s-]*(?P<level>[1-4]|een|één|twee|drie|vier|i{1,3}|iv)\b"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DIGIT_RUNS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Lower case, no diacritics, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", without_marks).strip()


def parse_level(text: str) -> Optional[int]:
    """'niveau 4', 'N4', 'mbo-2', 'niveau vier', '3' → the level; otherwise None."""
    cleaned = normalise(text)
    if cleaned in {"1", "2", "3", "4"}:
        return int(cleaned)
    match = _LEVEL_PATTERN.search(cleaned)
    if not match:
        return None
    value = match.group("level").replace("één", "een")
    if value.isdigit():
        return int(value)
    if value in _ROMAN:
        return _ROMAN[value]
    return next(level for level, word in LEVEL_WORDS.items() if word == value)


def number_candidates(text: str) -> List[str]:
    """Every run of digits in the text, in order (for crebo numbers typed oddly)."""
    return _DIGIT_RUNS.findall(text)
