"""The qualifications an FAQ answer speaks of by level.

Some FAQ answers say something of a dossier at given levels: "onderhoud blijft een duidelijk
onderdeel van Mechatronica. Het is zelfs een aparte kerntaak op niveau 2 en 3." A question that
asks which qualifications (or crebos) those are ("… en wat zijn daar de crebonummers van?",
"voor welke daarvan geldt dat van die kerntaak?" after a list) gets that answer
and then the dataset's qualifications at those levels: of the dossier the message names, else of
the dossier the answer names last before the levels (of those, the ones of a list just shown). The answer's own
words decide the levels; the dataset only lists what is at them. Rasa-free: the Rasa server
decides to answer so (bot/nlu/lookup_reader.py) and the action server answers (actions/lookups.py)
with this one function.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Dict, Optional, Sequence, Tuple

from bot.knowledge.loader import load_catalogue
from bot.knowledge.nouns import DOSSIER_NOUNS, LEVEL_NOUNS, NUMBER_NOUNS, QUALIFICATION_NOUNS
from bot.knowledge.models import Dataset, Dossier, Qualification
from bot.knowledge.search import Record
from bot.text import BILINGUAL_LEVEL_PATTERN, normalise, parse_levels


# Words of a question about the dataset, which say nothing of what an FAQ answer is about.
_DATASET_WORDS = frozenset(" ".join(QUALIFICATION_NOUNS + DOSSIER_NOUNS + NUMBER_NOUNS + LEVEL_NOUNS).split()) | frozenset(
    "niveau nivo level welke welk which horen hoort zitten crebo crebonummer dossier opleiding kwalificatie "
    "bij die niveaus".split())
_CONTENT_WORD_LENGTH = 5


# A word of the answer's own subject is in few answers ("kerntaak"), not in many ("nieuwe", "opleiding").
_MAX_ANSWERS_WITH_THE_WORD = 3


@lru_cache(maxsize=1)
def _answers_per_word() -> Dict[str, int]:
    """In how many FAQ answers each word occurs."""
    catalogue = load_catalogue()
    return Counter(word for key in catalogue.keys for word in set(normalise(catalogue.get(key).answer).split()))


def shares_the_answers_subject(text: str, key: Optional[str], dataset: Dataset) -> bool:
    """Whether `text` has a word of FAQ answer `key`'s own subject ("onderhoud", "kerntaak"): in that answer
    and in few others, not a name nor a word of a dataset question ("op welke niveaus kan je Mechatronica
    doen?" has none)."""
    entry = load_catalogue().get(key) if key else None
    if entry is None:
        return False
    names = {word for record in (*dataset.dossiers, *dataset.qualifications) for word in normalise(record.name).split()}
    answer, per_word = set(normalise(entry.answer).split()), _answers_per_word()
    for word in normalise(text).split():
        if len(word) < _CONTENT_WORD_LENGTH or word in names or word in _DATASET_WORDS:
            continue
        found = word if word in answer else word.rstrip("s") if word.rstrip("s") in answer else None
        if found is not None and per_word.get(found, 0) <= _MAX_ANSWERS_WITH_THE_WORD:
            return True
    return False


@lru_cache(maxsize=None)
def answer_levels(key: Optional[str]) -> Tuple[int, ...]:
    """The levels FAQ answer `key` names ("op niveau 2 en 3" → (2, 3))."""
    entry = load_catalogue().get(key) if key else None
    return tuple(parse_levels(entry.answer)) if entry is not None else ()


def _dossier_before_the_levels(answer: str, dataset: Dataset) -> Optional[Dossier]:
    """The dossier the answer names last before it first names a level."""
    text = f" {normalise(answer)} "
    first_level = BILINGUAL_LEVEL_PATTERN.search(text)
    if first_level is None:
        return None
    named = [(text.rfind(f" {normalise(d.name)} ", 0, first_level.start()), d) for d in dataset.dossiers]
    before = [(at, dossier) for at, dossier in named if at >= 0]
    return max(before, key=lambda pair: pair[0])[1] if before else None


def qualifications_at_the_answers_levels(key: Optional[str], dataset: Dataset, *, named: Sequence[Record] = (),
                                         shown: Sequence[Record] = ()) -> Tuple[Qualification, ...]:
    """The qualifications FAQ answer `key` speaks of by level: of the one dossier `named` when the
    answer names it too, else of the dossier the answer names before the levels; only those of the
    list `shown` when one is given. () when the answer names no level or no dossier they are of."""
    entry = load_catalogue().get(key) if key else None
    levels = answer_levels(key)
    if entry is None or not levels:
        return ()
    if named:
        dossiers = [r for r in named if isinstance(r, Dossier)]
        if len(named) != 1 or len(dossiers) != 1 or f" {normalise(dossiers[0].name)} " not in f" {normalise(entry.answer)} ":
            return ()
        dossier: Optional[Dossier] = dossiers[0]
    else:
        dossier = _dossier_before_the_levels(entry.answer, dataset)
    if dossier is None:
        return ()
    at_levels = tuple(q for level in levels for q in dataset.qualifications_in(dossier.number, level))
    return tuple(q for q in at_levels if q in shown) if shown else at_levels
