"""'Bedoelde je…?' suggestions and theme listings."""
from __future__ import annotations

import pytest

from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionShowTheme, ActionSuggestFaq
from bot.knowledge import load_catalogue


def ranked(*keys_and_confidences, top_intent="faq"):
    return {
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}, {"name": top_intent, "confidence": 0.9}],
        "response_selector": {"faq": {"ranking": [
            {"intent_response_key": f"faq/{key}", "confidence": confidence} for key, confidence in keys_and_confidences
        ]}},
    }


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, tracker, {})
    return dispatcher.messages


def test_suggests_the_three_likeliest_questions_and_something_else(make_tracker):
    tracker = make_tracker("keuzedelen hoe zit dat", "nlu_fallback", parse_data=ranked(
        ("keuzedelen_verplicht", 0.4), ("keuzedelen_invulling", 0.3), ("basisdeel", 0.1), ("consortium", 0.09)))
    message = run(ActionSuggestFaq(), tracker)[0]
    assert message["response"] == "utter_did_you_mean"
    catalogue = load_catalogue()
    assert [b["title"] for b in message["buttons"]] == [
        catalogue.get("keuzedelen_verplicht").title, catalogue.get("keuzedelen_invulling").title,
        catalogue.get("basisdeel").title, "Iets anders"]
    assert message["buttons"][0]["payload"] == 'faq:keuzedelen_verplicht'


def test_no_suggestions_when_the_question_was_not_about_the_faq(make_tracker):
    tracker = make_tracker("blabla", "nlu_fallback", parse_data=ranked(("basisdeel", 0.5), top_intent="out_of_scope"))
    tracker.latest_message["intent_ranking"].insert(2, {"name": "greet", "confidence": 0.05})
    assert run(ActionSuggestFaq(), tracker)[0]["response"] == "utter_rephrase"


def test_noise_is_not_suggested(make_tracker):
    tracker = make_tracker("xyz", "nlu_fallback", parse_data=ranked(("basisdeel", 0.02)))
    assert run(ActionSuggestFaq(), tracker)[0]["response"] == "utter_rephrase"


def test_theme_lists_its_questions_as_exact_buttons(make_tracker):
    tracker = make_tracker("/show_theme", "show_theme", [{"entity": "theme", "value": "keuzedelen"}])
    message = run(ActionShowTheme(), tracker)[0]
    assert message["theme_label"] == "Keuzedelen"
    assert {b["payload"] for b in message["buttons"]} == {
        "faq:keuzedelen_invulling", "faq:keuzedelen_verplicht"}


@pytest.mark.parametrize("typed, theme_label", [
    ("laat alle vragen over keuzedelen zien", "Keuzedelen"),
    ("onderwerp examens", "Examens en diploma"),
    ("ik wil de vragen over erkenning van leerbedrijven zien", "Erkenning van leerbedrijven"),
    ("menu doorlopende leerroutes", "Doorlopende leerroutes"),
])
def test_a_typed_theme_is_read_from_the_text(make_tracker, typed, theme_label):
    assert run(ActionShowTheme(), make_tracker(typed, "show_theme"))[0]["theme_label"] == theme_label


def test_unknown_theme(make_tracker):
    tracker = make_tracker("onderwerp koken", "show_theme")
    assert run(ActionShowTheme(), tracker)[0]["response"] == "utter_unknown_theme"
