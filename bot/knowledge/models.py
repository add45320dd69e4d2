"""Typed records of the knowledge base. Crebo numbers are five-digit strings."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Dict, FrozenSet, List, Optional, Tuple

from bot.knowledge.faq import answer_label, response_name

# Where every other qualification is (the answers point there; {sbb_portal} in domain.yml).
SBB_PORTAL = "https://kwalificatiestructuur-mijn.s-bb.nl/"

# The documents every fact comes from (see bot/knowledge/SOURCES.md).
DOCUMENTS: Dict[str, str] = {
    "vragenuur_1": "1e vragenuur, 4 maart 2022",
    "vragenuur_2": "2e vragenuur, 5 april 2022",
    "vragenuur_3": "3e vragenuur, 13 september 2022",
    "vragenuur_4": "4e vragenuur, 11 oktober 2022",
    "column": "column 'Samen stáán voor doorlopende leerroutes' (Jan van Nierop, Kartrekker STO)",
}


# "(vraag 5)" per language; and the word before a citation ("Bron: …").
QUESTION_WORD: Dict[str, str] = {"nl": "vraag", "en": "question"}
QUESTIONS_WORD: Dict[str, str] = {"nl": "vragen", "en": "questions"}
AND_WORD: Dict[str, str] = {"nl": "en", "en": "and"}
SOURCE_WORD: Dict[str, str] = {"nl": "Bron", "en": "Source"}


class Level(IntEnum):
    """mbo niveau."""

    ENTREE = 1
    BASIS = 2
    VAK = 3
    MIDDENKADER = 4


@dataclass(frozen=True)
class SourceRef:
    """A document and, for the vragenuren, the question number in it."""

    document: str
    question: Optional[int] = None

    def label(self, language: str = "nl") -> str:
        """'3e vragenuur, 13 september 2022 (vraag 5)'; in English '… (question 5)': the
        document keeps its Dutch name, as the source itself is Dutch."""
        text = DOCUMENTS[self.document]
        return f"{text} ({QUESTION_WORD[language]} {self.question})" if self.question else text


def cite(sources: Tuple[SourceRef, ...], language: str = "nl") -> str:
    """The documents of a set of references, in order, each with its questions: '1e vragenuur,
    4 maart 2022 (vraag 2); 3e vragenuur, 13 september 2022 (vraag 3 en 5); column …'.
    The responses and `answer_with_source` put "Bron: " before it."""
    questions: Dict[str, List[int]] = {}
    for ref in sorted(sources, key=lambda ref: list(DOCUMENTS).index(ref.document)):
        asked = questions.setdefault(ref.document, [])
        if ref.question and ref.question not in asked:
            asked.append(ref.question)
    return "; ".join(f"{DOCUMENTS[document]} ({_questions(sorted(asked), language)})" if asked else DOCUMENTS[document]
                     for document, asked in questions.items())


def _questions(numbers: List[int], language: str) -> str:
    """'vraag 3', 'vraag 3 en 5', 'questions 3, 5 and 8'."""
    if len(numbers) == 1:
        return f"{QUESTION_WORD[language]} {numbers[0]}"
    joined = ", ".join(str(n) for n in numbers[:-1]) + f" {AND_WORD[language]} {numbers[-1]}"
    return f"{QUESTIONS_WORD[language]} {joined}"


@dataclass(frozen=True)
class Fact:
    """A statement from the sources, in Dutch, with every place it comes from."""

    text: str
    sources: Tuple[SourceRef, ...]

    def label(self) -> str:
        return "; ".join(source.label() for source in self.sources)


@dataclass(frozen=True)
class LevelDuration:
    """What a source says of the duration of a dossier's programmes at one level.

    The sources state durations per dossier and level ("Productietechniek niveau 4 is een
    vierjarige opleiding"), never per qualification, so they are kept, and said, that way.
    """

    level: "Level"
    years: int
    source: SourceRef


@dataclass(frozen=True)
class Dossier:
    number: str
    name: str
    source: SourceRef
    aliases: Tuple[str, ...] = ()
    facts: Tuple[Fact, ...] = ()
    durations: Tuple[LevelDuration, ...] = ()


@dataclass(frozen=True)
class Qualification:
    crebo: str
    name: str
    level: Level
    dossier_number: str
    source: SourceRef
    aliases: Tuple[str, ...] = ()
    facts: Tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Dataset:
    """Dossiers, qualifications and facts that hold for all of them."""

    dossiers: Tuple[Dossier, ...]
    qualifications: Tuple[Qualification, ...]
    general_facts: Dict[str, Fact] = field(default_factory=dict)

    def dossier(self, number: str) -> Optional[Dossier]:
        return next((d for d in self.dossiers if d.number == number), None)

    def qualification(self, crebo: str) -> Optional[Qualification]:
        return next((q for q in self.qualifications if q.crebo == crebo), None)

    def qualifications_in(self, dossier_number: str, level: Optional[int] = None) -> Tuple[Qualification, ...]:
        """The dossier's qualifications, in the sources' order; only those at `level` when given."""
        return tuple(q for q in self.qualifications
                     if q.dossier_number == dossier_number and (level is None or int(q.level) == level))

    def qualifications_at(self, level: Level) -> Tuple[Qualification, ...]:
        return tuple(q for q in self.qualifications if q.level == level)

    def duration_of(self, qualification: Qualification) -> Optional[LevelDuration]:
        """What the sources say of the duration at this qualification's dossier and level."""
        return next((d for d in self.dossier_of(qualification).durations if d.level == qualification.level), None)

    def dossier_of(self, qualification: Qualification) -> Dossier:
        dossier = self.dossier(qualification.dossier_number)
        assert dossier is not None, "validated at load"
        return dossier


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ answer; `answer_with_source` is what users read."""

    key: str
    theme: str
    title: str
    answer: str
    sources: Tuple[SourceRef, ...]
    # A faithful English rendering beside the Dutch (empty: not written yet; `make validate` says so).
    title_en: str = ""
    answer_en: str = ""

    @property
    def intent_response_key(self) -> str:
        return answer_label(self.key)

    @property
    def response_name(self) -> str:
        return response_name(self.key)

    @property
    def answer_with_source(self) -> str:
        return self.answer_with_source_in("nl")

    def title_in(self, language: str) -> str:
        """The title in `language`, Dutch when no English is written."""
        return self.title_en if language == "en" and self.title_en else self.title

    def answer_with_source_in(self, language: str) -> str:
        """What users read in `language` (Dutch when no English is written): the answer and its source line."""
        english = language == "en" and bool(self.answer_en)
        answer = self.answer_en if english else self.answer
        return f"{answer.rstrip()}\n\n{SOURCE_WORD['en' if english else 'nl']}: {cite(self.sources, 'en' if english else 'nl')}"


@dataclass(frozen=True)
class FaqCatalogue:
    entries: Tuple[FaqEntry, ...]

    @property
    def keys(self) -> FrozenSet[str]:
        return frozenset(e.key for e in self.entries)

    def get(self, key: str) -> Optional[FaqEntry]:
        return next((e for e in self.entries if e.key == key), None)

    def in_theme(self, theme: str) -> Tuple[FaqEntry, ...]:
        return tuple(e for e in self.entries if e.theme == theme)
