"""👍/👎 in the action server: under answers, not under questions back; after a 👎, other questions."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import ActionFeedbackNotHelpful, ask_feedback


def test_feedback_is_asked_under_an_answer_with_what_it_rates():
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response="utter_qualification")
    ask_feedback(dispatcher, "lookup/lookup_crebo/25893")
    assert dispatcher.messages[-1]["response"] == "utter_ask_feedback"
    assert dispatcher.messages[-1]["answer_given"] == "lookup/lookup_crebo/25893"


def test_no_feedback_under_a_question_back():
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response="utter_which_one", buttons=[])
    ask_feedback(dispatcher, "lookup/lookup_crebo/-")
    assert [m["response"] for m in dispatcher.messages] == ["utter_which_one"]


def test_after_a_thumbs_down_other_likely_questions_are_offered(make_tracker):
    question = {"event": "user", "text": "keuzedelen?", "parse_data": {
        "intent": {"name": "faq"}, "intent_ranking": [{"name": "faq"}],
        "response_selector": {"faq": {"ranking": [{"intent_response_key": "faq/keuzedelen_verplicht", "confidence": 0.5},
                                                  {"intent_response_key": "faq/keuzedelen_invulling", "confidence": 0.3}]}}}}
    tracker = make_tracker("/feedback_not_helpful", "feedback_not_helpful",
                           [{"entity": "answer", "value": "faq/keuzedelen_verplicht"}])
    tracker.events = [question, {"event": "user", "text": "/feedback_not_helpful",
                                 "parse_data": {"intent": {"name": "feedback_not_helpful"}}}]
    dispatcher = CollectingDispatcher()
    ActionFeedbackNotHelpful().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_feedback_sorry_suggestions"
    assert [b["payload"] for b in message["buttons"]] == ["faq:keuzedelen_invulling", "/ask_capabilities"]


def test_after_a_thumbs_down_without_alternatives_only_the_apology(make_tracker):
    tracker = make_tracker("/feedback_not_helpful", "feedback_not_helpful")
    dispatcher = CollectingDispatcher()
    ActionFeedbackNotHelpful().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_feedback_sorry"]


def test_after_a_thumbs_down_in_english_the_questions_are_titled_in_english(make_tracker):
    from bot.knowledge import load_catalogue
    from tests.actions.english import ENGLISH_SLOTS

    question = {"event": "user", "text": "elective modules?", "parse_data": {
        "intent": {"name": "faq"}, "intent_ranking": [{"name": "faq"}],
        "response_selector": {"faq": {"ranking": [{"intent_response_key": "faq/keuzedelen_verplicht", "confidence": 0.5},
                                                  {"intent_response_key": "faq/keuzedelen_invulling", "confidence": 0.3}]}}}}
    tracker = make_tracker("/feedback_not_helpful", "feedback_not_helpful",
                           [{"entity": "answer", "value": "faq/keuzedelen_verplicht"}], slots=ENGLISH_SLOTS)
    tracker.events = [question]
    dispatcher = CollectingDispatcher()
    ActionFeedbackNotHelpful().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert [b["title"] for b in message["buttons"]] == [
        load_catalogue().get("keuzedelen_invulling").title_en, "Something else"]
    assert [b["payload"] for b in message["buttons"]] == ["faq:keuzedelen_invulling", "/ask_capabilities"]
