"""Which records of a list just shown a message points at.

After "welke opleidingen zijn er op niveau 4?" people go on with "die commerciële", "de
laatste", "die van Engineering", "wat is de crebo van de hoogste?" or, after the dossiers,
"het dossier met twee kwalificaties"; in English "the commercial one", "the last one", "the
highest", "the level 2 one", "the dossier with two qualifications". The list is remembered
(slot `shown_list`, actions/lookups.py); this resolves a reference against it, by
- position: "de eerste", "die laatste", "nummer 2", "de op één na laatste", "de tweede en de
  derde", "de laatste twee"; "the first one", "the last", "number 2", "second to last";
- the whole list: "beide", "allebei", "alle drie"; "both"; and "van de drie" picks the part of
  the list of that many (in the overview: the dossiers);
- level: "die van niveau 2", "de mbo-3"; "the level 2 one";
- highest or lowest level: "de hoogste", "die laagste"; "the highest", "the easiest";
- a property: "het dossier met twee kwalificaties", "het grootste dossier"; "the one with two
  qualifications", "the biggest dossier";
- a word of one name that the others lack, also mistyped or with its dossier's name or number:
  "die commerciële", "de research-variant", "die allrond", "welke valt onder 23361"; "the
  commercial one" (through the English aliases of the names);
- what it is not: "niet die van mechatronica", "de andere, dus niet de commerciële"; a
  correction in the same message ("…? nee, ik bedoel de andere").
Pointing words are a closed vocabulary in both languages; the names are the dataset's.
Rasa-free: the Rasa server routes by it and the action server answers by it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from bot.knowledge.models import Dataset, Dossier, Qualification
from bot.knowledge.nouns import COUNTS_DOSSIERS
from bot.knowledge.search import FILLER_WORDS, Record, name_word, similar
from bot.text import NEGATION_WORDS, level_words_in_order, normalise, number_value, parse_levels

_MIDDLE = frozenset({"middelste", "midden", "middle"})  # ("degene in het midden")
_ORDINALS = {"eerste": 0, "1e": 0, "bovenste": 0, "tweede": 1, "2e": 1, "derde": 2, "3e": 2, "vierde": 3, "4e": 3,
             "vijfde": 4, "laatste": -1, "onderste": -1, "voorlaatste": -2, "eerstgenoemde": 0,
             "laatstgenoemde": -1, "bovenaan": 0, "onderaan": -1,
             "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "fifth": 4,
             "5th": 4, "last": -1, "final": -1, "bottom": -1, "penultimate": -2, "former": 0, "latter": -1,
             "topmost": 0}
# After an ordinal, words that keep it a pointer ("de eerste uit de lijst", "de tweede van niveau 4");
# any other word makes it part of something else ("de eerste diploma's", "eerste monteur").
_AFTER_ORDINAL = frozenset("uit van in op bij is heeft duurt zit hoort en dan ook nog nou eigenlijk echt al daarvan ervan "
                           "hiervan die dat wat welk welke "
                           "kwalificatie opleiding variant optie dossier richting genoemd genoemde noemde "
                           "one ones from of in on at is has does takes sits belongs and then also again now actually "
                           "really of them which what qualification programme program course option track mentioned "
                           "listed named you "
                           # a question goes on after it: "de laatste, hoe lang duurt die?", "de onderste crebo nr?"
                           "hoe hoelang hoeveel welk wanneer waar waarom wie crebo crebonummer crebonr nummer nr niveau nivo "
                           "dossiernummer kwalificaties kwals duur duren kost kosten zitten valt vallen hoort horen zijn "
                           "hebben graag ajb aub pls please aan af mee toe "
                           "how when where who why crebo number level lasts last take cost costs".split())
# "de op één na laatste", "second to last": an ordinal said in several words, read as one.
_PHRASED_ORDINALS = ((re.compile(r"\b(op )?(een|1) na (de )?laatste\b|\bsecond (to|from) (the )?last\b|\bnext to last\b"),
                      "voorlaatste"),
                     (re.compile(r"\b(op )?(een|1) na (de )?eerste\b|\bsecond from (the )?top\b"), "tweede"),
                     # "de allerlaatste uit dat rijtje", "de allereerste": the last, the first
                     (re.compile(r"\baller(?=(eerste|laatste|bovenste|onderste|hoogste|laagste)\b)"), ""))
_NUMBERED = re.compile(r"\b(nummer|nr|no|number|num)\s*(?P<n>[1-9])\b"
                       r"|\b(nummer|number)\s+(?P<word>een|twee|drie|vier|vijf|one|two|three|four|five)\b")
# "de laatste twee", "the first three": a run at one end of the list.
_FIRST_OR_LAST_FEW = re.compile(r"\b(?P<end>eerste|laatste|bovenste|onderste|first|last|top|bottom) "
                                r"(?P<n>2|3|4|twee|drie|vier|two|three|four)\b(?! (jaar|jaren|niveaus?|years?|levels?)\b)")
# "de bovenste qua niveau" is the highest level, not the first of the list.
_HIGHEST = re.compile(r"\b(hoogst\w*|moeilijkst\w*|zwaarst\w*)\b|\bbovenste qua\b"
                      r"|\b(highest|hardest|toughest|most (difficult|advanced|demanding))\b")
_LOWEST = re.compile(r"\b(laagst\w*|makkelijkst\w*|eenvoudigst\w*|lichtst\w*)\b|\bonderste qua\b"
                     r"|\b(lowest|easiest|simplest|most basic|least (difficult|demanding))\b")
_WITH_COUNT = re.compile(r"\bmet (?:maar |slechts |precies |ook |wel |de |)(?P<n>[1-9]|een|twee|drie|vier|vijf) "
                         r"(kwalificaties?|opleidingen|richtingen|varianten|crebo\w*)\b"
                         r"|\b(?:with|has|have|having|contains?|containing) (?:only |just |exactly |also |the |)"
                         r"(?P<english>[1-9]|one|two|three|four|five) (qualifications?|quals?|programmes?|programs?|courses?|"
                         r"variants?|crebo\w*)\b"
                         # "het dossier dat maar drie kwalificaties telt"
                         r"|\b(?:dat|die|wat|that|which) (?:maar |slechts |precies |only |just |exactly |)"
                         r"(?P<relative>[1-9]|een|twee|drie|vier|vijf|one|two|three|four|five) "
                         r"(?:kwalificaties?|opleidingen|richtingen|qualifications?|programmes?) (?:telt|heeft|bevat|kent|has|holds|contains)\b"
                         # "welk van die dossiers heeft er precies drie?"
                         r"|\b(?:heeft|bevat|telt|kent) er (?:maar |slechts |precies |)(?P<has>[1-9]|een|twee|drie|vier|vijf)\b"
                         # "het dossier waar maar twee kwalificaties in zitten", "waarin er drie zitten"
                         r"|\b(?:waar|waarin) (?:er |)(?:maar |slechts |precies |)(?P<where>[1-9]|een|twee|drie|vier|vijf) "
                         r"(?:kwalificaties?|opleidingen|richtingen)?\s?(?:in )?(?:zitten|zit|vallen|staan)\b"
                         # "die met vier", "the one with three": a size without its noun
                         r"|\b(?:die|dat|het|de|one|the one) (?:met|with) (?:maar |slechts |precies |only |just |exactly |)"
                         r"(?P<bare>[1-9]|een|twee|drie|vier|vijf|one|two|three|four|five)\b"
                         r"(?! (?:jaar|jaren|niveaus?|years?|levels?|keuzedel\w*)\b)"
                         # "welke daarvan heeft maar twee kwalificaties?"
                         r"|\b(?:heeft|hebben|bevat|bevatten|telt|tellen|kent|kennen|has|have|holds?|contains?) (?:er |)"
                         r"(?:maar |slechts |precies |only |just |exactly |)(?P<has_noun>[1-9]|een|twee|drie|vier|vijf|one|two|three|"
                         r"four|five) (?:kwalificaties?|opleidingen|richtingen|varianten|qualifications?|programmes?)\b")
# "welke daarvan hebben een nivo 2?", "welke heeft geen niveau 2?" after the dossiers (and their qualifications):
# which have that level, or lack it.
_HAS_A_LEVEL = re.compile(r"\b((heeft|hebben|bevat|bevatten|has|have) (een |a |zowel |both |geen |no |(alleen |enkel |uitsluitend |slechts )?maar |"
                          r"alleen |enkel |uitsluitend |only )?|zonder |without )"
                          r"(niveau|nivo|level|mbo) ?[1-4]\b")
# "met precies één niveau 4", "with two level 4 qualifications": how many it has at a level.
_COUNT_AT_LEVEL = re.compile(r"\b(?:met|heeft|hebben|telt|tellen|bevat|bevatten|with|has|have) "
                             # "een" only after "maar"/"precies": "welke hebben een niveau 4?" asks which have one
                             r"(?:(?:maar|slechts|precies|only|just|exactly) (?P<n>[1-5]|een|twee|drie|vier|one|two|three|four)"
                             r"|(?P<digits>[1-5]|twee|drie|vier|two|three|four)) (?:(?:kwalificaties?|opleidingen|opleiding|"
                             r"qualifications?|programmes?) (?:op|at|on) )?(?:niveau|nivo|level|mbo) ?[1-4]\b")
# "meer dan twee kwalificaties", "at least three qualifications": a size compared.
_COMPARED_COUNT = re.compile(r"\b(?P<how>meer dan|minder dan|minstens|ten minste|tenminste|hooguit|maximaal|more than|"
                             r"fewer than|less than|at least|at most) (?P<n>[1-9]|een|twee|drie|vier|vijf|one|two|three|four|five) "
                             r"(?:kwalificaties?|opleidingen|richtingen|varianten|qualifications?|programmes?)\b")
_COMPARISONS = {"meer dan": int.__gt__, "more than": int.__gt__, "minder dan": int.__lt__, "fewer than": int.__lt__,
                "less than": int.__lt__, "minstens": int.__ge__, "ten minste": int.__ge__, "tenminste": int.__ge__,
                "at least": int.__ge__, "hooguit": int.__le__, "maximaal": int.__le__, "at most": int.__le__}
# "welk dossier …", "het dossier met …", "die stroming …"; "which dossier …", "the file with …":
# one dossier asked for by a property.
_DOSSIER_WORDS = re.compile(r"\b(welk|welke|het|dat|die|de|een) (kwalificatiedossier|dossier|kd|stroming|hoofdstroming|"
                            r"hoofdstroom|richting)\b|\b(which|what|the|that|this|a) (qualification file|kwalificatiedossier|"
                            r"dossier|file|main stream|stream)\b")
# A message about dossiers ("welk dossier heeft geen niveau 2?", "which file has no level 2?").
_ABOUT_DOSSIERS = re.compile(r"dossier|\bkd\b|\bfiles?\b")
_MOST = re.compile(r"\b(grootste?|meeste|breedste?)\b|\b(largest|biggest|broadest|widest)\b"
                   r"|\bmost\b(?! (difficult|advanced|demanding|basic)\b)")
_FEWEST = re.compile(r"\b(kleinste?|minste|smalste?)\b|\b(smallest|fewest|narrowest)\b|(?<!at )\bleast\b")
# Words that never single out a name, even when only one name of the list has them.
_NOT_DISTINCTIVE = FILLER_WORDS | frozenset(
    "en of met uit lijst daarvan ervan hiervan welke variant versie richting soort type kant dan ook nou nog eens "
    "crebo crebonummer nummer niveau duurt lang jaar hoeveel kwalificaties opleidingen zijn er wordt "
    "with from list them which variant version track kind type side then also again the one ones number level "
    "take takes long year years many qualification qualifications programme programmes program programs course "
    "courses are there dossier dossiers file files".split())


def _level_of(record: Record, dataset: Dataset) -> Optional[int]:
    return int(record.level) if isinstance(record, Qualification) else None


# Per dataset (keyed by identity: a Dataset holds a dict and is not hashable); the dataset is
# kept with its words so that an id is never reused while its entry lives.
_WORDS_AFTER_ORDINALS: Dict[int, Tuple[Dataset, Dict[str, FrozenSet[str]]]] = {}


def words_after_ordinals(dataset: Dataset) -> Dict[str, FrozenSet[str]]:
    """'eerste' → {'monteur'}, 'first' → {'mechatronics'}: the word after an ordinal that begins a
    name or alias ("Eerste monteur mechatronica", "first mechatronics fitter"). Worked out once
    per dataset."""
    cached = _WORDS_AFTER_ORDINALS.get(id(dataset))
    if cached is None or cached[0] is not dataset:
        cached = _WORDS_AFTER_ORDINALS[id(dataset)] = (dataset, _words_after_ordinals(dataset))
    return cached[1]


def _words_after_ordinals(dataset: Dataset) -> Dict[str, FrozenSet[str]]:
    after: Dict[str, set] = {}
    for record in (*dataset.qualifications, *dataset.dossiers):
        for words in (normalise(name).split() for name in (record.name, *record.aliases)):
            if len(words) > 1 and words[0] in _ORDINALS:
                after.setdefault(words[0], set()).add(words[1])
    return {ordinal: frozenset(following) for ordinal, following in after.items()}


def ordinals_in_one_word(clean: str) -> str:
    """'de op een na laatste' → 'de voorlaatste'."""
    for phrase, word in _PHRASED_ORDINALS:
        clean = phrase.sub(word, clean)
    return clean


def by_position(words: List[str], shown: Sequence[Record],
                names_after: Optional[Dict[str, FrozenSet[str]]] = None) -> Optional[Tuple[Record, ...]]:
    """With `names_after` (words_after_ordinals), an ordinal that begins a name the message
    goes on to name ("die eerste monteur", "the first mechatronics fitter") is no position."""
    # In the overview (dossiers and qualifications) a position counts what was asked for, listed first.
    shown = [r for r in shown if isinstance(r, type(shown[0]))]
    if _MIDDLE & set(words) and len(shown) % 2 == 1:
        return (shown[len(shown) // 2],)
    if _MIDDLE & set(words) and len(shown) % 2 == 0 and len(shown) >= 4 and {"twee", "two"} & set(words):
        return tuple(shown[len(shown) // 2 - 1:len(shown) // 2 + 1])  # "de middelste twee"
    few = _FIRST_OR_LAST_FEW.search(" ".join(words))
    if few and number_value(few.group("n")) < len(shown):
        n = number_value(few.group("n"))
        return tuple(shown[:n] if few.group("end") in {"eerste", "bovenste", "first", "top"} else shown[-n:])
    positions: List[Record] = []  # "de tweede en de derde": each one named
    for i, word in enumerate(words):
        if word in _ORDINALS and (i + 1 == len(words) or words[i + 1] in _AFTER_ORDINAL):
            if (names_after or {}).get(word, frozenset()) & set(words):
                continue  # "eerste monteur", "first mechatronics fitter" is a name
            position = _ORDINALS[word]
            if -len(shown) <= position < len(shown) and shown[position] not in positions:
                positions.append(shown[position])
    if positions:
        return tuple(positions)
    numbered = _NUMBERED.search(" ".join(words))
    n = number_value(numbered.group("n") or numbered.group("word")) if numbered else 0
    if 0 < n <= len(shown):
        return (shown[n - 1],)
    return None


# "onder niveau 4", "lager dan niveau 4", "below level 4": the levels on one side of it.
_BELOW = re.compile(r"\b(onder|beneath|below|under)\s*$|\b(lager|lower) (dan|than)\s*$")
_ABOVE = re.compile(r"\b(boven|above|over)\s*$|\b(hoger|higher) (dan|than)\s*$")
_LEVEL_WORD = re.compile(r"\b(niveau|nivo|level|mbo)[ -]?(?=[1-4]\b|twee|drie|vier|two|three|four)")


AT, BELOW, ABOVE = "at", "below", "above"


def level_relation(text: str) -> Optional[Tuple[str, Tuple[int, ...]]]:
    """'onder niveau 4', 'een lager niveau dan 4' → (BELOW, (4,)); 'die van niveau 2 of 3' → (AT, (2, 3))."""
    levels = tuple(parse_levels(text))
    if not levels:
        return None
    clean = level_words_in_order(normalise(text))
    found = _LEVEL_WORD.search(clean)
    before = clean[:found.start()] if found else ""
    if len(levels) == 1 and _BELOW.search(before):
        return BELOW, levels
    if len(levels) == 1 and _ABOVE.search(before):
        return ABOVE, levels
    return AT, levels


def by_level(text: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    relation = level_relation(text)
    if relation is None:
        return None
    how, levels = relation
    if how == BELOW:
        return tuple(r for r in shown if (_level_of(r, dataset) or 0) < levels[0])
    if how == ABOVE:
        return tuple(r for r in shown if (_level_of(r, dataset) or 0) > levels[0])
    return tuple(r for r in shown if _level_of(r, dataset) in levels)


# "het hoogste crebonummer", "the lowest number": the records' own numbers, not their levels.
_EXTREME_NUMBER = re.compile(r"\b(?P<which>hoogste|laagste|grootste|kleinste|highest|lowest|largest|smallest) "
                             r"(?:crebo\w*|nummer\w*|dossiernummer\w*|number|crebo numbers?)\b")


def by_extreme_number(clean: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    found = _EXTREME_NUMBER.search(clean)
    if found is None or not shown:
        return None
    # In the overview (dossiers and their qualifications) "crebonummer" is a qualification's number and
    # "dossiernummer" a dossier's; a bare "nummer" is either.
    kind = (Dossier if _ABOUT_DOSSIERS.search(clean) else
            Qualification if re.search(r"\bcrebo", found.group(0)) else None)
    shown = [r for r in shown if isinstance(r, kind)] or shown if kind else shown
    numbers = {record: int(getattr(record, "crebo", None) or record.number) for record in shown}
    pick = max if found.group("which") in {"hoogste", "grootste", "highest", "largest"} else min
    return (pick(shown, key=numbers.get),)


def by_extreme_level(clean: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    # (in the overview, of its qualifications: the dossiers have no level of their own)
    shown = [r for r in shown if isinstance(r, Qualification)]
    levels = [_level_of(r, dataset) for r in shown]
    if not shown:
        return None
    if _HIGHEST.search(clean) and _LOWEST.search(clean):  # "de crebo's van de laagste en van de hoogste"
        return tuple(r for r, level in zip(shown, levels) if level in (min(levels), max(levels)))
    if _HIGHEST.search(clean):
        return tuple(r for r, level in zip(shown, levels) if level == max(levels))
    if _LOWEST.search(clean):
        return tuple(r for r, level in zip(shown, levels) if level == min(levels))
    return None


# "het dossier waar … onder valt", "daarin": the dossier of what a word names, not that record.
_IN_ITS_DOSSIER = re.compile(r"\b(dossier|kd|richting)\b (waar|waarin|waaronder)\b.{0,60}\b(onder|in|bij) (valt|vallen|zit|zitten|hoort|horen)\b"
                             r"|\b(dossier|kd|richting)\b (waar|waarin|waaronder)\b.{0,60}\b(valt|vallen|zit|zitten|hoort|horen)\b"
                             r"|\b(file|dossier) (that|which|where)\b.{0,60}\b(is in|are in|belongs? to|falls? under|fall under)\b")


def _names_a_member_of_its_dossier(clean: str) -> bool:
    found = _IN_ITS_DOSSIER.search(clean)
    return bool(found) and not _WITH_COUNT.search(clean) and not parse_levels(found.group(0))


# The list shown before the last one: "de hoogste uit die eerste lijst", "terug naar het vorige lijstje".
THE_LIST_BEFORE = re.compile(r"\b(die|de|het|dat|dit|deze) (eerste|vorige|eerdere) (lijst|lijstje|rijtje|overzicht|opsomming)\b"
                             # "terug naar de niveau 2-lijst", "even terug naar dat rijtje van daarnet"
                             r"|\bterug naar (de|het|die|dat|dit|deze) (\w+ ){1,3}(lijst|lijstje|rijtje|overzicht|opsomming)\b"
                             r"|\b(lijst|lijstje|rijtje|overzicht) (daarvoor|ervoor|van daarvoor|van eerst|van eerder)\b"
                             r"|\b(dossiers|stromingen|hoofdstromingen|richtingen) (van )?(eerder|daarvoor|van daarvoor)\b"
                             r"|\bthe (first|previous|earlier) (list|overview)\b")


# "in de naam", "in the name": a word of the name itself.
_NAME_WORDS = frozenset({"naam", "name"})
_NONE_AT = re.compile(r"\b(geen|zonder|niet)\b|\b(no|not|without|doesn t|doesnt|don t|dont|lacks?|lacking)\b")
_ONLY_AT = re.compile(r"\b(alleen|alle|allemaal|enkel|uitsluitend)\b|\b(only|all|every|exclusively|solely)\b")


def _dossiers_by_level(clean: str, dossiers: Sequence[Dossier], levels: Sequence[int], dataset: Dataset) -> Tuple[Dossier, ...]:
    """The dossiers with a qualification at each of `levels`; without any ("geen", "zonder"); with only those levels."""
    at = {d.number: {int(q.level) for q in dataset.qualifications_in(d.number)} for d in dossiers}
    none_at = _NONE_AT.search(clean)
    wanted = parse_levels(clean[:none_at.start()]) if none_at else []
    if none_at and wanted and not set(wanted) & set(parse_levels(clean[none_at.end():])):
        # "alleen maar niveau 4, geen 2 of 3", "niveau 4 maar geen niveau 2": the levels before the negation it
        # has, those after it (also bare: "geen 2 of 3") it lacks
        after = clean[none_at.end():]
        unwanted = set(parse_levels(after) or [int(n) for n in re.findall(r"\b([1-4])\b", after[:25])])
        if _ONLY_AT.search(clean[:none_at.start()]):
            return tuple(d for d in dossiers if at[d.number] == set(wanted))
        return tuple(d for d in dossiers if set(wanted) <= at[d.number] and not at[d.number] & unwanted)
    if none_at:
        return tuple(d for d in dossiers if not at[d.number] & set(levels))
    if _ONLY_AT.search(clean):
        return tuple(d for d in dossiers if at[d.number] == set(levels))
    return tuple(d for d in dossiers if set(levels) <= at[d.number])


def dossiers_counted_by_property(text: str, dataset: Dataset) -> Optional[Tuple[Dossier, ...]]:
    """'Hoeveel dossiers bevatten uitsluitend niveau 4?', 'hoeveel dossiers hebben er maar twee
    kwalificaties?' → the dossiers counted (maybe none, maybe all); None when the message does not
    count dossiers by a level or a size."""
    clean = normalise(text)
    if not COUNTS_DOSSIERS.search(clean):
        return None
    levels = parse_levels(clean)
    if len(levels) == 1:
        return _dossiers_by_level(clean, dataset.dossiers, levels, dataset)
    if levels or not (_WITH_COUNT.search(clean) or _COMPARED_COUNT.search(clean)):
        return None
    return by_property(clean, dataset.dossiers, dataset)


# Two properties at once: "welk dossier heeft zowel een niveau 2 als twee kwalificaties op niveau 4?"
_BOTH = re.compile(r"\bzowel (?P<first>.+?) als (?P<second>.+)$|\bboth (?P<first_en>.+?) and (?P<second_en>.+)$")


def by_property(clean: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    both = _BOTH.search(clean)
    if both:  # each property on its own, with the words before them; the records that have both
        before = clean[:both.start()]
        found = [by_property(before + (both.group(first) or ""), shown, dataset)
                 for first in (("first", "second") if both.group("first") else ("first_en", "second_en"))]
        if all(each is not None for each in found):
            return tuple(r for r in found[0] if r in found[1])
    dossiers = [r for r in shown if isinstance(r, Dossier)]
    if not dossiers and shown and _ABOUT_DOSSIERS.search(clean):
        # A list of qualifications: "welke daarvan hoort bij het dossier dat maar drie kwalificaties telt?"
        found = by_property(clean, dataset.dossiers, dataset) or ()
        numbers = {d.number for d in found}
        return tuple(r for r in shown if isinstance(r, Qualification) and r.dossier_number in numbers) or None
    if not dossiers:
        return None
    levels = parse_levels(clean)
    at_count = _COUNT_AT_LEVEL.search(clean)
    if len(levels) == 1 and at_count:  # "het dossier met precies één niveau 4-kwalificatie"
        wanted = number_value(at_count.group("n") or at_count.group("digits"))
        return tuple(d for d in dossiers if sum(int(q.level) == levels[0] for q in dataset.qualifications_in(d.number)) == wanted)
    if len(levels) == 1 and _ABOUT_DOSSIERS.search(clean) and (_MOST.search(clean) or _FEWEST.search(clean)):
        # "welk dossier heeft de meeste niveau 4-opleidingen?": counted at that level
        at_level = {d.number: sum(int(q.level) == levels[0] for q in dataset.qualifications_in(d.number)) for d in dossiers}
        extreme = max(at_level.values()) if _MOST.search(clean) else min(at_level.values())
        return tuple(d for d in dossiers if at_level[d.number] == extreme)
    sizes = {d.number: len(dataset.qualifications_in(d.number)) for d in dossiers}
    if levels and (_ABOUT_DOSSIERS.search(clean) or len(dossiers) == len(shown) or _HAS_A_LEVEL.search(clean)):
        # "welk dossier heeft geen niveau 2?", "… zijn alle opleidingen niveau 4?", "welke van de drie heeft geen niveau 2 en 3?"
        found = _dossiers_by_level(clean, dossiers, levels, dataset)
        # with a size too ("welk dossier heeft er vier, en wat zit daarin op niveau 3?"): those with both
        sized = _by_size(clean, dossiers, sizes)
        found = tuple(d for d in found if d in sized) if sized is not None else found
        return found if len(found) < len(dossiers) else None  # every dossier: no dossier singled out
    return _by_size(clean, dossiers, sizes)


def _by_size(clean: str, dossiers: Sequence[Dossier], sizes: Dict[str, int]) -> Optional[Tuple[Dossier, ...]]:
    """The dossiers of a size the message names: "met twee kwalificaties", "meer dan twee", "het grootste"."""
    compared = _COMPARED_COUNT.search(clean)
    if compared:
        holds, wanted = _COMPARISONS[compared.group("how")], number_value(compared.group("n"))
        return tuple(d for d in dossiers if holds(sizes[d.number], wanted))
    counted = _WITH_COUNT.search(clean)
    if counted:
        n = (counted.group("n") or counted.group("english") or counted.group("relative") or counted.group("has")
             or counted.group("where") or counted.group("has_noun") or counted.group("bare"))
        wanted = number_value(n)
        return tuple(d for d in dossiers if sizes[d.number] == wanted)
    if _MOST.search(clean):
        return tuple(d for d in dossiers if sizes[d.number] == max(sizes.values()))
    if _FEWEST.search(clean):
        return tuple(d for d in dossiers if sizes[d.number] == min(sizes.values()))
    return None


# "de researchvariant", "die productie-opleiding": a word of a name written together with what it is.
_KIND_SUFFIXES = ("variant", "versie", "opleiding", "richting", "kwalificatie")


def _with_compound_stems(words: List[str]) -> List[str]:
    stems = [word[:-len(suffix)] for word in words for suffix in _KIND_SUFFIXES
             if word.endswith(suffix) and len(word) - len(suffix) >= 4]
    return words + stems


def by_distinctive_word(words: List[str], shown: Sequence[Record], dataset: Dataset,
                        in_the_name: Optional[bool] = None) -> Optional[Tuple[Record, ...]]:
    """Records of the list whose name has a word of the message that not all of them have."""
    words = _with_compound_stems(words)
    if in_the_name is None and {"met", "erin"} <= set(words) and not _NAME_WORDS & set(words):
        # "die met productie erin": of their own names first (Productietechnicus), else of their dossier's
        # ("die met techniek erin": Productietechniek's)
        return by_distinctive_word(words, shown, dataset, True) or by_distinctive_word(words, shown, dataset, False)
    # "die met productie in de naam": the name itself, not its dossier's
    in_the_name = bool(_NAME_WORDS & set(words)) if in_the_name is None else in_the_name

    def names(record: Record) -> List[str]:
        own = [normalise(name) for name in (record.name, *record.aliases)]
        if isinstance(record, Qualification) and not in_the_name:
            own += [normalise(dataset.dossier_of(record).name), record.dossier_number]  # "die van Engineering", "… onder 23361"
        return own

    named = [(record, names(record)) for record in shown]  # once, however long the message
    found: Optional[Tuple[Record, ...]] = None
    names_after = words_after_ordinals(dataset)
    for word in dict.fromkeys(name_word(w) for w in words):  # each word once: a repeat narrows no further
        stem = word[:-1] if word.endswith("s") and len(word) > 6 else word  # "instrumentmakers"
        if stem in _NOT_DISTINCTIVE or len(stem) < 4:
            continue
        if stem in _ORDINALS and not in_the_name and not names_after.get(stem, frozenset()) & set(words):
            continue  # "bieden ze de eerste aan?" points at a position, not at "Eerste monteur mechatronica"
        if found is None:
            hits = tuple(r for r, own in named if any(_in_name(stem, name) for name in own))
            found = hits if hits and len(hits) < len(shown) else None
        else:  # every distinctive word narrows further: only the records still in play need reading
            found = tuple(r for r, own in named if r in found and any(_in_name(stem, name) for name in own)) or found
    return found  # "die van engineering, de commerciële"


def _in_name(stem: str, name: str) -> bool:
    """A word of the name, part of a joined name ("research" in researchinstrumentmaker), the
    start of a name word ("comm", "prod"), or a name word mistyped ("allrond", "comercieel")."""
    return (stem in name.split() or (len(stem) >= 6 and stem in name.replace(" ", ""))
            or any(word.startswith(stem) for word in name.split())
            or (len(stem) >= 5 and any(len(word) >= 5 and _TYPO_SIMILARITY * (len(stem) + len(word)) <= 2 * min(len(stem), len(word))
                                       and similar(stem, word, _TYPO_SIMILARITY) for word in name.split())))


# How alike a mistyped word and a name word are: "allrond"/"allround" 0.93, "comercieel"/"commercieel"
# 0.95; "techniek"/"technicus" (another word, 0.71) stays apart.
_TYPO_SIMILARITY = 0.85


_NEGATED = re.compile(rf"\b({'|'.join(NEGATION_WORDS)})\s+"
                      r"(?:de|die|het|dat|the|that|this)?\s*(?:(?:van|uit|bij|from|of|in) (?:de |het |the )?)?(?P<word>\w{4,})(?: (?P<next>\w+))?")


# "die van mechatronica niet, de andere": the negation after what it rules out (at the end of the phrase: not "is die
# van mechatronica niet langer?")
_NEGATED_AFTER = re.compile(r"\b(?:die|dat|de|het|that|the) (?:(?:van|uit|bij|from|of) (?:de |het |the )?)?(?P<word>\w{4,}) "
                            r"(?:niet|not)(?= *$| (?:maar|dus|wel|de andere|die andere|het andere|but|the other)\b)")


def negated(text: str, shown: Sequence[Record], dataset: Dataset) -> Tuple[Record, ...]:
    """'de andere, dus niet de commerciële', 'die niet commercieel is', 'die van mechatronica niet, de
    andere', 'the other, not the commercial one': the records ruled out."""
    ruled_out: List[Record] = []
    clean = normalise(text)
    for match in [*_NEGATED.finditer(clean), *_NEGATED_AFTER.finditer(clean)]:
        # with the word after it: "niet de eerste monteur" rules out Eerste monteur mechatronica
        words = [match.group("word")] + ([match.groupdict()["next"]] if match.groupdict().get("next") else [])
        # a whole name first ("die niet productietechnicus heet": not its dossier's Productietechniek too)
        whole = [r for r in shown if normalise(r.name) in (words[0], " ".join(words))]
        hits = whole or by_distinctive_word(words, shown, dataset) or ()
        ruled_out += [r for r in hits if r not in ruled_out]
    return tuple(ruled_out)


# How a reference was resolved: by a word of a name (weak: the word may be meant otherwise),
# or by position, level or property (strong: "welk dossier heeft geen niveau 2?").
BY_WORD = "word"
BY_STRUCTURE = "structure"


# "welk crebo heeft die van productietechniek? nee sorry, ik bedoel de andere": corrected in the
# same message, to the rest of the list.
_CORRECTED_TO_THE_OTHER = re.compile(r"\b(nee|sorry|oeps|wacht|bedoel\w*|no|oops|wait|meant)\b.{0,40}\b(de|die|het) andere\b"
                                     r"|\b(nee|sorry|oeps|wacht|bedoel\w*|no|oops|wait|meant)\b.{0,40}\bthe other\b")


# "beide crebo's", "van allebei het niveau", "alle drie", "both": every record of the list.
_ALL_OF_THEM = re.compile(r"\b(beide|beiden|allebei|alle twee|alle drie|alle vier|alle vijf|elk daarvan|ieder daarvan|van elk|"
                          r"both|all of them|each of them|all three|all five|each one)\b")
# "welke van de vijf …", "van die drie": the part of the list of that many (in the overview, the dossiers).
_OF_SO_MANY = re.compile(r"\b(?:van|uit|of) (?:de|die|deze|the|those|these) (?P<n>[2-9]|twee|drie|vier|vijf|negen|two|three|four|five|nine)\b")


# "die twee dossiers", "deze drie": as many as the list holds.
_THOSE_SO_MANY = re.compile(r"\b(?:die|deze|de|those|these|the) (?P<n>[2-5]|twee|drie|vier|vijf|two|three|four|five)\b")


def points_at_all(text: str) -> bool:
    """'beide crebo's', 'van elk het dossiernummer', 'both': every record of a list."""
    return bool(_ALL_OF_THEM.search(normalise(text)))


def _of_so_many(clean: str, shown: Sequence[Record]) -> Sequence[Record]:
    found = _OF_SO_MANY.search(clean)
    if found is None:
        return shown
    n = number_value(found.group("n"))
    for kind in (Dossier, Qualification):
        of_kind = [r for r in shown if isinstance(r, kind)]
        if len(of_kind) == n:
            return of_kind
    return shown


def resolve_reference(text: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Tuple[Record, ...], str]]:
    """The records of `shown` the message points at and how; None when it points at none."""
    if not shown:
        return None
    clean = ordinals_in_one_word(normalise(text))
    corrected = _CORRECTED_TO_THE_OTHER.search(clean)
    if corrected and corrected.start() > 0:
        first = resolve_reference(clean[:corrected.start()], shown, dataset)
        rest = tuple(r for r in shown if first and r not in first[0])
        if rest:
            return rest, BY_STRUCTURE
    shown = _of_so_many(clean, shown)
    ruled_out = negated(text, shown, dataset)
    remaining = [r for r in shown if r not in ruled_out]
    # The words of a negation ("niet de commerciële") point at nothing themselves.
    words = normalise(_NEGATED_AFTER.sub(" ", _NEGATED.sub(" ", clean))).split()
    if _NAME_WORDS & set(words):  # "welke heeft 'eerste' in de naam?": a word of the name, not a position
        found = by_distinctive_word(words, remaining, dataset)
        return (found, BY_WORD) if found else None
    position = by_position(words, remaining, words_after_ordinals(dataset)) if remaining else None
    if position:
        return position, BY_STRUCTURE
    # Each kind of pointer narrows the list: "de enige niveau 4 bij mechatronica" is level and word.
    narrowed, how = list(remaining), None
    for find, kind in ((lambda rs: by_extreme_number(clean, rs, dataset), BY_STRUCTURE),
                       (lambda rs: None if _EXTREME_NUMBER.search(clean) else by_extreme_level(clean, rs, dataset), BY_STRUCTURE),
                       # "het dossier waar de monteurs onder vallen" names a dossier by a member, not by a property
                       # (but "het dossier waar maar twee kwalificaties in zitten" is one by its size, and "… waarin
                       # uitsluitend niveau 4 voorkomt" by its levels)
                       (lambda rs: None if _names_a_member_of_its_dossier(clean)
                        else by_property(clean, rs, dataset), BY_STRUCTURE),
                       (lambda rs: by_distinctive_word(words, rs, dataset), BY_WORD),
                       (lambda rs: by_level(text, rs, dataset), BY_STRUCTURE)):
        found = find(narrowed) if narrowed else None
        if found and len(found) < len(narrowed):  # a pointer that fits the whole list points at nothing
            narrowed, how = list(found), how or kind
    if how == BY_WORD and _IN_ITS_DOSSIER.search(clean):
        # "neem het dossier waar de monteurs onder vallen: het crebo van de niveau 4-kwalificatie daarin?":
        # the word finds the dossier, the level the qualification in it
        dossiers = {r.dossier_number for r in narrowed if isinstance(r, Qualification)}
        if len(dossiers) == 1 and all(isinstance(r, Qualification) for r in narrowed):
            in_dossier = [r for r in remaining if isinstance(r, Qualification) and r.dossier_number in dossiers]
            at_level = by_level(text, in_dossier, dataset)
            if at_level and not set(at_level) & set(narrowed):
                return tuple(at_level), BY_STRUCTURE
    if how is None and ruled_out and len(remaining) < len(shown):
        # "de andere, dus niet de commerciële"; "het dossier dat niet engineering is": of the rest, the dossiers
        dossiers = [r for r in remaining if isinstance(r, Dossier)] if _DOSSIER_WORDS.search(clean) else []
        return (tuple(dossiers or remaining), BY_STRUCTURE) if remaining else None
    if how is None and _ALL_OF_THEM.search(clean):
        return tuple(remaining), BY_STRUCTURE  # "beide crebo's graag"
    those = _THOSE_SO_MANY.search(clean)
    if how is None and those and number_value(those.group("n")) == len(remaining) > 1:
        return tuple(remaining), BY_STRUCTURE  # "die twee dossiers samen", "these three": the whole list
    return (tuple(narrowed), how) if how else None


def picks_by_structure(text: str, shown: Sequence[Record], dataset: Dataset) -> bool:
    """The message picks from the list shown by its structure: a position, a level, a property."""
    resolved = resolve_reference(text, shown, dataset)
    return resolved is not None and resolved[1] == BY_STRUCTURE


def property_query(text: str, dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    """Without a list shown: 'het dossier met vier kwalificaties', 'welk dossier heeft geen niveau 2?'
    ask the dataset's dossiers by a property. Only when it asks for one dossier ("welk dossier",
    "het dossier met …"): "de meeste studenten" and "over alle dossiers heen" are no such question."""
    clean = normalise(text)
    if not (_DOSSIER_WORDS.search(clean) or _WITH_COUNT.search(clean) or _COMPARED_COUNT.search(clean)):
        return None
    return by_property(clean, dataset.dossiers, dataset) or None


def resolve(text: str, shown: Sequence[Record], dataset: Dataset) -> Optional[Tuple[Record, ...]]:
    """The records of `shown` the message points at; None when it points at none of them."""
    resolved = resolve_reference(text, shown, dataset)
    return resolved[0] if resolved else None


@lru_cache(maxsize=None)  # the answers are fixed; the reader and the lookup ask it for every message after one
def listed_in_faq_answer(key: Optional[str]) -> Tuple[str, ...]:
    """The record numbers an FAQ answer shows, dossiers first, each in the order written: after
    "Het 1e vragenuur noemt deze drie kwalificatiedossiers: …", "het laatste dossier" and "the
    second one" point into that answer as into a lookup's list."""
    from bot.knowledge.loader import load_catalogue
    from bot.knowledge.search import knowledge_index, record_number

    entry = load_catalogue().get(key) if key else None
    if entry is None:
        return ()
    index = knowledge_index()
    records = [r for r in (index.by_number(n) for n in dict.fromkeys(re.findall(r"\b\d{5}\b", entry.answer))) if r]
    if not records:
        # an answer that names every dossier, without numbers, lists the dossiers ("drie hoofdstromingen:
        # productietechniek, mechatronica en engineering"), in the order written
        answer = normalise(entry.answer)
        at = {d: re.search(rf"\b{re.escape(normalise(d.name))}\b", answer) for d in index.dataset.dossiers}
        if all(at.values()):
            records = sorted(at, key=lambda d: at[d].start())
    ordered = [r for r in records if isinstance(r, Dossier)] + [r for r in records if isinstance(r, Qualification)]
    return tuple(record_number(r) for r in ordered)
