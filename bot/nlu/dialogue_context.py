"""What the conversation so far says, for the NLU components that take the tracker.

Rasa hands the tracker to an NLU component whose `process` takes a `tracker` argument; the
components here use it for follow-ups: a short "en wanneer is dat?" after an FAQ answer is
about that answer's subject, "en in welk dossier zit die?" after a lookup about that record.
"""
from __future__ import annotations

from typing import List, Optional, Text

from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.feedback import NOT_ANSWERS
from bot.knowledge.faq import RETRIEVAL_ACTION
from bot.knowledge.lookup_intents import LOOKUP_ACTIONS

FAQ_SUBJECT_SLOT = "faq_subject"
RECORD_SLOTS = ("qualification", "dossier", "level", "shown_list")
SHOWN_SLOT = "shown_list"
LIST_BEFORE_SLOT = "list_before"
QUESTION_SLOT = "lookup_question"


def last_answer(tracker: Optional[DialogueStateTracker]) -> Optional[Text]:
    """The action that answered the previous user message, if there was one."""
    if tracker is None:
        return None
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            continue
        if isinstance(event, ActionExecuted) and event.action_name and event.action_name not in NOT_ANSWERS:
            return event.action_name
    return None


def faq_subject(tracker: Optional[DialogueStateTracker]) -> Optional[Text]:
    """The FAQ answer key the conversation is about, when the last answer was an FAQ answer."""
    if tracker is None or last_answer(tracker) not in {RETRIEVAL_ACTION, "action_answer_parts"}:
        return None
    value = tracker.get_slot(FAQ_SUBJECT_SLOT)
    return str(value) if value else None


def has_lookup_context(tracker: Optional[DialogueStateTracker]) -> bool:
    """Whether a record or level is in context (set by an earlier lookup)."""
    return tracker is not None and any(tracker.get_slot(slot) for slot in RECORD_SLOTS)


def lookup_question(tracker: Optional[DialogueStateTracker]) -> Optional[Text]:
    """What the last lookup answered ("duration", "count", …), when the last answer was a lookup."""
    if tracker is None or last_answer(tracker) not in LOOKUP_ACTIONS:
        return None
    value = tracker.get_slot(QUESTION_SLOT)
    return str(value) if value else None


def previous_message(tracker: Optional[DialogueStateTracker]) -> Text:
    """The text of the user's previous message (the tracker the NLU gets holds the messages before this one)."""
    if tracker is None:
        return ""
    return next((event.text or "" for event in reversed(tracker.events) if isinstance(event, UserUttered)), "")


def shown_list(tracker: Optional[DialogueStateTracker]) -> List[Text]:
    """The record numbers of the last list the assistant showed, in order."""
    if tracker is None:
        return []
    return [str(number) for number in tracker.get_slot(SHOWN_SLOT) or []]


def list_before(tracker: Optional[DialogueStateTracker]) -> List[Text]:
    """The record numbers of the list shown before the last one (actions/lookups.py keeps it)."""
    if tracker is None:
        return []
    return [str(number) for number in tracker.get_slot(LIST_BEFORE_SLOT) or []]


def faq_list(tracker: Optional[DialogueStateTracker]) -> List[Text]:
    """The record numbers the last answer showed when it was an FAQ answer that lists records."""
    from bot.knowledge.references import listed_in_faq_answer

    if tracker is None or last_answer(tracker) != RETRIEVAL_ACTION:
        return []
    return list(listed_in_faq_answer(faq_subject(tracker)))
