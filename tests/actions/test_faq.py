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


# An English conversation: the same buttons and payloads, English titles.

def test_suggestions_are_titled_in_english_in_an_english_conversation(make_tracker):
    from tests.actions.english import ENGLISH_SLOTS

    tracker = make_tracker("keuzedelen hoe zit dat", "nlu_fallback", slots=ENGLISH_SLOTS, parse_data=ranked(
        ("keuzedelen_verplicht", 0.4), ("keuzedelen_invulling", 0.3), ("basisdeel", 0.1)))
    message = run(ActionSuggestFaq(), tracker)[0]
    catalogue = load_catalogue()
    assert [b["title"] for b in message["buttons"]] == [
        catalogue.get("keuzedelen_verplicht").title_en, catalogue.get("keuzedelen_invulling").title_en,
        catalogue.get("basisdeel").title_en, "Something else"]
    dutch = run(ActionSuggestFaq(), make_tracker("keuzedelen hoe zit dat", "nlu_fallback", parse_data=ranked(
        ("keuzedelen_verplicht", 0.4), ("keuzedelen_invulling", 0.3), ("basisdeel", 0.1))))[0]
    assert [b["payload"] for b in message["buttons"]] == [b["payload"] for b in dutch["buttons"]]


def test_a_theme_is_labelled_and_its_questions_titled_in_english(make_tracker):
    from tests.actions.english import ENGLISH_SLOTS

    tracker = make_tracker("/show_theme", "show_theme", [{"entity": "theme", "value": "keuzedelen"}], slots=ENGLISH_SLOTS)
    message = run(ActionShowTheme(), tracker)[0]
    catalogue = load_catalogue()
    assert message["theme_label"] == "Keuzedelen (elective modules)"
    assert {b["title"] for b in message["buttons"]} == {e.title_en for e in catalogue.in_theme("keuzedelen")}


def test_an_faq_without_english_yet_keeps_its_dutch_title():
    from actions.faq import faq_button
    from bot.knowledge.models import FaqEntry, SourceRef

    entry = FaqEntry(key="x", theme="keuzedelen", title="Nederlandse titel", answer="…", sources=(SourceRef("column"),))
    assert faq_button(entry, "en")["title"] == "Nederlandse titel"


@pytest.mark.parametrize("typed, theme_label", [
    ("show me the questions about exams", "Exams and diploma"),
    ("elective modules", "Keuzedelen (elective modules)"),
    ("recognition of training companies", "Recognition of leerbedrijven (training companies)"),
])
def test_a_theme_typed_in_english_is_read_from_the_text(make_tracker, typed, theme_label):
    from tests.actions.english import ENGLISH_SLOTS

    assert run(ActionShowTheme(), make_tracker(typed, "show_theme", slots=ENGLISH_SLOTS))[0]["theme_label"] == theme_label
