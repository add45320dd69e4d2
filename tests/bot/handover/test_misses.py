"""Two misses in a row offer a person (actions/handover.py), whatever the misses were: "Bedoelde
je…?" (nlu_fallback, actions/faq.py) or "daar kan ik je niet mee helpen" (out_of_scope,
`action_answer_out_of_scope`), in either order; once, not again on a third miss right after.

Each conversation is played turn by turn as Rasa plays it: the user's message goes into the
tracker, the action that answers it runs, and what it said goes into the tracker as the bot's
events (with the response's name, as Rasa notes it), so a later turn sees the earlier offer.
The school is open at every moment (or closed by a holiday around today): no test depends on the clock.
"""
from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import handover
from actions.faq import ActionSuggestFaq
from actions.handover import ActionAnswerOutOfScope, missed_twice
from bot.handover.hours import HandoverSettings, Holiday, OpeningHours

ALWAYS = {day: ((time(0, 0), time.max),) for day in range(7)}
OPEN = HandoverSettings(hours=OpeningHours(periods=ALWAYS))
CLOSED = HandoverSettings(hours=OpeningHours(periods=ALWAYS, holidays=(
    Holiday(date.today() - timedelta(days=2), date.today() + timedelta(days=2), "Studiedagen"),)))

FALLBACK = ("keuzedelen hoe zit dat nou eigenlijk", "nlu_fallback")  # "Bedoelde je…?" / "stel je vraag anders"
OUT_OF_SCOPE = ("hoe maak ik pannenkoeken?", "out_of_scope")  # "daar kan ik je helaas niet mee helpen"
ANSWERED = ("Wat is crebo 25894?", "lookup_crebo")
NOT_IN_SOURCES = ("wat kost de opleiding?", "ask_not_in_sources")  # answered by the lookup, which offers nobody
OFFER = "utter_handover_offer"
# The actions that answer a miss (data/rules.yml, with the rule for out_of_scope of this change).
MISS_ACTIONS = {"nlu_fallback": ActionSuggestFaq(), "out_of_scope": ActionAnswerOutOfScope()}


class Conversation:
    """A conversation as the action server sees it, turn by turn."""

    def __init__(self) -> None:
        self.events: List[Dict[str, Any]] = []
        self.said: List[Dict[str, Any]] = []  # the bot's messages of the latest turn, as the action sent them

    def tracker(self, text: str, intent: str) -> Tracker:
        latest = {"text": text, "intent": {"name": intent, "confidence": 0.3}, "entities": [],
                  "intent_ranking": [{"name": intent, "confidence": 0.3}], "response_selector": {}}
        return Tracker(sender_id="student", slots={}, latest_message=latest, events=list(self.events), paused=False,
                       followup_action=None, active_loop={}, latest_action_name="action_listen")

    def user(self, said: tuple) -> List[str]:
        """The user says `said` (text, intent); the responses the bot answers with, in order."""
        text, intent = said
        self.events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}})
        responses = self._answer(text, intent)
        self.events += [{"event": "bot", "text": name, "metadata": {"utter_action": name}} for name in responses]
        return responses

    def _answer(self, text: str, intent: str) -> List[str]:
        action: Optional[Any] = MISS_ACTIONS.get(intent)
        if action is None:  # answered by another action, which never offers a person
            return ["action_answer_lookup" if intent.startswith(("lookup", "ask_")) else f"utter_{intent}"]
        dispatcher = CollectingDispatcher()
        action.run(dispatcher, self.tracker(text, intent), {})
        self.said = dispatcher.messages
        return [message["response"] for message in dispatcher.messages]


@pytest.fixture
def school_open(monkeypatch):
    monkeypatch.setattr(handover, "handover_settings", lambda: OPEN)


@pytest.fixture
def school_closed(monkeypatch):
    monkeypatch.setattr(handover, "handover_settings", lambda: CLOSED)


@pytest.fixture
def no_handover(monkeypatch):
    monkeypatch.setattr(handover, "handover_settings", lambda: None)


# --- any two misses in a row ------------------------------------------------------------------

def test_out_of_scope_after_a_fallback_offers_a_person(school_open):
    chat = Conversation()
    assert chat.user(FALLBACK) == ["utter_rephrase"]
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope", OFFER]


def test_a_fallback_after_out_of_scope_offers_a_person(school_open):
    chat = Conversation()
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope"]  # one miss: only the answer
    assert chat.user(FALLBACK) == ["utter_handover_after_misses", OFFER]


def test_two_out_of_scope_questions_offer_a_person(school_open):
    chat = Conversation()
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope"]
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope", OFFER]


def test_two_fallbacks_offer_a_person_as_before(school_open):
    chat = Conversation()
    assert chat.user(FALLBACK) == ["utter_rephrase"]
    assert chat.user(FALLBACK) == ["utter_handover_after_misses", OFFER]


def test_outside_the_hours_the_offer_is_the_message_box(school_closed):
    chat = Conversation()
    chat.user(FALLBACK)
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope", "utter_handover_closed"]


# --- once ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("third", [FALLBACK, OUT_OF_SCOPE])
def test_a_third_miss_right_after_the_offer_is_not_offered_again(school_open, third):
    chat = Conversation()
    chat.user(OUT_OF_SCOPE)
    assert OFFER in chat.user(FALLBACK)
    again = chat.user(third)
    assert OFFER not in again and "utter_handover_after_misses" not in again
    assert OFFER not in chat.user(FALLBACK), "nor on the fourth"


def test_the_third_miss_still_shows_the_person_button_under_the_fallback(school_open):
    chat = Conversation()
    chat.user(FALLBACK)
    chat.user(FALLBACK)
    assert chat.user(FALLBACK) == ["utter_rephrase"]
    assert chat.said[0]["buttons"][-1] == {"title": "Een medewerker spreken", "payload": "/request_human"}


def test_after_an_answer_two_new_misses_offer_again(school_open):
    chat = Conversation()
    chat.user(FALLBACK)
    assert OFFER in chat.user(OUT_OF_SCOPE)
    chat.user(ANSWERED)
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope"]
    assert chat.user(FALLBACK) == ["utter_handover_after_misses", OFFER]


def test_misses_with_an_answer_between_them_are_not_in_a_row(school_open):
    chat = Conversation()
    chat.user(OUT_OF_SCOPE)
    chat.user(ANSWERED)
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope"]


def test_when_the_second_miss_could_not_offer_the_third_does(school_open):
    # The lookup answers what the sources do not hold without an offer; the next miss makes up for it.
    chat = Conversation()
    chat.user(FALLBACK)
    assert chat.user(NOT_IN_SOURCES) == ["action_answer_lookup"]
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope", OFFER]


def test_a_thumbs_down_between_misses_keeps_them_in_a_row(school_open):
    chat = Conversation()
    chat.user(OUT_OF_SCOPE)
    chat.user(("/feedback_not_helpful", "feedback_not_helpful"))
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope", OFFER]


def test_an_offer_the_user_asked_for_does_not_count_for_the_misses_after_it(school_open):
    chat = Conversation()
    chat.events += [{"event": "user", "text": "mens", "parse_data": {"intent": {"name": "request_human"}}},
                    {"event": "bot", "text": "…", "metadata": {"utter_action": OFFER}}]
    chat.user(OUT_OF_SCOPE)
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope", OFFER]


# --- without a `handover:` section --------------------------------------------------------------

def test_without_a_handover_section_out_of_scope_is_answered_as_before(no_handover):
    chat = Conversation()
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope"]
    assert chat.user(OUT_OF_SCOPE) == ["utter_out_of_scope"]
    assert chat.user(FALLBACK) == ["utter_rephrase"]


def test_missed_twice_reads_the_run_of_misses_and_the_offers_in_it():
    def tracker(*events: Dict[str, Any]) -> Tracker:
        return Tracker("s", {}, {}, list(events), False, None, {}, "action_listen")

    def user(intent: str) -> Dict[str, Any]:
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    def bot(response: str) -> Dict[str, Any]:
        return {"event": "bot", "metadata": {"utter_action": response}}

    assert not missed_twice(tracker(user("out_of_scope")))
    assert missed_twice(tracker(user("out_of_scope"), bot("utter_out_of_scope"), user("nlu_fallback")))
    assert not missed_twice(tracker(user("nlu_fallback"), bot("utter_handover_closed"), user("nlu_fallback"),
                                    bot("utter_rephrase"), user("out_of_scope")))
    assert missed_twice(tracker(user("request_human"), bot("utter_human_handoff"), user("out_of_scope"),
                                bot("utter_out_of_scope"), user("out_of_scope")))
