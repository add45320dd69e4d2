"""Find qualifications and dossiers by number or by name as people type them.

Order of trust: a name or alias contained in the text; then a partial name ("technicus",
"monteur"; in English, of the English aliases: "technician") that fits several records
(ambiguous: the caller asks which one); then a fuzzy match for typos ("mechatronika",
"enginering") above a threshold that refuses near misses. Never returns a guess below that
threshold. The words around a name ("wat is het crebo van", "what is the crebo of") are a
closed vocabulary in both languages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Set, Tuple, Union

from bot.knowledge.loader import load_dataset
from bot.knowledge.models import Dataset, Dossier, Qualification
from bot.text import NEGATION_WORDS, normalise

Record = Union[Qualification, Dossier]

FUZZY_THRESHOLD = 0.88
_NEGATIONS = frozenset(NEGATION_WORDS)
# How alike an inflected word and a word of a name are ("commerciële" and "commercieel").
_INFLECTED = 0.8
# Words this long or longer are checked for two swapped letters (shorter ones are too often other words).
_SWAP_MIN = 6
_LETTERS = re.compile(r"[^\W\d_]+")
# Words that say nothing about which record is meant.
_DUTCH_FILLER_WORDS = frozenset(
    "de het een en van voor over in op is wat welk welke wie hoe bij dossier kd kwalificatie "
    "opleiding opleidingen crebo crebonummer nummer niveau mbo info informatie vertel me mij "
    "heeft hoort horen valt vallen onder die dat deze graag ik wil weten zit zitten".split()
)
# English; not "of" (Dutch "or", see _PARTIAL_FILLER) and no word of a name ("all", "first").
_ENGLISH_FILLER_WORDS = frozenset(
    "the a an and for about on at are what whats which who how with to from tell i want know please "
    "has have does do belongs belong falls fall under that this those it its qualification programme program "
    "course file level number".split()
) - _DUTCH_FILLER_WORDS
FILLER_WORDS = _DUTCH_FILLER_WORDS | _ENGLISH_FILLER_WORDS
# Read as filler in a partial name only: "the crebo of technician".
_PARTIAL_FILLER = frozenset({"of"})


# Words that stand for a kind of thing, not for which one: "de commerciële variant".
_KIND_WORDS = frozenset("variant versie richting kant route soort type studie opleidingen kwalificaties ding "
                        "version track kind study programmes programs courses qualifications one ones thing option".split())
# What a word of a name stands before when it names that record in a longer message.
_NAMED_KINDS = frozenset("opleiding opleidingen kwalificatie variant versie richting programme course qualification".split())
# A partial name ("de commerciële variant", "comm. technicus eng") is a few words: every word
# that is no filler must abbreviate the one record's name, whose longest has four words.
MAX_PARTIAL_NAME_WORDS = 6
# Ordinals that are also part of a name: "die eerste" points at a list, "eerste monteur" names one.
_ORDINAL_WORDS = frozenset({"eerste", "1e", "first", "1st"})


def name_word(word: str) -> str:
    """A Dutch inflection folded to the form names use: "commerciële" → "commercieel"; an English
    plural to the singular of the aliases: "technicians" → "technician", "employees" → "employee"."""
    if word.endswith("iele"):
        return word[:-4] + "ieel"
    if word.endswith(("ians", "ees")):
        return word[:-1]
    return word


# Dutch spelling variants folded before fuzzy matching: "mechatroniek", "mechatronika" and
# "mechatronica" are one word; so are "produktie" and "productie".
_SPELLING_VARIANTS = ((re.compile(r"(iek|ika|ica)\b"), "ik"), (re.compile(r"c(?=[^eiy]|$)"), "k"), (re.compile(r"ph"), "f"))


def spelling_key(text: str) -> str:
    for pattern, replacement in _SPELLING_VARIANTS:
        text = pattern.sub(replacement, text)
    return text


def record_number(record: Record) -> str:
    return record.crebo if isinstance(record, Qualification) else record.number


@dataclass(frozen=True)
class NameMatch:
    """The outcome of a name search: one record, several candidates, or nothing."""

    record: Optional[Record] = None
    candidates: Tuple[Record, ...] = ()

    @property
    def is_ambiguous(self) -> bool:
        return self.record is None and len(self.candidates) > 1


class KnowledgeIndex:
    """Search over a validated `Dataset`."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._records: List[Record] = [*dataset.qualifications, *dataset.dossiers]
        # Each normalised name or alias → its record.
        self._names: Dict[str, Record] = {}
        for record in self._records:
            for name in (record.name, *record.aliases):
                self._names[normalise(name)] = record
        # The words of each record's name, then of each of its aliases (the English glosses).
        self._name_words = [(record, normalise(record.name).split()) for record in self._records]
        self._alias_words = [(record, normalise(alias).split(), normalise(record.name).replace(" ", ""))
                             for record in self._records for alias in record.aliases]

        # The longer words of the names, for typos the fuzzy match scores too low ("mechatroncia").
        self._name_vocabulary = frozenset(word for name in self._names for word in name.split() if len(word) >= _SWAP_MIN)

    def by_number(self, number: str) -> Optional[Record]:
        return self.dataset.qualification(number) or self.dataset.dossier(number)

    def with_swaps_undone(self, text: str) -> str:
        """'zonder mechatroncia' → 'zonder mechatronica': a word that is a name's word with two
        neighbouring letters swapped, the commonest typo, is read as that word (in a short name
        one swap costs the fuzzy match too much; and "zonder …" must find the name where it stands)."""
        def undone(match: "re.Match[str]") -> str:
            word = match.group(0).lower()
            if len(word) < _SWAP_MIN or word in self._name_vocabulary:
                return match.group(0)
            swaps = (word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1))
            return next((swap for swap in swaps if swap in self._name_vocabulary), match.group(0))
        return _LETTERS.sub(undone, text)

    def find(self, text: str) -> NameMatch:
        words = normalise(text).split()
        if not words:
            return NameMatch()
        contained, fuzzy = self._contained(words), self._fuzzy(words)
        fuzzy_match = NameMatch(record=fuzzy[0]) if fuzzy else None
        # "allround medewerkr productietechniek" contains the dossier's name, but the
        # typo'd qualification name explains more of the text: prefer it.
        if contained and contained.record and fuzzy and fuzzy[0] is not contained.record:
            if fuzzy[1] > len(normalise(contained.record.name).replace(" ", "")) and _typed_extra_words(
                    words, fuzzy[0], contained.record):
                return fuzzy_match  # type: ignore[return-value]
        if contained and contained.record:
            longer = self._abbreviated_longer_name(words, contained.record) or self._longer_name_by_a_word(words, contained.record)
            if longer is not None:
                return NameMatch(record=longer)
        return (contained or self._partial(words) or self._leading_words_of_a_name(words) or fuzzy_match
                or self._a_word_and_its_kind(words) or NameMatch())

    def _leading_words_of_a_name(self, words: List[str]) -> Optional[NameMatch]:
        """In a longer message, the first two or more words of one name, in a row, name that record: "welke kan
        doorstromen naar eerste monteur?", "is allround medewerker zwaar?" (no other name begins so)."""
        padded = f" {' '.join(words)} "
        found: List[Record] = []
        for record, name_words in self._name_words:
            leading = [name_words[:size] for size in range(2, len(name_words))]
            if any(f" {' '.join(words_)} " in padded for words_ in leading) and record not in found:
                found.append(record)
        others = {record for record, name_words in self._name_words if record not in found
                  and any(f" {' '.join(name_words[:size])} " in padded for size in range(2, len(name_words) + 1))}
        return NameMatch(record=found[0]) if len(found) == 1 and not others else None

    def _a_word_and_its_kind(self, words: List[str]) -> Optional[NameMatch]:
        """In a longer message, a word of one name right before what it is names that record: "hebben
        jullie ook die allround opleiding?", "iets met die research-variant" (not "de eerste opleiding":
        a position; not a word several names share: "een technische opleiding")."""
        found: List[Record] = []
        for word, kind in zip(words, words[1:]):
            if kind not in _NAMED_KINDS or word in FILLER_WORDS or word in _ORDINAL_WORDS or len(word) < 5:
                continue
            match = self._partial([word])
            if match is not None and match.record is not None and match.record not in found:
                found.append(match.record)
        return NameMatch(record=found[0]) if len(found) == 1 else None

    def _longer_name_by_a_word(self, words: List[str], found: Record) -> Optional[Record]:
        """'een commerciële engineeringopleiding' is Commercieel technicus engineering, not the dossier
        Engineering: another word of the message, in any inflection, belongs to one longer name only
        that holds the name found (never an ordinal: "de eerste van mechatronica" is a position)."""
        found_words = set(normalise(found.name).split())
        # The words each longer name holding the name found adds to it, per record (its name and aliases).
        added: Dict[Record, Set[str]] = {}
        for name, record in self._names.items():
            if record is not found and found_words < set(name.split()):
                added.setdefault(record, set()).update(set(name.split()) - found_words)
        typed = [w for i, w in enumerate(words) if len(w) >= 5 and w not in FILLER_WORDS and w not in _ORDINAL_WORDS
                 and w not in found_words and not _NEGATIONS & set(words[max(0, i - 2):i])]  # "(niet de commerciële)"

        def resembles(word: str, extras: Set[str]) -> bool:
            return any(similar(word, extra, _INFLECTED) for extra in extras)

        meant = _unique(record for word in typed for record in added
                        if resembles(word, added[record] - _ORDINAL_WORDS)
                        and not any(resembles(word, added[other]) for other in added if other is not record))
        return meant[0] if len(meant) == 1 else None

    def _abbreviated_longer_name(self, words: List[str], found: Record) -> Optional[Record]:
        """'comm. technicus engineering' is Commercieel technicus engineering, not Technicus
        engineering: the words before a name abbreviate the first words of a longer one."""
        padded = f" {' '.join(words)} "
        for name in (normalise(n) for n in (found.name, *found.aliases)):
            at = padded.find(f" {name} ")
            if at < 0:
                continue
            before = padded[:at].split()
            for longer_name, longer in self._names.items():
                if longer is found or not longer_name.endswith(f" {name}"):
                    continue
                extra = longer_name[: -len(name)].split()
                typed = before[-len(extra):] if len(before) >= len(extra) else []
                if typed and all(len(w) >= 3 and full.startswith(w) for w, full in zip(typed, extra)):
                    return longer
        return None

    def find_all(self, text: str) -> NameMatch:
        """Every record the text names in full ("valt Technicus mechatronica onder Engineering?"
        names two), in the order named; else what `find` finds."""
        padded = f" {normalise(text)} "
        hits = sorted(
            ((padded.find(f" {name} "), len(name), record) for name, record in self._names.items() if f" {name} " in padded),
            key=lambda hit: -hit[1],
        )
        chosen: List[Tuple[int, int, Record]] = []
        for start, length, record in hits:  # longest first; a name inside a longer one does not count
            if all(start + length <= other or other + size <= start for other, size, _ in chosen):
                chosen.append((start, length, record))
        records = _unique(record for _, _, record in sorted(chosen, key=lambda hit: hit[0]))
        return NameMatch(candidates=tuple(records)) if len(records) > 1 else self.find(text)

    def _contained(self, words: List[str]) -> Optional[NameMatch]:
        padded, compact = f" {' '.join(words)} ", "".join(words)
        compounds = _split_compounds(words)
        hits = []
        for name, record in self._names.items():
            joined = name.replace(" ", "")
            if f" {name} " in padded or (len(name) > 8 and (joined in compact or (name == joined and joined in compounds))):
                hits.append((len(name), record))
        if not hits:
            return None
        # The longest name wins: "technicus mechatronica" over the dossier "mechatronica".
        longest = max(length for length, _ in hits)
        records = _unique(record for length, record in hits if length == longest)
        return NameMatch(record=records[0]) if len(records) == 1 else NameMatch(candidates=tuple(records))

    def _partial(self, words: List[str]) -> Optional[NameMatch]:
        # Each word once: a repeated word names nothing more, and a partial name is a few words.
        meaningful = list(dict.fromkeys(name_word(w) for w in words
                                        if w not in FILLER_WORDS and w not in _KIND_WORDS and w not in _PARTIAL_FILLER))
        if not meaningful or len(meaningful) > MAX_PARTIAL_NAME_WORDS or all(word in _ORDINAL_WORDS for word in meaningful):
            return None
        # Of the names first; of the aliases only when no name fits ("technician": the English
        # glosses), and only by words the name lacks: "instrumentmaker" is a near miss of
        # Researchinstrumentmaker, not a part of its alias "research instrumentmaker".
        records = _unique(
            record
            for record, name_words in self._name_words
            if all(_abbreviates(word, name_words) for word in _joined_abbreviations(meaningful, name_words))
        ) or _unique(
            record
            for record, alias_words, compact_name in self._alias_words
            if all(_abbreviates(word, alias_words) and word not in compact_name for word in meaningful)
        )
        if not records:
            return None
        return NameMatch(record=records[0]) if len(records) == 1 else NameMatch(candidates=tuple(records))

    def _fuzzy(self, words: List[str]) -> Optional[Tuple[Record, int]]:
        """Best typo-tolerant match and the length of the text it explains."""
        # Filler words are in no name: "onder mechatronica" must not resemble "monteur mechatronica".
        # Dutch ones are left out of a run of words; English ones end it, so that "productietechniek
        # a four year course" does not join "productietechniek" and "four" into one window.
        spelt = {word: spelling_key(word) for word in set(words)}  # each distinct word once
        keyed: List[List[str]] = [[]]
        for word in words:
            if word in _ENGLISH_FILLER_WORDS:
                if keyed[-1]:
                    keyed.append([])
            elif word not in _DUTCH_FILLER_WORDS:
                keyed[-1].append(spelt[word])
        windows: Dict[int, Dict[int, List[str]]] = {}  # width → length → the distinct windows of that length
        best: Optional[Tuple[float, int, Record]] = None
        for name, record in self._names.items():
            name_words = [w for w in name.split() if w not in FILLER_WORDS]
            target, size = spelling_key(" ".join(name_words)).replace(" ", ""), len(name_words)
            matcher = SequenceMatcher(None, "", target)  # caches its analysis of `target`
            # Only windows of about the target's length can reach the threshold (real_quick_ratio).
            shortest = int(FUZZY_THRESHOLD * len(target) / (2 - FUZZY_THRESHOLD))
            longest = int(len(target) * (2 - FUZZY_THRESHOLD) / FUZZY_THRESHOLD) + 1
            for width in sorted({max(1, size - 1), size, size + 1}):
                by_length = windows.get(width)
                if by_length is None:
                    by_length = windows[width] = _windows_by_length(keyed, width)
                for length in range(shortest, longest + 1):
                    for window in by_length.get(length, ()):
                        matcher.set_seq1(window)
                        if matcher.quick_ratio() < FUZZY_THRESHOLD:
                            continue
                        score = matcher.ratio()
                        if score < FUZZY_THRESHOLD:
                            continue
                        # Rank by characters explained, so "eerste monteur mechatronika" is
                        # Eerste monteur, not Monteur.
                        weight = score * len(window)
                        if best is None or weight > best[0]:
                            best = (weight, len(window), record)
        return (best[2], best[1]) if best else None


def _split_compounds(words: List[str]) -> FrozenSet[str]:
    """A Dutch compound name written apart, in either order and in the plural: "instrumentmakers
    in de research" → "researchinstrumentmaker" (and "instrumentmakerresearch")."""
    forms = [_forms(w) for w in words if w not in FILLER_WORDS]
    return frozenset(first + second for a, b in zip(forms, forms[1:])
                     for x in a for y in b for first, second in ((x, y), (y, x)))


def _forms(word: str) -> Tuple[str, ...]:
    """The word, and without a plural -s: 'instrumentmakers' → 'instrumentmaker' ('technicus' stays too)."""
    return (word, word[:-1]) if len(word) > 6 and word.endswith("s") else (word,)


def _windows_by_length(runs: List[List[str]], width: int) -> Dict[int, List[str]]:
    """Each distinct run of `width` words within a run of the text, joined, by its length: a text
    of many words is compared once per distinct window, and only with names of about that length."""
    by_length: Dict[int, Dict[str, None]] = {}
    for keyed_words in runs:
        for start in range(0, max(1, len(keyed_words) - width + 1)):
            window = "".join(keyed_words[start:start + width])
            by_length.setdefault(len(window), {})[window] = None
    return {length: list(found) for length, found in by_length.items()}


def _typed_extra_words(words: List[str], longer: Record, contained: Record) -> bool:
    """Whether the words a longer name has beyond a name found in full are in the text, typed
    or mistyped: "allround medewerkr productietechniek" is Allround medewerker productietechniek,
    but "kan ik dan wel monteur mechatronica worden" is not Eerste monteur mechatronica. Of the
    longer record's name or of one of its aliases: "the mechatronics technican" is Technicus
    mechatronica (alias "mechatronics technician"), not the dossier (alias "mechatronics")."""
    # (not the words of the name found itself: "productietechniek" is no typo of Productietechnicus)
    own_words = {w for own in (contained.name, *contained.aliases) for w in normalise(own).split()}
    typed_words = {spelling_key(typed) for typed in words if typed not in own_words}  # each distinct word once
    for name in (longer.name, *longer.aliases):
        extra = [spelling_key(w) for w in normalise(name).split() if w not in own_words]
        if extra and all(any(similar(w, typed, 0.8) for typed in typed_words) for w in extra):
            return True
    return False


def similar(a: str, b: str, threshold: float) -> bool:
    matcher = SequenceMatcher(None, a, b)
    return (matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold
            and matcher.ratio() >= threshold)


def _abbreviates(word: str, name_words: List[str]) -> bool:
    """'comm' for 'commercieel', 'allr' for 'allround': a word of the name, or its start (3+ letters)."""
    return word in name_words or (len(word) >= 3 and any(w.startswith(word) and w != word for w in name_words)
                                  and word not in FILLER_WORDS)


def _joined_abbreviations(words: List[str], name_words: List[str]) -> List[str]:
    """'prod technicus' → 'productietechnicus' where one name word starts and ends with the pair."""
    joined, i = [], 0
    while i < len(words):
        pair = words[i:i + 2]
        whole = next((w for w in name_words if len(pair) == 2 and len(pair[0]) >= 3 and w.startswith(pair[0])
                      and w.endswith(pair[1]) and len(w) > len(pair[0]) + len(pair[1])), None)
        joined.append(whole or words[i])
        i += 2 if whole else 1
    return joined


def _unique(records) -> List[Record]:
    seen, result = set(), []
    for record in records:
        if record_number(record) not in seen:
            seen.add(record_number(record))
            result.append(record)
    return result


@lru_cache(maxsize=None)
def knowledge_index() -> KnowledgeIndex:
    """The index over the bundled dataset, built once per process."""
    return KnowledgeIndex(load_dataset())
