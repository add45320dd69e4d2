"""Which records of a list just shown a message points at.

After "welke opleidingen zijn er op niveau 4?" people go on with "die commerciële", "de
laatste", "die van Engineering", "wat is de crebo van de hoogste?" or, after the dossiers,
"het dossier met twee kwalificaties". The list is remembered (slot `shown_list`,
actions/lookups.py); this resolves a reference against it, by
- position: "de eerste", "die laatste", "nummer 2";
- level: "die van niveau 2", "de mbo-3";
- highest or lowest level: "de hoogste", "die laagste";
- a property: "het dossier met twee kwalificaties", "het grootste dossier";
- a word of one name that the others lack: "die commerciële", "de research-variant",
  "die met productie".
Rasa-free: the Rasa server routes by it and the action server answers by it.
"""
from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

from bot.knowledge.models import Dataset, Dossier, Qualification
from bot.knowledge.search import FILLER_WORDS, Record, name_word
from bot.text import normalise, parse_levels

_MIDDLE = "middelste"
_ORDINALS = {"eerste": 0, "1e": 0, "bovenste": 0, "tweede": 1, "2e": 1, "derde": 2, "3e": 2, "vierde": 3, "4e": 3,
             "vijfde": 4, "laatste": -1, "onderste": -1, "voorlaatste": -2, "eerstgenoemde": 0,
             "laatstgenoemde": -1, "bovenaan": 0, "onderaan": -1}
# After an ordinal, words that keep it a pointer ("de eerste uit de lijst", "de tweede van niveau 4");
# any other word makes it part of something else ("de eerste diploma's", "eerste monteur").
_AFTER_ORDINAL = frozenset("uit van in op bij is heeft duurt zit hoort en dan ook nog nou eigenlijk echt al daarvan ervan "
                           "hiervan die dat wat welk welke "
                           "kwalificatie opleiding variant optie dossier richting genoemd genoemde noemde".split())
_NUMBERED = re.compile(r"\b(nummer|nr|no)\s*(?P<n>[1-9])\b")
# "de bovenste qua niveau" is the highest level, not the first of the list.
_HIGHEST = re.compile(r"\b(hoogst\w*|moeilijkst\w*|zwaarst\w*)\b|\bbovenste qua\b")
_LOWEST = re.compile(r"\b(laagst\w*|makkelijkst\w*|eenvoudigst\w*|lichtst\w*)\b|\bonderste qua\b")
_COUNT_WORDS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5}
_WITH_COUNT = re.compile(r"\bmet (?:maar |slechts |precies |ook |wel |de |)(?P<n>[1-9]|een|twee|drie|vier|vijf) "
                         r"(kwalificaties?|opleidingen|richtingen|varianten|crebo\w*)\b")
# "welk dossier …", "het dossier met …", "die stroming …": one dossier asked for by a property.
_DOSSIER_WORDS = re.compile(r"\b(welk|welke|het|dat|die|de|een) (kwalificatiedossier|dossier|stroming|hoofdstroming|"
                            r"hoofdstroom|richting)\b")
_MOST = re.compile(r"\b(grootste|meeste|breedste)\b")
_FEWEST = re.compile(r"\b(kleinste|minste|smalste)\b")
# Words that never single out a name, even when only one name of the list has them.
_NOT_DISTINCTIVE = FILLER_WORDS | frozenset(
    "en of met uit lijst daarvan ervan hiervan welke variant versie richting soort type kant dan ook nou nog eens "
    "crebo crebonummer nummer niveau duurt lang jaar hoeveel kwalificaties opleidingen zijn er wordt".split())


def _level_of(record: Record, dataset: Dataset) -> Optional[int]:
    return int(record.level) if isinstance(record, Qualification) else None


def by_position(words: List[str], shown: Sequence[Record]) -> Optional[Tuple[Record, ...]]:
    # In the overview (dossiers and qualifications) a position counts what was asked for, listed first.
    shown = [r for r in shown if isinstance(r, type(shown[0]))]
    if _MIDDLE in words and len(shown) % 2 == 1:
        return (shown[len(shown) // 2],)
    for i, word in enumerate(words):
        if word in _ORDINALS and (i + 1 == len(words) or words[i + 1] in _AFTER_ORDINAL):
            if word == "eerste" and "monteur" in words:
                continue  # "eerste monteur" is a name
            position = _ORDINALS[word]
            if -len(shown) <= position < len(shown):
                return (shown[position],)
    numbered = _NUMBERED.search(" ".join(words))
    if numbered and int(numbered.group("n")) <= len(shown):
        return (shown[int(numbered.group("n")) - 1],)
    return None


def by_level(text: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    levels = parse_levels(text)
    if not levels:
        return None
    return tuple(r for r in shown if _level_of(r, dataset) in levels)


def by_extreme_level(clean: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    levels = [_level_of(r, dataset) for r in shown]
    if None in levels:
        return None
    if _HIGHEST.search(clean):
        return tuple(r for r, level in zip(shown, levels) if level == max(levels))
    if _LOWEST.search(clean):
        return tuple(r for r, level in zip(shown, levels) if level == min(levels))
    return None


_NONE_AT = re.compile(r"\b(geen|zonder|niet)\b")
_ONLY_AT = re.compile(r"\b(alleen|alle|allemaal|enkel|uitsluitend)\b")


def by_property(clean: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    dossiers = [r for r in shown if isinstance(r, Dossier)]
    if not dossiers:
        return None
    levels = parse_levels(clean)
    if levels and "dossier" in clean:  # "welk dossier heeft geen niveau 2?", "… zijn alle opleidingen niveau 4?"
        at = {d.number: {int(q.level) for q in dataset.qualifications_in(d.number)} for d in dossiers}
        if _NONE_AT.search(clean):
            found = tuple(d for d in dossiers if levels[0] not in at[d.number])
        elif _ONLY_AT.search(clean):
            found = tuple(d for d in dossiers if at[d.number] == {levels[0]})
        else:
            found = tuple(d for d in dossiers if levels[0] in at[d.number])
        return found if len(found) < len(dossiers) else None  # every dossier: no dossier singled out
    sizes = {d.number: len(dataset.qualifications_in(d.number)) for d in dossiers}
    counted = _WITH_COUNT.search(clean)
    if counted:
        n = counted.group("n")
        wanted = int(n) if n.isdigit() else _COUNT_WORDS[n]
        return tuple(d for d in dossiers if sizes[d.number] == wanted)
    if _MOST.search(clean):
        return tuple(d for d in dossiers if sizes[d.number] == max(sizes.values()))
    if _FEWEST.search(clean):
        return tuple(d for d in dossiers if sizes[d.number] == min(sizes.values()))
    return None


def by_distinctive_word(words: List[str], shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    """Records of the list whose name has a word of the message that not all of them have."""
    in_the_name = "naam" in words  # "die met productie in de naam": the name itself, not its dossier's

    def names(record: Record) -> List[str]:
        own = [normalise(name) for name in (record.name, *record.aliases)]
        if isinstance(record, Qualification) and not in_the_name:
            own.append(normalise(dataset.dossier_of(record).name))  # "die van Engineering"
        return own

    found: Optional[Tuple[Record, ...]] = None
    for word in (name_word(w) for w in words):
        stem = word[:-1] if word.endswith("s") and len(word) > 6 else word  # "instrumentmakers"
        if stem in _NOT_DISTINCTIVE or len(stem) < 4:
            continue
        hits = tuple(r for r in shown if any(_in_name(stem, name) for name in names(r)))
        if hits and len(hits) < len(shown):
            found = hits if found is None else tuple(r for r in found if r in hits) or found
    return found  # every distinctive word narrows: "die van engineering, de commerciële"


def _in_name(stem: str, name: str) -> bool:
    """A word of the name, part of a joined name ("research" in researchinstrumentmaker), or
    the start of a name word ("comm", "prod")."""
    return (stem in name.split() or (len(stem) >= 6 and stem in name.replace(" ", ""))
            or any(word.startswith(stem) for word in name.split()))


_NEGATED = re.compile(r"\b(niet|geen|behalve|zonder)\s+(?:de|die|het|dat)?\s*(?P<word>\w{4,})")


def negated(text: str, shown: Sequence[Record], dataset: Dataset) -> Tuple[Record, ...]:
    """'de andere, dus niet de commerciële', 'die niet commercieel is': the records ruled out."""
    ruled_out: List[Record] = []
    for match in _NEGATED.finditer(normalise(text)):
        hits = by_distinctive_word([match.group("word")], shown, dataset) or ()
        ruled_out += [r for r in hits if r not in ruled_out]
    return tuple(ruled_out)


# How a reference was resolved: by a word of a name (weak: the word may be meant otherwise),
# or by position, level or property (strong: "welk dossier heeft geen niveau 2?").
BY_WORD = "word"
BY_STRUCTURE = "structure"


def resolve_reference(text: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Tuple[Record, ...], str]]:
    """The records of `shown` the message points at and how; None when it points at none."""
    if not shown:
        return None
    clean = normalise(text)
    ruled_out = negated(text, shown, dataset)
    remaining = [r for r in shown if r not in ruled_out]
    # The words of a negation ("niet de commerciële") point at nothing themselves.
    words = normalise(_NEGATED.sub(" ", clean)).split()
    if "naam" in words:  # "welke heeft 'eerste' in de naam?": a word of the name, not a position
        found = by_distinctive_word(words, remaining, dataset)
        return (found, BY_WORD) if found else None
    position = by_position(words, remaining) if remaining else None
    if position:
        return position, BY_STRUCTURE
    # Each kind of pointer narrows the list: "de enige niveau 4 bij mechatronica" is level and word.
    narrowed, how = list(remaining), None
    for find, kind in ((lambda rs: by_extreme_level(clean, rs, dataset), BY_STRUCTURE),
                       (lambda rs: by_property(clean, rs, dataset), BY_STRUCTURE),
                       (lambda rs: by_distinctive_word(words, rs, dataset), BY_WORD),
                       (lambda rs: by_level(text, rs, dataset), BY_STRUCTURE)):
        found = find(narrowed) if narrowed else None
        if found and len(found) < len(narrowed):  # a pointer that fits the whole list points at nothing
            narrowed, how = list(found), how or kind
    if how is None and ruled_out and len(remaining) < len(shown):
        return (tuple(remaining), BY_STRUCTURE) if remaining else None  # "de andere, dus niet de commerciële"
    return (tuple(narrowed), how) if how else None


def property_query(text: str, dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    """Without a list shown: 'het dossier met vier kwalificaties', 'welk dossier heeft geen niveau 2?'
    ask the dataset's dossiers by a property. Only when it asks for one dossier ("welk dossier",
    "het dossier met …"): "de meeste studenten" and "over alle dossiers heen" are no such question."""
    clean = normalise(text)
    if not (_DOSSIER_WORDS.search(clean) or _WITH_COUNT.search(clean)):
        return None
    return by_property(clean, dataset.dossiers, dataset) or None


def resolve(text: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    """The records of `shown` the message points at; None when it points at none of them."""
    resolved = resolve_reference(text, shown, dataset)
    return resolved[0] if resolved else None
