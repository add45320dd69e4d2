"""Lookup actions answer from the dataset, by response name and variables."""
from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lookups import (
    ActionListByLevel,
    ActionLookupCrebo,
    ActionLookupDossier,
    ActionLookupQualification,
    ActionTellDuration,
    ActionTellLevel,
    ActionTellOverview,
)


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_wat_is_crebo_25894(make_tracker):
    messages, events = run(ActionLookupCrebo(), make_tracker("Wat is crebo 25894?", "lookup_crebo",
                                                             [{"entity": "crebo", "value": "25894"}]))
    assert messages[0]["response"] == "utter_qualification_info"
    assert messages[0]["name"] == "Medewerker productietechniek"
    assert (messages[0]["level"], messages[0]["dossier_name"], messages[0]["dossier_number"]) == (2, "Productietechniek", "23361")
    assert "1e vragenuur, 4 maart 2022" in messages[0]["source"]
    assert "BOL" in messages[0]["leerweg"] and "4e vragenuur, 11 oktober 2022 (vraag 4)" in messages[0]["source"]
    assert messages[0]["duration"] == ""  # the sources give no duration for level 2
    assert events == [SlotSet("current_record", "25894")]


def test_qualification_facts_include_the_duration_the_sources_give(make_tracker):
    messages, _ = run(ActionLookupCrebo(), make_tracker("crebo 25896", "lookup_crebo"))
    # Said of the dossier and level, as the 4e vragenuur says it, not of the qualification.
    assert messages[0]["duration"] == " Over de duur zegt de bron: Productietechniek op niveau 4 is een vierjarige opleiding."
    assert "4e vragenuur, 11 oktober 2022 (vraag 3)" in messages[0]["source"]


def test_a_dossier_number_lists_its_qualifications(make_tracker):
    messages, _ = run(ActionLookupCrebo(), make_tracker("en 23360?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_dossier_info"
    assert "Technicus mechatronica (crebo 25893, niveau 4)" in messages[0]["qualification_list"]
    assert "aparte kerntaak op niveau 2 en 3" in messages[0]["dossier_facts"]


@pytest.mark.parametrize("text", ["Wat is crebo 25890?", "crebo 12345", "99999"])
def test_unknown_crebo_is_said_to_be_unknown(make_tracker, text):
    messages, events = run(ActionLookupCrebo(), make_tracker(text, "lookup_crebo"))
    assert messages[0]["response"] == "utter_crebo_unknown" and events == []


@pytest.mark.parametrize("text, number", [("wat is crebo 2589?", "2589"), ("crebo 258944", "258944")])
def test_malformed_number_is_explained(make_tracker, text, number):
    messages, _ = run(ActionLookupCrebo(), make_tracker(text, "lookup_crebo"))
    assert messages[0] == {**messages[0], "response": "utter_crebo_malformed", "crebo": number}


def test_crebo_question_without_number_asks_for_it(make_tracker):
    messages, _ = run(ActionLookupCrebo(), make_tracker("wat is een crebo?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_ask_crebo"


@pytest.mark.parametrize("typed, crebo", [
    ("technicus mechatronica", "25893"), ("technicus mechatronika", "25893"),
    ("research instrumentmaker", "25897"), ("comercieel technicus", "25899"),
])
def test_name_to_crebo(make_tracker, typed, crebo):
    tracker = make_tracker(f"welk crebo heeft {typed}?", "lookup_qualification")
    messages, _ = run(ActionLookupQualification(), tracker)
    assert messages[0]["crebo"] == crebo


def test_ambiguous_name_offers_buttons(make_tracker):
    messages, events = run(ActionLookupQualification(), make_tracker("wat is technicus", "lookup_qualification"))
    assert messages[0]["response"] == "utter_which_one"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/lookup_crebo{"crebo": "25893"}', '/lookup_crebo{"crebo": "25898"}', '/lookup_crebo{"crebo": "25899"}']
    assert events == []


def test_unknown_name_is_not_guessed(make_tracker):
    messages, _ = run(ActionLookupQualification(), make_tracker("welk crebo heeft kapper", "lookup_qualification"))
    assert messages[0]["response"] == "utter_name_unknown"


def test_dossier_lookup(make_tracker):
    messages, _ = run(ActionLookupDossier(), make_tracker("wat valt onder productie techniek", "lookup_dossier"))
    assert messages[0]["dossier_number"] == "23361"
    assert messages[0]["qualification_list"].count("\n") == 3


@pytest.mark.parametrize("text, expected", [("welke opleidingen zijn er op niveau 4", 5), ("n2 opleidingen", 2),
                                            ("mbo-3", 2), ("niveau vier", 5), ("nivo 4", 5)])
def test_list_by_level(make_tracker, text, expected):
    messages, _ = run(ActionListByLevel(), make_tracker(text, "list_by_level"))
    assert messages[0]["response"] == "utter_level_list"
    assert messages[0]["qualification_list"].count("\n") + 1 == expected


def test_level_one_has_none(make_tracker):
    messages, _ = run(ActionListByLevel(), make_tracker("niveau 1", "list_by_level"))
    assert messages[0]["response"] == "utter_level_none"


def test_follow_up_uses_the_qualification_in_context(make_tracker):
    tracker = make_tracker("en op welk niveau is die?", "ask_level", slots={"current_record": "25896"})
    messages, _ = run(ActionTellLevel(), tracker)
    assert messages[0]["response"] == "utter_level_of" and messages[0]["level"] == 4


def test_duration_only_where_the_sources_give_it(make_tracker):
    known, _ = run(ActionTellDuration(), make_tracker("hoe lang duurt die opleiding?", "ask_duration",
                                                      slots={"current_record": "25893"}))
    assert known[0]["response"] == "utter_duration_known" and known[0]["duration"] == "drie"
    assert known[0]["source"].startswith("4e vragenuur, 11 oktober 2022")
    unknown, _ = run(ActionTellDuration(), make_tracker("hoe lang duurt monteur mechatronica", "ask_duration"))
    assert unknown[0]["response"] == "utter_duration_unknown"


def test_follow_up_without_context_asks_which(make_tracker):
    messages, _ = run(ActionTellDuration(), make_tracker("hoe lang duurt dat?", "ask_duration"))
    assert messages[0]["response"] == "utter_ask_which_record"


def test_overview_counts(make_tracker):
    messages, _ = run(ActionTellOverview(), make_tracker("hoeveel kwalificaties zijn er", "lookup_overview"))
    assert (messages[0]["dossier_count"], messages[0]["qualification_count"]) == (3, 9)


@pytest.mark.parametrize("action", [ActionLookupCrebo, ActionLookupQualification, ActionLookupDossier, ActionTellLevel])
def test_a_wrong_name_for_a_number_gets_nee_and_both_right_pairs(make_tracker, action):
    messages, events = run(action(), make_tracker("is 25895 Productietechnicus?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_check_other_record"
    assert (messages[0]["name"], messages[0]["other_crebo"]) == ("Allround medewerker productietechniek", "25896")
    assert events == [{"event": "slot", "timestamp": None, "name": "current_record", "value": "25895"}]


def test_a_wrong_level_for_a_number_is_corrected(make_tracker):
    messages, _ = run(ActionTellLevel(), make_tracker("25891 is toch niveau 3?", "ask_level"))
    assert messages[0]["response"] == "utter_check_other_level"
    assert (messages[0]["level"], messages[0]["claimed_level"]) == (2, 3)


def test_a_right_belief_gets_ja(make_tracker):
    messages, _ = run(ActionLookupCrebo(), make_tracker("klopt het dat 25893 technicus mechatronica is?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_check_confirmed" and messages[0]["name"] == "Technicus mechatronica"


@pytest.mark.parametrize("text", ["wat is crebo 25895?", "25895 productietechniek info", "is 12345 productietechnicus?"])
def test_a_plain_question_is_no_check(make_tracker, text):
    messages, _ = run(ActionLookupCrebo(), make_tracker(text, "lookup_crebo"))
    assert not messages[0]["response"].startswith("utter_check")


@pytest.mark.parametrize("text, response, verdict_field", [
    ("hoort 25893 bij mechatronica?", "utter_check_confirmed", None),
    ("hoort 25898 bij mechatronica?", "utter_check_other_dossier", "claimed_dossier"),
    ("hoort 23362 bij mechatronica?", "utter_check_dossier_number", "verdict"),
    ("hoort 23360 bij technicus mechatronica?", "utter_check_confirmed", None),
    ("is 23360 technicus mechatronica?", "utter_check_dossier_number", "identity"),
])
def test_dossier_membership_checks(make_tracker, text, response, verdict_field):
    messages, _ = run(ActionLookupCrebo(), make_tracker(text, "lookup_crebo"))
    assert messages[0]["response"] == response
    if verdict_field == "claimed_dossier":
        assert (messages[0]["dossier_name"], messages[0]["claimed_dossier"]) == ("Engineering", "Mechatronica")
    if verdict_field == "identity":
        assert messages[0]["verdict"] == "Nee." and "crebo 25893" in messages[0]["other"]
    if verdict_field == "verdict":
        assert (messages[0]["verdict"], messages[0]["other"]) == ("Nee.", " Mechatronica heeft dossiernummer 23360.")
