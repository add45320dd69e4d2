"""Every word and phrase the actions build for users, per language.

The responses' texts are in domain.yml (Dutch, with an English variation for an English
conversation); this is what the actions fill into them: number words, lists, counts,
verdicts, durations and the short sentences around the dataset's facts. One `Wording` per
language, each field a template for `str.format`; `wording(language)` picks one. Names of
qualifications, dossiers and documents stay as the sources write them, in both languages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping, Sequence, Tuple

from bot.language import DUTCH, ENGLISH
from bot.text import LEVEL_WORDS


@dataclass(frozen=True)
class Wording:
    """The fills of one language; `{…}` fields are filled by the actions."""

    language: str
    numbers: Mapping[int, str]  # number words; other numbers are written as digits
    ordinals: Tuple[str, ...]  # "Je {ordinal} vraag": first, second, …; the last one repeats
    and_word: str  # the last link of a list: "2, 3 en 4"
    one_question_left: str
    questions_left: str  # {count}
    qualification_nouns: Tuple[str, str]  # singular, plural
    level_nouns: Tuple[str, str]
    yes: str
    no: str
    duration_verdict: str  # {verdict}: yes or no without its full stop; {level}
    list_item: str  # {name} {crebo} {level}
    list_item_in_dossier: str  # {name} {crebo} {level} {dossier_name} {dossier_number}
    # Durations, as the source states them: per dossier and level.
    duration_of_record: str  # {dossier} {level} {years}
    duration_at_level: str  # {level} {years}
    dossier_duration: str  # {dossier} {level} {years}
    name_and_number: str  # {name} {number}: a dossier with its number
    said_of: str  # {qualifications}: the qualifications a dossier's duration at a level is said of
    name_and_crebo: str  # {name} {crebo}
    duration_line: str  # {item} {stated}: one qualification of several, with what the source says of its duration
    duration_unknown: str  # what {stated} says when the sources give no duration
    duration_also_known: str  # {known}
    no_duration_for: str  # {names}
    other_levels_unknown: str
    # After a dossier's duration at a level (a duration told or checked), the qualification that was asked about,
    # which the source does not name.
    qualification_of_the_duration: str  # {name} {crebo} {level} {dossier_name} {dossier_number}
    subject_at_level: str  # {name} {level}
    programmes_at_level: str  # {level}
    # What the sources do say, when they do not say what was asked.
    known_of_qualification: str  # {name} {crebo} {level} {dossier_name} {dossier_number} {source}
    known_of_dossier: str  # {name} {number} {names} {source}
    known_of_the_leerweg: str  # {leerweg} {source}: beside a way of study the sources do not name (deeltijd)
    # A crebo, dossier or level asked of what an FAQ answer is about ("Precisietechniek"): no record of ours;
    # or a not-held topic the answer gives no fact of ("hoeveel kost een examen van Esmei?").
    asked_of_the_faq_subject: Mapping[str, str]  # per Ask value, and per not-held topic: what was asked
    known_from_the_faq_answer: str  # {source}
    # "Engineering bestaat toch niet meer?"
    premise_qualification: str  # {name} {crebo} {level} {dossier_name} {dossier_number}
    premise_dossier: str  # {name} {number}
    # After "Nee." in a dossier-number check.
    other_is_qualification: str  # {name} {crebo} {dossier_name}
    other_dossier_number: str  # {name} {number}
    # What a follow-up asked for ("een niveau lager", "de andere").
    level_step: str  # {level} {direction} {name}
    lower_higher: Tuple[str, str]
    besides: str  # {name}
    at_level: str  # {level}
    level_with_count: str  # {level} {count}: "niveau 2 (2 kwalificaties)"
    dossier_with_levels: str  # {name} {number} {count} {levels}: "- Engineering (23362): 2 kwalificaties, niveau 4"
    level_relation: Dict[str, str]  # "at"/"below"/"above" → "onder niveau {level}"
    outside: str  # {names}
    level_left_out: str  # {level}: "niveau 2", as a name in `outside`
    counted_before_at_level: str  # {level}: what a count before the revision counted
    counted_before_dossiers: str
    counted_before_in_dossier: str  # {name}: "… kwalificaties er in Mechatronica waren"
    none_at_level: Tuple[str, str]  # asked whether there is one (Nee first), asked how many
    # The subject of a BOL/BBL answer.
    all_new_dossiers: str
    dossier_subject: str  # {name} {number}
    # The last button under "Bedoelde je…?": the way out to the topic menu.
    something_else: str

    def number(self, value: int) -> str:
        """3 → 'drie' / 'three'; a number without a word stays digits."""
        return self.numbers.get(value, str(value))

    def listing(self, items: Sequence[Any]) -> str:
        """[2, 3, 4] → '2, 3 en 4' / '2, 3 and 4'; [4] → '4'."""
        words = [str(item) for item in items]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {self.and_word} " + words[-1]

    def ordinal(self, position: int) -> str:
        """0 → 'eerste' / 'first'; beyond the last word, the last word."""
        return self.ordinals[min(position, len(self.ordinals) - 1)]

    def left_over(self, count: int) -> str:
        """'nog één vraag' / 'one more question', 'nog 2 vragen' / '2 more questions'."""
        return self.one_question_left if count == 1 else self.questions_left.format(count=count)

    def qualifications(self, count: int) -> str:
        """'1 kwalificatie' / '1 qualification', '2 kwalificaties' / '2 qualifications'."""
        return f"{count} {self.qualification_nouns[count != 1]}"

    def levels(self, count: int) -> str:
        """'1 niveau' / '1 level', '3 niveaus' / '3 levels'."""
        return f"{count} {self.level_nouns[count != 1]}"

    def verdict(self, right: bool) -> str:
        return self.yes if right else self.no


DUTCH_WORDING = Wording(
    language=DUTCH,
    numbers=LEVEL_WORDS,
    ordinals=("eerste", "tweede", "derde", "vierde", "vijfde"),
    and_word="en",
    one_question_left="nog één vraag",
    questions_left="nog {count} vragen",
    qualification_nouns=("kwalificatie", "kwalificaties"),
    level_nouns=("niveau", "niveaus"),
    yes="Ja.",
    no="Nee.",
    duration_verdict="{verdict}, voor niveau {level}.",
    list_item="- {name} (crebo {crebo}, niveau {level})",
    list_item_in_dossier="- {name} (crebo {crebo}, niveau {level}): {dossier_name} ({dossier_number})",
    duration_of_record=" Over de duur zegt de bron: {dossier} op niveau {level} is een {years}jarige opleiding.",
    duration_at_level="op niveau {level} is het een {years}jarige opleiding",
    dossier_duration="{dossier} op niveau {level} is een {years}jarige opleiding",
    name_and_number="{name} ({number})",
    said_of=": {qualifications}",
    name_and_crebo="{name} (crebo {crebo})",
    duration_line="{item}: {stated}",
    duration_unknown="daarover zeggen mijn bronnen niets",
    duration_also_known=" Over de duur zegt de bron wel: {known}.",
    no_duration_for=" Over {names} zegt de bron niets over de duur.",
    other_levels_unknown=" Over de andere niveaus van dat dossier zeggen mijn bronnen niets.",
    qualification_of_the_duration=(" {name} (crebo {crebo}) is een kwalificatie op niveau {level} in het kwalificatiedossier "
                                   "{dossier_name} ({dossier_number}); de bron noemt de kwalificaties daarbij niet apart."),
    subject_at_level="{name} op niveau {level}",
    programmes_at_level="opleidingen op niveau {level}",
    known_of_qualification=(" Wat ze wel zeggen over {name}: crebo {crebo}, niveau {level}, in het kwalificatiedossier "
                            "{dossier_name} ({dossier_number}) (bron: {source})."),
    known_of_dossier=" Wat ze wel zeggen over {name}: het is kwalificatiedossier {number}, met {names} (bron: {source}).",
    known_of_the_leerweg=" Over de leerweg zeggen ze ({source}): {leerweg}",
    asked_of_the_faq_subject={"crebo": "Welk crebonummer daarbij hoort",
                              "dossier": "In welk kwalificatiedossier dat terechtkomt, en met welk nummer,",
                              "level": "Op welk niveau dat zit",
                              "count": "Hoeveel het er zijn of waren",
                              "date": "De precieze datum", "duration": "Hoe lang dat duurt",
                              "contact": "Contactgegevens (telefoon, e-mail, adres)", "link": "Een link of website",
                              "cost": "Wat het kost", "salary": "Wat je ermee verdient",
                              "schools": "Welke scholen het aanbieden, en waar",
                              "admission": "Welke toelatingseisen er gelden", "hours": "Hoeveel uur het vraagt",
                              "subsidy": "Welke subsidies of vergoedingen er zijn",
                              "prospects": "Wat je kansen op werk of doorstuderen zijn",
                              "statistics": "Aantallen en percentages", "dates": "De precieze data",
                              "old_numbers": "Welke crebonummers er vóór de herziening waren",
                              "events": "Wanneer er open dagen of voorlichtingen zijn",
                              "other": "Precies wat je vraagt"},
    known_from_the_faq_answer=" Wat de bron er wel over zegt, staat in het antwoord hierboven ({source}).",
    premise_qualification=("{name} (crebo {crebo}) is een kwalificatie op niveau {level} in het nieuwe kwalificatiedossier "
                           "{dossier_name} ({dossier_number})."),
    premise_dossier="{name} ({number}) is een van de nieuwe kwalificatiedossiers, met deze kwalificaties:\n",
    other_is_qualification=" {name} is een kwalificatie met crebo {crebo}, in het kwalificatiedossier {dossier_name}.",
    other_dossier_number=" {name} heeft dossiernummer {number}.",
    level_step="op niveau {level}, een niveau {direction} dan {name}",
    lower_higher=("lager", "hoger"),
    besides="naast {name}",
    at_level=" op niveau {level}",
    level_with_count="niveau {level} ({count})",
    dossier_with_levels="- {name} ({number}): {count}, niveau {levels}",
    level_relation={"at": "op niveau {level}", "below": "onder niveau {level}", "above": "boven niveau {level}"},
    outside=" buiten {names}",
    level_left_out="niveau {level}",
    counted_before_at_level="kwalificaties er op niveau {level}",
    counted_before_dossiers="kwalificatiedossiers er",
    counted_before_in_dossier="kwalificaties er bij {name}",
    none_at_level=("geen kwalificatie", "0 kwalificaties"),
    all_new_dossiers="Alle nieuwe metaaldossiers",
    dossier_subject="Het kwalificatiedossier {name} ({number})",
    something_else="Iets anders",
)

# Glossary: /work/english-draft/ui-en.md. "kwalificatiedossier" gets its gloss where the
# English response has not given it before the fill.
ENGLISH_WORDING = Wording(
    language=ENGLISH,
    numbers={1: "one", 2: "two", 3: "three", 4: "four"},
    ordinals=("first", "second", "third", "fourth", "fifth"),
    and_word="and",
    one_question_left="one more question",
    questions_left="{count} more questions",
    qualification_nouns=("qualification", "qualifications"),
    level_nouns=("level", "levels"),
    yes="Yes.",
    no="No.",
    duration_verdict="{verdict}, for level {level}.",
    list_item="- {name} (crebo {crebo}, level {level})",
    list_item_in_dossier="- {name} (crebo {crebo}, level {level}): {dossier_name} ({dossier_number})",
    duration_of_record=(" About the length of the programme, the source says: {dossier} at level {level} is a "
                        "{years}-year programme."),
    duration_at_level="at level {level} it is a {years}-year programme",
    dossier_duration="{dossier} at level {level} is a {years}-year programme",
    name_and_number="{name} ({number})",
    said_of=": {qualifications}",
    name_and_crebo="{name} (crebo {crebo})",
    duration_line="{item}: {stated}",
    duration_unknown="my sources say nothing about it",
    duration_also_known=" About the length of the programme, the source does say: {known}.",
    no_duration_for=" The source says nothing about the length of {names}.",
    other_levels_unknown=" My sources say nothing about the other levels of that dossier.",
    qualification_of_the_duration=(" {name} (crebo {crebo}) is a qualification at level {level} in the kwalificatiedossier "
                                   "(qualification file) {dossier_name} ({dossier_number}); the source does not mention "
                                   "the qualifications separately here."),
    subject_at_level="{name} at level {level}",
    programmes_at_level="programmes at level {level}",
    known_of_qualification=(" What they do say about {name}: crebo {crebo}, level {level}, in the kwalificatiedossier "
                            "(qualification file) {dossier_name} ({dossier_number}) (source: {source})."),
    known_of_dossier=(" What they do say about {name}: it is kwalificatiedossier (qualification file) {number}, with "
                      "{names} (source: {source})."),
    known_of_the_leerweg=" About the learning path they say ({source}): {leerweg}",
    asked_of_the_faq_subject={"crebo": "Which crebo number belongs to it",
                              "dossier": "Which kwalificatiedossier (qualification file) it ends up in, and its number,",
                              "level": "The level it is at",
                              "count": "How many there are or were",
                              "date": "The exact date", "duration": "How long that takes",
                              "contact": "Contact details (phone, email, address)", "link": "A link or website",
                              "cost": "What it costs", "salary": "What you earn with it",
                              "schools": "Which schools offer it, and where",
                              "admission": "Which admission requirements apply", "hours": "How many hours it takes",
                              "subsidy": "Which subsidies or allowances there are",
                              "prospects": "What your chances of work or further study are",
                              "statistics": "Numbers and percentages", "dates": "The exact dates",
                              "old_numbers": "Which crebo numbers there were before the revision",
                              "events": "When there are open days or information evenings",
                              "other": "Exactly what you ask"},
    known_from_the_faq_answer=" What the source does say about it is in the answer above ({source}).",
    premise_qualification=("{name} (crebo {crebo}) is a qualification at level {level} in the new kwalificatiedossier "
                           "(qualification file) {dossier_name} ({dossier_number})."),
    premise_dossier=("{name} ({number}) is one of the new kwalificatiedossiers (qualification files), with these "
                     "qualifications:\n"),
    other_is_qualification=" {name} is a qualification with crebo {crebo}, in the kwalificatiedossier {dossier_name}.",
    other_dossier_number=" {name} has dossier number {number}.",
    level_step="at level {level}, one level {direction} than {name}",
    lower_higher=("lower", "higher"),
    besides="besides {name}",
    at_level=" at level {level}",
    level_with_count="level {level} ({count})",
    dossier_with_levels="- {name} ({number}): {count}, level {levels}",
    level_relation={"at": "at level {level}", "below": "below level {level}", "above": "above level {level}"},
    outside=" outside {names}",
    level_left_out="level {level}",
    counted_before_at_level="qualifications there were at level {level}",
    counted_before_dossiers="kwalificatiedossiers (qualification files) there were",
    counted_before_in_dossier="qualifications there were in {name}",
    none_at_level=("no qualification", "0 qualifications"),
    all_new_dossiers="All new metal dossiers",
    dossier_subject="The kwalificatiedossier {name} ({number})",
    something_else="Something else",
)

WORDINGS: Dict[str, Wording] = {DUTCH: DUTCH_WORDING, ENGLISH: ENGLISH_WORDING}


def wording(language: str) -> Wording:
    """The wording of `language` ('nl' or 'en'); Dutch for anything else."""
    return WORDINGS.get(language, DUTCH_WORDING)


# -- the dataset's general facts in English ----------------------------------------------------
# bot/knowledge/qualifications.yml holds each fact in Dutch, as its sources say it. An English
# conversation reads the rendering below; the Dutch it renders is kept beside it, so a change
# to the Dutch fails tests/actions/test_wording.py until the English is redone.
FACTS_IN_ENGLISH: Dict[str, Tuple[str, str]] = {
    "before_revision": (
        "Vóór de herziening waren er volgens het 1e vragenuur 53 kwalificaties; de column over doorlopende leerroutes "
        "citeert een congrestekst die spreekt van 'ruim dertig'.",
        "Before the revision there were 53 qualifications, according to the 1e vragenuur (first Q&A session); the "
        "column about doorlopende leerroutes (continuous learning routes) quotes a conference text that speaks of "
        "'ruim dertig' (more than thirty).",
    ),
    "leerweg": (
        "De kwalificatiedossiers zijn leerwegonafhankelijk beschreven: de opleidingen kunnen zowel in de BOL als in "
        "de BBL plaatsvinden. Hoe (BOL, BBL of allebei) is aan de school.",
        "The kwalificatiedossiers (qualification files) are described independently of the learning route: the "
        "programmes can take place both in the BOL (school-based route) and in the BBL (work-based route, "
        "apprenticeship). How (BOL, BBL or both) is up to the school.",
    ),
}


def fact_text(key: str, dutch: str, language: str) -> str:
    """A general fact in `language`: the English rendering when there is one for this very Dutch text."""
    rendered = FACTS_IN_ENGLISH.get(key)
    if language == ENGLISH and rendered is not None and rendered[0] == dutch:
        return rendered[1]
    return dutch
