"""Lookups of crebo numbers, qualifications, dossiers, levels and durations, with context.

Every answer comes from bot/knowledge/qualifications.yml and names its source; an unknown
number or name is said to be unknown, never answered with a near miss. What a message names
and asks is read by bot.knowledge.reader; the intent only says what is asked when the
words do not ("25893?"). Follow-ups ("en in welk dossier zit die?", "een niveau lager?",
"en de andere van niveau 4?") resolve against the slots below, which every answer updates.
A follow-up that cannot be resolved asks which one is meant. What the answers fill in comes
in the conversation's language (actions/wording.py); the names stay as the sources write them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Collection, Dict, FrozenSet, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge.models import Dossier, Level, LevelDuration, Qualification, SourceRef, cite
from actions.feedback import ask_feedback
from actions.wording import DUTCH_WORDING, Wording, fact_text, wording
from bot.feedback import NOT_ANSWERS, lookup_answer
from bot.knowledge.lookup_intents import FAQ_ASKS, INTENT_ASKS, LIST_BY_LEVEL, OVERVIEW, RECORD_ASKS, intent_asking
from bot.knowledge.asked import STUDY_FORMS_TOPIC, ask_model, what_was_asked
from bot.knowledge.faq_gaps import NUMBERS_OF_THE_NAMED, left_out_of_the_answer
from bot.knowledge.reader import DOSSIERS, QUALIFICATIONS, Ask, Reading, read, the_record_named
from bot.knowledge import load_catalogue
from bot.knowledge.faq import RETRIEVAL_ACTION, response_name
from bot.knowledge.faq_levels import answer_levels, qualifications_at_the_answers_levels
from bot.knowledge.nouns import COUNTS_DOSSIERS, COUNTS_THE_LIST, DATASET_NOUNS, HOW_MANY_RECORDS
from bot.knowledge.references import (by_extreme_level, by_level, by_position, dossiers_counted_by_property,
                                       level_relation, listed_in_faq_answer, picks_by_structure, property_query, resolve,
                                       THE_LIST_BEFORE, words_after_ordinals)
from bot.knowledge.search import FILLER_WORDS, KnowledgeIndex, Record, knowledge_index, record_number
from bot.language import DUTCH, conversation_language
from bot.text import normalise, number_candidates, parse_levels

# Context slots (domain.yml): what the conversation is about, for follow-ups.
QUALIFICATION_SLOT = "qualification"
DOSSIER_SLOT = "dossier"
LEVEL_SLOT = "level"
QUESTION_SLOT = "lookup_question"
SHOWN_SLOT = "shown_list"  # the records of the last list shown, for "die commerciële", "de laatste"
LIST_BEFORE_SLOT = "list_before"  # the list shown before it, for "de hoogste uit die eerste lijst"

# A follow-up this short with a level is about the dossier in context ("en van niveau 4?").
SHORT_FOLLOW_UP = 6
# Words that make a count or list one of the whole dataset, even with a pointing word in it
# ("hoeveel metaalopleidingen blijven er over na die herziening?", "… in die dossiers bij elkaar?").
_EVERYTHING = ("alle", "allemaal", "metaal", "totaal", "overal", "in het algemeen", "bij elkaar", "samen", "opgeteld",
               "herziening", "structuur", "kwalificatiestructuur")


# Words of a lookup question that name nothing ("welk crebo heeft …").
_QUESTION_WORDS = FILLER_WORDS | frozenset("welk welke wat is heeft hebben crebonummer kwalificatiedossier nummer "
                                           "opzoeken zoek zoeken betekent hoort bij van een de".split())


def _names_something_unknown(reading: Reading) -> bool:
    """'welk crebo heeft kapper?': a name that is in no record (a near miss is never given)."""
    return any(len(word) > 3 and not word.isdigit() and word not in _QUESTION_WORDS
               for word in reading.clean.split())


_HIGHEST_LEVEL = re.compile(r"\b(hoogste|hoogst) (niveau|nivo)\b")
_LOWEST_LEVEL = re.compile(r"\b(laagste|laagst) (niveau|nivo)\b")


def _extreme_level(reading: Reading, dataset) -> Optional[int]:
    """'het hoogste niveau' → 4, 'het laagste niveau' → 2: of the qualifications in the dataset."""
    clean = reading.clean
    levels = [int(q.level) for q in dataset.qualifications]
    return max(levels) if _HIGHEST_LEVEL.search(clean) else min(levels) if _LOWEST_LEVEL.search(clean) else None


# Pointing into the list just shown ("zit een van die twee …", "daarvan", "zit er daar een … bij"),
# not only after it ("en op niveau 3?" asks the same of another level).
# "de allround versie", "die commerciële", "the commercial one": another record of the same dossier.
_A_VARIANT = re.compile(r"\b(variant|versie|uitvoering|richting|variety|version)\b")
# A question that opens by asking which one, what or how: no Ja or Nee before its answer.
_ASKS_WHICH = re.compile(r"^((en|maar|dus|ok\w*|oke|and|but|so) )*(welke?|wat|wie|hoe|waar\w*|which|what|who|how|where)\b")
# What the user says is known already, so not asked about: "die van mechatronica ken ik al".
_ALREADY_KNOWN = re.compile(r"\b(ken|kennen|weet|weten|heb|hebben|had) (ik|we|wij|jij|je) (al|wel|allang)\b|\b(al|allang) bekend\b"
                            r"|\bi (already )?know\b|\b(already|i ve) (got|have|seen)\b")
_WHICH = re.compile(r"\b(welke|welk|wie|which)\b")
_INTO_THE_LIST = re.compile(r"\b(daarvan|ervan|hiervan|van die|van deze|een van|eentje|ertussen|daartussen|erbij|daarbij|"
                            r"daar\w* .{0,30}\b(bij|tussen|onder)|die twee|die drie|duren ze|zijn ze|zitten ze|horen ze|"
                            r"de crebo s|de crebonummers|hun crebo\w*|hun niveau\w*|hun dossier\w*|their crebo\w*|"
                            r"do they|are they|of them|of those|of these|any of|one of|"
                            r"among them|among those)\b")


# "op hetzelfde niveau", "at the same level": the level in context.
_SAME_LEVEL = re.compile(r"\b(hetzelfde|zelfde|dezelfde|dat|die) (niveau|nivo)\b|\b(same|that) level\b")
# What a follow-up that only names another record asks again.
_CARRIED_ASKS = frozenset({Ask.CREBO, Ask.LEVEL, Ask.DOSSIER, Ask.DURATION, Ask.LEERWEG, Ask.COUNT})
# The question before, asked again of another record in so many words: "geldt dat ook voor mechatronica niveau 4?"
_THE_SAME_AGAIN = re.compile(r"\b(ook zo|net zo|precies zo|hetzelfde|ook het geval|geldt dat ook|geldt dit ook|"
                             r"the same|also the case|does that apply|is that so)\b")


# "welke andere opleidingen zitten erin?", "the other ones": every other one, not the other at this level.
_THE_OTHERS = re.compile(r"\bander\w* (opleidingen|kwalificaties|varianten|richtingen)\b|\bde anderen\b"
                         r"|\bother (ones|qualifications|programmes|programs|courses|variants)\b|\bothers\b")
# "in dat dossier", "in hetzelfde dossier", "in that file": where the record is, not a question about it.
_IN_THAT_DOSSIER = re.compile(r"\b(in|uit|van|bij|binnen) (dat|dit|hetzelfde|datzelfde|die|dezelfde|het zelfde) "
                              r"(kwalificatiedossier|dossier|kd)\b|\b(in|from|of) (that|this|the same) (file|dossier)\b")
# "hoeveel … , en … niveau 3": a count asked in a clause before the one that names the level.
_COUNTED_BEFORE_THE_LEVEL = re.compile(r"\bhoeveel\b(?:(?!\b(?:niveau|nivo|mbo)\b).)*\b(?:en|plus|ook)\b.*\b(?:niveau|nivo|mbo)\b"
                                       r"|\bhow many\b(?:(?!\blevel\b).)*\band\b.*\blevel\b")
# "en in het andere dossier?": the same question of the dossiers the conversation is not about.
_IN_ANOTHER_DOSSIER = re.compile(r"\b((in|uit|van|bij|binnen|voor) )?(het|de|dat|die) andere (kwalificatiedossiers?|dossiers?|"
                                 r"kd s?|richtingen?)\b|\b(in|from|of|for) the other (files?|dossiers?)\b")
# "wat is de tegenhanger bij Productietechniek?": the one at the same level in that dossier.
# ("op hetzelfde niveau" is read as that level: _SAME_LEVEL.)
_COUNTERPART = re.compile(r"\b(tegenhanger|tegenhangers|equivalent|evenknie|gelijkwaardige|vergelijkbare|counterpart)\b")
# Up to this many qualifications, a duration answer names each one ("hoe lang duren de laatste twee?").
_EACH_BY_NAME = 3
# More records named at once than this get one line each, not a card each ("wat zijn 25894 t/m 25897?").
_CARDS_AT_MOST = 2
# "samen", "bij elkaar", "in totaal": one count over several levels.
_TOGETHER = re.compile(r"\b(samen|bij elkaar|bijeen|in totaal|totaal|opgeteld|together|in total|combined|altogether|total)\b")


# "welk dossiernummer heeft Engineering?": the number of the dossier named, whatever list was shown
# (unless the message points into the list: "welk dossiernummer heeft die?").
_DOSSIER_NUMBER_ASKED = re.compile(r"\b(dossiernummers?|kd nummers?|nummer van (het|dat) dossier|file number|dossier number)\b")
_POINTER_WORDS = re.compile(r"\b(die|deze|daarvan|ervan)\b")
# The past tense of a count: "hoeveel … had mechatronica vroeger", "hoeveel waren dat er voor de herziening".
_COUNTED_THEN = re.compile(r"\b(had|hadden|waren|was|telde|telden|bevatte|bevatten|were there|did it have)\b")
# "op welk niveau zitten de meeste kwalificaties?", "which level has the fewest?"
_LEVEL_WITH_MOST = re.compile(r"\b(welk|welke|which) (niveau|nivo|level)\b.*\b(meeste|minste|most|fewest|least)\b")
# "is dat mbo 4?", "zit die op niveau 3?": a claim about the record in context.
_IS_IT = re.compile(r"^(en |maar |dus |oh |o )?(is|zit|valt) (dat|die|het|deze|dit)\b")
_MEMBERSHIP_WORDS = re.compile(r"\b(hoort|horen|valt|vallen|zit|zitten|behoort|behoren|onder|bij|dossier\w*|kd|"
                               r"belongs?|falls?|under|part of|file)\b")


def _means_everything(reading: Reading) -> bool:
    words = f" {reading.clean} "
    return any(f" {word} " in words for word in _EVERYTHING) or " metaal" in words  # "metaalopleidingen"


# Asks answered from one record, in the order a message with several is answered.
_RECORD_ASKS = (Ask.COUNT, Ask.LEVEL, Ask.DOSSIER, Ask.DURATION, Ask.LEERWEG, Ask.LIST, Ask.CREBO)



def _first_asked(asks: Collection[Ask]) -> Optional[Ask]:
    """The ask of `asks` a record's answer answers first (_RECORD_ASKS order), or None."""
    return next((a for a in _RECORD_ASKS if a in asks), None)


# What a dossier's answers answer, each on its own, in this order.
_DOSSIER_ASKS = (Ask.COUNT, Ask.LEVEL, Ask.DURATION, Ask.LEERWEG)

# Load and validate the dataset when the action server imports this module, so a
# broken dataset stops the server before the first conversation; and train the ask model
# (bot/knowledge/asked.py, a few seconds) now rather than during the first user's question.
knowledge_index()
ask_model()


def qualification_list(qualifications: Sequence[Qualification], words: Wording = DUTCH_WORDING) -> Text:
    """'- Technicus mechatronica (crebo 25893, niveau 4)', one line each."""
    return "\n".join(words.list_item.format(name=q.name, crebo=q.crebo, level=int(q.level)) for q in qualifications)


def sources_of(records: Sequence[Record], language: Text = DUTCH) -> Text:
    """Where the records come from: '1e vragenuur, 4 maart 2022 (vraag 2)'."""
    return cite(tuple(record.source for record in records), language)


FAQ_SUBJECT_SLOT = "faq_subject"


def _last_answer(tracker: Tracker) -> Optional[Text]:
    """The action that answered the message before this one."""
    latest_user = max((i for i, e in enumerate(tracker.events) if e.get("event") == "user"), default=len(tracker.events))
    for event in reversed(tracker.events[:latest_user]):
        if event.get("event") == "action" and event.get("name") not in NOT_ANSWERS:
            return event.get("name")
    return None


def _earlier_messages(tracker: Tracker) -> List[Text]:
    """What the user said before this message, oldest first."""
    return [e.get("text") or "" for e in tracker.events if e.get("event") == "user"][:-1]


def _level_referred_to(tracker: Tracker, messages_back: int = 3) -> Optional[int]:
    """When this message says "dat niveau" and no answer kept a level: the last level the user
    named in the messages before it ("niveau 2 lijkt ons haalbaar." … "welke opleidingen zijn
    er op dat niveau?"). Other messages need no such search."""
    if not _SAME_LEVEL.search(normalise(tracker.latest_message.get("text") or "")):
        return None
    for text in reversed(_earlier_messages(tracker)[-messages_back:]):
        levels = parse_levels(text)
        if levels:
            return levels[-1]
    return None


@dataclass(frozen=True)
class LookupContext:
    """What the conversation was about before this message."""

    qualification: Optional[Qualification] = None
    dossier: Optional[Dossier] = None
    level: Optional[int] = None
    question: Optional[Ask] = None
    shown: Tuple[Record, ...] = ()  # the last list shown, in its order
    list_before: Tuple[Record, ...] = ()  # the list shown before that one
    faq_question: Optional[Ask] = None  # the fact the FAQ answer just given is about (bot.knowledge.lookup_intents.FAQ_ASKS)
    counted_dossiers: bool = False  # the previous message counted dossiers ("hoeveel dossiers zijn er?" → "en vroeger?")
    faq_subject: Optional[str] = None  # the key of the FAQ answer just given
    # The FAQ answer the message itself is about, when it asks a fact that answer does not give
    # ("welk crebonummer krijgt human technology?"; bot.nlu.lookup_reader).
    faq_named: Optional[str] = None

    @classmethod
    def from_tracker(cls, tracker: Tracker, index: KnowledgeIndex) -> "LookupContext":
        crebo, number = tracker.get_slot(QUALIFICATION_SLOT), tracker.get_slot(DOSSIER_SLOT)
        level, question = tracker.get_slot(LEVEL_SLOT), tracker.get_slot(QUESTION_SLOT)
        after_faq = _last_answer(tracker) == RETRIEVAL_ACTION
        numbers = listed_in_faq_answer(tracker.get_slot(FAQ_SUBJECT_SLOT)) if after_faq else ()
        numbers = numbers or tracker.get_slot(SHOWN_SLOT) or []  # an FAQ answer that lists records, else a lookup's list
        shown = tuple(r for r in (index.by_number(str(n)) for n in numbers) if r is not None)
        list_before = tuple(r for r in (index.by_number(str(n)) for n in tracker.get_slot(LIST_BEFORE_SLOT) or []) if r is not None)
        earlier = _earlier_messages(tracker)
        named_before = the_record_named(earlier[-1], index) if after_faq and earlier else None
        if named_before is not None:  # the record the user named in the message an FAQ answer answered
            crebo = named_before.crebo if isinstance(named_before, Qualification) else None
            number = index.dataset.dossier_of(named_before).number if crebo else named_before.number
            level = int(named_before.level) if crebo else None
        return cls(
            qualification=index.dataset.qualification(str(crebo)) if crebo else None,
            dossier=index.dataset.dossier(str(number)) if number else None,
            level=int(float(level)) if level not in (None, "") else _level_referred_to(tracker),
            question=Ask(question) if question in {ask.value for ask in Ask} else None,
            shown=shown,
            list_before=list_before,
            faq_question=FAQ_ASKS.get(tracker.get_slot(FAQ_SUBJECT_SLOT) or "") if after_faq else None,
            counted_dossiers=bool(earlier) and bool(COUNTS_DOSSIERS.search(normalise(earlier[-1]))),
            faq_subject=(tracker.get_slot(FAQ_SUBJECT_SLOT) or None) if after_faq else None,
            faq_named=next((str(e.get("value")) for e in tracker.latest_message.get("entities") or []
                            if e.get("entity") == FAQ_SUBJECT_SLOT), None),
        )

    @property
    def record(self) -> Optional[Record]:
        return self.qualification or self.dossier


class LookupAnswerer:
    """Answers one question (a message, or one part of it) and keeps the context up to date."""

    def __init__(self, dispatcher: CollectingDispatcher, context: LookupContext, index: Optional[KnowledgeIndex] = None,
                 language: Text = DUTCH):
        self.dispatcher = dispatcher
        self.context = context
        self.index = index or knowledge_index()
        self.dataset = self.index.dataset
        self.language = language
        self.words = wording(language)  # what the answers fill in, in the conversation's language
        # The number of qualifications a message claims ("klopt het dat Productietechniek er vier
        # heeft?"): a count answered says Ja or Nee first.
        self.claimed_qualifications: Optional[int] = None
        # The numbers the message itself gives: "wat is crebo 25894?" asks what it is, not its number.
        self.numbers_typed: FrozenSet[Text] = frozenset()
        self.counts_in_words = False  # "hoeveel kwalificaties …", not "het dossier met vier kwalificaties"
        self.asks_which = False  # "welke heeft geen niveau 3?": a question no Ja or Nee answers

    # -- wording ---------------------------------------------------------------------------

    def label(self, *sources: SourceRef) -> Text:
        """'4e vragenuur, 11 oktober 2022 (vraag 3)', in English '… (question 3)'; several joined by '; '."""
        return "; ".join(source.label(self.language) for source in sources)

    def listed(self, qualifications: Sequence[Qualification]) -> Text:
        return qualification_list(qualifications, self.words)

    def dossier_duration(self, dossier: Dossier, duration: LevelDuration, numbered: bool = True) -> Text:
        """'Productietechniek (23361) op niveau 4 is een vierjarige opleiding', as the source says it (not
        `numbered`: without the number, beside an answer about another record)."""
        name = self.words.name_and_number.format(name=dossier.name, number=dossier.number) if numbered else dossier.name
        return self.words.dossier_duration.format(dossier=name, level=int(duration.level), years=self.words.number(duration.years))

    # -- reading the question ---------------------------------------------------------------

    def answer(self, text: Text, intent: Optional[Text] = None, crebo_entities: Sequence[Text] = ()) -> LookupContext:
        """Answer `text`; returns the context after the answer. In three steps: what is asked,
        what the message points at (a record, a list just shown, the context), then the answer."""
        # A button after "Welke bedoel je?" sends `/<intent>{"crebo": …}`: the intent says what is asked.
        chosen = [r for r in (self.index.by_number(str(n)) for n in crebo_entities) if r is not None]
        self.numbers_typed = frozenset(number_candidates(text))
        self.counts_in_words = bool(HOW_MANY_RECORDS.search(normalise(text)))
        self.asks_which = bool(_ASKS_WHICH.match(normalise(text)))
        reading = Reading(text=text, records=tuple(chosen)) if text.startswith("/") else read(text, self.index)
        self.context = back_to_the_list_before(self.context, reading.clean)  # "de hoogste uit die eerste lijst"
        if intent == LIST_BY_LEVEL and self.context.faq_named:
            # the reader chose the FAQ answer that names levels, and the qualifications at them (bot/knowledge/faq_levels.py)
            answered = self.at_the_answers_levels(self.context.faq_named, reading)
            if answered is not None:
                return answered
        # (not "de monteur niet maar de andere: bij welk dossier hoort die?": a fact of the one of the list left)
        if (reading.excluded and not reading.records and self._follows_a_count()
                and not (reading.asks & RECORD_ASKS and resolve(reading.text, self.context.shown, self.dataset))):
            # "hoeveel zijn er op niveau 2?" → "en als je Productietechniek niet meetelt?"
            counted = self.context.question is not Ask.LIST
            if self.context.level is not None:
                return self.level_list(self.context.level, counted=counted, left_out=reading.excluded)
            return self.outside(reading.excluded, counted=counted)
        # "wat is het crebo van Technicus engineering?" → "en voor mechatronica?": its level's one there
        same_of_a_dossier = (self._asks_the_same_of_another(reading) and isinstance(self.context.record, Qualification)
                             and self.context.question is Ask.CREBO)
        reading, asks = self.what_is_asked(reading, normalise(text), intent)
        if (Ask.NOT_HELD in reading.asks and INTENT_ASKS.get(intent or "") is not Ask.NOT_HELD and reading.only_guesses_not_held
                and picks_by_structure(reading.text, self.context.shown, self.dataset)):
            # "welke heeft alleen maar niveau 4?" after the dossiers: a pick from the list, as the reader read it
            reading = replace(reading, asks=reading.asks - {Ask.NOT_HELD})
        if ((_COUNTERPART.search(reading.clean) or same_of_a_dossier) and self.context.level is not None
                and len(reading.records) == 1 and isinstance(reading.record, Dossier)
                and reading.record != self.context.dossier
                and not reading.names_a_topic):  # (not "wat kost de tegenhanger bij …?")
            return self.at_the_same_level_in([reading.record], asks - {Ask.DOSSIER, Ask.NOT_HELD})
        answered = self.answer_before_records(reading, asks, text)
        if answered is not None:
            return answered
        if _IN_ANOTHER_DOSSIER.search(reading.clean) and not reading.names_something and self.context.dossier is not None:
            return self.in_the_other_dossiers(asks - {Ask.DOSSIER})
        reading, answered = self.what_it_points_at(reading, asks)
        if answered is not None:
            return answered
        if reading.candidates:
            self.ask_which(reading.candidates, asks & RECORD_ASKS)
            return self.context
        if reading.records:
            return self.about_records(reading, asks)
        return self.about_context(reading, asks, overview_chosen=intent == OVERVIEW)

    def what_is_asked(self, reading: Reading, clean: Text, intent: Optional[Text]) -> Tuple[Reading, set]:
        """The facts asked for; a follow-up takes them from the context ("en Technicus engineering?")."""
        if reading.is_check and reading.claimed_count and reading.claimed_count[1] == QUALIFICATIONS:
            self.claimed_qualifications = reading.claimed_count[0]
        asks = set(reading.asks) - {Ask.CHECK, Ask.EXISTS}
        if not asks and reading.correction and self.context.question:
            asks = {self.context.question}  # "ik bedoelde eigenlijk Engineering": the same question again
        if _SAME_LEVEL.search(clean) and self.context.level is not None and not reading.levels:
            reading = replace(reading, levels=(self.context.level,))  # "… op hetzelfde niveau?"
        if self._asks_the_same_of_another(reading):
            asks = {self.context.question}  # "Hoe lang duurt Productietechnicus?" → "En Technicus engineering?"
        elif self._asks_the_same_again_of_another(reading):
            asks = {self.context.question or self.context.faq_question}  # (its level says which one: not a level checked)
            reading = replace(reading, asks=frozenset(asks), claimed_years=None)
        if not asks and reading.records and self.context.faq_question and ask_model().names_only(reading.text):
            asks = {self.context.faq_question}  # the FAQ on the duration at level 4 → "en Mechatronica?"
        if _IN_THAT_DOSSIER.search(clean) and reading.other_variant:
            # "en de andere kwalificatie in dat dossier?": the dossier is where, not what is asked
            reading = replace(reading, asks=reading.asks - {Ask.DOSSIER})
            asks.discard(Ask.DOSSIER)
        if (not reading.asks and reading.levels and not reading.records and self.context.question is Ask.DURATION
                and self.context.record is not None and (reading.word_count <= SHORT_FOLLOW_UP or reading.refers_back)):
            asks = {Ask.DURATION}  # "duurt technicus mechatronica toch 3 jaar?" → "en niveau 3?": how long that is
        hinted = INTENT_ASKS.get(intent or "")
        if not asks and hinted:
            asks = {hinted}
        if hinted is Ask.NOT_HELD:
            reading = replace(reading, asks=reading.asks | {Ask.NOT_HELD})
        if reading.claimed_years is not None and (reading.records or (reading.levels and not self.context.record)):
            asks.add(Ask.DURATION)  # "zijn de Engineering-opleidingen ook vierjarig?", "… alle niveau 4-opleidingen?"
        return reading, asks

    def answer_before_records(self, reading: Reading, asks: set, text: Text) -> Optional[LookupContext]:
        """What is answered whatever the message points at: an unknown or malformed number, what the
        sources do not hold, nothing at a level of the list, dossiers counted by their levels."""
        if reading.unknown_numbers and not reading.records:
            self.utter("utter_crebo_unknown", crebo=reading.unknown_numbers[0])
            return self.context
        if self._none_of_the_list_at_level(reading):
            return self.none_in_list(reading)  # "zit een van die twee op een lager niveau dan 4?": no
        if Ask.NOT_HELD in reading.asks:
            meant = self.meant_from_list(reading)
            if meant is not None and len(meant) == 1:
                reading = replace(reading, records=meant, candidates=())  # "en wat kost de commerciële?" after a list
            facts = asks - {Ask.NOT_HELD}
            if facts and reading.records and not reading.candidates:
                self.about_records(reading, facts)  # "hoe lang duurt het en wat kost het?": both answered
            return self.not_in_sources(reading)
        dossier_counted = reading.record if isinstance(reading.record, Dossier) and len(reading.records) == 1 else (
            self.context.dossier if not reading.names_something and self.context.qualification is None else None)
        if (reading.before_the_revision and Ask.COUNT in asks and dossier_counted is not None and not reading.levels
                and _COUNTED_THEN.search(reading.clean)):
            # "hoeveel kwalificaties had mechatronica vroeger?", "… en hoeveel waren dat er voor de herziening?"
            return self.count_before(None, dossier_counted)
        if reading.before_the_revision and not reading.names_something:
            # The sources count the old structure only as a whole (53 qualifications): "hoeveel dossiers waren er
            # vóór de herziening?", "… op niveau 3?", and "en daarvoor?" after a count at a level
            after_a_level = (not reading.levels and self._follows_a_count() and self.context.level is not None
                             and reading.word_count <= 2 * SHORT_FOLLOW_UP)
            at_level = reading.levels[0] if len(reading.levels) == 1 else self.context.level if after_a_level else None
            after_dossiers = self._follows_a_count() and self.context.counted_dossiers and reading.word_count <= SHORT_FOLLOW_UP
            if at_level is not None or (Ask.COUNT in asks and reading.counts_dossiers) or after_dossiers:
                return self.count_before(at_level)
        malformed = [n for n in number_candidates(text) if 3 <= len(n) <= 7 and len(n) != 5]
        if malformed and not reading.records and Ask.CREBO in asks:
            self.utter("utter_crebo_malformed", crebo=malformed[0])  # "crebo 2589": one digit short
            return self.context
        counted = None if reading.records or reading.candidates else dossiers_counted_by_property(reading.text, self.dataset)
        if counted is not None:
            return self.dossiers_counted(counted)  # "hoeveel dossiers bevatten uitsluitend niveau 4?"
        return None

    def what_it_points_at(self, reading: Reading, asks: set) -> Tuple[Reading, Optional[LookupContext]]:
        """The records meant, from the list just shown or a dossier's extreme level, put in the
        reading; or the answer, when what it points at is answered as a list."""
        others = self._the_others_in_its_named_dossier(reading)
        if others is not None:
            # "wat is 25899 voor opleiding?" → "en de andere opleiding van engineering?": not the one just given
            return replace(reading, records=others, candidates=()), None
        extreme_in_dossier = self._extreme_of_a_named_dossier(reading)
        if extreme_in_dossier is not None:
            # "welk crebo heeft de laagste van productietechniek?", also after a list that holds that dossier
            return replace(reading, records=extreme_in_dossier, candidates=(), levels=()), None
        meant = self.meant_from_list(reading)
        if meant is None and reading.level_step and not reading.names_something and self.context.record is None and self.context.shown:
            return reading, self.steps_from_the_list(reading)  # a level up or down from a list of one level
        if meant is None and not reading.names_something and (reading.correction or _A_VARIANT.search(reading.clean)):
            meant = self._variant_of_the_record(reading)  # "nee sorry, ik bedoelde de allround versie" of Medewerker productietechniek
        if meant is None and reading.other_variant and not reading.names_something and self.context.record in self.context.shown:
            # "nee sorry, ik bedoelde de andere" right after one item of a list: the rest of that list
            meant = tuple(r for r in self.context.shown if r != self.context.record) or None
        whole_list = meant is None and self._means_the_whole_list(reading, asks)
        if whole_list:
            if Ask.COUNT in asks and set(self.dataset.dossiers) <= set(self.context.shown) and self._qualifications_shown():
                return reading, self.overview(reading)  # "hoeveel zijn dat er?" after all dossiers with their qualifications
            # "en in welke dossiers zitten die?" after a list
            meant = self.context.shown if Ask.COUNT in asks else self._qualifications_shown()
        # a dossier named in "hoeveel daarvan vallen onder Mechatronica?" narrows the list, it is not counted itself
        narrowing = bool(self.context.shown) and isinstance(self.context.shown[0], Qualification)
        named = [r for r in reading.records if not (narrowing and isinstance(r, Dossier))]
        if (meant is not None and Ask.COUNT in asks and not named and self.context.shown
                and all(isinstance(r, Qualification) for r in meant)):
            return reading, self.show_from_list(meant)  # "en hoeveel daarvan zijn niveau 4?": how many, and which
        pointing_into_the_list = (meant is None and not reading.names_something
                                  and (reading.refers_back or bool(_INTO_THE_LIST.search(reading.clean))))
        picked_from = meant if meant is not None and len(meant) > 1 else self.context.shown if pointing_into_the_list else ()
        lasting = self._the_one_that_lasts(picked_from, reading) if picked_from else None
        if lasting is not None:
            # "welke van die drie duurt 3 jaar, en wat is het crebonummer?": the one the source gives that duration
            return replace(reading, records=(lasting,), candidates=(), claimed_years=None), None  # its card says all
        if meant is not None and len(meant) > 1 and Ask.COUNT in asks and all(isinstance(r, Dossier) for r in meant):
            # "hoeveel kwalificaties tellen die twee dossiers samen?": each one's count (and their total)
            return replace(reading, records=meant, candidates=()), None
        if meant is not None and len(meant) > 1:
            # (a number of years said of them asks it too: "mogen die uit dat rijtje vierjarig worden aangeboden?")
            if (Ask.DURATION in asks or reading.claimed_years is not None) and all(isinstance(r, Qualification) for r in meant):
                # "hoe lang duurt niveau 4 daar?", "welke daarvan duren 4 jaar?": what the source says per level
                return reading, self.durations_of(meant)
            # (also of a part picked without naming a dossier: "de eerste drie, onder welk dossier vallen die?"; but
            # "welke daarvan horen bij Engineering?" picks by the dossier, and gets the ones picked)
            if Ask.DOSSIER in asks and (whole_list or set(meant) == set(self.context.shown) or not reading.names_something) and all(
                    isinstance(r, Qualification) for r in meant):
                return reading, self.dossiers_of(meant)  # "en in welke dossiers zitten die?", "van elk het dossiernummer?"
            return reading, self.show_from_list(meant)
        if meant is None and len(reading.records) == 1 and isinstance(reading.record, Dossier) and not reading.levels:
            # "de hoogste van productietechniek": two at its highest level (one is read above)
            extreme = by_extreme_level(reading.clean, self.dataset.qualifications_in(reading.record.number), self.dataset)
            if extreme:
                return reading, (self.show_from_list(extreme) if self.context.shown else self.about_records(
                    replace(reading, levels=(int(extreme[0].level),)), asks))
        if meant is not None:
            # a level narrows a dossier meant ("in het dossier Mechatronica uit dat antwoord: welke zit op niveau 3?"),
            # it does not point at a qualification meant
            one_dossier = len(meant) == 1 and isinstance(meant[0], Dossier)
            # a step towards a record named outside the list picked the one meant ("welke van die twee kan
            # doorstromen naar Eerste monteur?"): it is not asked again of the one meant
            step_picked = bool(reading.level_step and reading.records) and all(
                any(isinstance(m, Qualification) and isinstance(n, Qualification) and n.dossier_number == m.dossier_number
                    and (int(n.level) - int(m.level)) * reading.level_step > 0 for n in reading.records) for m in meant)
            return replace(reading, records=meant, candidates=(), levels=reading.levels if one_dossier else (),
                           level_step=0 if step_picked else reading.level_step), None
        if not reading.candidates and self._same_question_at_level(reading):
            # "hoeveel niveau 4-opleidingen heeft Productietechniek?" → "en Mechatronica?": at that level too
            return reading, self.dossier_at_level(reading.record, self.context.level, verdict=False,
                                                  counted=self.context.question is Ask.COUNT)
        return reading, None

    def _variant_at_the_level_named(self, reading: Reading, record: Record) -> Optional[Qualification]:
        """The one qualification of `record`'s dossier at the other level the message names as its
        variant ("de niveau 2-versie ervan"); None for a check ("is dat niveau 3?") or no such variant."""
        if not isinstance(record, Qualification) or reading.is_check or len(reading.levels) != 1:
            return None
        if int(record.level) == reading.levels[0] or not (_A_VARIANT.search(reading.clean) or reading.refers_back):
            return None
        variant = self._one_at_level(self.dataset.dossier_of(record), reading.levels)
        return variant if isinstance(variant, Qualification) else None

    def _variant_of_the_record(self, reading: Reading) -> Optional[Tuple[Record, ...]]:
        """The one other qualification of the record's dossier that a word of the message picks:
        "de commerciële variant" after Technicus engineering is Commercieel technicus engineering."""
        record = self.context.record
        if not isinstance(record, Qualification):
            return None
        own = self.dataset.qualifications_in(record.dossier_number)
        picked = [q for q in resolve(reading.text, own, self.dataset) or () if q != record]
        return tuple(picked) if len(picked) == 1 else None

    def _the_one_that_lasts(self, meant: Sequence[Record], reading: Reading) -> Optional[Qualification]:
        """Of the items meant, the only one whose duration the source gives as the years claimed."""
        if reading.claimed_years is None or not all(isinstance(r, Qualification) for r in meant):
            return None
        lasting = [q for q in meant if (stated := self.dataset.duration_of(q)) is not None and stated.years == reading.claimed_years]
        return lasting[0] if len(lasting) == 1 else None

    def _the_others_in_its_named_dossier(self, reading: Reading) -> Optional[Tuple[Record, ...]]:
        """The other qualifications of the dossier a message names as the other one ("de andere"), when the
        qualification in context is in that dossier."""
        record = self.context.qualification
        if (not reading.other_variant or record is None or reading.levels or len(reading.records) != 1
                or not isinstance(reading.record, Dossier) or reading.record.number != record.dossier_number):
            return None
        return tuple(q for q in self.dataset.qualifications_in(record.dossier_number) if q != record) or None

    def _extreme_of_a_named_dossier(self, reading: Reading) -> Optional[Tuple[Record, ...]]:
        """The one qualification of the one dossier the message names that it picks by the highest
        or lowest level, or by a word of its name ("… ik bedoelde Engineering. Het crebo van de
        niet-commerciële?")."""
        if len(reading.records) != 1 or not isinstance(reading.record, Dossier) or reading.levels:
            return None
        own = self.dataset.qualifications_in(reading.record.number)
        of_the_list = [r for r in self.context.shown if r in own]
        if len(of_the_list) == 1 and _INTO_THE_LIST.search(reading.clean):
            return tuple(of_the_list)  # "welke daarvan valt onder Engineering?": the one of the list shown
        picked = by_extreme_level(reading.clean, own, self.dataset) or resolve(reading.text, own, self.dataset)
        return picked if picked and len(picked) == 1 else None

    def about_records(self, reading: Reading, asks: set) -> LookupContext:
        records = list(reading.records)
        record = records[0]
        if reading.denies_existence:
            return self.correct_premise(record)
        if reading.claimed_years is not None and Ask.DURATION in asks and len(records) > 1 and all(
                isinstance(r, Dossier) for r in records):
            # "worden de niveau 4-opleidingen in Mechatronica en Productietechniek vierjarig?": each one
            for dossier in records:
                self.check_duration(dossier, reading)
            at_level = [q for d in records for q in self.dataset.qualifications_in(d.number)
                        if not reading.levels or int(q.level) in reading.levels]
            self.shown(at_level)  # "… en welke crebonummers hebben die?": that list, no one dossier
            self.context = LookupContext(None, None, reading.levels[0] if len(reading.levels) == 1 else None, Ask.DURATION,
                                         self.context.shown)
            return self.context
        if reading.claimed_years is not None and Ask.DURATION in asks:
            if Ask.LIST in asks and isinstance(record, Dossier) and len(records) == 1:
                self.tell_dossier(record, None)  # "wat hoort bij X, en is één daarvan vierjarig?": the list first
            checked = self.check_duration(record, reading)
            others = asks & {Ask.CREBO, Ask.LEVEL, Ask.DOSSIER}
            meant = self._one_at_level(record, reading.levels)
            if others and meant is not None:  # "duurt mechatronica 4 nog drie jaar, en welk crebo heeft het?"
                return self.tell(meant, others)
            self.leerweg_too(asks, record, reading.levels)  # "is mechatronica 4 nou 3 of 4 jaar? en kan ik het ook bbl doen?"
            return checked
        if reading.level_step and isinstance(record, Qualification) and len(records) == 1:
            return self.relatives(record, reading)  # "een niveau hoger dan Monteur mechatronica?"
        variant = self._variant_at_the_level_named(reading, record) if len(records) == 1 else None
        if variant is not None:
            # "geef het crebo van productietechnicus en ook dat van de niveau 2-versie ervan": both records
            self.tell(record, (asks & {Ask.CREBO, Ask.DOSSIER, Ask.DURATION}) or {Ask.CREBO})
            self.shown([record, variant])
            return self.tell(variant, {Ask.CREBO})
        other_levels = [level for level in reading.levels if level != int(record.level)] if isinstance(record, Qualification) else []
        if len(records) == 1 and len(other_levels) == 1 and _IN_THAT_DOSSIER.search(reading.clean):
            # "ik doe X op niveau 2; welke is er van niveau 3 in dat dossier?": X's dossier at that level
            return self.dossier_at_level(self.dataset.dossier_of(record), other_levels[0], verdict=Ask.EXISTS in reading.asks,
                                         counted=Ask.COUNT in asks)
        if reading.is_check or (reading.levels and isinstance(record, Qualification)):
            checked = self.check(reading)
            if checked is not None:
                if Ask.DURATION in asks and isinstance(record, Qualification):
                    self.tell_duration(record)  # "… en klopt het dat het niveau 4 is?": both answered
                if asks & {Ask.CREBO, Ask.DOSSIER} and isinstance(record, Qualification):
                    self.tell(record, asks & {Ask.CREBO, Ask.DOSSIER})  # "is eerste monteur mechatronica niveau 3, en bij welk dossier hoort hij?"
                self.leerweg_too(asks, record, ())  # "… en kan dat ook via de bbl?"
                return checked
        compared = all(isinstance(r, Dossier) for r in records) and bool(asks & {Ask.COUNT, Ask.DURATION})
        if (len(records) > _CARDS_AT_MOST and all(isinstance(r, Qualification) for r in records)
                and not asks & {Ask.DURATION, Ask.LEERWEG} and not reading.is_check):
            # "wat zijn 25894 t/m 25897?": a line each with crebo, level and dossier, not four cards
            self.dossiers_of(records, "utter_records_named")
            self.shown(records)
            return self.remember(records[-1], None)
        if len(records) > 1 and (not reading.is_check or compared):
            for each in records:  # "wat is 25891 en wat is 25893?", "de dossiernummers van Mechatronica en Engineering?"
                if isinstance(each, Dossier) and reading.levels and Ask.DURATION in asks:
                    self.duration_at_level(each, reading.levels[0])  # "niveau 4 van Mechatronica en Productietechniek"
                elif isinstance(each, Qualification) and not asks & RECORD_ASKS:
                    self.tell_record(each)
                else:
                    self.tell(each, asks)
            if compared and Ask.COUNT in asks and _TOGETHER.search(reading.clean) and not reading.levels:
                self.dossiers_total(records)  # "hoeveel kwalificaties hebben Mechatronica en Engineering samen?"
            if all(isinstance(r, Dossier) for r in records) and not asks & {Ask.CREBO, Ask.DOSSIER, Ask.DURATION}:
                # each dossier answered with its qualifications: "de eerste daarvan" is the first of those,
                # and "het dossier met …" still one of the dossiers (as in the overview)
                records = [q for d in records for q in self.dataset.qualifications_in(d.number)] + records
            self.shown(records)  # "wat zijn 25891 t/m 25893?" → "en de bovenste daarvan?"
            return self.remember(records[-1], None)
        if (isinstance(record, Dossier) and len(records) == 1 and len(reading.levels) == 1 and Ask.COUNT in asks
                and asks - {Ask.COUNT, Ask.LIST} and _COUNTED_BEFORE_THE_LEVEL.search(reading.clean)):
            # "hoeveel kwalificaties heeft productietechniek, en welk crebo heeft die op niveau 3?": the count is of
            # the whole dossier, the level belongs to the other question
            self.tell_dossier(record, Ask.COUNT)
            at_level = self.dataset.qualifications_in(record.number, reading.levels[0])
            if len(at_level) == 1:
                return self.tell_qualification(at_level[0], _first_asked(asks - {Ask.COUNT, Ask.LIST}))
            return self.dossier_at_level(record, reading.levels[0], verdict=False)
        if (isinstance(record, Dossier) and len(records) == 1 and len(reading.levels) == 1
                and not reading.asks & {Ask.LIST, Ask.COUNT, Ask.EXISTS, Ask.CHECK}):
            at_level = self.dataset.qualifications_in(record.number, reading.levels[0])
            plural_levels = Ask.LEVEL in asks and reading.names_levels_in_plural  # (its levels asked: the dossier's)
            if len(at_level) == 1 and asks - {Ask.DURATION} and not plural_levels:  # "mechatronica niveau 4: hoe lang en welk crebo?"
                return self.about_records(replace(reading, records=(at_level[0],), levels=()), asks)
        if isinstance(record, Dossier) and reading.levels and Ask.DURATION in asks:
            if Ask.LEVEL in asks and reading.names_levels_in_plural:
                self.tell_dossier(record, Ask.LEVEL)  # "welke niveaus heeft productietechniek? en hoe lang duurt niveau 4 daar?"
            elif asks & {Ask.COUNT, Ask.LIST}:  # how many a dossier has at a level, and how long they take
                self.dossier_at_level(record, reading.levels[0], verdict=False, counted=Ask.COUNT in asks)
            answered = self.duration_at_level(record, reading.levels[0])  # "hoe lang duurt niveau 4 van Productietechniek?"
            self.leerweg_too(asks, record, reading.levels)  # "… en kan ik het ook bbl doen?"
            return answered
        if isinstance(record, Dossier) and reading.levels and not asks & {Ask.DURATION, Ask.LEERWEG}:
            for level in reading.levels:  # "wat zijn de crebo's van productietechniek niveau 2 en niveau 3?": each level
                self.dossier_at_level(record, level, verdict=reading.is_check or Ask.EXISTS in reading.asks,
                                      counted=Ask.COUNT in asks, more_than_one=reading.more_than_one)
            if len(reading.levels) > 1:  # "en de tweede daarvan?" points into them all
                self.shown([q for q in self.dataset.qualifications_in(record.number) if int(q.level) in reading.levels])
            return self.context
        return self.tell(record, asks)

    def about_context(self, reading: Reading, asks: set, overview_chosen: bool = False) -> LookupContext:
        base = self.context.record
        if base is None:
            if Ask.LEVEL in asks and not reading.levels and reading.names_levels_in_plural:
                return self.levels_overview()  # "op hoeveel niveaus kun je de nieuwe kwalificaties halen?"
            if not reading.levels and _LEVEL_WITH_MOST.search(reading.clean):
                return self.levels_overview()  # "op welk niveau zitten de meeste kwalificaties?": the count at each
            if len(reading.levels) > 1 and asks & {Ask.LIST, Ask.COUNT, Ask.EXISTS}:
                # "zijn er evenveel op niveau 2 als op niveau 3?": each one; together the list shown ("hoe lang duren die?")
                shown = [q for level in reading.levels for q in self.level_list(level, counted=True).shown]
                if Ask.COUNT in asks and _TOGETHER.search(reading.clean):
                    self.levels_total(reading.levels)  # "hoeveel zijn er op niveau 3 en 4 samen?"
                self.context = LookupContext(None, None, None, Ask.COUNT, tuple(shown))
                return self.context
            extreme = _extreme_level(reading, self.dataset)
            if extreme is not None and not reading.levels and asks & {Ask.LIST, Ask.COUNT, Ask.EXISTS}:
                return self.level_list(extreme, counted=Ask.COUNT in asks)  # "welke zijn er op het hoogste niveau?"
            if reading.levels and Ask.DURATION in asks:
                # "hoe lang duurt een niveau 2-opleiding?", "zijn alle niveau 4-opleidingen vierjarig?"
                return self.level_durations(reading.levels[0], reading.claimed_years)
            if reading.levels and not (reading.level_step or reading.other_variant):
                return self.level_list(reading.levels[0], counted=Ask.COUNT in asks, left_out=reading.excluded)
            if (reading.excluded or reading.excluded_levels) and asks & {Ask.COUNT, Ask.LIST}:
                if reading.excluded and not reading.excluded_levels and reading.counts_dossiers:
                    return self.dossiers_outside(reading.excluded)  # "hoeveel dossiers blijven er over zonder Engineering?"
                # "hoeveel zijn er zonder Engineering?", "… als je niveau 2 niet meetelt?"
                return self.outside(reading.excluded, counted=Ask.COUNT in asks, levels=reading.excluded_levels)
            if asks & {Ask.COUNT, Ask.LIST} and re.search(r"\b(niveau|nivo)\b", reading.clean):
                self.utter("utter_ask_level")  # "welke opleidingen zijn er op niveau?": which level?
                return self.context
            # "kun je alle kwalificaties noemen die onder de herziening vallen?"; "En hoeveel kwalificaties
            # zijn het nu precies?": the reader chose the overview, and its "en" points at nothing in context.
            # "hoeveel dossiers zijn er?" → "en kwalificaties?": a noun of the dataset, short, is all of them
            of_the_dataset = bool(DATASET_NOUNS.search(reading.clean)) and reading.word_count <= SHORT_FOLLOW_UP
            # "een overzicht van de dossiers met hun nummers": the numbers of all, as the classifier chose
            numbers_of_all = overview_chosen and bool(asks) and asks <= {Ask.CREBO, Ask.DOSSIER}
            if (asks & {Ask.COUNT, Ask.LIST} or numbers_of_all) and (not reading.refers_back or _means_everything(reading)
                                                                     or overview_chosen or of_the_dataset):
                return self.overview(reading)
            if Ask.LEERWEG in asks:
                return self.tell_leerweg(self.words.all_new_dossiers)
            if _names_something_unknown(reading) and asks <= {Ask.CREBO, Ask.DOSSIER} and not reading.refers_back:
                return self.tell_unknown_name()  # "welk crebo heeft kapper?"
            self.utter("utter_ask_crebo" if asks == {Ask.CREBO} else "utter_ask_which_record")
            return self.context
        if reading.level_step or reading.other_variant:
            return self.relatives(base, reading)
        if asks & {Ask.DURATION, Ask.LEERWEG}:
            if reading.claimed_years is not None and Ask.DURATION in asks:
                return self.check_duration(base, reading)
            if reading.levels and Ask.DURATION in asks:
                dossier = base if isinstance(base, Dossier) else self.dataset.dossier_of(base)
                return self.duration_at_level(dossier, reading.levels[0])
            return self.tell(base, asks)
        if reading.levels and isinstance(base, Qualification) and Ask.LEVEL in asks and _IS_IT.search(reading.clean):
            # "… welk crebonummer moet ik vermelden, en is dat mbo 4?": that qualification's level, Ja or Nee
            checked = self.check(replace(reading, records=(base,)))
            if checked is not None:
                return checked
        if reading.levels:
            if _means_everything(reading) or not (reading.refers_back or reading.word_count <= SHORT_FOLLOW_UP):
                return self.level_list(reading.levels[0], counted=Ask.COUNT in asks)
            # "welke is er van niveau 2?", "en van niveau 4?": in the dossier the conversation is about
            dossier = base if isinstance(base, Dossier) else self.dataset.dossier_of(base)
            return self.dossier_at_level(dossier, reading.levels[0], verdict=reading.is_check or Ask.EXISTS in reading.asks,
                                         counted=Ask.COUNT in asks)
        if asks - {Ask.LIST, Ask.COUNT} or reading.refers_back or reading.correction:
            return self.tell(base, asks)
        if asks & {Ask.COUNT, Ask.LIST}:
            return self.overview(reading)
        self.utter("utter_ask_which_record")
        return self.context

    def meant_from_list(self, reading: Reading) -> Optional[Tuple[Record, ...]]:
        """The records of the last list shown that the message points at ("die commerciële",
        "de laatste", "die van niveau 2"), when it names no record in full itself."""
        shown = self.context.shown
        dossier_numbers = {d.number for d in self.dataset.dossiers}
        if reading.unknown_numbers or any(n for n in number_candidates(reading.text) if len(n) == 5 and not (
                n in dossier_numbers and shown and isinstance(shown[0], Qualification))):
            return None  # a crebo names its record; a dossier number may narrow a list ("welke van de twee valt onder 23361?")
        if not shown:
            # (not "… de niveau 3-variant in dat dossier" about the record in context: no dossier by a property)
            named_or_in_context = reading.records or reading.candidates or (reading.refers_back and self.context.record)
            return None if named_or_in_context else property_query(reading.text, self.dataset)
        named = reading.records or reading.candidates
        if named and reading.other_variant and all(r in shown for r in named):
            # "Technicus mechatronica ken ik al. Welke crebo's hebben de andere twee?": the rest of the list
            return tuple(r for r in shown if r not in named) or None
        if (named and reading.other_variant and _ALREADY_KNOWN.search(reading.clean)
                and all(isinstance(r, Dossier) for r in named) and all(isinstance(r, Qualification) for r in shown)):
            # "die van engineering heb ik al, en de andere?" after a list of qualifications: those of the other dossiers
            outside = tuple(r for r in shown if r.dossier_number not in {d.number for d in named})
            return outside if 0 < len(outside) < len(shown) else None
        if (len(named) == 1 and isinstance(named[0], Dossier) and _DOSSIER_NUMBER_ASKED.search(reading.clean)
                and not reading.asks & {Ask.LIST, Ask.COUNT}
                and not (_INTO_THE_LIST.search(reading.clean) or _POINTER_WORDS.search(reading.clean))):
            return None  # "… o ja, en welk dossiernummer heeft Engineering?": that dossier's number, not a list's items
        if named and not all(isinstance(r, Dossier) and isinstance(shown[0], Qualification) for r in named):
            in_list = tuple(r for r in named if r in shown)
            if len(in_list) > 1:  # "die monteur van niveau 3": the list's words narrow a partial name
                in_list = resolve(reading.text, in_list, self.dataset) or in_list
            if len(in_list) == 1 and isinstance(in_list[0], Dossier):
                # "de derde kwalificatie van mechatronica": a position in that dossier's own list
                own = self.dataset.qualifications_in(in_list[0].number)
                words = reading.clean.split()
                in_list = by_position(words, own, words_after_ordinals(self.dataset)) or in_list
            if not in_list and _INTO_THE_LIST.search(reading.clean) and _WHICH.search(reading.clean):
                # "welke van die twee kan doorstromen naar Eerste monteur?": the one of the list in the dossier of
                # the record named outside it
                related = tuple(r for r in shown if isinstance(r, Qualification) and any(
                    isinstance(n, Qualification) and n.dossier_number == r.dossier_number for n in named))
                return related or None
            return in_list or None  # a name of the list, or a name outside it: no reference
        if reading.excluded_levels and reading.asks & {Ask.COUNT, Ask.LIST}:
            return None  # "als je niveau 2 buiten beschouwing laat, hoeveel houd je over?": left out, not pointed at
        if reading.excluded_levels and all(isinstance(r, Qualification) for r in shown):
            # "en de andere, zonder de niveau 4-opleidingen?": the list without that level (of a list with the
            # dossiers, "die zonder niveau 2" is a dossier that lacks it: by_property)
            rest = tuple(r for r in shown if int(r.level) not in reading.excluded_levels)
            return rest if 0 < len(rest) < len(shown) else None
        meant = resolve(reading.text, shown, self.dataset)
        in_their_dossier = self._at_the_level_in_their_dossier(meant, reading)
        if in_their_dossier:
            return in_their_dossier  # one of the list, then "… en wat staat in dat dossier op niveau 4?"
        if meant and len(meant) > 1:
            dossiers = [r for r in meant if isinstance(r, Dossier)]
            if len(dossiers) == 1 and all(isinstance(r, Dossier) or self.dataset.dossier_of(r) == dossiers[0] for r in meant):
                return (dossiers[0],)  # "die van Productietechniek" after the overview: the dossier
        return meant

    def _at_the_level_in_their_dossier(self, meant: Optional[Tuple[Record, ...]], reading: Reading) -> Tuple[Record, ...]:
        """Records of the list pointed at, and another level asked of their dossier ("in dat dossier op
        niveau 4"): the qualifications at that level there."""
        if (not meant or not reading.levels or not _IN_THAT_DOSSIER.search(reading.clean)
                or not all(isinstance(r, Qualification) and int(r.level) not in reading.levels for r in meant)):
            return ()
        return self._at_levels_in_their_dossiers(meant, reading.levels)

    def _at_levels_in_their_dossiers(self, records: Sequence[Record], levels: Collection[int]) -> Tuple[Qualification, ...]:
        """The qualifications at `levels` in the dossiers of `records` (a dossier's in its own order), without `records`."""
        dossiers = dict.fromkeys(r.dossier_number for r in records if isinstance(r, Qualification))
        return tuple(q for number in dossiers for q in self.dataset.qualifications_in(number)
                     if int(q.level) in levels and q not in records)

    def _follows_a_count(self) -> bool:
        """Right after a count or list of qualifications: at a level, or the overview of them all."""
        everything = {record_number(r) for r in (*self.dataset.dossiers, *self.dataset.qualifications)}
        return (self.context.record is None and (self.context.question in (Ask.COUNT, Ask.LIST)
                                                 or {record_number(r) for r in self.context.shown} == everything))

    def _asks_the_same_of_another(self, reading: Reading) -> bool:
        """Only another record named, right after a question about one ("en Technicus engineering?")."""
        return (not reading.asks and not reading.text.startswith("/") and bool(reading.records)
                and self.context.question in _CARRIED_ASKS and self.context.record is not None
                and self.context.record not in reading.records and ask_model().names_only(reading.text))

    def _asks_the_same_again_of_another(self, reading: Reading) -> bool:
        """'geldt dat ook voor mechatronica niveau 4?' after a duration: that question of the record it names
        (its level says which one, it is not what is asked)."""
        after_a_lookup = self.context.question in _CARRIED_ASKS and self.context.record is not None
        after_the_faq = self.context.question is None and self.context.faq_question is not None  # on durations
        # (not a topic the sources do not hold, surely named: "geldt dat lesgeld ook voor engineering?")
        return (bool(_THE_SAME_AGAIN.search(reading.clean)) and bool(reading.records) and not reading.names_a_topic
                and (after_a_lookup or after_the_faq) and self.context.record not in reading.records)

    def _none_of_the_list_at_level(self, reading: Reading) -> bool:
        shown = self.context.shown
        return (bool(shown) and all(isinstance(r, Qualification) for r in shown) and not reading.names_something
                and bool(reading.levels) and bool(_INTO_THE_LIST.search(reading.clean))
                and by_level(reading.text, shown, self.dataset) == ())

    def none_in_list(self, reading: Reading) -> LookupContext:
        how, levels = level_relation(reading.text)
        where = self.words.level_relation[how].format(level=self.words.listing(levels))
        shown = [r for r in self.context.shown if isinstance(r, Qualification)]
        self.utter("utter_none_in_list", where=where, qualification_list=self.listed(shown),
                   source=sources_of(shown, self.language))
        return self.context

    def _same_question_at_level(self, reading: Reading) -> bool:
        """A short follow-up that names only another dossier, after a count or list at a level."""
        return (len(reading.records) == 1 and isinstance(reading.record, Dossier) and not reading.levels
                and not reading.asks - {Ask.LIST, Ask.COUNT} and reading.word_count <= SHORT_FOLLOW_UP
                and self.context.level is not None and self.context.question in (Ask.COUNT, Ask.LIST)
                and self.context.dossier != reading.record)

    def _one_at_level(self, record: Record, levels: Sequence[int]) -> Optional[Record]:
        """A qualification, or a dossier with one level that has one qualification ("mechatronica 4")."""
        if isinstance(record, Qualification):
            return record
        at_level = [q for q in self.dataset.qualifications_in(record.number) if len(levels) == 1 and int(q.level) == levels[0]]
        return at_level[0] if len(at_level) == 1 else None

    def _means_the_whole_list(self, reading: Reading, asks: set) -> bool:
        """'en in welke dossiers zitten die?', 'hoe lang duren die?', 'hoeveel zijn dat er?' right after
        a list, with no record in context: the list as a whole (a word that picks one out is read by
        `resolve`)."""
        # (a dossier in context whose qualifications are the list is that list when they are counted or their
        # durations asked: "welke opleidingen heeft Mechatronica?" → "hoeveel zijn dat er?", "hoe lang duren die?")
        record, shown = self.context.record, self.context.shown
        its_list = (isinstance(record, Dossier) and bool(asks & {Ask.COUNT, Ask.DURATION})
                    and set(shown) == set(self.dataset.qualifications_in(record.number)))
        if not shown or (record is not None and not its_list) or reading.names_something:
            return False
        if reading.levels and set(reading.levels) != {int(r.level) for r in self.context.shown if isinstance(r, Qualification)}:
            return False  # (but "die niveau 4-opleidingen" after a list of those is that list)
        clean = reading.clean
        if Ask.COUNT in asks and COUNTS_THE_LIST.search(clean):
            # "hoeveel zijn dat er in totaal?": "in totaal" of that list; "… in de hele structuur?" of all
            return not _means_everything(replace(reading, text=_TOGETHER.sub(" ", clean)))
        return ((reading.refers_back or bool(_INTO_THE_LIST.search(clean)))
                and bool(asks & {Ask.DOSSIER, Ask.DURATION, Ask.CREBO, Ask.LEVEL})
                and bool(self._qualifications_shown()))

    def _qualifications_shown(self) -> Tuple[Qualification, ...]:
        """The qualifications of the list just shown, when they are what it lists: a list of qualifications, or
        dossiers shown with all their qualifications (the overview: "hoe lang duren die opleidingen?" after it)."""
        shown = self.context.shown
        qualifications = tuple(r for r in shown if isinstance(r, Qualification))
        if len(qualifications) == len(shown):
            return qualifications
        dossiers_whole = all(set(self.dataset.qualifications_in(r.number)) <= set(qualifications)
                             for r in shown if isinstance(r, Dossier))
        return qualifications if qualifications and dossiers_whole else ()

    def dossiers_of(self, qualifications: Sequence[Qualification], response: Text = "utter_dossiers_of_list") -> LookupContext:
        """'En in welke dossiers zitten die?': each qualification of the list with its dossier."""
        lines = []
        for q in qualifications:
            dossier = self.dataset.dossier_of(q)
            lines.append(self.words.list_item_in_dossier.format(name=q.name, crebo=q.crebo, level=int(q.level),
                                                                 dossier_name=dossier.name, dossier_number=dossier.number))
        self.utter(response, qualification_list="\n".join(lines), source=sources_of(list(qualifications), self.language))
        return self.context

    def durations_of(self, qualifications: Sequence[Qualification]) -> LookupContext:
        """The durations the source gives for these qualifications: a few ("de laatste twee", "die
        twee van engineering") each by name, more per level."""
        if len(qualifications) <= _EACH_BY_NAME:
            lines, sources = [], [self.label(q.source) for q in qualifications]
            for q in qualifications:
                stated = self.dataset.duration_of(q)
                if stated is not None:
                    sources.append(self.label(stated.source))
                item = self.words.list_item.format(name=q.name, crebo=q.crebo, level=int(q.level))
                lines.append(self.words.duration_line.format(item=item, stated=self.dossier_duration(
                    self.dataset.dossier_of(q), stated) if stated else self.words.duration_unknown))
            self.utter("utter_durations_of_list", qualification_list="\n".join(lines), source="; ".join(dict.fromkeys(sources)))
            return self.context
        levels = sorted({int(q.level) for q in qualifications})
        dossiers = {q.dossier_number for q in qualifications}
        if len(levels) == 1 and len(dossiers) == 1:
            return self.duration_at_level(self.dataset.dossier(dossiers.pop()), levels[0])
        stated_levels = {int(d.level) for dossier in self.dataset.dossiers for d in dossier.durations}
        unstated = [level for level in levels if level not in stated_levels]
        # The levels the source gives no duration for, once; what it does give follows per level, or after them
        if unstated:
            unstated_name = self.words.programmes_at_level.format(level=self.words.listing(unstated))
            if len(unstated) < len(levels):
                self.utter("utter_duration_unknown", record="", known="", name=unstated_name)
            else:
                self.say_duration_unknown(unstated_name)
        levels = [level for level in levels if level in stated_levels]
        for level in levels:
            self.level_durations(level)
        return self.context

    def listed_records(self, records: Sequence[Record]) -> Text:
        """Dossiers ("- Productietechniek (23361)") first, then qualifications, one per line."""
        qualifications = [r for r in records if isinstance(r, Qualification)]
        dossiers = [r for r in records if isinstance(r, Dossier)]
        return "\n".join([f"- {d.name} ({d.number})" for d in dossiers] + [self.listed(qualifications)] * bool(qualifications))

    def show_from_list(self, records: Sequence[Record]) -> LookupContext:
        listed = self.listed_records(records)
        # "Uit de lijst van net …" only when a list was shown ("welk dossier heeft de meeste …?" needs none)
        self.utter("utter_from_list" if self.context.shown else "utter_records_found", count=len(records),
                   qualification_list=listed, source=sources_of(list(records), self.language))
        self.shown(records)
        levels = {int(r.level) for r in records if isinstance(r, Qualification)}
        if len(levels) == 1 and all(isinstance(r, Qualification) for r in records) and self.context.record is None:
            # "de hoogste daarvan" → "… en hoeveel zitten er op dat niveau?": the level of the ones shown
            self.context = replace(self.context, level=levels.pop())
        return self.context

    def shown(self, records: Sequence[Record]) -> None:
        """Remember a list just shown, for references to it."""
        self.context = replace(self.context, shown=tuple(records))

    # -- answers ---------------------------------------------------------------------------

    def not_in_sources(self, reading: Reading) -> LookupContext:
        """'Wat kost Technicus mechatronica per jaar?': say plainly that the sources do not say
        it, then in one line what they do say of the record (never its card as if it answered)."""
        record = reading.record or (None if reading.candidates else self.context.record)
        # The FAQ answer the question is about: the one the reader named for this message, else the one just given
        subject = self.context.faq_named or self.context.faq_subject
        # (a record named only in the story around the question: the reader named the answer, `faq_named`)
        left_out = left_out_of_the_answer(reading, subject) if record is None or self.context.faq_named else None
        if left_out is not None:
            if subject != self.context.faq_subject:
                # "welk crebonummer krijgt human technology?": what the sources say of it, then that they give no crebo
                self.utter(response_name(subject))
            # After the FAQ answer on Precisietechniek: "in welk dossier is dat terechtgekomen?" (not in the sources)
            self.say_the_answer_leaves_out(subject, left_out)
            return self.context
        known = self.what_the_sources_say(record) if record is not None else ""
        if reading.topic == STUDY_FORMS_TOPIC:  # "kan dat ook in deeltijd?": what they say of BOL and BBL
            leerweg = self.dataset.general_facts["leerweg"]
            known += self.words.known_of_the_leerweg.format(leerweg=self.leerweg_text(), source=self.label(*leerweg.sources))
        self.utter("utter_not_in_sources", asked=what_was_asked(reading.topic, reading.topic_confidence, self.language),
                   known=known)
        if len(reading.records) > 1:  # "kan ik na X doorstromen naar Y, en welke crebo's hebben die twee?"
            self.shown(reading.records)
        return self.remember(record, None) if record is not None else self.context

    def at_the_answers_levels(self, key: Text, reading: Reading) -> Optional[LookupContext]:
        """FAQ answer `key`, then the qualifications at the levels it names: of the dossier the message names,
        else of the list just shown, else of the dossier the answer names ("… bij Mechatronica, en wat zijn daar de
        crebonummers van?"). None when it names none."""
        found = qualifications_at_the_answers_levels(key, self.dataset, named=reading.records,
                                                     shown=() if reading.records else self.context.shown)
        narrowed = [q for q in found if int(q.level) in reading.levels]  # "… die op niveau 3 daarvan?": of those, that level
        found = narrowed or found
        if not found:
            return None
        dossier = self.dataset.dossier_of(found[0])
        if key != self.context.faq_subject:  # (not again right after it: "en welke crebo's horen daarbij?")
            self.utter(response_name(key))
        levels = sorted({int(q.level) for q in found})
        self.utter("utter_at_the_answers_levels", dossier_name=dossier.name, dossier_number=dossier.number,
                   where=self.words.level_relation["at"].format(level=self.words.listing(levels)),
                   qualification_list=self.listed(found), source=sources_of(found, self.language))
        self.shown(found)
        return self.context

    def say_the_answer_leaves_out(self, key: Text, left_out: Text) -> None:
        """The line after FAQ answer `key`: what was asked (bot.knowledge.faq_gaps) is not in the sources; or,
        when the answer names records without their numbers, those numbers from the dataset."""
        if left_out == NUMBERS_OF_THE_NAMED:
            records = [r for r in (self.index.by_number(n) for n in listed_in_faq_answer(key)) if r is not None]
            self.utter("utter_numbers_of_the_named", qualification_list=self.listed_records(records),
                       source=sources_of(records, self.language))
            self.shown(records)
            return
        self.utter("utter_not_in_sources", asked=self.words.asked_of_the_faq_subject[left_out],
                   known=self.words.known_from_the_faq_answer.format(source=self.label(*load_catalogue().get(key).sources)))

    def what_the_sources_say(self, record: Record) -> Text:
        """One line of what the sources do say of `record`, with its source, for an answer
        that cannot give what was asked."""
        if isinstance(record, Qualification):
            dossier = self.dataset.dossier_of(record)
            return self.words.known_of_qualification.format(
                name=record.name, crebo=record.crebo, level=int(record.level), dossier_name=dossier.name,
                dossier_number=dossier.number, source=self.label(record.source))
        names = self.words.listing([q.name for q in self.dataset.qualifications_in(record.number)])
        return self.words.known_of_dossier.format(name=record.name, number=record.number, names=names,
                                                  source=self.label(record.source))

    def tell(self, record: Record, asks: set) -> LookupContext:
        counts_its_dossier = Ask.COUNT in asks and (self.counts_in_words or not asks & {Ask.CREBO, Ask.LEVEL})
        if isinstance(record, Qualification) and counts_its_dossier and not asks & {Ask.DURATION, Ask.LEERWEG}:
            # "bij welk dossier hoort monteur mechatronica en hoeveel kwalificaties zitten daarin?"
            # ("welke is er van niveau 2?" after a list is that one qualification, not its dossier)
            return self.tell_dossier(self.dataset.dossier_of(record), Ask.COUNT)
        if isinstance(record, Qualification) and Ask.DURATION in asks:
            context = self.tell_qualification(record, Ask.DURATION)  # with its crebo, level and dossier
            self.leerweg_too(asks, record, ())  # "hoe lang duurt productietechnicus, en kan dat ook in de bbl?"
            if Ask.COUNT in asks:  # "hoe lang duurt productietechnicus? en hoeveel zitten er in dat dossier?"
                self.tell_dossier(self.dataset.dossier_of(record), Ask.COUNT)
                return self.remember(record, None)
            return context
        told = [a for a in _DOSSIER_ASKS if a in asks]
        if isinstance(record, Dossier) and told and set(told) <= {Ask.DURATION, Ask.LEERWEG} and asks & {Ask.LIST, Ask.CREBO}:
            told.insert(0, Ask.LIST)  # "welke kwalificaties zitten in Engineering, en duren die drie of vier jaar?"
        if isinstance(record, Dossier) and len(told) > 1:
            # "hoeveel kwalificaties heeft mechatronica en hoe lang duurt het?": each in turn
            for ask in told:
                self.tell_dossier(record, ask)
            return self.remember(record, None)
        ask = _first_asked(asks)
        if len(asks & {Ask.CREBO, Ask.LEVEL, Ask.DOSSIER}) > 1:
            # "crebo en niveau van …": for a qualification, the line that gives its crebo, level and dossier
            # (not the card's remarks on BOL/BBL and duration nobody asked for); a dossier's whole answer
            ask = Ask.CREBO if isinstance(record, Qualification) else None
        if isinstance(record, Qualification):
            return self.tell_qualification(record, ask)
        return self.tell_dossier(record, ask)

    def tell_qualification(self, qualification: Qualification, ask: Optional[Ask]) -> LookupContext:
        dossier = self.dataset.dossier_of(qualification)
        facts = dict(name=qualification.name, crebo=qualification.crebo, level=int(qualification.level),
                     dossier_name=dossier.name, dossier_number=dossier.number, source=self.label(qualification.source))
        if ask is Ask.CREBO and qualification.crebo not in self.numbers_typed:
            # the number and where it belongs; not the card's BOL/BBL remark nobody asked for
            self.utter("utter_crebo_of", **facts)
        elif ask is Ask.LEVEL:
            self.utter("utter_level_of", verdict="", **facts)
        elif ask is Ask.DOSSIER:
            self.utter("utter_dossier_of", **facts)
        elif ask is Ask.DURATION:
            self.tell_duration(qualification)
        elif ask is Ask.LEERWEG:
            self.tell_leerweg(self.subject_of(qualification))
        else:
            self.tell_record(qualification)
        return self.remember(qualification, ask)

    def tell_dossier(self, dossier: Dossier, ask: Optional[Ask]) -> LookupContext:
        qualifications = self.dataset.qualifications_in(dossier.number)
        self.shown(qualifications)
        facts = dict(dossier_name=dossier.name, dossier_number=dossier.number, count=len(qualifications),
                     qualification_list=self.listed(qualifications), source=self.label(dossier.source))
        if ask is Ask.LEVEL:
            levels = sorted({int(q.level) for q in qualifications})
            self.utter("utter_dossier_levels", levels=self.words.listing(levels),
                       level_count=self.words.levels(len(levels)), **facts)
        elif ask is Ask.COUNT:
            self.utter("utter_dossier_count", verdict=self.count_verdict(len(qualifications)), **facts)
        elif ask is Ask.DURATION:
            self.tell_dossier_durations(dossier)
        elif ask is Ask.LEERWEG:
            self.tell_leerweg(self.subject_of(dossier))
        else:
            # Only the dossier: a remark on a subject (onderhoud) is the FAQ's answer when it is asked.
            self.utter("utter_dossier_info", **facts)
        return self.remember(dossier, ask)

    def tell_record(self, qualification: Qualification) -> None:
        dossier = self.dataset.dossier_of(qualification)
        leerweg = self.dataset.general_facts["leerweg"]
        sources: List[SourceRef] = [qualification.source, *leerweg.sources]
        duration = ""
        stated = self.dataset.duration_of(qualification)
        if stated is not None:
            # Said of the dossier and level, as the source says it; never of the qualification.
            duration = self.words.duration_of_record.format(dossier=dossier.name, level=int(stated.level),
                                                            years=self.words.number(stated.years))
            sources.insert(1, stated.source)
        self.utter("utter_qualification_info", name=qualification.name, crebo=qualification.crebo,
                   level=int(qualification.level), dossier_name=dossier.name, dossier_number=dossier.number,
                   duration=duration, leerweg=self.leerweg_text(), source=self.label(*sources))

    def tell_unknown_name(self) -> LookupContext:
        self.shown(self.dataset.qualifications)
        self.utter("utter_name_unknown", qualification_list=self.listed(self.dataset.qualifications))
        return self.context

    def leerweg_too(self, asks: set, record: Record, levels: Sequence[int]) -> None:
        """Beside a duration or a check, the BOL/BBL fact when the message asks it too (of the one
        qualification at the level named, if there is one)."""
        if Ask.LEERWEG in asks:
            self.tell_leerweg(self.subject_of(self._one_at_level(record, levels) or record))

    def subject_of(self, record: Record) -> Text:
        """'Technicus mechatronica (crebo 25893)', 'het dossier Mechatronica (23360)': what an answer is about."""
        if isinstance(record, Qualification):
            return f"{record.name} (crebo {record.crebo})"
        return self.words.dossier_subject.format(name=record.name, number=record.number)

    def tell_leerweg(self, subject: Text) -> LookupContext:
        leerweg = self.dataset.general_facts["leerweg"]
        self.utter("utter_leerweg", subject=subject, leerweg=self.leerweg_text(), source=self.label(*leerweg.sources))
        return self.context

    def leerweg_text(self) -> Text:
        """What the sources say of BOL and BBL, in the conversation's language."""
        return fact_text("leerweg", self.dataset.general_facts["leerweg"].text, self.language)

    def check_duration(self, record: Record, reading: Reading) -> LookupContext:
        """'Mechatronica niveau 4 duurt toch ook 4 jaar?': Ja or Nee by what the source says, and
        of which level; a level the source gives no duration for hears what it does give."""
        dossier = record if isinstance(record, Dossier) else self.dataset.dossier_of(record)
        level = reading.levels[0] if reading.levels else (int(record.level) if isinstance(record, Qualification) else None)
        stated = [d for d in dossier.durations if level is None or int(d.level) == level]
        if not stated:
            subject = (record.name if level is None or isinstance(record, Qualification)
                       else self.words.subject_at_level.format(name=dossier.name, level=level))
            self.say_duration_unknown(subject, dossier, record if isinstance(record, Qualification) else None)
            return self.remember(record, Ask.DURATION)
        duration = stated[0]
        verdict = self.words.verdict(duration.years == reading.claimed_years).rstrip(".")  # "Ja, voor niveau 4."
        verdict = self.words.duration_verdict.format(verdict=verdict, level=int(duration.level))
        others = self.words.other_levels_unknown if level is None else ""
        if isinstance(record, Qualification):  # "duurt Productietechnicus 4 jaar?": the source speaks of its dossier's level
            others += self.qualification_of_the_duration(record, dossier)
        sources = (record.source, duration.source) if isinstance(record, Qualification) else (duration.source,)
        self.utter("utter_duration_checked", verdict=verdict,
                   dossier_name=dossier.name, level=int(duration.level), duration=self.words.number(duration.years),
                   other_levels=others, source=self.label(*sources))
        return self.remember(record, Ask.DURATION)

    def tell_duration(self, qualification: Qualification) -> None:
        stated = self.dataset.duration_of(qualification)
        dossier = self.dataset.dossier_of(qualification)
        if stated is None:
            self.say_duration_unknown(qualification.name, dossier, qualification)
            return
        # The level and dossier come from the 1e vragenuur, the duration from the 4e: both cited.
        self.utter("utter_duration_known", name=qualification.name, crebo=qualification.crebo, level=int(stated.level),
                   dossier_name=dossier.name, dossier_number=dossier.number,
                   duration=self.words.number(stated.years),
                   qualification=self.qualification_of_the_duration(qualification, dossier),
                   source=self.label(qualification.source, stated.source))

    def qualification_of_the_duration(self, qualification: Qualification, dossier: Dossier) -> Text:
        """After the duration of its dossier at its level: the qualification asked about, which the source does not name."""
        return self.words.qualification_of_the_duration.format(
            name=qualification.name, crebo=qualification.crebo, level=int(qualification.level),
            dossier_name=dossier.name, dossier_number=dossier.number)

    def say_duration_unknown(self, subject: Text, dossier: Optional[Dossier] = None,
                             record: Optional[Qualification] = None) -> None:
        """No duration in the sources for `subject`; what they do say of the qualification (its
        crebo, level and dossier: "hoe lang duurt X en op welk niveau?" gets the level) and of
        the dossier's durations, if anything."""
        durations = dossier.durations if dossier is not None else tuple(
            d for each in self.dataset.dossiers for d in each.durations)
        owners = {id(d): each for each in self.dataset.dossiers for d in each.durations}
        known = "; ".join(f"{self.dossier_duration(owners[id(d)], d, numbered=False)} ({self.label(d.source)})" for d in durations)
        self.utter("utter_duration_unknown", name=subject, record=self.what_the_sources_say(record) if record else "",
                   known=self.words.duration_also_known.format(known=known) if known else "")

    def tell_dossier_durations(self, dossier: Dossier) -> None:
        if not dossier.durations:
            self.say_duration_unknown(dossier.name)  # what the sources do say: the other dossiers' niveau 4
            return
        stated = "; ".join(self.words.duration_at_level.format(level=int(d.level), years=self.words.number(d.years))
                           for d in dossier.durations)
        self.utter("utter_dossier_durations", dossier_name=dossier.name, dossier_number=dossier.number, durations=stated,
                   source="; ".join(sorted({self.label(d.source) for d in dossier.durations})))

    def duration_at_level(self, dossier: Dossier, level: int) -> LookupContext:
        """'Hoe lang duurt niveau 4 van Productietechniek?': only what the source says of that level."""
        stated = next((d for d in dossier.durations if int(d.level) == level), None)
        if stated is None:
            self.say_duration_unknown(self.words.subject_at_level.format(name=dossier.name, level=level), dossier)
        else:
            self.utter("utter_dossier_durations", dossier_name=dossier.name, dossier_number=dossier.number,
                       durations=self.words.duration_at_level.format(level=level, years=self.words.number(stated.years)),
                       source=self.label(stated.source))
        return self.remember(dossier, Ask.DURATION)

    def level_durations(self, level: int, claimed_years: Optional[int] = None) -> LookupContext:
        """'Hoe lang duurt een niveau 2-opleiding?': the dossiers whose duration at that level the
        source gives. 'Duren alle niveau 4-opleidingen vier jaar?' hears Nee when one the source
        gives differs, and no verdict when those it gives agree but it gives not all."""
        stated = [(dossier, d) for dossier in self.dataset.dossiers for d in dossier.durations if int(d.level) == level]
        if not stated:
            self.say_duration_unknown(self.words.programmes_at_level.format(level=level))
            return self.context
        verdict = ""
        if claimed_years is not None and any(d.years != claimed_years for _, d in stated):
            verdict = f"{self.words.verdict(False)} "
        elif claimed_years is not None and len(stated) == len(self.dataset.dossiers):
            verdict = f"{self.words.verdict(True)} "
        # Each with the qualifications it is said of: "en welke zijn driejarig?" after a list asks those.
        at_level = {dossier.number: self.dataset.qualifications_in(dossier.number, level)
                     for dossier, _ in stated}
        durations = "; ".join(self.dossier_duration(dossier, d) + self.words.said_of.format(
            qualifications=self.words.listing([self.words.name_and_crebo.format(name=q.name, crebo=q.crebo)
                                               for q in at_level[dossier.number]])) for dossier, d in stated)
        unstated = [d for d in self.dataset.dossiers if d not in {dossier for dossier, _ in stated}]
        rest = self.words.no_duration_for.format(names=self.words.listing([d.name for d in unstated])) if unstated else ""
        sources = [d.source for _, d in stated] + [dossier.source for dossier, _ in stated]
        self.utter("utter_level_durations", verdict=verdict, level=level, durations=durations, rest=rest,
                   source="; ".join(sorted({self.label(source) for source in sources})))
        # (and those of the dossiers it gives none for, named last: "en die van engineering, hoe lang?" points at them)
        self.shown([q for dossier, _ in stated for q in at_level[dossier.number]]
                   + [q for d in unstated for q in self.dataset.qualifications_in(d.number, level)])
        return self.context

    def correct_premise(self, record: Record) -> LookupContext:
        """'Engineering bestaat toch niet meer?': it does, in the new structure."""
        if isinstance(record, Qualification):
            dossier = self.dataset.dossier_of(record)
            detail = self.words.premise_qualification.format(name=record.name, crebo=record.crebo, level=int(record.level),
                                                             dossier_name=dossier.name, dossier_number=dossier.number)
        else:
            detail = (self.words.premise_dossier.format(name=record.name, number=record.number)
                      + self.listed(self.dataset.qualifications_in(record.number)))
        self.utter("utter_premise_exists", name=record.name, detail=detail, source=self.label(record.source))
        return self.remember(record, None)

    def check(self, reading: Reading) -> Optional[LookupContext]:
        """A belief about a record: 'is 25895 Productietechnicus?', '25891 is toch niveau 3?',
        'valt Technicus mechatronica onder Engineering?'. Ja or Nee first, then the right facts.
        None when the message checks nothing this can answer."""
        subject, *others = reading.records
        named = others[0] if others else None
        # "hoort 23360 bij Technicus mechatronica?" asks where it belongs; "is 23360 Technicus
        # mechatronica?" only whether the number is that one: membership needs its own words
        membership = Ask.DOSSIER in reading.asks and bool(_MEMBERSHIP_WORDS.search(reading.clean))
        if isinstance(subject, Dossier) and isinstance(named, Qualification) and membership:
            subject, named = named, subject  # "hoort 23360 bij Technicus mechatronica?" is about the qualification
        if isinstance(subject, Dossier) and reading.asks & {Ask.COUNT, Ask.DURATION}:
            return None  # "heeft Mechatronica ook vier kwalificaties, net als Productietechniek?": each one's count
        if isinstance(subject, Dossier):
            if isinstance(named, Qualification):  # "is 23360 Technicus mechatronica?": a dossier, not it
                verdict = self.words.no
                other = self.words.other_is_qualification.format(name=named.name, crebo=named.crebo,
                                                                 dossier_name=self.dataset.dossier_of(named).name)
            elif isinstance(named, Dossier):
                same = named.number == subject.number
                verdict = self.words.verdict(same)
                other = "" if same else self.words.other_dossier_number.format(name=named.name, number=named.number)
            else:
                return None
            self.utter("utter_check_dossier_number", verdict=verdict, number=subject.number, name=subject.name,
                       other=other, source=self.label(subject.source))
            return self.remember(subject, None)
        dossier = self.dataset.dossier_of(subject)
        facts = dict(crebo=subject.crebo, name=subject.name, level=int(subject.level), dossier_name=dossier.name,
                     dossier_number=dossier.number, source=self.label(subject.source))
        if isinstance(named, Qualification) and named.crebo != subject.crebo:
            if not reading.is_check:
                return None
            self.utter("utter_check_other_record", **facts, other_name=named.name, other_crebo=named.crebo,
                       other_level=int(named.level))
        elif isinstance(named, Dossier) and named.number != dossier.number:
            self.utter("utter_check_other_dossier", **facts, claimed_dossier=named.name)
        elif len(reading.levels) > 1:  # "is Eerste monteur mechatronica niveau 2 of 3?"
            self.utter("utter_level_of", verdict="", **facts)
        elif reading.levels and reading.names_levels_in_plural and not reading.is_check:
            # "op welke niveaus kun je X doen? en hoe lang duurt de niveau 4?": its level asked, none claimed
            self.utter("utter_level_of", verdict="", **facts)
        elif reading.levels and reading.levels[0] != int(subject.level):
            self.utter("utter_check_other_level", **facts, claimed_level=reading.levels[0])
        elif reading.levels:
            self.utter("utter_level_of", verdict=f"{self.words.yes} ", **facts)
        elif (named is not None or reading.number_and_name_agree) and reading.is_check:
            self.utter("utter_check_confirmed", **facts)
        else:
            return None
        return self.remember(subject, None)

    def dossier_at_level(self, dossier: Dossier, level: int, verdict: bool = True, counted: bool = False,
                         more_than_one: bool = False) -> LookupContext:
        """'Bestaat Productietechniek ook op niveau 2?' (Ja or Nee first), 'welke zijn er van niveau 4?',
        'heeft Mechatronica meer dan één op niveau 4?' (Nee: one)."""
        everything = self.dataset.qualifications_in(dossier.number)
        at_level = [q for q in everything if int(q.level) == level]
        facts = dict(dossier_name=dossier.name, dossier_number=dossier.number, level=level,
                     source=self.label(dossier.source))
        # The level and what was asked stay: "en Mechatronica?" asks the same at that level.
        question = Ask.COUNT if counted or more_than_one else Ask.LIST
        if at_level and more_than_one:
            self.shown(at_level)
            self.utter("utter_dossier_at_level", verdict=f"{self.words.verdict(len(at_level) > 1)} ",
                       count=self.words.qualifications(len(at_level)), qualification_list=self.listed(at_level), **facts)
            self.context = self.remember_at_level(at_level, dossier, level, question)
        elif at_level:
            self.shown(at_level)
            self.utter("utter_dossier_at_level", verdict=f"{self.words.yes} " if verdict and not counted else "",
                       count=self.words.qualifications(len(at_level)),
                       qualification_list=self.listed(at_level), **facts)
            self.context = self.remember_at_level(at_level, dossier, level, question)
        else:
            self.shown(everything)
            self.utter("utter_dossier_not_at_level", verdict="" if counted or self.asks_which else f"{self.words.no} ",
                       none=self.words.none_at_level[1 if counted else 0], qualification_list=self.listed(everything),
                       levels=self.words.listing(sorted({int(q.level) for q in everything})), **facts)
            # "Heeft Engineering een opleiding op niveau 3?" (Nee) → "En Mechatronica?": at that level too
            self.context = replace(self.remember(dossier, None), level=level, question=question)
        return self.context

    def in_the_other_dossiers(self, asks: set) -> LookupContext:
        """'welke niveau 3 zit bij Productietechniek?' → 'en in het andere dossier?': the same question of
        the other dossiers; at the level in context, of those that have it (Mechatronica, not Engineering)."""
        return self.at_the_same_level_in([d for d in self.dataset.dossiers if d != self.context.dossier], asks)

    def at_the_same_level_in(self, dossiers: Sequence[Dossier], asks: set) -> LookupContext:
        """The question in context asked again of `dossiers`, at the level in context ("en wat is de
        tegenhanger bij Productietechniek?" after Eerste monteur mechatronica: its level 3 one)."""
        level, question = self.context.level, self.context.question
        asks = asks or ({question} if question else set())
        if level is None:
            for dossier in dossiers:
                self.tell(dossier, asks)
            return self.context
        dossiers = [d for d in dossiers if any(int(q.level) == level for q in self.dataset.qualifications_in(d.number))] or dossiers
        for dossier in dossiers:
            at_level = self.dataset.qualifications_in(dossier.number, level)
            if len(at_level) == 1 and asks & RECORD_ASKS - {Ask.DOSSIER, Ask.LEVEL}:
                self.tell(at_level[0], asks)  # "wat is het crebo van Monteur mechatronica?" → "en in het andere dossier?"
            else:
                self.dossier_at_level(dossier, level, verdict=False, counted=Ask.COUNT in asks)
        return self.context

    def relatives(self, base: Record, reading: Reading) -> LookupContext:
        """'Een niveau lager?', 'en de andere van niveau 4?': in the same dossier."""
        if isinstance(base, Dossier) and not (reading.level_step or reading.levels):
            return self.dossiers_outside((base,))  # after a dossier's list, "en welke andere dossiers zijn er nog?"
        dossier = base if isinstance(base, Dossier) else self.dataset.dossier_of(base)
        in_dossier = self.dataset.qualifications_in(dossier.number)
        if reading.level_step:
            if not isinstance(base, Qualification):
                self.utter("utter_ask_which_record")
                return self.context
            level = int(base.level) + reading.level_step
            found = [q for q in in_dossier if int(q.level) == level]
            direction = self.words.lower_higher[reading.level_step > 0]
            wanted = self.words.level_step.format(level=level, direction=direction, name=base.name)
        else:
            others = [q for q in in_dossier if q != base]
            level = reading.levels[0] if reading.levels else None
            plural = bool(_THE_OTHERS.search(reading.clean))  # "welke andere opleidingen …": all of them
            if (level is None and not plural and isinstance(base, Qualification)
                    and sum(int(q.level) == int(base.level) for q in others) == 1):
                level = int(base.level)  # "en de andere?": the other one at this level
            found = [q for q in others if level is None or int(q.level) == level]
            wanted = ((self.words.besides.format(name=base.name) if isinstance(base, Qualification) else "")
                      + (self.words.at_level.format(level=level) if level else ""))
        if not found:
            self.shown(in_dossier)
            self.utter("utter_no_relative", dossier_name=dossier.name, dossier_number=dossier.number, wanted=wanted,
                       qualification_list=self.listed(in_dossier), source=self.label(dossier.source))
            return self.remember(base, None)
        if len(found) == 1:
            return self.tell_qualification(found[0], _first_asked(reading.asks - {Ask.LEVEL}))
        self.shown(found)
        self.utter("utter_relatives", dossier_name=dossier.name, dossier_number=dossier.number, wanted=wanted,
                   qualification_list=self.listed(found), source=sources_of(found, self.language))
        return self.remember(dossier, None)

    def steps_from_the_list(self, reading: Reading) -> LookupContext:
        """A step up or down from a list of qualifications ("waar kun je daarna mee verder?"): in each of
        their dossiers, those a level higher (or lower, or at the level named)."""
        shown = [r for r in self.context.shown if isinstance(r, Qualification)]
        if not shown:
            self.utter("utter_ask_which_record")
            return self.context
        wanted_levels = {int(reading.levels[0])} if reading.levels else {int(q.level) + reading.level_step for q in shown}
        found = self._at_levels_in_their_dossiers(shown, wanted_levels)
        if len(found) == 1:
            return self.tell_qualification(found[0], _first_asked(reading.asks - {Ask.LEVEL}))
        if not found:
            self.utter("utter_ask_which_record")
            return self.context
        self.dossiers_of(found, "utter_records_named")
        self.shown(found)
        return self.context

    def level_list(self, level: int, counted: bool = False, left_out: Sequence[Record] = ()) -> LookupContext:
        """The qualifications at `level`; without those of the dossiers `left_out` ("zonder Engineering")."""
        qualifications = self.dataset.qualifications_at(Level(level)) if level in {int(l) for l in Level} else ()
        numbers = {record_number(record) for record in left_out}
        qualifications = tuple(q for q in qualifications if q.dossier_number not in numbers)
        left_out_names = self.words.listing([f"{d.name} ({record_number(d)})" for d in left_out]) if left_out else ""
        scope = self.words.outside.format(names=left_out_names) if left_out else ""
        if not qualifications:
            levels = sorted({int(q.level) for q in self.dataset.qualifications})
            self.utter("utter_level_none", level=level, levels=self.words.listing(levels),
                       source=sources_of(self.dataset.qualifications, self.language))
            return self.context
        self.utter("utter_level_count" if counted else "utter_level_list", verdict=self.count_verdict(len(qualifications)),
                   level=level, count=len(qualifications),
                   scope=scope, qualification_list=self.listed(qualifications),
                   source=sources_of(qualifications, self.language))
        return LookupContext(None, None, level, Ask.COUNT if counted else Ask.LIST, tuple(qualifications))

    def count_before(self, level: Optional[int], dossier: Optional[Dossier] = None) -> LookupContext:
        """The sources count the old structure only as a whole: say that the count at `level`, in
        `dossier` (or of the dossiers) is not in them, and give that total."""
        before = self.dataset.general_facts["before_revision"]
        counted = (self.words.counted_before_at_level.format(level=level) if level
                   else self.words.counted_before_in_dossier.format(name=dossier.name) if dossier
                   else self.words.counted_before_dossiers)
        self.utter("utter_count_before_not_held", counted=counted,
                   before=fact_text("before_revision", before.text, self.language), source=self.label(*before.sources))
        return self.context

    def count_verdict(self, counted: int) -> Text:
        """'Ja. ' or 'Nee. ' when the message claimed a number of qualifications, else ''."""
        claimed = self.claimed_qualifications
        return f"{self.words.verdict(claimed == counted)} " if claimed is not None else ""

    def outside(self, left_out: Sequence[Record], counted: bool, levels: Sequence[int] = ()) -> LookupContext:
        """The qualifications outside the dossiers `left_out` and the `levels` ("hoeveel zijn er behalve die
        van Engineering?", "… als je niveau 2 niet meetelt?")."""
        numbers = {record_number(record) for record in left_out}
        qualifications = tuple(q for q in self.dataset.qualifications
                               if q.dossier_number not in numbers and int(q.level) not in levels)
        names = self.words.listing([f"{d.name} ({record_number(d)})" for d in left_out]
                                   + [self.words.level_left_out.format(level=level) for level in levels])
        self.utter("utter_count_outside", count=len(qualifications), total=len(self.dataset.qualifications),
                   scope=self.words.outside.format(names=names), qualification_list=self.listed(qualifications),
                   source=sources_of(qualifications, self.language))
        return LookupContext(None, None, None, Ask.COUNT if counted else Ask.LIST, qualifications)

    def dossier_lines(self, dossiers: Sequence[Dossier]) -> Dict[str, Text]:
        """Each dossier on a line with its size and levels ("- Engineering (23362): 2 kwalificaties, niveau 4"), and the source."""
        lines = [self.words.dossier_with_levels.format(
            name=d.name, number=d.number, count=self.words.qualifications(len(self.dataset.qualifications_in(d.number))),
            levels=self.words.listing(sorted({int(q.level) for q in self.dataset.qualifications_in(d.number)})))
            for d in dossiers]
        qualifications = [q for d in dossiers for q in self.dataset.qualifications_in(d.number)]
        return {"dossier_list": "\n".join(lines), "source": sources_of([*dossiers, *qualifications], self.language)}

    def dossiers_outside(self, left_out: Sequence[Record]) -> LookupContext:
        """'Hoeveel dossiers blijven er over zonder Engineering?': the other dossiers, each with its size and levels."""
        others = [d for d in self.dataset.dossiers if d not in left_out]
        self.utter("utter_dossiers_outside", count=len(others), total=len(self.dataset.dossiers),
                   names=self.words.listing([f"{d.name} ({record_number(d)})" for d in left_out]), **self.dossier_lines(others))
        self.shown(others)
        return replace(self.context, question=Ask.COUNT)

    def dossiers_total(self, dossiers: Sequence[Dossier]) -> None:
        qualifications = [q for d in dossiers for q in self.dataset.qualifications_in(d.number)]
        self.utter("utter_dossiers_total", count=len(qualifications),
                   names=self.words.listing([f"{d.name} ({d.number})" for d in dossiers]),
                   source="; ".join(dict.fromkeys(self.label(d.source) for d in dossiers)))

    def levels_total(self, levels: Sequence[int]) -> None:
        qualifications = [q for q in self.dataset.qualifications if int(q.level) in levels]
        self.utter("utter_levels_total", count=len(qualifications), levels=self.words.listing(sorted(levels)),
                   source=sources_of(qualifications, self.language))

    def dossiers_counted(self, dossiers: Sequence[Dossier]) -> LookupContext:
        """How many of the dossiers have a property of their levels or size, and which, each with its size and levels."""
        listed = dossiers or self.dataset.dossiers  # none: every dossier with its levels shows why
        self.utter("utter_dossiers_counted" if dossiers else "utter_dossiers_counted_none", count=len(dossiers),
                   total=len(self.dataset.dossiers), **self.dossier_lines(listed))
        if dossiers:
            self.shown(dossiers)
        return self.context

    def levels_overview(self) -> LookupContext:
        """'Op hoeveel niveaus …?': the levels of the new structure, with how many at each."""
        levels = sorted({int(q.level) for q in self.dataset.qualifications})
        per_level = self.words.listing([
            self.words.level_with_count.format(level=level, count=self.words.qualifications(
                len(self.dataset.qualifications_at(Level(level))))) for level in levels])
        self.utter("utter_levels_overview", qualification_count=len(self.dataset.qualifications),
                   level_count=len(levels), per_level=per_level,
                   source=sources_of(self.dataset.qualifications, self.language))
        return self.context

    def overview(self, reading: Reading) -> LookupContext:
        overview = "\n".join(
            f"{dossier.name} ({dossier.number}):\n{self.listed(self.dataset.qualifications_in(dossier.number))}"
            for dossier in self.dataset.dossiers
        )
        # The list is the 1e vragenuur's; the column also says "in totaal negen kwalificaties";
        # the start in 2023-2024 is the 4e vragenuur's (vraag 2).
        start, before = self.dataset.general_facts["start"], self.dataset.general_facts["before_revision"]
        # "van 53 naar 9?", "… en hoeveel waren het er vroeger?": the count before the revision beside it
        then = reading.names_an_old_count or reading.before_the_revision
        source = cite((*(d.source for d in self.dataset.dossiers), SourceRef("column"), *start.sources,
                       *(before.sources if then else ())), self.language)
        claimed = reading.claimed_count if reading.is_check else None
        counted = {QUALIFICATIONS: len(self.dataset.qualifications), DOSSIERS: len(self.dataset.dossiers)}
        # "klopt het dat …?"; "worden het er straks maar negen?" does not say what it counts: either of the two
        right = claimed is not None and (claimed[0] == counted[claimed[1]] if claimed[1] else claimed[0] in counted.values())
        verdict = f"{self.words.verdict(right)} " if claimed else ""
        self.utter("utter_overview", verdict=verdict,
                   before=f"{fact_text('before_revision', before.text, self.language)} " if then else "",
                   dossier_count=len(self.dataset.dossiers),
                   qualification_count=len(self.dataset.qualifications), overview=overview, source=source)
        # What was asked for comes first: "de laatste" after "welke dossiers zijn er?" is a dossier.
        clean = reading.clean
        dossiers_asked = "dossier" in clean and "kwalificatie" not in clean
        self.shown([*self.dataset.dossiers, *self.dataset.qualifications] if dossiers_asked
                   else [*self.dataset.qualifications, *self.dataset.dossiers])
        return self.context

    def ask_which(self, candidates: Sequence[Record], asks: Collection[Ask]) -> None:
        intent = intent_asking(asks)
        buttons = [{"title": record.name, "payload": f'/{intent}{{"crebo": "{record_number(record)}"}}'}
                   for record in candidates]
        self.dispatcher.utter_message(response="utter_which_one", buttons=buttons)

    # -- context ---------------------------------------------------------------------------

    def remember_named(self, record: Record, levels: Sequence[int] = ()) -> LookupContext:
        """A record an FAQ question named becomes the context of the questions after it; a
        dossier and a level that fit one qualification ("mechatronica 4") are that qualification."""
        if isinstance(record, Dossier) and len(levels) == 1:
            at_level = self.dataset.qualifications_in(record.number, levels[0])
            record = at_level[0] if len(at_level) == 1 else record
        return self.remember(record, None)

    def remember_at_level(self, at_level: Sequence[Qualification], dossier: Dossier, level: int,
                          question: Ask) -> LookupContext:
        """One qualification at the level is the context ("welk crebo heeft die?"), else the dossier;
        either way with the level and the question."""
        if len(at_level) == 1:
            self.remember(at_level[0], question)
        else:
            self.context = LookupContext(None, dossier, level, question, self.context.shown)
        return self.context

    def remember(self, record: Record, ask: Optional[Ask]) -> LookupContext:
        """The record answered about becomes the context; the last list shown stays for references."""
        shown = self.context.shown
        if isinstance(record, Qualification):
            self.context = LookupContext(record, self.dataset.dossier_of(record), int(record.level), ask, shown)
        else:
            self.context = LookupContext(None, record, None, ask, shown)
        return self.context

    def utter(self, response: Text, **variables: Any) -> None:
        self.dispatcher.utter_message(response=response, **variables)


def back_to_the_list_before(context: LookupContext, clean: Text) -> LookupContext:
    """After two lists, "uit die eerste lijst", "terug naar het vorige lijstje" point into the one before the last."""
    if context.list_before and THE_LIST_BEFORE.search(clean):
        return replace(context, shown=context.list_before, list_before=context.shown)
    return context


def context_events(before: LookupContext, after: LookupContext) -> List[EventType]:
    """Slot events for what changed."""
    values = {
        QUALIFICATION_SLOT: (before.qualification and before.qualification.crebo, after.qualification and after.qualification.crebo),
        DOSSIER_SLOT: (before.dossier and before.dossier.number, after.dossier and after.dossier.number),
        LEVEL_SLOT: (None if before.level is None else str(before.level), None if after.level is None else str(after.level)),
        QUESTION_SLOT: (before.question and before.question.value, after.question and after.question.value),
        SHOWN_SLOT: ([record_number(r) for r in before.shown] or None, [record_number(r) for r in after.shown] or None),
    }
    events: List[EventType] = [SlotSet(slot, new) for slot, (old, new) in values.items() if old != new]
    if before.shown and after.shown and after.shown != before.shown:
        events.append(SlotSet(LIST_BEFORE_SLOT, [record_number(r) for r in before.shown]))  # a new list: keep the one before
    return events


def crebo_entities(tracker: Tracker) -> List[Text]:
    return [str(value) for value in tracker.get_latest_entity_values("crebo") if str(value).strip()]


class ActionAnswerLookup(Action):
    """Every lookup: crebo ↔ name, dossier, level, duration, leerweg, lists, counts, checks, follow-ups."""

    def name(self) -> Text:
        return "action_answer_lookup"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        index = knowledge_index()
        before = LookupContext.from_tracker(tracker, index)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        after = LookupAnswerer(dispatcher, before, index, conversation_language(tracker)).answer(
            tracker.latest_message.get("text") or "", intent, crebo_entities(tracker)
        )
        record = after.qualification or after.dossier
        record_id = record_number(record) if record else str(after.level) if after.level else None
        ask_feedback(dispatcher, lookup_answer(str(intent), record_id))
        return context_events(before, after)

