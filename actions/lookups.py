"""Lookups of crebo numbers, qualifications, dossiers, levels and durations.

Every answer comes from bot/knowledge/qualifications.yml and names its source; an
unknown number or name is said to be unknown, never answered with a near miss.
"""
from __future__ import annotations

import abc
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge.models import Dossier, Level, Qualification, SourceRef, cite
from bot.knowledge.search import KnowledgeIndex, NameMatch, Record, knowledge_index, record_number
from bot.text import LEVEL_WORDS, normalise, number_candidates, parse_level

CURRENT_RECORD_SLOT = "current_record"
SBB_PORTAL = "https://kwalificatiestructuur-mijn.s-bb.nl/"

# Load and validate the dataset when the action server imports this module, so a
# broken dataset stops the server before the first conversation.
knowledge_index()


# "is 25895 Productietechnicus?", "klopt het dat …", "25891 is toch niveau 3?": a check of a belief.
_CHECK = re.compile(r"^(is|zit|heeft|klopt|hoort|valt)\b|\btoch\b|\bklopt\b")


_MEMBERSHIP = re.compile(r"\b(hoort|horen|valt|vallen|zit|zitten|bij|onder|binnen)\b")


def is_check(text: Text) -> bool:
    """Whether the message asks to confirm something (answered with Ja or Nee first)."""
    return bool(_CHECK.search(normalise(text)))


def _dutch_list(items: List[Any]) -> Text:
    """[2, 3, 4] → '2, 3 en 4'; [4] → '4'."""
    words = [str(item) for item in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def _entity_values(tracker: Tracker, entity: Text) -> List[Text]:
    return [str(value) for value in tracker.get_latest_entity_values(entity) if str(value).strip()]


def _qualification_list(qualifications) -> Text:
    return "\n".join(f"- {q.name} (crebo {q.crebo}, niveau {int(q.level)})" for q in qualifications)


class LookupAction(Action, abc.ABC):
    """Shared helpers; `name()` stays abstract so rasa-sdk does not register this class."""

    @abc.abstractmethod
    def name(self) -> Text:
        ...

    @property
    def index(self) -> KnowledgeIndex:
        return knowledge_index()

    def named_record(self, tracker: Tracker) -> NameMatch:
        """The record the latest message names: a button's crebo entity, a number in the text, a name."""
        for number in _entity_values(tracker, "crebo") + number_candidates(tracker.latest_message.get("text") or ""):
            record = self.index.by_number(number)
            if record is not None:
                return NameMatch(record=record)
        return self.index.find(tracker.latest_message.get("text") or "")

    def record_in_context(self, tracker: Tracker) -> NameMatch:
        """Named in this message, or else the one the conversation was about."""
        match = self.named_record(tracker)
        if match.record or match.candidates:
            return match
        number = tracker.get_slot(CURRENT_RECORD_SLOT)
        record = self.index.by_number(number) if number else None
        return NameMatch(record=record)

    def ask_which(self, dispatcher: CollectingDispatcher, candidates, intent: Text) -> None:
        buttons = [
            {"title": record.name, "payload": f'/{intent}{{"crebo": "{record_number(record)}"}}'}
            for record in candidates
        ]
        dispatcher.utter_message(response="utter_which_one", buttons=buttons)

    def tell_record(self, dispatcher: CollectingDispatcher, record: Record) -> List[EventType]:
        if isinstance(record, Qualification):
            dossier = self.index.dataset.dossier_of(record)
            leerweg = self.index.dataset.general_facts["leerweg"]
            sources = [record.source, *leerweg.sources]
            duration = ""
            stated = self.index.dataset.duration_of(record)
            if stated is not None:
                # Said of the dossier and level, as the source says it; never of the qualification.
                duration = (f" Over de duur zegt de bron: {dossier.name} op niveau {int(stated.level)} is een "
                            f"{LEVEL_WORDS.get(stated.years, stated.years)}jarige opleiding.")
                sources.insert(1, stated.source)
            dispatcher.utter_message(
                response="utter_qualification_info",
                name=record.name,
                crebo=record.crebo,
                level=int(record.level),
                dossier_name=dossier.name,
                dossier_number=dossier.number,
                duration=duration,
                leerweg=leerweg.text,
                source="; ".join(source.label() for source in sources),
            )
        else:
            self.tell_dossier(dispatcher, record)
        return [SlotSet(CURRENT_RECORD_SLOT, record_number(record))]

    def tell_dossier(self, dispatcher: CollectingDispatcher, dossier: Dossier) -> List[EventType]:
        facts = "".join(f"\n\n{fact.text} ({fact.label()})" for fact in dossier.facts)
        dispatcher.utter_message(
            response="utter_dossier_info",
            dossier_name=dossier.name,
            dossier_number=dossier.number,
            qualification_list=_qualification_list(self.index.dataset.qualifications_in(dossier.number)),
            dossier_facts=facts,
            source=dossier.source.label(),
        )
        return [SlotSet(CURRENT_RECORD_SLOT, dossier.number)]

    def answer_check(self, dispatcher: CollectingDispatcher, text: Text) -> Optional[List[EventType]]:
        """A belief about a known number: 'is 25895 Productietechnicus?', '25891 is toch niveau
        3?', 'hoort 25893 bij Mechatronica?'. Answered with Ja or Nee first and the right facts.
        None when the message checks nothing (then the action answers as usual)."""
        if not is_check(text):
            return None
        known = [(n, r) for n in number_candidates(text) for r in [self.index.by_number(n)] if r is not None]
        if len(known) != 1:
            return None
        number, record = known[0]
        rest = text.replace(number, " ")
        named, claimed_level = self.index.find(rest).record, parse_level(rest)
        if isinstance(record, Dossier) and isinstance(named, Qualification) and _MEMBERSHIP.search(normalise(rest)):
            record, named = named, record  # "hoort 23360 bij Technicus mechatronica?": is it in that dossier?
        if isinstance(record, Dossier):
            if isinstance(named, Qualification):  # "is 23360 Technicus mechatronica?": a dossier, not it
                verdict = "Nee."
                other = (f" {named.name} is een kwalificatie met crebo {named.crebo}, in het kwalificatiedossier "
                         f"{self.index.dataset.dossier_of(named).name}.")
            elif isinstance(named, Dossier):
                verdict = "Ja." if named.number == record.number else "Nee."
                other = "" if named.number == record.number else f" {named.name} heeft dossiernummer {named.number}."
            else:
                return None
            dispatcher.utter_message(response="utter_check_dossier_number", verdict=verdict, number=record.number,
                                     name=record.name, other=other, source=record.source.label())
            return [SlotSet(CURRENT_RECORD_SLOT, record.number)]
        dossier = self.index.dataset.dossier_of(record)
        facts = dict(crebo=record.crebo, name=record.name, level=int(record.level), dossier_name=dossier.name,
                     dossier_number=dossier.number, source=record.source.label())
        if isinstance(named, Qualification) and named.crebo != record.crebo:
            dispatcher.utter_message(response="utter_check_other_record", **facts, other_name=named.name,
                                     other_crebo=named.crebo, other_level=int(named.level))
        elif isinstance(named, Dossier) and named.number != dossier.number:
            dispatcher.utter_message(response="utter_check_other_dossier", **facts, claimed_dossier=named.name)
        elif claimed_level is not None and claimed_level != int(record.level):
            dispatcher.utter_message(response="utter_check_other_level", **facts, claimed_level=claimed_level)
        elif named is not None or claimed_level is not None:
            dispatcher.utter_message(response="utter_check_confirmed", **facts)
        else:
            return None
        return [SlotSet(CURRENT_RECORD_SLOT, record.crebo)]

    def tell_unknown_name(self, dispatcher: CollectingDispatcher) -> List[EventType]:
        dispatcher.utter_message(
            response="utter_name_unknown",
            qualification_list=_qualification_list(self.index.dataset.qualifications),
        )
        return []


class ActionLookupCrebo(LookupAction):
    """'Wat is crebo 25894?'"""

    def name(self) -> Text:
        return "action_lookup_crebo"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        checked = self.answer_check(dispatcher, tracker.latest_message.get("text") or "")
        if checked is not None:
            return checked
        numbers = _entity_values(tracker, "crebo") or number_candidates(tracker.latest_message.get("text") or "")
        if not numbers:
            match = self.named_record(tracker)
            if match.record:
                return self.tell_record(dispatcher, match.record)
            dispatcher.utter_message(response="utter_ask_crebo")
            return []
        number = numbers[0]
        if len(number) != 5:
            dispatcher.utter_message(response="utter_crebo_malformed", crebo=number)
            return []
        record = self.index.by_number(number)
        if record is None:
            dispatcher.utter_message(response="utter_crebo_unknown", crebo=number)
            return []
        return self.tell_record(dispatcher, record)


class ActionLookupQualification(LookupAction):
    """'Welk crebo heeft Technicus mechatronica?'"""

    def name(self) -> Text:
        return "action_lookup_qualification"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        checked = self.answer_check(dispatcher, tracker.latest_message.get("text") or "")
        if checked is not None:
            return checked
        match = self.named_record(tracker)
        if match.record:
            return self.tell_record(dispatcher, match.record)
        if match.is_ambiguous:
            self.ask_which(dispatcher, match.candidates, "lookup_crebo")
            return []
        return self.tell_unknown_name(dispatcher)


class ActionLookupDossier(LookupAction):
    """'Welke kwalificaties vallen onder Productietechniek?'"""

    def name(self) -> Text:
        return "action_lookup_dossier"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        checked = self.answer_check(dispatcher, tracker.latest_message.get("text") or "")
        if checked is not None:
            return checked
        match = self.record_in_context(tracker)
        record = match.record
        if isinstance(record, Qualification):
            record = self.index.dataset.dossier_of(record)
        if isinstance(record, Dossier):
            return self.tell_dossier(dispatcher, record)
        if match.is_ambiguous:
            dossiers = {self.index.dataset.dossier_of(r).number: self.index.dataset.dossier_of(r) for r in match.candidates if isinstance(r, Qualification)}
            self.ask_which(dispatcher, list(dossiers.values()) or match.candidates, "lookup_dossier")
            return []
        return self.tell_unknown_name(dispatcher)


class ActionListByLevel(LookupAction):
    """'Welke opleidingen zijn er op niveau 4?'"""

    def name(self) -> Text:
        return "action_list_by_level"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        level = parse_level(tracker.latest_message.get("text") or "")
        if level is None:
            dispatcher.utter_message(response="utter_ask_level")
            return []
        dataset = self.index.dataset
        qualifications = dataset.qualifications_at(Level(level))
        if not qualifications:
            levels = sorted({int(q.level) for q in dataset.qualifications})
            dispatcher.utter_message(
                response="utter_level_none", level=level,
                levels=_dutch_list(levels),
                source=cite(tuple(q.source for q in dataset.qualifications)).removeprefix("Bron: "),
            )
            return []
        dispatcher.utter_message(
            response="utter_level_list",
            level=level,
            qualification_list=_qualification_list(qualifications),
            source=cite(tuple(q.source for q in qualifications)).removeprefix("Bron: "),
        )
        return []


class ActionTellLevel(LookupAction):
    """'Op welk niveau is Productietechnicus?' and the follow-up 'en op welk niveau is die?'"""

    def name(self) -> Text:
        return "action_tell_level"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        checked = self.answer_check(dispatcher, tracker.latest_message.get("text") or "")
        if checked is not None:
            return checked
        match = self.record_in_context(tracker)
        record = match.record
        if isinstance(record, Qualification):
            dispatcher.utter_message(
                response="utter_level_of", name=record.name, crebo=record.crebo,
                level=int(record.level), source=record.source.label(),
            )
            return [SlotSet(CURRENT_RECORD_SLOT, record.crebo)]
        if isinstance(record, Dossier):
            qualifications = self.index.dataset.qualifications_in(record.number)
            levels = sorted({int(q.level) for q in qualifications})
            dispatcher.utter_message(
                response="utter_dossier_levels", dossier_name=record.name,
                levels=_dutch_list(levels),
                qualification_list=_qualification_list(qualifications), source=record.source.label(),
            )
            return [SlotSet(CURRENT_RECORD_SLOT, record.number)]
        if match.is_ambiguous:
            self.ask_which(dispatcher, match.candidates, "ask_level")
            return []
        dispatcher.utter_message(response="utter_ask_which_record")
        return []


class ActionTellDuration(LookupAction):
    """'Hoe lang duurt Technicus mechatronica?' and 'hoe lang duurt die opleiding?'"""

    def name(self) -> Text:
        return "action_tell_duration"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        match = self.record_in_context(tracker)
        record = match.record
        if isinstance(record, Qualification):
            self.tell_duration(dispatcher, record)
            return [SlotSet(CURRENT_RECORD_SLOT, record.crebo)]
        if isinstance(record, Dossier):
            self.tell_dossier_durations(dispatcher, record)
            return [SlotSet(CURRENT_RECORD_SLOT, record.number)]
        if match.is_ambiguous:
            self.ask_which(dispatcher, match.candidates, "ask_duration")
            return []
        dispatcher.utter_message(response="utter_ask_which_record")
        return []

    def tell_dossier_durations(self, dispatcher: CollectingDispatcher, dossier: Dossier) -> None:
        if not dossier.durations:
            dispatcher.utter_message(response="utter_duration_unknown", name=dossier.name)
            return
        stated = "; ".join(f"op niveau {int(d.level)} is het een {LEVEL_WORDS.get(d.years, d.years)}jarige opleiding"
                           for d in dossier.durations)
        dispatcher.utter_message(
            response="utter_dossier_durations", dossier_name=dossier.name, durations=stated,
            source=cite(tuple(d.source for d in dossier.durations)).removeprefix("Bron: "),
        )

    def tell_duration(self, dispatcher: CollectingDispatcher, qualification: Qualification) -> None:
        stated = self.index.dataset.duration_of(qualification)
        if stated is None:
            dispatcher.utter_message(response="utter_duration_unknown", name=qualification.name)
            return
        dispatcher.utter_message(
            response="utter_duration_known",
            name=qualification.name,
            level=int(stated.level),
            dossier_name=self.index.dataset.dossier_of(qualification).name,
            duration=LEVEL_WORDS.get(stated.years, str(stated.years)),
            source=stated.source.label(),
        )


class ActionTellOverview(LookupAction):
    """'Hoeveel dossiers en kwalificaties zijn er nu?'"""

    def name(self) -> Text:
        return "action_tell_overview"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dataset = self.index.dataset
        overview = "\n".join(
            f"{dossier.name} ({dossier.number}):\n{_qualification_list(dataset.qualifications_in(dossier.number))}"
            for dossier in dataset.dossiers
        )
        dispatcher.utter_message(
            response="utter_overview",
            dossier_count=len(dataset.dossiers),
            qualification_count=len(dataset.qualifications),
            overview=overview,
            # The list is the 1e vragenuur's; the column also says "in totaal negen kwalificaties".
            source=cite((*(d.source for d in dataset.dossiers), SourceRef("column"))).removeprefix("Bron: "),
        )
        return []
