"""Offering a person (actions/handover.py): the queue within the hours, the message box outside
them, the school's contact without a `handover:` section; the person button; two misses in a row.

The hours are set here, never read from the clock: every check gets its own `now`.
"""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import handover
from actions.faq import ActionSuggestFaq
from actions.feedback import ActionFeedbackNotHelpful
from actions.handover import (
    ActionOfferHandover, misses_in_a_row, missed_twice, offer_person, opening_sentence, person_button,
)
from bot.handover.hours import HandoverSettings, Holiday, OpeningHours
from tests.actions.english import ENGLISH_SLOTS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = {day: ((time(8, 30), time(17, 0)),) for day in range(5)}
SETTINGS = HandoverSettings(hours=OpeningHours(periods=WEEKDAYS, holidays=(
    Holiday(datetime(2026, 12, 21).date(), datetime(2027, 1, 1).date(), "Kerstvakantie"),)))
TUESDAY_MORNING = datetime(2026, 3, 3, 10, 0, tzinfo=AMSTERDAM)
TUESDAY_EARLY = datetime(2026, 3, 3, 7, 0, tzinfo=AMSTERDAM)
TUESDAY_EVENING = datetime(2026, 3, 3, 19, 0, tzinfo=AMSTERDAM)
SATURDAY = datetime(2026, 3, 7, 12, 0, tzinfo=AMSTERDAM)
CHRISTMAS = datetime(2026, 12, 22, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def with_handover(monkeypatch):
    """The school offers a person (school.yml has a `handover:` section)."""
    monkeypatch.setattr(handover, "handover_settings", lambda: SETTINGS)


@pytest.fixture
def without_handover(monkeypatch):
    monkeypatch.setattr(handover, "handover_settings", lambda: None)


def offered(settings, now, language="nl"):
    dispatcher = CollectingDispatcher()
    offer_person(dispatcher, settings, language, now)
    return dispatcher.messages


def test_within_the_hours_the_queue_is_offered():
    [message] = offered(SETTINGS, TUESDAY_MORNING)
    assert message["response"] == "utter_handover_offer"


@pytest.mark.parametrize("now, sentence", [
    (TUESDAY_EARLY, "De chat met een medewerker is weer open vandaag om 08:30."),
    (TUESDAY_EVENING, "De chat met een medewerker is weer open morgen om 08:30."),
    (SATURDAY, "De chat met een medewerker is weer open maandag om 08:30."),
    (CHRISTMAS, "De chat met een medewerker is weer open maandag 4 januari om 08:30."),
])
def test_outside_the_hours_the_message_box_and_the_next_opening(now, sentence):
    [message] = offered(SETTINGS, now)
    assert message["response"] == "utter_handover_closed" and message["next_opening"] == sentence


def test_the_next_opening_in_english():
    [message] = offered(SETTINGS, SATURDAY, "en")
    assert message["next_opening"] == "Chat with a staff member opens again on Monday at 08:30."
    assert opening_sentence(None, SATURDAY, "en") == "It is not yet known when chat with a staff member opens again."


def test_without_a_handover_section_the_schools_contact_as_before():
    assert [m["response"] for m in offered(None, TUESDAY_MORNING)] == ["utter_human_handoff"]


def test_the_action_offers_by_the_schools_settings(make_tracker, without_handover):
    dispatcher = CollectingDispatcher()
    ActionOfferHandover().run(dispatcher, make_tracker("ik wil een medewerker spreken", "request_human"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_human_handoff"]


def test_a_phone_number_asked_is_said_not_to_be_in_the_sources_before_the_offer(make_tracker, without_handover):
    dispatcher = CollectingDispatcher()
    ActionOfferHandover().run(dispatcher, make_tracker("welk telefoonnummer kan ik bellen voor iemand van SBB?",
                                                       "request_human"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_contact_details_not_held", "utter_human_handoff"]


def user(intent):
    return {"event": "user", "text": "…", "parse_data": {"intent": {"name": intent}}}


def tracker_with(make_tracker, *intents, slots=None):
    tracker = make_tracker("…", intents[-1], slots=slots, parse_data={
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}], "response_selector": {}})
    tracker.events = [user(intent) for intent in intents]
    return tracker


@pytest.mark.parametrize("intents, misses", [
    (["faq", "nlu_fallback"], 1),
    (["nlu_fallback", "nlu_fallback"], 2),
    (["out_of_scope", "nlu_fallback"], 2),
    (["nlu_fallback", "feedback_not_helpful", "nlu_fallback"], 2),  # a 👎 asks nothing
    (["nlu_fallback", "faq", "nlu_fallback"], 1),
])
def test_misses_in_a_row(make_tracker, intents, misses):
    assert misses_in_a_row(tracker_with(make_tracker, *intents)) == misses


def test_the_second_miss_in_a_row_offers_a_person(make_tracker, with_handover):
    tracker = tracker_with(make_tracker, "nlu_fallback", "nlu_fallback")
    assert missed_twice(tracker)
    dispatcher = CollectingDispatcher()
    ActionSuggestFaq().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages][0] == "utter_handover_after_misses"
    assert dispatcher.messages[1]["response"] in ("utter_handover_offer", "utter_handover_closed")


def test_without_a_handover_section_two_misses_change_nothing(make_tracker, without_handover):
    dispatcher = CollectingDispatcher()
    ActionSuggestFaq().run(dispatcher, tracker_with(make_tracker, "nlu_fallback", "nlu_fallback"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_rephrase"]
    assert "buttons" not in dispatcher.messages[0] or not dispatcher.messages[0]["buttons"]


def ranked_fallback(make_tracker, slots=None):
    return make_tracker("keuzedelen hoe zit dat", "nlu_fallback", slots=slots, parse_data={
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "faq", "confidence": 0.9}],
        "response_selector": {"faq": {"ranking": [
            {"intent_response_key": "faq/keuzedelen_verplicht", "confidence": 0.4},
            {"intent_response_key": "faq/keuzedelen_invulling", "confidence": 0.3}]}}})


@pytest.mark.parametrize("slots, title", [(None, "Een medewerker spreken"), (ENGLISH_SLOTS, "Talk to a staff member")])
def test_did_you_mean_ends_with_a_person(make_tracker, with_handover, slots, title):
    dispatcher = CollectingDispatcher()
    ActionSuggestFaq().run(dispatcher, ranked_fallback(make_tracker, slots), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_did_you_mean"
    assert message["buttons"][-1] == {"title": title, "payload": "/request_human"}
    assert message["buttons"][-2]["payload"] == "/ask_capabilities"


def test_did_you_mean_without_a_handover_section_has_no_person_button(make_tracker, without_handover):
    dispatcher = CollectingDispatcher()
    ActionSuggestFaq().run(dispatcher, ranked_fallback(make_tracker), {})
    assert "/request_human" not in [b["payload"] for b in dispatcher.messages[0]["buttons"]]


def test_a_thumbs_down_offers_a_person(make_tracker, with_handover):
    dispatcher = CollectingDispatcher()
    ActionFeedbackNotHelpful().run(dispatcher, make_tracker("/feedback_not_helpful", "feedback_not_helpful"), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_feedback_sorry" and message["buttons"] == [person_button()]


def test_the_person_button_is_one_of_our_payloads():
    from bot.payloads import is_our_payload

    assert is_our_payload(person_button()["payload"])
