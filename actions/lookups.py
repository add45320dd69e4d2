"""Lookups of crebo numbers, qualifications, dossiers, levels and durations, with context.

Every answer comes from bot/knowledge/qualifications.yml and names its source; an unknown
number or name is said to be unknown, never answered with a near miss. What a message names
and asks is read by bot.knowledge.reader; the intent only says what is asked when the
words do not ("25893?"). Follow-ups ("en in welk dossier zit die?", "een niveau lager?",
"en de andere van niveau 4?") resolve against the slots below, which every answer updates.
A follow-up that cannot be resolved asks which one is meant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Collection, Dict, List, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge.models import Dossier, Level, Qualification, SourceRef, cite
from actions.feedback import ask_feedback
from bot.feedback import lookup_answer
from bot.knowledge.lookup_intents import INTENT_ASKS, RECORD_ASKS, intent_asking
from bot.knowledge.reader import Ask, Reading, read
from bot.knowledge.search import FILLER_WORDS, KnowledgeIndex, Record, knowledge_index, record_number
from bot.text import LEVEL_WORDS, normalise, number_candidates

# Context slots (domain.yml): what the conversation is about, for follow-ups.
QUALIFICATION_SLOT = "qualification"
DOSSIER_SLOT = "dossier"
LEVEL_SLOT = "level"
QUESTION_SLOT = "lookup_question"

# A follow-up this short with a level is about the dossier in context ("en van niveau 4?").
SHORT_FOLLOW_UP = 6
_EVERYTHING = ("alle", "allemaal", "metaal", "totaal", "overal", "in het algemeen")


# Words of a lookup question that name nothing ("welk crebo heeft …").
_QUESTION_WORDS = FILLER_WORDS | frozenset("welk welke wat is heeft hebben crebonummer kwalificatiedossier nummer "
                                           "opzoeken zoek zoeken betekent hoort bij van een de".split())


def _names_something_unknown(reading: Reading) -> bool:
    """'welk crebo heeft kapper?': a name that is in no record (a near miss is never given)."""
    return any(len(word) > 3 and not word.isdigit() and word not in _QUESTION_WORDS
               for word in normalise(reading.text).split())


def _means_everything(reading: Reading) -> bool:
    words = f" {' '.join(reading.text.casefold().split())} "
    return any(f" {word} " in words for word in _EVERYTHING)


# Asks answered from one record, in the order a message with several is answered.
_RECORD_ASKS = (Ask.COUNT, Ask.LEVEL, Ask.DOSSIER, Ask.DURATION, Ask.LEERWEG, Ask.LIST, Ask.CREBO)

# Load and validate the dataset when the action server imports this module, so a
# broken dataset stops the server before the first conversation.
knowledge_index()


def dutch_list(items: Sequence[Any]) -> Text:
    """[2, 3, 4] → '2, 3 en 4'; [4] → '4'."""
    words = [str(item) for item in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def qualification_list(qualifications: Sequence[Qualification]) -> Text:
    return "\n".join(f"- {q.name} (crebo {q.crebo}, niveau {int(q.level)})" for q in qualifications)


def sources_of(records: Sequence[Record]) -> Text:
    return cite(tuple(record.source for record in records))


@dataclass(frozen=True)
class LookupContext:
    """What the conversation was about before this message."""

    qualification: Optional[Qualification] = None
    dossier: Optional[Dossier] = None
    level: Optional[int] = None
    question: Optional[Ask] = None

    @classmethod
    def from_tracker(cls, tracker: Tracker, index: KnowledgeIndex) -> "LookupContext":
        crebo, number = tracker.get_slot(QUALIFICATION_SLOT), tracker.get_slot(DOSSIER_SLOT)
        level, question = tracker.get_slot(LEVEL_SLOT), tracker.get_slot(QUESTION_SLOT)
        return cls(
            qualification=index.dataset.qualification(str(crebo)) if crebo else None,
            dossier=index.dataset.dossier(str(number)) if number else None,
            level=int(float(level)) if level not in (None, "") else None,
            question=Ask(question) if question in {ask.value for ask in Ask} else None,
        )

    @property
    def record(self) -> Optional[Record]:
        return self.qualification or self.dossier


class LookupAnswerer:
    """Answers one question (a message, or one part of it) and keeps the context up to date."""

    def __init__(self, dispatcher: CollectingDispatcher, context: LookupContext, index: Optional[KnowledgeIndex] = None):
        self.dispatcher = dispatcher
        self.context = context
        self.index = index or knowledge_index()
        self.dataset = self.index.dataset

    # -- reading the question ---------------------------------------------------------------

    def answer(self, text: Text, intent: Optional[Text] = None, crebo_entities: Sequence[Text] = ()) -> LookupContext:
        """Answer `text`; returns the context after the answer."""
        # A button after "Welke bedoel je?" sends `/<intent>{"crebo": …}`: the intent says what is asked.
        chosen = [r for r in (self.index.by_number(str(n)) for n in crebo_entities) if r is not None]
        reading = Reading(text=text, records=tuple(chosen)) if text.startswith("/") else read(text, self.index)
        asks = set(reading.asks) - {Ask.CHECK, Ask.EXISTS}
        hinted = INTENT_ASKS.get(intent or "")
        if not asks and reading.correction and self.context.question:
            asks = {self.context.question}  # "ik bedoelde eigenlijk Engineering": the same question again
        if not asks and hinted:
            asks = {hinted}

        if reading.unknown_numbers and not reading.records:
            self.utter("utter_crebo_unknown", crebo=reading.unknown_numbers[0])
            return self.context
        malformed = [n for n in number_candidates(text) if 3 <= len(n) <= 7 and len(n) != 5]
        if malformed and not reading.records and Ask.CREBO in asks:
            self.utter("utter_crebo_malformed", crebo=malformed[0])  # "crebo 2589": one digit short
            return self.context
        if reading.candidates:
            self.ask_which(reading.candidates, asks & RECORD_ASKS)
            return self.context
        if reading.records:
            return self.about_records(reading, asks)
        return self.about_context(reading, asks)

    def about_records(self, reading: Reading, asks: set) -> LookupContext:
        records = list(reading.records)
        record = records[0]
        if reading.denies_existence:
            return self.correct_premise(record)
        if reading.claimed_years is not None and Ask.DURATION in asks:
            return self.check_duration(record, reading)
        if reading.is_check or (reading.levels and isinstance(record, Qualification)):
            checked = self.check(reading)
            if checked is not None:
                return checked
        if len(records) > 1 and all(isinstance(r, Qualification) for r in records):
            for each in records:  # "wat is 25891 en wat is 25893?"
                self.tell_record(each)
            return self.remember(records[-1], None)
        if isinstance(record, Dossier) and reading.levels and not asks & {Ask.DURATION, Ask.LEERWEG}:
            return self.dossier_at_level(record, reading.levels[0], verdict=reading.is_check or Ask.EXISTS in reading.asks)
        return self.tell(record, asks)

    def about_context(self, reading: Reading, asks: set) -> LookupContext:
        base = self.context.record
        if base is None:
            if reading.levels and not (reading.level_step or reading.other_variant):
                return self.level_list(reading.levels[0], counted=Ask.COUNT in asks)
            if asks & {Ask.COUNT, Ask.LIST} and re.search(r"\b(niveau|nivo)\b", normalise(reading.text)):
                self.utter("utter_ask_level")  # "welke opleidingen zijn er op niveau?": which level?
                return self.context
            if asks & {Ask.COUNT, Ask.LIST} and not reading.refers_back:
                return self.overview()
            if Ask.LEERWEG in asks:
                return self.tell_leerweg("Alle nieuwe metaaldossiers")
            if _names_something_unknown(reading) and asks <= {Ask.CREBO, Ask.DOSSIER}:
                return self.tell_unknown_name()  # "welk crebo heeft kapper?"
            self.utter("utter_ask_crebo" if asks == {Ask.CREBO} else "utter_ask_which_record")
            return self.context
        if reading.level_step or reading.other_variant:
            return self.relatives(base, reading)
        if asks & {Ask.DURATION, Ask.LEERWEG}:
            if reading.claimed_years is not None and Ask.DURATION in asks:
                return self.check_duration(base, reading)
            return self.tell(base, asks)
        if reading.levels:
            if _means_everything(reading) or not (reading.refers_back or reading.word_count <= SHORT_FOLLOW_UP):
                return self.level_list(reading.levels[0], counted=Ask.COUNT in asks)
            # "welke is er van niveau 2?", "en van niveau 4?": in the dossier the conversation is about
            dossier = base if isinstance(base, Dossier) else self.dataset.dossier_of(base)
            return self.dossier_at_level(dossier, reading.levels[0], verdict=reading.is_check or Ask.EXISTS in reading.asks)
        if asks - {Ask.LIST, Ask.COUNT} or reading.refers_back or reading.correction:
            return self.tell(base, asks)
        if asks & {Ask.COUNT, Ask.LIST}:
            return self.overview()
        self.utter("utter_ask_which_record")
        return self.context

    # -- answers ---------------------------------------------------------------------------

    def tell(self, record: Record, asks: set) -> LookupContext:
        ask = next((a for a in _RECORD_ASKS if a in asks), None)
        if len(asks & {Ask.CREBO, Ask.LEVEL, Ask.DOSSIER}) > 1:
            ask = None  # "crebo en niveau van …": the whole record answers both
        if isinstance(record, Qualification):
            return self.tell_qualification(record, ask)
        return self.tell_dossier(record, ask)

    def tell_qualification(self, qualification: Qualification, ask: Optional[Ask]) -> LookupContext:
        dossier = self.dataset.dossier_of(qualification)
        facts = dict(name=qualification.name, crebo=qualification.crebo, level=int(qualification.level),
                     dossier_name=dossier.name, dossier_number=dossier.number, source=qualification.source.label())
        if ask is Ask.LEVEL:
            self.utter("utter_level_of", verdict="", **facts)
        elif ask is Ask.DOSSIER:
            self.utter("utter_dossier_of", **facts)
        elif ask is Ask.DURATION:
            self.tell_duration(qualification)
        elif ask is Ask.LEERWEG:
            self.tell_leerweg(f"{qualification.name} (crebo {qualification.crebo})")
        else:
            self.tell_record(qualification)
        return self.remember(qualification, ask)

    def tell_dossier(self, dossier: Dossier, ask: Optional[Ask]) -> LookupContext:
        qualifications = self.dataset.qualifications_in(dossier.number)
        facts = dict(dossier_name=dossier.name, dossier_number=dossier.number,
                     qualification_list=qualification_list(qualifications), source=dossier.source.label())
        if ask is Ask.LEVEL:
            self.utter("utter_dossier_levels", levels=dutch_list(sorted({int(q.level) for q in qualifications})), **facts)
        elif ask is Ask.COUNT:
            self.utter("utter_dossier_count", count=len(qualifications), **facts)
        elif ask is Ask.DURATION:
            self.tell_dossier_durations(dossier)
        elif ask is Ask.LEERWEG:
            self.tell_leerweg(f"Het kwalificatiedossier {dossier.name} ({dossier.number})")
        else:
            dossier_facts = "".join(f"\n\n{fact.text} ({fact.label()})" for fact in dossier.facts)
            self.utter("utter_dossier_info", dossier_facts=dossier_facts, **facts)
        return self.remember(dossier, ask)

    def tell_record(self, qualification: Qualification) -> None:
        dossier = self.dataset.dossier_of(qualification)
        leerweg = self.dataset.general_facts["leerweg"]
        sources: List[SourceRef] = [qualification.source, *leerweg.sources]
        duration = ""
        stated = self.dataset.duration_of(qualification)
        if stated is not None:
            # Said of the dossier and level, as the source says it; never of the qualification.
            duration = (f" Over de duur zegt de bron: {dossier.name} op niveau {int(stated.level)} is een "
                        f"{LEVEL_WORDS.get(stated.years, stated.years)}jarige opleiding.")
            sources.insert(1, stated.source)
        self.utter("utter_qualification_info", name=qualification.name, crebo=qualification.crebo,
                   level=int(qualification.level), dossier_name=dossier.name, dossier_number=dossier.number,
                   duration=duration, leerweg=leerweg.text, source="; ".join(source.label() for source in sources))

    def tell_unknown_name(self) -> LookupContext:
        self.utter("utter_name_unknown", qualification_list=qualification_list(self.dataset.qualifications))
        return self.context

    def tell_leerweg(self, subject: Text) -> LookupContext:
        leerweg = self.dataset.general_facts["leerweg"]
        self.utter("utter_leerweg", subject=subject, leerweg=leerweg.text, source=leerweg.label())
        return self.context

    def check_duration(self, record: Record, reading: Reading) -> LookupContext:
        """'Mechatronica niveau 4 duurt toch ook 4 jaar?': Ja or Nee by what the source says."""
        dossier = record if isinstance(record, Dossier) else self.dataset.dossier_of(record)
        level = reading.levels[0] if reading.levels else (int(record.level) if isinstance(record, Qualification) else None)
        stated = next((d for d in dossier.durations if level is None or int(d.level) == level), None)
        if stated is None:
            self.utter("utter_duration_unknown", name=record.name)
            return self.remember(record, Ask.DURATION)
        verdict = "Ja." if stated.years == reading.claimed_years else "Nee."
        self.utter("utter_duration_checked", verdict=verdict, dossier_name=dossier.name, level=int(stated.level),
                   duration=LEVEL_WORDS.get(stated.years, str(stated.years)), source=stated.source.label())
        return self.remember(record, Ask.DURATION)

    def tell_duration(self, qualification: Qualification) -> None:
        stated = self.dataset.duration_of(qualification)
        if stated is None:
            self.utter("utter_duration_unknown", name=qualification.name)
            return
        self.utter("utter_duration_known", name=qualification.name, level=int(stated.level),
                   dossier_name=self.dataset.dossier_of(qualification).name,
                   duration=LEVEL_WORDS.get(stated.years, str(stated.years)), source=stated.source.label())

    def tell_dossier_durations(self, dossier: Dossier) -> None:
        if not dossier.durations:
            self.utter("utter_duration_unknown", name=dossier.name)
            return
        stated = "; ".join(f"op niveau {int(d.level)} is het een {LEVEL_WORDS.get(d.years, d.years)}jarige opleiding"
                           for d in dossier.durations)
        self.utter("utter_dossier_durations", dossier_name=dossier.name, durations=stated,
                   source=cite(tuple(d.source for d in dossier.durations)))

    def correct_premise(self, record: Record) -> LookupContext:
        """'Engineering bestaat toch niet meer?': it does, in the new structure."""
        if isinstance(record, Qualification):
            dossier = self.dataset.dossier_of(record)
            detail = (f"{record.name} (crebo {record.crebo}) is een kwalificatie op niveau {int(record.level)} "
                      f"in het nieuwe kwalificatiedossier {dossier.name} ({dossier.number}).")
        else:
            detail = (f"{record.name} ({record.number}) is een van de nieuwe kwalificatiedossiers, met deze kwalificaties:\n"
                      + qualification_list(self.dataset.qualifications_in(record.number)))
        self.utter("utter_premise_exists", name=record.name, detail=detail, source=record.source.label())
        return self.remember(record, None)

    def check(self, reading: Reading) -> Optional[LookupContext]:
        """A belief about a record: 'is 25895 Productietechnicus?', '25891 is toch niveau 3?',
        'valt Technicus mechatronica onder Engineering?'. Ja or Nee first, then the right facts.
        None when the message checks nothing this can answer."""
        subject, *others = reading.records
        named = others[0] if others else None
        membership = Ask.DOSSIER in reading.asks
        if isinstance(subject, Dossier) and isinstance(named, Qualification) and membership:
            subject, named = named, subject  # "hoort 23360 bij Technicus mechatronica?" is about the qualification
        if isinstance(subject, Dossier):
            if isinstance(named, Qualification):  # "is 23360 Technicus mechatronica?": a dossier, not it
                verdict = "Nee."
                other = (f" {named.name} is een kwalificatie met crebo {named.crebo}, in het kwalificatiedossier "
                         f"{self.dataset.dossier_of(named).name}.")
            elif isinstance(named, Dossier):
                same = named.number == subject.number
                verdict, other = ("Ja.", "") if same else ("Nee.", f" {named.name} heeft dossiernummer {named.number}.")
            else:
                return None
            self.utter("utter_check_dossier_number", verdict=verdict, number=subject.number, name=subject.name,
                       other=other, source=subject.source.label())
            return self.remember(subject, None)
        dossier = self.dataset.dossier_of(subject)
        facts = dict(crebo=subject.crebo, name=subject.name, level=int(subject.level), dossier_name=dossier.name,
                     dossier_number=dossier.number, source=subject.source.label())
        if isinstance(named, Qualification) and named.crebo != subject.crebo:
            if not reading.is_check:
                return None
            self.utter("utter_check_other_record", **facts, other_name=named.name, other_crebo=named.crebo,
                       other_level=int(named.level))
        elif isinstance(named, Dossier) and named.number != dossier.number:
            self.utter("utter_check_other_dossier", **facts, claimed_dossier=named.name)
        elif len(reading.levels) > 1:  # "is Eerste monteur mechatronica niveau 2 of 3?"
            self.utter("utter_level_of", verdict="", **facts)
        elif reading.levels and reading.levels[0] != int(subject.level):
            self.utter("utter_check_other_level", **facts, claimed_level=reading.levels[0])
        elif reading.levels:
            self.utter("utter_level_of", verdict="Ja. ", **facts)
        elif (named is not None or reading.number_and_name_agree) and reading.is_check:
            self.utter("utter_check_confirmed", **facts)
        else:
            return None
        return self.remember(subject, None)

    def dossier_at_level(self, dossier: Dossier, level: int, verdict: bool = True) -> LookupContext:
        """'Bestaat Productietechniek ook op niveau 2?' (Ja or Nee first), 'welke zijn er van niveau 4?'"""
        everything = self.dataset.qualifications_in(dossier.number)
        at_level = [q for q in everything if int(q.level) == level]
        facts = dict(dossier_name=dossier.name, dossier_number=dossier.number, level=level,
                     source=dossier.source.label())
        if at_level:
            self.utter("utter_dossier_at_level", verdict="Ja. " if verdict else "",
                       qualification_list=qualification_list(at_level), **facts)
            self.context = self.remember(at_level[0], None) if len(at_level) == 1 else self.remember(dossier, None)
        else:
            self.utter("utter_dossier_not_at_level", qualification_list=qualification_list(everything),
                       levels=dutch_list(sorted({int(q.level) for q in everything})), **facts)
            self.context = self.remember(dossier, None)
        return self.context

    def relatives(self, base: Record, reading: Reading) -> LookupContext:
        """'Een niveau lager?', 'en de andere van niveau 4?': in the same dossier."""
        dossier = base if isinstance(base, Dossier) else self.dataset.dossier_of(base)
        in_dossier = self.dataset.qualifications_in(dossier.number)
        if reading.level_step:
            if not isinstance(base, Qualification):
                self.utter("utter_ask_which_record")
                return self.context
            level = int(base.level) + reading.level_step
            found = [q for q in in_dossier if int(q.level) == level]
            wanted = f"op niveau {level}, een niveau {'lager' if reading.level_step < 0 else 'hoger'} dan {base.name}"
        else:
            others = [q for q in in_dossier if q != base]
            level = reading.levels[0] if reading.levels else None
            if level is None and isinstance(base, Qualification) and sum(int(q.level) == int(base.level) for q in others) == 1:
                level = int(base.level)  # "en de andere?": the other one at this level
            found = [q for q in others if level is None or int(q.level) == level]
            wanted = (f"naast {base.name}" if isinstance(base, Qualification) else "") + (f" op niveau {level}" if level else "")
        if not found:
            self.utter("utter_no_relative", dossier_name=dossier.name, dossier_number=dossier.number, wanted=wanted,
                       qualification_list=qualification_list(in_dossier), source=dossier.source.label())
            return self.remember(base, None)
        if len(found) == 1:
            return self.tell_qualification(found[0], next((a for a in _RECORD_ASKS if a in reading.asks - {Ask.LEVEL}), None))
        self.utter("utter_relatives", dossier_name=dossier.name, dossier_number=dossier.number, wanted=wanted,
                   qualification_list=qualification_list(found), source=sources_of(found))
        return self.remember(dossier, None)

    def level_list(self, level: int, counted: bool = False) -> LookupContext:
        qualifications = self.dataset.qualifications_at(Level(level)) if level in {int(l) for l in Level} else ()
        if not qualifications:
            levels = sorted({int(q.level) for q in self.dataset.qualifications})
            self.utter("utter_level_none", level=level, levels=dutch_list(levels), source=sources_of(self.dataset.qualifications))
            return self.context
        self.utter("utter_level_count" if counted else "utter_level_list", level=level, count=len(qualifications),
                   qualification_list=qualification_list(qualifications), source=sources_of(qualifications))
        return LookupContext(None, None, level, Ask.LIST)

    def overview(self) -> LookupContext:
        overview = "\n".join(
            f"{dossier.name} ({dossier.number}):\n{qualification_list(self.dataset.qualifications_in(dossier.number))}"
            for dossier in self.dataset.dossiers
        )
        # The list is the 1e vragenuur's; the column also says "in totaal negen kwalificaties".
        source = cite((*(d.source for d in self.dataset.dossiers), SourceRef("column")))
        self.utter("utter_overview", dossier_count=len(self.dataset.dossiers),
                   qualification_count=len(self.dataset.qualifications), overview=overview, source=source)
        return self.context

    def ask_which(self, candidates: Sequence[Record], asks: Collection[Ask]) -> None:
        intent = intent_asking(asks)
        buttons = [{"title": record.name, "payload": f'/{intent}{{"crebo": "{record_number(record)}"}}'}
                   for record in candidates]
        self.dispatcher.utter_message(response="utter_which_one", buttons=buttons)

    # -- context ---------------------------------------------------------------------------

    def remember(self, record: Record, ask: Optional[Ask]) -> LookupContext:
        if isinstance(record, Qualification):
            self.context = LookupContext(record, self.dataset.dossier_of(record), int(record.level), ask)
        else:
            self.context = LookupContext(None, record, None, ask)
        return self.context

    def utter(self, response: Text, **variables: Any) -> None:
        self.dispatcher.utter_message(response=response, **variables)


def context_events(before: LookupContext, after: LookupContext) -> List[EventType]:
    """Slot events for what changed."""
    values = {
        QUALIFICATION_SLOT: (before.qualification and before.qualification.crebo, after.qualification and after.qualification.crebo),
        DOSSIER_SLOT: (before.dossier and before.dossier.number, after.dossier and after.dossier.number),
        LEVEL_SLOT: (None if before.level is None else str(before.level), None if after.level is None else str(after.level)),
        QUESTION_SLOT: (before.question and before.question.value, after.question and after.question.value),
    }
    return [SlotSet(slot, new) for slot, (old, new) in values.items() if old != new]


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
        after = LookupAnswerer(dispatcher, before, index).answer(
            tracker.latest_message.get("text") or "", intent, crebo_entities(tracker)
        )
        record = after.qualification or after.dossier
        record_id = record_number(record) if record else str(after.level) if after.level else None
        ask_feedback(dispatcher, lookup_answer(str(intent), record_id))
        return context_events(before, after)

