"""What a message says about the dataset: the records and levels it names and what it asks.

Deterministic and Rasa-free, so the Rasa server (to route a message, bot/nlu/lookup_reader.py)
and the action server (to answer it, actions/lookups.py) read a message the same way. The
classifier knows wording; this knows the facts: every crebo and dossier number, every name
and alias (split, joined or misspelt, through the knowledge index) and every way of writing
a level ("n2", "mbo-2", "niveau twee").
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import FrozenSet, List, Optional, Tuple

from bot.knowledge.search import KnowledgeIndex, Record, knowledge_index
from bot.text import normalise, number_candidates, parse_levels


class Ask(str, enum.Enum):
    """What a message asks of a record or a level."""

    CREBO = "crebo"
    LEVEL = "level"
    DOSSIER = "dossier"
    DURATION = "duration"
    LEERWEG = "leerweg"
    LIST = "list"
    COUNT = "count"
    EXISTS = "exists"
    CHECK = "check"


# Patterns over normalised text (lower case, no punctuation). Order matters nowhere.
_ASK_PATTERNS = {
    Ask.CREBO: r"\bcrebo\w*|\bnummer\b|\bcode\b",
    Ask.LEVEL: r"\b(welk|wat voor|welke|hoog|hoeveelste)\b.{0,25}\b(niveau|nivo)\b|\b(niveau|nivo)\b.{0,12}\bis\b|\bniveau [1-4] of [1-4]\b",
    # Not the bare word "dossier": "staat onderhoud nog in het dossier Mechatronica?" asks no dossier.
    Ask.DOSSIER: r"\b(in|onder|bij|tot) welke?\b|\bwelke? (kwalificatie)?dossier|\bdossiernummer|\bwat voor dossier\b"
                 r"|\b(hoort|horen|valt|vallen|zit|zitten)\b.{0,30}\b(bij|onder|in)\b",
    Ask.DURATION: r"\bhoe ?lang\b|\bduur\w*|\bjaar\b|\bjaren\b|\bjarig\w*",
    Ask.LEERWEG: r"\bbbl\b|\bbol\b|\bleerweg\w*|\bwerkend leren\b|\b(leren|werken) en (werken|leren)\b|\bvoltijd\b|\bdeeltijd\b",
    Ask.COUNT: r"\bhoeveel\b|\baantal\b",
    Ask.LIST: r"\bwelke\b.{0,30}\b(kwalificaties|opleidingen|richtingen|beroepen|studies|crebos?|crebonummers)\b"
              r"|\b(alle|overzicht|lijst|opsomming)\b|\bwat kan (ik|je|jij|men)\b|\bwat (zijn|heb|hebben) (er|je|jullie)\b",
    Ask.EXISTS: r"\bbesta\w*\b|\bis er\b|\bzijn er\b|\bkan (ik|je|jij|men)\b.{0,40}\b(op|in|bij)\b|\bgeeft?\b.{0,10}\bhet\b",
}
_ASK_REGEXES = {ask: re.compile(pattern) for ask, pattern in _ASK_PATTERNS.items()}
# A belief to confirm: "is 25895 Productietechnicus?", "25891 is toch niveau 3?".
_CHECK = re.compile(r"^(is|zit|heeft|klopt|hoort|valt|ligt|zijn|bestaat|kan|geldt|hebben|duurt)\b|\btoch\b|\bklopt\b|\bof niet\b"
                    r"|\b(is|zit|valt|hoort) (dat|het|die|deze)\b|\bniet waar\b")
# "Engineering bestaat toch niet meer?", "is Mechatronica afgeschaft?"
_DENIES = re.compile(r"\b(bestaat|bestaan)\b.{0,20}\bniet\b|\bniet meer\b|\bafgeschaft\b|\bverdwenen\b|\bgeschrapt\b|\bopgeheven\b|\bvervallen\b")
# Pointing back at what the conversation was about.
_REFERS_BACK = re.compile(
    r"^(en|ok|oke|okay|oké|dan|ook)\b|\b(die|deze|dezelfde|diezelfde|daarvan|daarbij|daarin|ervan|hiervan|daarna|"
    r"daar|daarnet|net|vorige|zelfde|dat dossier|die opleiding|deze opleiding|dit dossier)\b"
)
_LOWER = re.compile(r"\b(niveau|nivo)\w* (lager|omlaag|eronder|onder)\b|\blager\w* (niveau|nivo)\b|\bonder (die|deze|dat)\b")
_HIGHER = re.compile(r"\b(niveau|nivo)\w* (hoger|omhoog|erboven|boven)\b|\bhoger\w* (niveau|nivo)\b|\bdoor(stromen|groeien|leren)\b|\bvervolg\w*\b")
_OTHER = re.compile(r"\b(de|die|het) andere\b|\bander\w* (variant|kwalificatie|opleiding|richting)\b|\bnog (een|meer)\b"
                    r"|\bverder nog\b|\bde tweede\b")
# "duurt toch 4 jaar?": the years a message claims.
_YEARS = re.compile(r"\b(?P<years>[1-6]|een|twee|drie|vier|vijf|zes)[ -]?(jaar|jaren|jarig\w*)\b(?! (langer|korter|extra|meer|minder)\b)")
_YEAR_WORDS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6}
_CORRECTION = re.compile(r"\bik bedoel\w*\b|\bbedoelde\b|\bik had het over\b|\bniet .{1,40} maar\b|\bverkeerd\b|\bsorry\b|\bcorrectie\b")


@dataclass(frozen=True)
class Reading:
    """Everything the dataset can say about one message."""

    text: str
    records: Tuple[Record, ...] = ()  # named, by number or by name, in the order named
    candidates: Tuple[Record, ...] = ()  # a partial name that fits several records
    unknown_numbers: Tuple[str, ...] = ()  # numbers that look like a crebo but are not in the dataset
    levels: Tuple[int, ...] = ()
    asks: FrozenSet[Ask] = frozenset()
    level_step: int = 0  # +1: "een niveau hoger", -1: "een niveau lager"
    other_variant: bool = False  # "en de andere van niveau 4?"
    refers_back: bool = False  # "en in welk dossier zit die?"
    correction: bool = False  # "ik bedoelde eigenlijk Engineering"
    denies_existence: bool = False  # "Engineering bestaat toch niet meer?"
    number_and_name_agree: bool = False  # "klopt het dat 25893 Technicus mechatronica is?"
    claimed_years: Optional[int] = None  # "duurt toch 4 jaar?"

    @property
    def record(self) -> Optional[Record]:
        return self.records[0] if self.records else None

    @property
    def names_something(self) -> bool:
        return bool(self.records or self.candidates or self.unknown_numbers)

    @property
    def is_check(self) -> bool:
        return Ask.CHECK in self.asks

    @property
    def asks_about_context(self) -> bool:
        """Asks something of a record without naming one: a follow-up if there is context."""
        asked = self.asks - {Ask.CHECK}
        pointed = self.level_step or self.other_variant or (self.levels and self.refers_back)
        return not self.names_something and bool(asked or pointed)

    @property
    def word_count(self) -> int:
        return len(normalise(self.text).split())


def read(text: str, index: Optional[KnowledgeIndex] = None) -> Reading:
    """Read one message (or one clause of it)."""
    index = index or knowledge_index()
    clean = normalise(text)
    records: List[Record] = []
    unknown: List[str] = []
    rest = text
    for number in number_candidates(text):
        record = index.by_number(number)
        if record is not None and record not in records:
            records.append(record)
        elif record is None and len(number) == 5:
            unknown.append(number)
        if len(number) == 5:
            rest = rest.replace(number, " ")
    match = index.find_all(rest)
    candidates: Tuple[Record, ...] = ()
    agree = match.record is not None and match.record in records
    if match.record is not None:
        named = [match.record]
    elif match.candidates and all(_named_in_full(record, rest) for record in match.candidates):
        named = list(match.candidates)  # several records, each named in full
    else:
        named = []
        candidates = () if records else match.candidates  # a partial name: which one?
    records += [record for record in named if record not in records]
    asks = {ask for ask, regex in _ASK_REGEXES.items() if regex.search(clean)}
    levels = tuple(parse_levels(rest))
    if _CHECK.search(clean):
        asks.add(Ask.CHECK)
    if Ask.DOSSIER in asks and not records and not candidates and "dossier" not in clean:
        asks.discard(Ask.DOSSIER)  # "valt dat onder …" without a record or the word is no lookup
    if Ask.DOSSIER in asks and Ask.COUNT not in asks and re.search(r"\b(hoeveel|welke)\b.{0,20}\b(kwalificaties|opleidingen)\b", clean):
        asks.add(Ask.LIST)  # "welke kwalificaties vallen onder …": the dossier's list
    return Reading(
        text=text,
        records=tuple(records),
        candidates=candidates,
        unknown_numbers=tuple(unknown),
        levels=levels,
        asks=frozenset(asks),
        level_step=-1 if _LOWER.search(clean) else 1 if _HIGHER.search(clean) else 0,
        other_variant=bool(_OTHER.search(clean)),
        refers_back=bool(_REFERS_BACK.search(clean)),
        correction=bool(_CORRECTION.search(clean)),
        denies_existence=bool(_DENIES.search(clean)),
        number_and_name_agree=agree,
        claimed_years=_claimed_years(clean),
    )


def _claimed_years(clean: str) -> Optional[int]:
    found = _YEARS.search(clean)
    if found is None:
        return None
    value = found.group("years")
    return int(value) if value.isdigit() else _YEAR_WORDS[value]


def _named_in_full(record: Record, text: str) -> bool:
    padded = f" {normalise(text)} "
    return any(f" {normalise(name)} " in padded for name in (record.name, *record.aliases))


# Where a message is cut into questions: after a question mark, or before "en"/"of"
# followed by a question word ("… mechatronica en op welk niveau zit die?").
_QUESTION_START = (
    r"(?:wat|welk|welke|wie|waar|wanneer|hoe|hoeveel|waarom|op welk|in welk|onder welk|bij welk|geldt|gelden|"
    r"is|zijn|kan|kun|kunnen|mag|moet|moeten|heeft|hebben|bestaat|wordt|worden|komt|komen|zit|valt|hoort)"
)
# Not at "of" or "maar": "blijven ze geldig of moeten we nieuwe zoeken?" is one question.
_SPLIT = re.compile(rf"\?\s+(?=\S)|[.!;]\s+(?=\S)|,?\s+en\s+(?={_QUESTION_START}\b)", re.IGNORECASE)
MIN_CLAUSE_WORDS = 2


def split_questions(text: str) -> List[Tuple[int, int]]:
    """Character spans of the questions in one message; one span when it asks one thing."""
    spans, start = [], 0
    for cut in _SPLIT.finditer(text):
        spans.append((start, cut.start() + (1 if text[cut.start()] in "?.!" else 0)))
        start = cut.end()
    spans.append((start, len(text)))
    spans = [(s, e) for s, e in spans if len(normalise(text[s:e]).split()) >= MIN_CLAUSE_WORDS]
    return spans or [(0, len(text))]
