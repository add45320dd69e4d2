"""One answer per question when a message asks several things.

The Rasa server cuts the message into questions and labels each (`question_parts` in the
parse data; bot/nlu/linear_classifier.py, bot/nlu/lookup_reader.py). Here each part is answered in
order, with its own source: an FAQ answer by its response, a lookup by the lookup answerer,
whose context carries from one part to the next ("wat is het crebo van X en in welk dossier
zit die?"). A part that was not understood gets a plain "Je tweede vraag begreep ik niet".
A question asked twice is answered once; questions beyond the ones read (at most
MAX_QUESTIONS_PER_MESSAGE, bot/knowledge/reader.py) are named as not answered. What the
answers fill in comes in the conversation's language (actions/wording.py).
"""
from __future__ import annotations

import json

from dataclasses import replace
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import ask_feedback
from actions.lookups import LookupAnswerer, LookupContext, back_to_the_list_before, context_events
from actions.wording import wording
from bot.knowledge import load_catalogue
from bot.knowledge.faq import answer_key, response_name
from bot.knowledge.faq_gaps import left_out_of_the_answer
from bot.knowledge.lookup_intents import LOOKUP_INTENTS, OVERVIEW
from bot.knowledge.models import Qualification
from bot.knowledge.reader import MAX_QUESTIONS_PER_MESSAGE, read
from bot.knowledge.search import knowledge_index, record_number
from bot.language import conversation_language
from bot.nlu.question_parts import QUESTION_PARTS, UNANSWERED_QUESTIONS
from bot.text import normalise

FAQ_SUBJECT_SLOT = "faq_subject"
# Understood parts that are no FAQ question or lookup, and what they get.
SIMPLE_ANSWERS = {"ask_capabilities": "utter_capabilities", "request_human": "utter_human_handoff",
                  "bot_challenge": "utter_iamabot"}


def _named_in(statement: Dict[Text, Any], answerer: LookupAnswerer) -> LookupContext:
    """The context after a statement: the one record it names, or the records it names as a list; or the list
    before the last one, which it goes back to ("Even terug naar het eerste lijstje.")."""
    named = read(str(statement.get("text") or ""), answerer.index)
    back = back_to_the_list_before(answerer.context, named.clean)
    if back is not answerer.context:
        return back
    qualifications = [r for r in named.records if isinstance(r, Qualification)]
    if len(qualifications) == 1 and all(r == qualifications[0] or record_number(r) == qualifications[0].dossier_number
                                        for r in named.records):
        # "… iets met productietechniek, Productietechnicus heet dat geloof ik.": the qualification, in its dossier
        return answerer.remember_named(qualifications[0], named.levels)
    if len(named.records) == 1:
        return answerer.remember_named(named.record, named.levels)
    if len(named.records) > 1:
        return replace(answerer.context, qualification=None, dossier=None, level=None, shown=tuple(named.records))
    return answerer.context


def _without_repeats(parts: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The parts, each question once: "is 25894? is 25894?" gets one answer."""
    seen, kept = set(), []
    for part in parts:
        label = part.get("label")
        # the overview once, however many of its questions ("hoeveel zijn het er, en kun je ze opsommen?");
        # an FAQ answer once, however many sentences it answers ("we zijn erkend leerbedrijf. blijft dat zo?")
        if part.get("record") or label == OVERVIEW:
            key = (label, part.get("record"))
        elif answer_key(str(label)) and part.get("understood"):
            key = label
        else:
            key = normalise(str(part.get("text") or ""))
        if key not in seen:
            seen.add(key)
            kept.append(part)
    return kept


class _Unfilled(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _as_said(message: Dict[Text, Any], domain: Dict[Text, Any]) -> Text:
    """A message as its reader sees it: a response's first wording with what it fills in, else the message."""
    name = message.get("response") or message.get("template")
    variations = (domain.get("responses") or {}).get(name) or []
    wording_of = next((v.get("text") for v in variations if not v.get("condition") and v.get("text")), None)
    if wording_of is None:
        return json.dumps(message, sort_keys=True, default=str)
    filled = {key: value for key, value in message.items() if value is not None}
    return json.dumps([wording_of.format_map(_Unfilled(filled)), message.get("buttons"), message.get("custom")],
                      sort_keys=True, default=str)


def _each_answer_once(dispatcher: CollectingDispatcher, domain: Dict[Text, Any]) -> None:
    """Two questions one answer answers get it once: "wat is het dossiernummer van Engineering en hoeveel
    kwalificaties vallen eronder?" (the dossier's list gives both, as two responses with the same text)."""
    seen, kept = set(), []
    for message in dispatcher.messages:
        said = _as_said(message, domain)
        if said not in seen:
            seen.add(said)
            kept.append(message)
    dispatcher.messages[:] = kept


class ActionAnswerParts(Action):
    def name(self) -> Text:
        return "action_answer_parts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        index, catalogue = knowledge_index(), load_catalogue()
        language = conversation_language(tracker)
        words = wording(language)
        before = context = LookupContext.from_tracker(tracker, index)
        subject: Optional[Text] = None
        # Small talk and the statements around a question ("We willen niet te laag zitten.") get no answer of their own.
        # A statement that names records is what the questions after it are about: "De een wil Technicus
        # mechatronica worden, de ander Productietechnicus. Welke crebonummers horen daarbij?"
        every_part = [p for p in tracker.latest_message.get(QUESTION_PARTS) or []
                      if p.get("label") not in {"greet", "thank", "goodbye"}]
        parts = _without_repeats([p for p in every_part if p.get("question", True)])
        statements = [p for p in every_part if not p.get("question", True)]
        for position, part in enumerate(parts):
            while statements and statements[0].get("end", 0) <= part.get("start", 0):  # in the message's order
                context = _named_in(statements.pop(0), LookupAnswerer(dispatcher, context, index, language))
            label = str(part.get("label"))
            key = answer_key(label)
            answerer = LookupAnswerer(dispatcher, context, index, language)  # with the context the parts before left
            if not part.get("understood") and label == "out_of_scope" and part.get("surely"):
                # "… en hoe hoog is het lesgeld?": understood well enough to know the sources do not say it
                dispatcher.utter_message(response="utter_part_not_in_sources", ordinal=words.ordinal(position))
            elif not part.get("understood"):
                dispatcher.utter_message(response="utter_part_not_understood", ordinal=words.ordinal(position))
            elif part.get("lookup") or label in LOOKUP_INTENTS:  # a lookup the reader read, or the classifier surely did
                context = answerer.answer(str(part.get("text") or ""), label)
            elif key and catalogue.get(key):
                dispatcher.utter_message(response=response_name(key))
                subject = key
                named = read(str(part.get("text") or ""), index)
                left_out = left_out_of_the_answer(named, key)
                if left_out is not None:  # "… en welke naam krijgt dat keuzedeel?": the answer, and that it does not say
                    answerer.say_the_answer_leaves_out(key, left_out)
                if named.record is not None:  # "kan ik mechatronica 4 in de bbl doen? en wat is het crebo?"
                    context = answerer.remember_named(named.record, named.levels)
            elif label in SIMPLE_ANSWERS:
                dispatcher.utter_message(response=SIMPLE_ANSWERS[label])
            else:
                dispatcher.utter_message(response="utter_part_not_understood", ordinal=words.ordinal(position))
        _each_answer_once(dispatcher, domain)
        left_over = int(tracker.latest_message.get(UNANSWERED_QUESTIONS) or 0)
        if left_over:
            dispatcher.utter_message(response="utter_questions_left_over", limit=words.number(MAX_QUESTIONS_PER_MESSAGE),
                                     left=words.left_over(left_over))
        ask_feedback(dispatcher, "several_questions")
        events = context_events(before, context)
        return events + ([SlotSet(FAQ_SUBJECT_SLOT, subject)] if subject else [])
