"""The lookup action answers from the dataset, by response name and variables, and keeps context."""
from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lookups import ActionAnswerLookup
from bot.knowledge import load_dataset

DATASET = load_dataset()


def ask(tracker):
    """Run the lookup; return its messages and events."""
    dispatcher = CollectingDispatcher()
    events = ActionAnswerLookup().run(dispatcher, tracker, {})
    return dispatcher.messages, events


def slots_after(tracker):
    """The slots the lookup sets in answering `tracker`'s message: the context of the next one."""
    _, events = ask(tracker)
    return {e["name"]: e["value"] for e in events}


def answers(messages):
    """The answers, without the feedback prompt under them."""
    return [m for m in messages if m["response"] != "utter_ask_feedback"]


def test_a_crebo_asked_is_answered_without_the_cards_remark_on_bol_and_bbl(make_tracker):
    messages, _ = ask(make_tracker("welk crebonummer heeft commercieel technicus engineering?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_crebo_of" and messages[0]["crebo"] == "25899"
    assert (messages[0]["level"], messages[0]["dossier_number"]) == (4, "23362")
    assert "leerweg" not in messages[0]


def test_wat_is_crebo_25894(make_tracker):
    messages, events = ask(make_tracker("Wat is crebo 25894?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_qualification_info"
    assert messages[0]["name"] == "Medewerker productietechniek"
    assert (messages[0]["level"], messages[0]["dossier_name"], messages[0]["dossier_number"]) == (2, "Productietechniek", "23361")
    assert "1e vragenuur, 4 maart 2022" in messages[0]["source"]
    assert "BOL" in messages[0]["leerweg"] and "4e vragenuur, 11 oktober 2022 (vraag 4)" in messages[0]["source"]
    assert messages[0]["duration"] == ""  # the sources give no duration for level 2
    assert events == [SlotSet("qualification", "25894"), SlotSet("dossier", "23361"), SlotSet("level", "2"),
                      SlotSet("lookup_question", "crebo")]


def test_qualification_facts_include_the_duration_the_sources_give(make_tracker):
    messages, _ = ask(make_tracker("crebo 25896", "lookup_crebo"))
    # Said of the dossier and level, as the 4e vragenuur says it, not of the qualification.
    assert messages[0]["duration"] == " Over de duur zegt de bron: Productietechniek op niveau 4 is een vierjarige opleiding."
    assert "4e vragenuur, 11 oktober 2022 (vraag 3)" in messages[0]["source"]


def test_a_dossier_number_lists_its_qualifications(make_tracker):
    messages, _ = ask(make_tracker("en 23360?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_dossier_info"
    assert "Technicus mechatronica (crebo 25893, niveau 4)" in messages[0]["qualification_list"]
    # Only the dossier: no remark on a subject the question did not ask about (onderhoud is an FAQ answer).
    assert "dossier_facts" not in messages[0]


@pytest.mark.parametrize("text", ["Wat is crebo 25890?", "crebo 12345", "99999"])
def test_unknown_crebo_is_said_to_be_unknown(make_tracker, text):
    messages, events = ask(make_tracker(text, "lookup_crebo"))
    assert messages[0]["response"] == "utter_crebo_unknown" and events == []


@pytest.mark.parametrize("text, number", [("wat is crebo 2589?", "2589"), ("crebo 258944", "258944")])
def test_malformed_number_is_explained(make_tracker, text, number):
    messages, _ = ask(make_tracker(text, "lookup_crebo"))
    assert messages[0] == {**messages[0], "response": "utter_crebo_malformed", "crebo": number}


def test_crebo_question_without_number_asks_for_it(make_tracker):
    messages, _ = ask(make_tracker("wat is een crebo?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_ask_crebo"


@pytest.mark.parametrize("typed, crebo", [
    ("technicus mechatronica", "25893"), ("technicus mechatronika", "25893"), ("technicusmechatronica", "25893"),
    ("research instrumentmaker", "25897"), ("comercieel technicus", "25899"), ("technicus-engineering", "25898"),
    ("eerste monteur", "25892"), ("produktietechnicus", "25896"),
])
def test_name_to_crebo(make_tracker, typed, crebo):
    messages, _ = ask(make_tracker(f"welk crebo heeft {typed}?", "lookup_qualification"))
    assert messages[0]["crebo"] == crebo


def test_ambiguous_name_offers_buttons_that_keep_the_question(make_tracker):
    messages, events = ask(make_tracker("op welk niveau is technicus", "ask_level"))
    assert messages[0]["response"] == "utter_which_one"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/ask_level{"crebo": "25893"}', '/ask_level{"crebo": "25898"}', '/ask_level{"crebo": "25899"}']
    assert events == []


def test_a_button_answers_the_question_it_was_offered_for(make_tracker):
    tracker = make_tracker('/ask_level{"crebo": "25898"}', "ask_level", [{"entity": "crebo", "value": "25898"}])
    messages, _ = ask(tracker)
    assert messages[0]["response"] == "utter_level_of" and messages[0]["crebo"] == "25898"


@pytest.mark.parametrize("typed", ["kapper", "instrumentmaker"])
def test_unknown_name_is_not_guessed(make_tracker, typed):
    messages, _ = ask(make_tracker(f"welk crebo heeft {typed}", "lookup_qualification"))
    assert messages[0]["response"] == "utter_name_unknown"  # with the list of known ones, never a near miss


def test_dossier_lookup(make_tracker):
    messages, _ = ask(make_tracker("wat valt onder productie techniek", "lookup_dossier"))
    assert messages[0]["dossier_number"] == "23361"
    assert messages[0]["qualification_list"].count("\n") == 3


def test_which_dossier_a_qualification_is_in(make_tracker):
    messages, _ = ask(make_tracker("in welk dossier zit researchinstrumentmaker", "lookup_dossier"))
    assert messages[0]["response"] == "utter_dossier_of"
    assert (messages[0]["crebo"], messages[0]["dossier_number"]) == ("25897", "23361")


@pytest.mark.parametrize("text, expected", [("welke opleidingen zijn er op niveau 4", 5), ("n2 opleidingen", 2),
                                            ("mbo-3", 2), ("niveau vier", 5), ("nivo 4", 5),
                                            ("wat kan ik op n2 doen in de metaal?", 2)])
def test_list_by_level(make_tracker, text, expected):
    messages, _ = ask(make_tracker(text, "list_by_level"))
    assert messages[0]["response"] == "utter_level_list"
    assert messages[0]["qualification_list"].count("\n") + 1 == expected


def test_a_list_by_level_without_a_level_asks_which(make_tracker):
    messages, _ = ask(make_tracker("welke opleidingen zijn er op niveau?", "list_by_level"))
    assert messages[0]["response"] == "utter_ask_level"


def test_level_one_has_none(make_tracker):
    messages, _ = ask(make_tracker("niveau 1", "list_by_level"))
    assert messages[0]["response"] == "utter_level_none"


def test_a_count_at_a_level_can_leave_a_dossier_out(make_tracker):
    messages, _ = ask(make_tracker("hoeveel nivo 4 opleidingen zijn er als je engineering niet meetelt", "list_by_level"))
    assert messages[0]["response"] == "utter_level_count" and messages[0]["count"] == 3
    assert messages[0]["scope"] == " buiten Engineering (23362)" and "25898" not in messages[0]["qualification_list"]


@pytest.mark.parametrize("text, count", [("hoeveel kwalificaties zijn er behalve die van Engineering?", 7),
                                         ("welke opleidingen blijven er over zonder Mechatronica?", 6)])
def test_a_count_or_list_without_a_level_can_leave_a_dossier_out(make_tracker, text, count):
    messages, _ = ask(make_tracker(text, "lookup_overview"))
    assert (messages[0]["response"], messages[0]["count"], messages[0]["total"]) == ("utter_count_outside", count, 9)
    assert len(messages[0]["qualification_list"].splitlines()) == count


@pytest.mark.parametrize("text, intent, response, verdict", [
    ("klopt het dat er vijf niveau 4-kwalificaties zijn?", "list_by_level", "utter_level_count", "Ja. "),
    ("is het waar dat Productietechniek drie kwalificaties heeft?", "lookup_dossier", "utter_dossier_count", "Nee. "),
    ("heeft mechatronica echt drie opleidingen?", "lookup_dossier", "utter_dossier_count", "Ja. "),
])
def test_a_count_claimed_is_confirmed_or_corrected_before_the_count(make_tracker, text, intent, response, verdict):
    messages, _ = ask(make_tracker(text, intent))
    assert (messages[0]["response"], messages[0]["verdict"]) == (response, verdict)


def test_a_count_gives_the_number(make_tracker):
    messages, _ = ask(make_tracker("hoeveel kwalificaties heeft het dossier Engineering?", "lookup_overview"))
    assert messages[0]["response"] == "utter_dossier_count" and messages[0]["count"] == 2
    messages, _ = ask(make_tracker("hoeveel opleidingen zijn er op niveau 4", "lookup_overview"))
    assert messages[0]["response"] == "utter_level_count" and messages[0]["count"] == 5


@pytest.mark.parametrize("text, verdict, response", [
    ("bestaat Productietechniek ook op niveau 2?", "Ja. ", "utter_dossier_at_level"),
    ("heeft engineering een opleiding op niveau 3?", None, "utter_dossier_not_at_level"),
])
def test_a_dossier_at_a_level(make_tracker, text, verdict, response):
    messages, _ = ask(make_tracker(text, "lookup_dossier"))
    assert messages[0]["response"] == response
    if verdict:
        assert messages[0]["verdict"] == verdict


def test_a_dossier_at_two_levels_lists_both(make_tracker):
    messages, events = ask(make_tracker("wat zijn de crebo's van productietechniek niveau 2 en niveau 3?", "list_by_level"))
    assert [(m["response"], m["level"]) for m in answers(messages)] == [("utter_dossier_at_level", 2),
                                                                        ("utter_dossier_at_level", 3)]
    assert SlotSet("shown_list", ["25894", "25895"]) in events  # "en de tweede?" points into both


def test_a_level_question_in_either_direction(make_tracker):
    messages, _ = ask(make_tracker("is Eerste monteur mechatronica niveau 2 of 3?", "ask_level"))
    assert (messages[0]["response"], messages[0]["level"], messages[0]["verdict"]) == ("utter_level_of", 3, "")


def test_overview_counts(make_tracker):
    messages, _ = ask(make_tracker("hoeveel kwalificaties zijn er", "lookup_overview"))
    assert (messages[0]["dossier_count"], messages[0]["qualification_count"]) == (3, 9)


# Follow-ups: the slots say what the conversation is about.

def test_follow_up_uses_the_qualification_in_context(make_tracker):
    messages, _ = ask(make_tracker("en op welk niveau is die?", "ask_level", slots={"qualification": "25896"}))
    assert messages[0]["response"] == "utter_level_of" and messages[0]["level"] == 4


def test_in_which_dossier_is_that_one(make_tracker):
    messages, _ = ask(make_tracker("en in welk dossier zit die?", "lookup_dossier",
                                   slots={"qualification": "25892", "dossier": "23360", "level": "3"}))
    assert messages[0]["response"] == "utter_dossier_of" and messages[0]["dossier_name"] == "Mechatronica"


@pytest.mark.parametrize("text, crebo", [("welke hoort er een niveau lager bij?", "25892"),
                                         ("en een niveau hoger?", None)])
def test_a_level_lower_or_higher_in_the_same_dossier(make_tracker, text, crebo):
    messages, events = ask(make_tracker(text, "ask_level", slots={"qualification": "25893", "dossier": "23360"}))
    if crebo:
        assert messages[0]["crebo"] == crebo and SlotSet("qualification", crebo) in events
    else:  # Technicus mechatronica is the highest level of its dossier
        assert messages[0]["response"] == "utter_no_relative"


def test_the_other_variant(make_tracker):
    messages, _ = ask(make_tracker("en de andere van niveau 4?", "lookup_qualification",
                                   slots={"qualification": "25896", "dossier": "23361", "level": "4"}))
    assert messages[0]["name"] == "Researchinstrumentmaker"


def test_the_other_ones_in_the_plural_are_all_the_others_of_the_dossier(make_tracker):
    messages, _ = ask(make_tracker("welke andere kwalificaties horen nog in dat dossier?", "lookup_qualification",
                                   slots={"qualification": "25896", "dossier": "23361", "level": "4"}))
    assert messages[0]["response"] == "utter_relatives"
    assert [line.split(" (")[0] for line in messages[0]["qualification_list"].splitlines()] == [
        "- Medewerker productietechniek", "- Allround medewerker productietechniek", "- Researchinstrumentmaker"]


def test_leerweg_follow_up(make_tracker):
    messages, _ = ask(make_tracker("en in de BBL?", "lookup_qualification", slots={"qualification": "25891"}))
    assert messages[0]["response"] == "utter_leerweg" and "BBL" in messages[0]["leerweg"]
    assert "3e vragenuur" in messages[0]["source"] and "4e vragenuur" in messages[0]["source"]


def test_a_correction_repeats_the_question_for_the_other_record(make_tracker):
    messages, _ = ask(make_tracker("ik bedoelde eigenlijk Engineering", "lookup_qualification",
                                   slots={"qualification": "25893", "dossier": "23360", "lookup_question": "count"}))
    assert messages[0]["response"] == "utter_dossier_count" and messages[0]["dossier_name"] == "Engineering"


def test_duration_only_where_the_sources_give_it(make_tracker):
    known, _ = ask(make_tracker("hoe lang duurt die opleiding?", "ask_duration", slots={"qualification": "25893"}))
    assert known[0]["response"] == "utter_duration_known" and known[0]["duration"] == "drie"
    # The level and dossier come from the 1e vragenuur, the duration from the 4e: each cited.
    assert known[0]["source"] == "1e vragenuur, 4 maart 2022 (vraag 2); 4e vragenuur, 11 oktober 2022 (vraag 3)"
    unknown, _ = ask(make_tracker("hoe lang duurt monteur mechatronica", "ask_duration"))
    assert unknown[0]["response"] == "utter_duration_unknown"
    # …and hears what the source does say: the niveau 4 of its dossier.
    assert "Mechatronica op niveau 4 is een driejarige opleiding" in unknown[0]["known"]


def test_a_duration_yes_or_no_says_which_level_it_is_about(make_tracker):
    messages, _ = ask(make_tracker("Duurt Mechatronica 3 jaar?", "ask_duration"))
    assert messages[0]["response"] == "utter_duration_checked" and messages[0]["verdict"] == "Ja, voor niveau 4."
    assert "andere niveaus" in messages[0]["other_levels"]


def test_a_duration_belief_about_a_level_the_source_does_not_give_is_not_denied(make_tracker):
    messages, _ = ask(make_tracker("Duurt Mechatronica niveau 2 drie jaar?", "ask_duration"))
    assert messages[0]["response"] == "utter_duration_unknown" and messages[0]["name"] == "Mechatronica op niveau 2"
    assert "op niveau 4 is een driejarige opleiding" in messages[0]["known"]


def test_the_duration_of_a_level_of_a_dossier(make_tracker):
    messages, _ = ask(make_tracker("hoe lang ben je bezig met niveau 4 in de productietechniek?", "ask_duration"))
    assert messages[0]["response"] == "utter_dossier_durations" and "vierjarige" in messages[0]["durations"]


def test_follow_up_without_context_asks_which(make_tracker):
    messages, events = ask(make_tracker("hoe lang duurt dat?", "ask_duration"))
    assert messages[0]["response"] == "utter_ask_which_record" and events == []


# Beliefs: Ja or Nee first, then the right facts.

def test_a_wrong_name_for_a_number_gets_nee_and_both_right_pairs(make_tracker):
    messages, events = ask(make_tracker("is 25895 Productietechnicus?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_check_other_record"
    assert (messages[0]["name"], messages[0]["other_crebo"]) == ("Allround medewerker productietechniek", "25896")
    assert SlotSet("qualification", "25895") in events


def test_a_wrong_level_for_a_number_is_corrected(make_tracker):
    messages, _ = ask(make_tracker("25891 is toch niveau 3?", "ask_level"))
    assert messages[0]["response"] == "utter_check_other_level"
    assert (messages[0]["level"], messages[0]["claimed_level"]) == (2, 3)


def test_a_right_belief_gets_ja(make_tracker):
    messages, _ = ask(make_tracker("klopt het dat 25893 technicus mechatronica is?", "lookup_crebo"))
    assert messages[0]["response"] == "utter_check_confirmed" and messages[0]["name"] == "Technicus mechatronica"


def test_a_wrong_duration_belief_gets_nee(make_tracker):
    messages, _ = ask(make_tracker("mechatronica niveau 4 duurt toch ook vier jaar?", "ask_duration"))
    assert (messages[0]["response"], messages[0]["verdict"], messages[0]["duration"]) == ("utter_duration_checked", "Nee, voor niveau 4.", "drie")


def test_a_dossier_that_exists_is_said_to_exist(make_tracker):
    messages, _ = ask(make_tracker("Engineering bestaat toch niet meer?", "lookup_dossier"))
    assert messages[0]["response"] == "utter_premise_exists" and "23362" in messages[0]["detail"]


@pytest.mark.parametrize("text", ["wat is crebo 25895?", "25895 productietechniek info", "is 12345 productietechnicus?"])
def test_a_plain_question_is_no_check(make_tracker, text):
    messages, _ = ask(make_tracker(text, "lookup_crebo"))
    assert not messages[0]["response"].startswith("utter_check")


@pytest.mark.parametrize("text, response, verdict_field", [
    ("hoort 25893 bij mechatronica?", "utter_check_confirmed", None),
    ("hoort 25898 bij mechatronica?", "utter_check_other_dossier", "claimed_dossier"),
    ("hoort 23362 bij mechatronica?", "utter_check_dossier_number", "verdict"),
    ("hoort 23360 bij technicus mechatronica?", "utter_check_confirmed", None),
    ("is 23360 technicus mechatronica?", "utter_check_dossier_number", "identity"),
    ("valt technicus mechatronica toch onder engineering?", "utter_check_other_dossier", None),
])
def test_dossier_membership_checks(make_tracker, text, response, verdict_field):
    messages, _ = ask(make_tracker(text, "lookup_crebo"))
    assert messages[0]["response"] == response
    if verdict_field == "claimed_dossier":
        assert (messages[0]["dossier_name"], messages[0]["claimed_dossier"]) == ("Engineering", "Mechatronica")
    if verdict_field == "identity":
        assert messages[0]["verdict"] == "Nee." and "crebo 25893" in messages[0]["other"]
    if verdict_field == "verdict":
        assert (messages[0]["verdict"], messages[0]["other"]) == ("Nee.", " Mechatronica heeft dossiernummer 23360.")


# What the sources do not hold: said plainly, never the record's card as if it answered.

def test_what_the_sources_do_not_hold_is_said_plainly(make_tracker):
    messages, events = ask(make_tracker("Wat kost Technicus mechatronica per jaar?", "ask_not_in_sources"))
    assert messages[0]["response"] == "utter_not_in_sources"
    assert messages[0]["asked"].startswith("Wat de opleiding kost")
    # In one line, what the sources do say of the record named, with its source.
    assert "crebo 25893, niveau 4" in messages[0]["known"] and "1e vragenuur" in messages[0]["known"]
    assert SlotSet("qualification", "25893") in events


def test_a_not_held_follow_up_is_about_the_record_in_context(make_tracker):
    messages, _ = ask(make_tracker("en hoeveel verdien je daarmee?", "ask_not_in_sources", slots={"qualification": "25896"}))
    assert messages[0]["response"] == "utter_not_in_sources" and "Productietechnicus" in messages[0]["known"]


# A list just shown: a reference resolves against it.

LEVEL_4 = ["25896", "25897", "25893", "25898", "25899"]


@pytest.mark.parametrize("text, name", [
    ("die commerciële, welk crebo heeft die?", "Commercieel technicus engineering"),
    ("en de laatste?", "Commercieel technicus engineering"),
    ("welke daarvan hoort bij mechatronica?", "Technicus mechatronica"),
])
def test_a_reference_to_the_list_just_shown(make_tracker, text, name):
    messages, _ = ask(make_tracker(text, "lookup_qualification", slots={"shown_list": LEVEL_4, "level": "4"}))
    assert messages[0]["name"] == name


def test_a_reference_that_fits_several_narrows_the_list(make_tracker):
    messages, events = ask(make_tracker("en die van engineering?", "lookup_qualification", slots={"shown_list": LEVEL_4}))
    assert messages[0]["response"] == "utter_from_list"
    assert "25898" in messages[0]["qualification_list"] and "25893" not in messages[0]["qualification_list"]
    assert SlotSet("shown_list", ["25898", "25899"]) in events


def test_the_dossier_of_a_part_of_the_list_picked_by_position(make_tracker):
    messages, _ = ask(make_tracker("de eerste twee daarvan, bij welk dossier horen ze?", "lookup_dossier",
                                   slots={"shown_list": LEVEL_4, "level": "4"}))
    assert messages[0]["response"] == "utter_dossiers_of_list"
    assert "Productietechniek (23361)" in messages[0]["qualification_list"] and "25893" not in messages[0]["qualification_list"]


def test_one_of_a_list_left_by_a_negation_is_not_a_count_without_that_dossier(make_tracker):
    # after the two at niveau 3: not "the list without Mechatronica", but the dossier of the other one
    messages, _ = ask(make_tracker("die van mechatronica niet, de andere: in welk dossier zit die?", "lookup_dossier",
                                   slots={"shown_list": ["25895", "25892"], "level": "3", "lookup_question": "list"}))
    assert messages[0]["name"] == "Allround medewerker productietechniek"


def test_two_dossiers_listed_are_remembered_as_their_qualifications_first(make_tracker):
    _, events = ask(make_tracker("noem de opleidingen van Productietechniek en Engineering", "lookup_dossier"))
    assert SlotSet("shown_list", ["25894", "25895", "25896", "25897", "25898", "25899", "23361", "23362"]) in events


def test_the_highest_of_the_list_sets_its_level_for_the_next_question(make_tracker):
    every = [q.crebo for q in DATASET.qualifications]
    _, events = ask(make_tracker("welke zitten er het hoogst in dat rijtje?", "ask_level", slots={"shown_list": every}))
    assert SlotSet("level", 4) in events or SlotSet("level", "4") in events


def test_a_list_answer_remembers_the_list(make_tracker):
    _, events = ask(make_tracker("welke opleidingen zijn er op niveau 4?", "list_by_level"))
    assert SlotSet("shown_list", LEVEL_4) in events


def test_an_abbreviated_name_is_the_longer_record(make_tracker):
    messages, _ = ask(make_tracker("welk crebo heeft comm. technicus engineering", "lookup_crebo"))
    assert messages[0]["name"] == "Commercieel technicus engineering"


def test_two_dossiers_both_answered(make_tracker):
    dispatcher = CollectingDispatcher()
    ActionAnswerLookup().run(dispatcher, make_tracker("Wat zijn de dossiernummers van Mechatronica en Engineering?",
                                                      "lookup_dossier"), {})
    numbers = [m.get("dossier_number") for m in dispatcher.messages]
    assert "23360" in numbers and "23362" in numbers


def test_duration_and_crebo_in_one_answer(make_tracker):
    messages, _ = ask(make_tracker("hoe lang duurt productietechnicus en wat is het crebo", "ask_duration"))
    assert messages[0]["response"] == "utter_duration_known" and messages[0]["crebo"] == "25896"


def test_the_whole_dataset_counted(make_tracker):
    messages, _ = ask(make_tracker("hoeveel kwalificaties zijn er in totaal?", "lookup_overview"))
    assert messages[0]["response"] == "utter_overview" and messages[0]["qualification_count"] == 9
    assert "4e vragenuur" in messages[0]["source"]  # the start in 2023-2024


def test_a_count_of_a_level_within_a_dossier(make_tracker):
    messages, _ = ask(make_tracker("hoeveel niveau 4 kwalificaties heeft productietechniek", "lookup_dossier"))
    assert messages[0]["response"] == "utter_dossier_at_level" and messages[0]["count"] == "2 kwalificaties"


@pytest.mark.parametrize("text, response", [
    ("hoe lang duurt het dossier productietechniek?", "utter_dossier_durations"),
    ("Wat is de studieduur van Engineering?", "utter_duration_unknown"),  # and what the sources do say
])
def test_the_duration_of_a_dossier(make_tracker, text, response):
    messages, _ = ask(make_tracker(text, "ask_duration"))
    assert messages[0]["response"] == response


def test_which_one_of_a_list_is_that_qualification_not_its_dossier(make_tracker):
    messages, _ = ask(make_tracker("welke is er van niveau 2?", "list_by_level",
                                   slots={"dossier": "23360", "shown_list": ["25891", "25892", "25893"]}))
    assert messages[0]["name"] == "Monteur mechatronica"


@pytest.mark.parametrize("text, response, field, values", [
    ("Heeft Mechatronica ook vier kwalificaties, net als Productietechniek?", "utter_dossier_count", "count", [3, 4]),
    ("Is de niveau 4 van mechatronica korter dan die van productietechniek?", "utter_dossier_durations", "durations",
     ["op niveau 4 is het een driejarige opleiding", "op niveau 4 is het een vierjarige opleiding"]),
])
def test_a_count_or_duration_compared_between_dossiers_answers_each(make_tracker, text, response, field, values):
    dispatcher = CollectingDispatcher()
    ActionAnswerLookup().run(dispatcher, make_tracker(text, "lookup_dossier"), {})
    assert [m[field] for m in dispatcher.messages if m.get("response") == response] == values


# The conversation's language: Dutch fills as always, English fills in an English conversation.

DUTCH_QUESTIONS = [
    ("Wat is crebo 25894?", "lookup_crebo", {}), ("crebo 25896", "lookup_crebo", {}),
    ("niveau 1", "list_by_level", {}), ("hoeveel nivo 4 opleidingen zijn er als je engineering niet meetelt", "list_by_level", {}),
    ("bestaat Productietechniek ook op niveau 2?", "lookup_dossier", {}),
    ("is Eerste monteur mechatronica niveau 3?", "ask_level", {}),
    ("en een niveau hoger?", "ask_level", {"qualification": "25893", "dossier": "23360"}),
    ("en de andere?", "lookup_qualification", {"qualification": "25894", "dossier": "23361", "level": "2"}),
    ("en de andere van niveau 3?", "lookup_qualification", {"dossier": "23362"}),
    ("en in de BBL?", "lookup_qualification", {"dossier": "23361"}),
    ("hoe lang duurt monteur mechatronica", "ask_duration", {}), ("Duurt Mechatronica 3 jaar?", "ask_duration", {}),
    ("hoe lang duurt een niveau 4 opleiding?", "ask_duration", {}),
    ("hoe lang duurt een niveau 2 opleiding?", "ask_duration", {}),
    ("Technicus mechatronica bestaat toch niet meer?", "lookup_crebo", {}),
    ("Engineering bestaat toch niet meer?", "lookup_dossier", {}),
    ("is 23360 technicus mechatronica?", "lookup_crebo", {}),
    ("wat kost het dossier mechatronica?", "ask_not_in_sources", {}),
    ("op welke niveaus heeft mechatronica kwalificaties?", "ask_level", {}),
    ("hoeveel kwalificaties zijn er in totaal?", "lookup_overview", {}),
]


@pytest.mark.parametrize("text, intent, slots", DUTCH_QUESTIONS)
def test_a_dutch_conversation_gets_the_same_answer_with_or_without_the_language_slot(make_tracker, text, intent, slots):
    assert ask(make_tracker(text, intent, slots={**slots, "language": "nl"})) == ask(make_tracker(text, intent, slots=slots))


@pytest.mark.parametrize("text, intent, slots, field, dutch", [
    ("crebo 25896", "lookup_crebo", {}, "leerweg",
     "De kwalificatiedossiers zijn leerwegonafhankelijk beschreven: de opleidingen kunnen zowel in de BOL als in de BBL "
     "plaatsvinden. Hoe (BOL, BBL of allebei) is aan de school."),
    ("crebo 25896", "lookup_crebo", {}, "source",
     "1e vragenuur, 4 maart 2022 (vraag 2); 4e vragenuur, 11 oktober 2022 (vraag 3); 3e vragenuur, 13 september 2022 "
     "(vraag 5); 4e vragenuur, 11 oktober 2022 (vraag 4)"),
    ("niveau 1", "list_by_level", {}, "levels", "2, 3 en 4"),
    ("en een niveau hoger?", "ask_level", {"qualification": "25893", "dossier": "23360"}, "wanted",
     "op niveau 5, een niveau hoger dan Technicus mechatronica"),
    ("en de andere?", "lookup_qualification", {"qualification": "25894", "dossier": "23361", "level": "2"}, "wanted",
     "naast Medewerker productietechniek"),
    ("en in de BBL?", "lookup_qualification", {"dossier": "23361"}, "subject", "Het kwalificatiedossier Productietechniek (23361)"),
    ("hoe lang duurt monteur mechatronica", "ask_duration", {}, "record",
     " Wat ze wel zeggen over Monteur mechatronica: crebo 25891, niveau 2, in het kwalificatiedossier Mechatronica (23360) "
     "(bron: 1e vragenuur, 4 maart 2022 (vraag 2))."),
    ("hoe lang duurt monteur mechatronica", "ask_duration", {}, "known",
     " Over de duur zegt de bron wel: Mechatronica op niveau 4 is een driejarige opleiding (4e vragenuur, 11 oktober 2022 (vraag 3))."),
    ("hoe lang duurt een niveau 4 opleiding?", "ask_duration", {}, "durations",
     "Productietechniek (23361) op niveau 4 is een vierjarige opleiding: Productietechnicus (crebo 25896) en "
     "Researchinstrumentmaker (crebo 25897); Mechatronica (23360) op niveau 4 is een driejarige opleiding: "
     "Technicus mechatronica (crebo 25893)"),
    ("hoe lang duurt een niveau 4 opleiding?", "ask_duration", {}, "rest", " Over Engineering zegt de bron niets over de duur."),
    ("hoe lang duurt een niveau 2 opleiding?", "ask_duration", {}, "name", "opleidingen op niveau 2"),
    ("Technicus mechatronica bestaat toch niet meer?", "lookup_crebo", {}, "detail",
     "Technicus mechatronica (crebo 25893) is een kwalificatie op niveau 4 in het nieuwe kwalificatiedossier Mechatronica (23360)."),
    ("is 23360 technicus mechatronica?", "lookup_crebo", {}, "other",
     " Technicus mechatronica is een kwalificatie met crebo 25893, in het kwalificatiedossier Mechatronica."),
    ("wat kost het dossier mechatronica?", "ask_not_in_sources", {}, "known",
     " Wat ze wel zeggen over Mechatronica: het is kwalificatiedossier 23360, met Monteur mechatronica, Eerste monteur "
     "mechatronica en Technicus mechatronica (bron: 1e vragenuur, 4 maart 2022 (vraag 2))."),
    ("op welke niveaus heeft mechatronica kwalificaties?", "ask_level", {}, "level_count", "3 niveaus"),
    ("hoeveel niveau 4 kwalificaties heeft productietechniek", "lookup_dossier", {}, "qualification_list",
     "- Productietechnicus (crebo 25896, niveau 4)\n- Researchinstrumentmaker (crebo 25897, niveau 4)"),
])
def test_the_dutch_fills_read_as_they_always_did(make_tracker, text, intent, slots, field, dutch):
    messages, _ = ask(make_tracker(text, intent, slots=slots))
    assert messages[0][field] == dutch


def ask_in_english(make_tracker, text, intent, slots=None, entities=None):
    from tests.actions.english import ENGLISH_SLOTS

    return ask(make_tracker(text, intent, entities, slots={**(slots or {}), **ENGLISH_SLOTS}))


@pytest.mark.parametrize("text, intent, slots, field, english", [
    ("crebo 25896", "lookup_crebo", {}, "duration",
     " About the length of the programme, the source says: Productietechniek at level 4 is a four-year programme."),
    ("crebo 25896", "lookup_crebo", {}, "leerweg",
     "The kwalificatiedossiers (qualification files) are described independently of the learning route: the programmes "
     "can take place both in the BOL (school-based route) and in the BBL (work-based route, apprenticeship). How (BOL, BBL "
     "or both) is up to the school."),
    ("crebo 25896", "lookup_crebo", {}, "source",
     "1e vragenuur, 4 maart 2022 (question 2); 4e vragenuur, 11 oktober 2022 (question 3); 3e vragenuur, 13 september 2022 "
     "(question 5); 4e vragenuur, 11 oktober 2022 (question 4)"),
    ("en 23360?", "lookup_crebo", {}, "qualification_list",
     "- Monteur mechatronica (crebo 25891, level 2)\n- Eerste monteur mechatronica (crebo 25892, level 3)\n"
     "- Technicus mechatronica (crebo 25893, level 4)"),
    ("niveau 1", "list_by_level", {}, "levels", "2, 3 and 4"),
    ("hoeveel nivo 4 opleidingen zijn er als je engineering niet meetelt", "list_by_level", {}, "scope",
     " outside Engineering (23362)"),
    ("bestaat Productietechniek ook op niveau 2?", "lookup_dossier", {}, "verdict", "Yes. "),
    ("hoeveel niveau 4 kwalificaties heeft productietechniek", "lookup_dossier", {}, "count", "2 qualifications"),
    ("bestaat Productietechniek ook op niveau 2?", "lookup_dossier", {}, "count", "1 qualification"),
    ("is Eerste monteur mechatronica niveau 3?", "ask_level", {}, "verdict", "Yes. "),
    ("en een niveau hoger?", "ask_level", {"qualification": "25893", "dossier": "23360"}, "wanted",
     "at level 5, one level higher than Technicus mechatronica"),
    ("welke hoort er een niveau lager bij?", "ask_level", {"qualification": "25898", "dossier": "23362"}, "wanted",
     "at level 3, one level lower than Technicus engineering"),
    ("en de andere?", "lookup_qualification", {"qualification": "25894", "dossier": "23361", "level": "2"}, "wanted",
     "besides Medewerker productietechniek"),
    ("en de andere van niveau 3?", "lookup_qualification", {"dossier": "23362"}, "wanted", " at level 3"),
    ("en in de BBL?", "lookup_qualification", {"dossier": "23361"}, "subject", "The kwalificatiedossier Productietechniek (23361)"),
    ("kan het in de bbl?", "lookup_qualification", {}, "subject", "All new metal dossiers"),
    ("hoe lang duurt die opleiding?", "ask_duration", {"qualification": "25893"}, "duration", "three"),
    ("hoe lang duurt die opleiding?", "ask_duration", {"qualification": "25893"}, "source",
     "1e vragenuur, 4 maart 2022 (question 2); 4e vragenuur, 11 oktober 2022 (question 3)"),
    ("hoe lang duurt monteur mechatronica", "ask_duration", {}, "record",
     " What they do say about Monteur mechatronica: crebo 25891, level 2, in the kwalificatiedossier (qualification file) "
     "Mechatronica (23360) (source: 1e vragenuur, 4 maart 2022 (question 2))."),
    ("hoe lang duurt monteur mechatronica", "ask_duration", {}, "known",
     " About the length of the programme, the source does say: Mechatronica at level 4 is a three-year programme "
     "(4e vragenuur, 11 oktober 2022 (question 3))."),
    ("Duurt Mechatronica 3 jaar?", "ask_duration", {}, "verdict", "Yes, for level 4."),
    ("Duurt Mechatronica 3 jaar?", "ask_duration", {}, "other_levels",
     " My sources say nothing about the other levels of that dossier."),
    ("mechatronica niveau 4 duurt toch ook vier jaar?", "ask_duration", {}, "verdict", "No, for level 4."),
    ("Duurt Mechatronica niveau 2 drie jaar?", "ask_duration", {}, "name", "Mechatronica at level 2"),
    ("hoe lang duurt het dossier productietechniek?", "ask_duration", {}, "durations", "at level 4 it is a four-year programme"),
    ("hoe lang duurt een niveau 4 opleiding?", "ask_duration", {}, "durations",
     "Productietechniek (23361) at level 4 is a four-year programme: Productietechnicus (crebo 25896) and "
     "Researchinstrumentmaker (crebo 25897); Mechatronica (23360) at level 4 is a three-year programme: "
     "Technicus mechatronica (crebo 25893)"),
    ("hoe lang duurt een niveau 4 opleiding?", "ask_duration", {}, "rest", " The source says nothing about the length of Engineering."),
    ("hoe lang duurt een niveau 2 opleiding?", "ask_duration", {}, "name", "programmes at level 2"),
    ("Technicus mechatronica bestaat toch niet meer?", "lookup_crebo", {}, "detail",
     "Technicus mechatronica (crebo 25893) is a qualification at level 4 in the new kwalificatiedossier (qualification file) "
     "Mechatronica (23360)."),
    ("Engineering bestaat toch niet meer?", "lookup_dossier", {}, "detail",
     "Engineering (23362) is one of the new kwalificatiedossiers (qualification files), with these qualifications:\n"
     "- Technicus engineering (crebo 25898, level 4)\n- Commercieel technicus engineering (crebo 25899, level 4)"),
    ("is 23360 technicus mechatronica?", "lookup_crebo", {}, "verdict", "No."),
    ("is 23360 technicus mechatronica?", "lookup_crebo", {}, "other",
     " Technicus mechatronica is a qualification with crebo 25893, in the kwalificatiedossier Mechatronica."),
    ("hoort 23362 bij mechatronica?", "lookup_crebo", {}, "other", " Mechatronica has dossier number 23360."),
    ("Wat kost Technicus mechatronica per jaar?", "ask_not_in_sources", {}, "asked",
     "What the programme costs (tuition, books, tools)"),
    ("wat kost het dossier mechatronica?", "ask_not_in_sources", {}, "known",
     " What they do say about Mechatronica: it is kwalificatiedossier (qualification file) 23360, with Monteur mechatronica, "
     "Eerste monteur mechatronica and Technicus mechatronica (source: 1e vragenuur, 4 maart 2022 (question 2))."),
    ("op welke niveaus heeft mechatronica kwalificaties?", "ask_level", {}, "level_count", "3 levels"),
    ("op welke niveaus heeft engineering kwalificaties?", "ask_level", {}, "level_count", "1 level"),
])
def test_an_english_conversation_gets_english_fills(make_tracker, text, intent, slots, field, english):
    messages, _ = ask_in_english(make_tracker, text, intent, slots)
    assert messages[0][field] == english


@pytest.mark.parametrize("text, intent, slots", DUTCH_QUESTIONS + [
    ("Wat kost Technicus mechatronica per jaar?", "ask_not_in_sources", {}),
    ("welke scholen bieden dat aan?", "ask_not_in_sources", {}),
    ("hoe lang duurt niveau 2 van Productietechniek?", "ask_duration", {}),
    ("hoort 23362 bij mechatronica?", "lookup_crebo", {}),
    ("welk crebo heeft kapper?", "lookup_qualification", {}),
    ("en die van engineering?", "lookup_qualification", {"shown_list": LEVEL_4}),
    ("Heeft Mechatronica ook vier kwalificaties, net als Productietechniek?", "lookup_dossier", {}),
    ("hoeveel kwalificaties heeft mechatronica en hoe lang duurt het en kan het in de bbl?", "lookup_dossier", {}),
])
def test_no_dutch_is_left_in_an_english_answer_but_the_names(make_tracker, text, intent, slots):
    from tests.actions.english import dutch_in_fills

    messages, _ = ask_in_english(make_tracker, text, intent, slots)
    assert dutch_in_fills(messages) == {}


def test_the_same_answer_and_context_in_either_language(make_tracker):
    dutch = ask(make_tracker("hoe lang duurt die opleiding?", "ask_duration", slots={"qualification": "25893"}))
    english = ask_in_english(make_tracker, "hoe lang duurt die opleiding?", "ask_duration", {"qualification": "25893"})
    assert [m["response"] for m in english[0]] == [m["response"] for m in dutch[0]] and english[1] == dutch[1]


# Counts and durations at every scope (issue 23, point 4).
def test_how_many_levels_the_structure_has(make_tracker):
    messages, _ = ask(make_tracker("Op hoeveel verschillende niveaus kun je de nieuwe kwalificaties halen?", "ask_level"))
    assert messages[0]["response"] == "utter_levels_overview"
    assert (messages[0]["qualification_count"], messages[0]["level_count"]) == (9, 3)
    assert messages[0]["per_level"] == "niveau 2 (2 kwalificaties), niveau 3 (2 kwalificaties) en niveau 4 (5 kwalificaties)"


@pytest.mark.parametrize("text, count, dossiers", [
    ("Hoeveel dossiers bevatten uitsluitend kwalificaties op niveau 4?", 1, "Engineering (23362): 2 kwalificaties, niveau 4"),
    ("hoeveel kwalificatiedossiers hebben een opleiding op niveau 2?", 2, "Mechatronica (23360): 3 kwalificaties, niveau 2, 3 en 4"),
])
def test_dossiers_counted_by_their_levels(make_tracker, text, count, dossiers):
    messages, _ = ask(make_tracker(text, "lookup_dossier"))
    assert messages[0]["response"] == "utter_dossiers_counted"
    assert (messages[0]["count"], messages[0]["total"]) == (count, 3) and dossiers in messages[0]["dossier_list"]
    assert "1e vragenuur" in messages[0]["source"]


def test_dossiers_counted_in_english(make_tracker):
    messages, _ = ask_in_english(make_tracker, "how many files have no level 2 qualification?", "lookup_dossier", {})
    assert messages[0]["response"] == "utter_dossiers_counted" and messages[0]["count"] == 1
    assert messages[0]["dossier_list"] == "- Engineering (23362): 2 qualifications, level 4"


def test_no_dossier_counted_shows_every_dossier_with_its_levels(make_tracker):
    messages, _ = ask(make_tracker("hoeveel dossiers hebben geen niveau 4?", "lookup_dossier"))
    assert messages[0]["response"] == "utter_dossiers_counted_none" and messages[0]["count"] == 0
    assert messages[0]["dossier_list"].count("\n") == 2  # the three dossiers, each with its levels


ENGINEERING_SHOWN = {"dossier": "23362", "shown_list": ["25898", "25899"]}


@pytest.mark.parametrize("text, where", [
    ("Zit een van die twee op een lager niveau dan 4?", "onder niveau 4"),
    ("zit er daar een van niveau 2 bij?", "op niveau 2"),
])
def test_none_of_the_list_at_a_level_is_a_plain_no(make_tracker, text, where):
    messages, _ = ask(make_tracker(text, "list_by_level", slots=ENGINEERING_SHOWN))
    assert messages[0]["response"] == "utter_none_in_list" and messages[0]["where"] == where
    assert "Commercieel technicus engineering (crebo 25899, niveau 4)" in messages[0]["qualification_list"]


def test_the_same_question_at_another_level_is_not_a_no(make_tracker):
    level_4 = {"level": "4", "lookup_question": "count", "shown_list": ["25896", "25897", "25893", "25898", "25899"]}
    messages, _ = ask(make_tracker("en op nivo 3?", "list_by_level", slots=level_4))
    assert (messages[0]["response"], messages[0]["level"], messages[0]["count"]) == ("utter_level_list", 3, 2)


def test_the_list_just_shown_is_counted_even_in_total(make_tracker):
    level_4 = {"level": "4", "lookup_question": "list", "shown_list": ["25896", "25897", "25893", "25898", "25899"]}
    messages, _ = ask(make_tracker("en hoeveel zijn het er bij elkaar?", "lookup_overview", slots=level_4))
    assert (messages[0]["response"], messages[0]["count"]) == ("utter_from_list", 5)
    # … but a count over the whole structure is the overview's
    messages, _ = ask(make_tracker("hoeveel zijn het er in de hele kwalificatiestructuur?", "lookup_overview", slots=level_4))
    assert messages[0]["response"] == "utter_overview"


def test_a_qualification_of_a_list_is_found_by_its_dossier_number(make_tracker):
    level_3 = {"level": "3", "lookup_question": "list", "shown_list": ["25895", "25892"]}
    messages, _ = ask(make_tracker("welke van die twee valt onder 23360? graag het crebo", "lookup_qualification", slots=level_3))
    assert (messages[0]["response"], messages[0]["crebo"]) == ("utter_crebo_of", "25892")  # its crebo and dossier


def test_what_the_sources_do_not_hold_of_a_record_in_the_list_names_that_record(make_tracker):
    level_4 = {"level": "4", "lookup_question": "list", "shown_list": ["25896", "25897", "25893", "25898", "25899"]}
    messages, _ = ask(make_tracker("en wat moet je betalen voor die commerciële?", "ask_not_in_sources", slots=level_4))
    assert messages[0]["response"] == "utter_not_in_sources" and "Commercieel technicus engineering" in messages[0]["known"]


def test_another_dossier_named_alone_gets_the_same_question_at_that_level(make_tracker):
    slots = slots_after(make_tracker("Hoeveel niveau 4-opleidingen heeft Productietechniek?", "lookup_dossier"))
    assert (slots["level"], slots["lookup_question"]) == ("4", "count")
    messages, _ = ask(make_tracker("en Mechatronica?", "lookup_dossier", slots=slots))
    assert (messages[0]["response"], messages[0]["dossier_name"], messages[0]["count"]) == (
        "utter_dossier_at_level", "Mechatronica", "1 kwalificatie")


def test_a_dossiers_list_and_its_duration_asked_together_are_both_answered(make_tracker):
    messages, _ = ask(make_tracker("Welke kwalificaties zitten er in Engineering, en duren die drie of vier jaar?",
                                   "lookup_dossier"))
    assert [m["response"] for m in answers(messages)] == ["utter_dossier_info", "utter_duration_unknown"]
    assert messages[0]["count"] == 2


def test_several_levels_counted_together_get_their_total(make_tracker):
    messages, _ = ask(make_tracker("Hoeveel kwalificaties zijn er op niveau 3 en 4 samen?", "list_by_level"))
    assert [m["response"] for m in answers(messages)] == ["utter_level_count", "utter_level_count", "utter_levels_total"]
    assert (messages[2]["count"], messages[2]["levels"]) == (7, "3 en 4")


@pytest.mark.parametrize("text, verdict", [
    ("Klopt het dat er in de metaal nu nog maar negen kwalificaties zijn?", "Ja. "),
    ("zijn er echt maar 5 opleidingen over?", "Nee. "),
    ("is het waar dat er drie dossiers zijn?", "Ja. "),
])
def test_a_claimed_total_is_confirmed_or_corrected(make_tracker, text, verdict):
    messages, _ = ask(make_tracker(text, "lookup_overview"))
    assert messages[0]["response"] == "utter_overview" and messages[0]["verdict"] == verdict


def test_only_another_record_named_asks_the_same_question_again(make_tracker):
    slots = slots_after(make_tracker("Hoe lang duurt Productietechnicus?", "ask_duration"))
    messages, _ = ask(make_tracker("En Technicus engineering?", "lookup_qualification", slots=slots))
    assert (messages[0]["response"], messages[0]["name"]) == ("utter_duration_unknown", "Technicus engineering")


def test_the_same_level_is_the_level_in_context(make_tracker):
    after_duration = {"qualification": "25896", "dossier": "23361", "level": "4", "lookup_question": "duration"}
    messages, _ = ask(make_tracker("en die van mechatronica op hetzelfde niveau?", "lookup_dossier", slots=after_duration))
    assert (messages[0]["dossier_name"], messages[0]["durations"]) == ("Mechatronica", "op niveau 4 is het een driejarige opleiding")


def test_a_position_in_a_named_dossier_is_in_that_dossiers_own_list(make_tracker):
    overview = {"shown_list": ["23361", "23360", "23362", "25894", "25895", "25896", "25897", "25891", "25892", "25893",
                               "25898", "25899"]}
    messages, _ = ask(make_tracker("de tweede opleiding van productietechniek, welk crebo?", "lookup_crebo", slots=overview))
    assert messages[0]["crebo"] == "25895"


def test_that_level_is_the_one_the_user_named_before(make_tracker):
    tracker = make_tracker("Welke opleidingen zijn er op dat niveau?", "list_by_level")
    tracker.events = [{"event": "user", "text": "Niveau 2 lijkt ons het meest haalbaar."},
                      {"event": "action", "name": "action_default_fallback"},
                      {"event": "user", "text": "Welke opleidingen zijn er op dat niveau?"}]
    messages, _ = ask(tracker)
    assert (messages[0]["response"], messages[0]["level"]) == ("utter_level_list", 2)


def test_the_other_one_after_an_item_of_a_list_is_the_rest_of_that_list(make_tracker):
    after_item = {"qualification": "25891", "dossier": "23360", "level": "2", "lookup_question": "crebo",
                  "shown_list": ["25894", "25891"]}
    messages, _ = ask(make_tracker("nee sorry, ik bedoelde de andere", "lookup_crebo", slots=after_item))
    assert messages[0]["crebo"] == "25894"


def test_a_pointer_that_finds_nothing_is_never_called_an_unknown_name(make_tracker):
    messages, _ = ask(make_tracker("welke daarvan heeft het beste imago?", "lookup_crebo", slots={"shown_list": ["25898", "25899"]}))
    assert messages[0]["response"] != "utter_name_unknown"


def test_two_levels_compared_get_each_count(make_tracker):
    messages, _ = ask(make_tracker("zijn er evenveel kwalificaties op niveau 2 als op niveau 3?", "list_by_level"))
    assert [(m["response"], m["level"], m["count"]) for m in answers(messages)] == [
        ("utter_level_count", 2, 2), ("utter_level_count", 3, 2)]


@pytest.mark.parametrize("text, verdict, count", [
    ("Zit er in het dossier Mechatronica meer dan één kwalificatie op niveau 4?", "Nee. ", "1 kwalificatie"),
    ("heeft productietechniek meerdere opleidingen op niveau 4?", "Ja. ", "2 kwalificaties"),
])
def test_more_than_one_at_a_level_is_answered_by_the_count(make_tracker, text, verdict, count):
    messages, _ = ask(make_tracker(text, "lookup_dossier"))
    assert messages[0]["response"] == "utter_dossier_at_level"
    assert (messages[0]["verdict"], messages[0]["count"]) == (verdict, count)


def test_how_many_of_a_list_just_shown_are_at_a_level(make_tracker):
    messages, _ = ask(make_tracker("en hoeveel daarvan zijn op niveau 4?", "lookup_overview",
                                   slots={"dossier": "23361", "shown_list": ["25894", "25895", "25896", "25897"]}))
    assert messages[0]["response"] == "utter_from_list" and messages[0]["count"] == 2


def test_which_dossiers_the_qualifications_of_a_list_are_in(make_tracker):
    messages, _ = ask(make_tracker("En in welke dossiers zitten die?", "lookup_dossier",
                                   slots={"level": "3", "shown_list": ["25895", "25892"]}))
    assert [m["response"] for m in answers(messages)] == ["utter_dossiers_of_list"]
    assert messages[0]["qualification_list"] == (
        "- Allround medewerker productietechniek (crebo 25895, niveau 3): Productietechniek (23361)\n"
        "- Eerste monteur mechatronica (crebo 25892, niveau 3): Mechatronica (23360)")


def test_the_durations_at_a_level_remember_also_the_ones_the_source_gives_none_for(make_tracker):
    _, events = ask(make_tracker("hoe lang duren de opleidingen op niveau 4?", "ask_duration"))
    shown = next(e["value"] for e in events if e.get("name") == "shown_list")
    assert shown[-2:] == ["25898", "25899"]  # Engineering's, named last in the answer ("… zegt de bron niets")


def test_durations_of_a_level_list_just_shown(make_tracker):
    messages, _ = ask(make_tracker("en welke daarvan duren 4 jaar?", "ask_duration",
                                   slots={"level": "4", "shown_list": LEVEL_4}))
    assert messages[0]["response"] == "utter_level_durations"
    assert "Productietechniek (23361) op niveau 4 is een vierjarige opleiding" in messages[0]["durations"]
    assert "4e vragenuur, 11 oktober 2022 (vraag 3)" in messages[0]["source"]


@pytest.mark.parametrize("text, verdict", [
    ("duren de opleidingen op niveau 4 allemaal vier jaar?", "Nee. "),  # Mechatronica's is three
    ("zijn alle niveau 4-opleidingen driejarig?", "Nee. "),
    ("hoe lang duren de niveau 4-opleidingen?", ""),  # no claim, no verdict
])
def test_a_claimed_duration_of_a_whole_level_hears_what_the_source_gives_per_dossier(make_tracker, text, verdict):
    messages, _ = ask(make_tracker(text, "lookup_list_by_level"))
    assert messages[0]["response"] == "utter_level_durations" and messages[0]["verdict"] == verdict
    assert "Mechatronica (23360) op niveau 4 is een driejarige opleiding" in messages[0]["durations"]
    assert "Engineering" in messages[0]["rest"]  # the source gives none for it, and says so


def test_a_noun_of_the_dataset_after_a_count_is_all_of_them(make_tracker):
    # "hoeveel dossiers zijn er?" → "en kwalificaties?"
    messages, _ = ask(make_tracker("en kwalificaties?", "lookup_overview", slots={"lookup_question": "count"}))
    assert messages[0]["response"] == "utter_overview" and messages[0]["qualification_count"] == 9


def test_durations_of_a_few_records_of_a_list_name_each_one(make_tracker):
    messages, _ = ask(make_tracker("en hoe lang duren de laatste twee?", "ask_duration",
                                   slots={"dossier": "23360", "shown_list": ["25891", "25892", "25893"]}))
    assert messages[0]["response"] == "utter_durations_of_list"
    assert messages[0]["qualification_list"].splitlines() == [
        "- Eerste monteur mechatronica (crebo 25892, niveau 3): daarover zeggen mijn bronnen niets",
        "- Technicus mechatronica (crebo 25893, niveau 4): Mechatronica (23360) op niveau 4 is een driejarige opleiding"]
    assert "4e vragenuur, 11 oktober 2022 (vraag 3)" in messages[0]["source"]


def test_duration_at_a_level_of_two_dossiers(make_tracker):
    messages, _ = ask(make_tracker("Hoe lang duurt niveau 4 in de dossiers Mechatronica en Productietechniek?", "ask_duration"))
    assert [(m["response"], m["dossier_name"]) for m in answers(messages)] == [
        ("utter_dossier_durations", "Mechatronica"), ("utter_dossier_durations", "Productietechniek")]


def test_how_many_of_a_list_just_shown_are_below_a_level(make_tracker):
    messages, _ = ask(make_tracker("Hoeveel daarvan liggen onder niveau 4?", "lookup_overview",
                                   slots={"dossier": "23360", "shown_list": ["25891", "25892", "25893"]}))
    assert messages[0]["response"] == "utter_from_list" and messages[0]["count"] == 2


def test_a_duration_check_and_a_crebo_in_one_message_are_both_answered(make_tracker):
    messages, _ = ask(make_tracker("duurt mechatronica niveau 4 nog steeds drie jaar, en welk crebo heeft het?", "ask_duration"))
    assert [m["response"] for m in answers(messages)] == ["utter_duration_checked", "utter_crebo_of"]
    assert messages[0]["verdict"] == "Ja, voor niveau 4." and messages[1]["crebo"] == "25893"


def test_a_duration_and_the_count_of_its_dossier_are_both_answered(make_tracker):
    messages, _ = ask(make_tracker("hoeveel jaar duurt productietechnicus? en hoeveel kwalificaties zitten er in dat dossier?",
                                   "ask_duration"))
    assert [m["response"] for m in answers(messages)] == ["utter_duration_known", "utter_dossier_count"]
    assert messages[1]["count"] == 4


def test_a_dossier_asked_of_what_an_faq_answer_is_about_is_said_not_to_be_in_the_sources(make_tracker):
    tracker = make_tracker("en in welk dossier zit dat nu?", "ask_not_in_sources", slots={"faq_subject": "precisietechniek"})
    tracker.events = [{"event": "user", "text": "wat gebeurt er met precisietechniek?"}, {"event": "action", "name": "utter_faq"},
                      {"event": "action", "name": "action_listen"}, {"event": "user", "text": "en in welk dossier zit dat nu?"}]
    messages, _ = ask(tracker)
    assert messages[0]["response"] == "utter_not_in_sources"
    assert messages[0]["asked"].startswith("In welk kwalificatiedossier dat terechtkomt")
    assert "1e vragenuur, 4 maart 2022 (vraag 11)" in messages[0]["known"]


def test_an_faq_answer_that_lists_the_dossiers_is_a_list_to_point_into(make_tracker):
    tracker = make_tracker("op welk niveau zitten de kwalificaties van het laatste dossier?", "ask_level",
                           slots={"faq_subject": "samengevoegde_dossiers", "shown_list": ["25891"]})
    tracker.events = [{"event": "user", "text": "welke dossiers zijn er"}, {"event": "action", "name": "utter_faq"},
                      {"event": "action", "name": "utter_ask_feedback"}, {"event": "action", "name": "action_listen"},
                      {"event": "user", "text": "op welk niveau zitten de kwalificaties van het laatste dossier?"}]
    messages, _ = ask(tracker)
    assert messages[0]["dossier_name"] == "Engineering" and messages[0]["levels"] == "4"


@pytest.mark.parametrize("text, intent, name", [
    ("which is the highest mechatronics qualification and its crebo", "lookup_crebo", "Technicus mechatronica"),
    ("wat is de laagste opleiding van productietechniek?", "lookup_qualification", "Medewerker productietechniek"),
])
def test_the_highest_or_lowest_of_a_named_dossier(make_tracker, text, intent, name):
    messages, _ = ask(make_tracker(text, intent))
    assert messages[0]["name"] == name


# Follow-ups that carry the question before them (issue 23: follow-ups and counts).
LEVEL_2_COUNTED = {"level": "2", "lookup_question": "count", "shown_list": ["25894", "25891"]}


@pytest.mark.parametrize("text, slots, count", [
    ("en als je mechatronica niet meerekent?", LEVEL_2_COUNTED, 1),  # at the level counted before
    ("en zonder productietechniek?", {"shown_list": ["23361", "23360", "23362", "25894", "25895", "25896", "25897",
                                                     "25891", "25892", "25893", "25898", "25899"]}, 5),  # of them all
])
def test_a_dossier_left_out_after_a_count_counts_again_without_it(make_tracker, text, slots, count):
    messages, _ = ask(make_tracker(text, "ask_not_in_sources", slots=slots))
    assert messages[0]["count"] == count and messages[0]["response"] in {"utter_level_count", "utter_count_outside"}


def test_a_level_after_a_duration_asks_the_duration_at_that_level(make_tracker):
    messages, _ = ask(make_tracker("en op niveau 2?", "list_by_level",
                                   slots={"qualification": "25893", "dossier": "23360", "level": "4", "lookup_question": "duration"}))
    assert messages[0]["response"] == "utter_dossier_level_duration_unknown" or "niveau 2" in str(messages[0])
    assert "Monteur mechatronica" not in str(messages[0].get("qualification_list", ""))


def test_a_dossier_without_that_level_keeps_the_level_for_the_next_dossier(make_tracker):
    slots = slots_after(make_tracker("Heeft Engineering een opleiding op niveau 2?", "lookup_dossier"))
    messages, _ = ask(make_tracker("en productietechniek?", "lookup_dossier", slots=slots))
    assert (messages[0]["response"], messages[0]["dossier_name"]) == ("utter_dossier_at_level", "Productietechniek")


def test_how_many_of_a_list_fall_under_a_dossier_counts_them_in_the_list(make_tracker):
    level_4 = {"level": "4", "lookup_question": "count", "shown_list": ["25896", "25897", "25893", "25898", "25899"]}
    messages, _ = ask(make_tracker("en hoeveel daarvan horen bij productietechniek?", "lookup_dossier", slots=level_4))
    assert (messages[0]["response"], messages[0]["count"]) == ("utter_from_list", 2)


def test_the_crebos_of_the_list_just_shown(make_tracker):
    messages, _ = ask(make_tracker("en wat zijn de crebonummers daarvan?", "lookup_crebo",
                                   slots={"level": "3", "lookup_question": "count", "shown_list": ["25895", "25892"]}))
    assert messages[0]["response"] == "utter_from_list" and "25895" in messages[0]["qualification_list"]


def test_two_dossiers_counted_together_get_their_sum(make_tracker):
    messages, _ = ask(make_tracker("hoeveel kwalificaties hebben productietechniek en engineering bij elkaar?", "lookup_dossier"))
    assert [m["response"] for m in answers(messages)][-1] == "utter_dossiers_total" and answers(messages)[-1]["count"] == 6


def test_the_other_one_in_that_dossier_is_its_card_not_its_dossier(make_tracker):
    messages, _ = ask(make_tracker("en de andere opleiding in hetzelfde dossier?", "lookup_qualification",
                                   slots={"qualification": "25898", "dossier": "23362", "level": "4", "lookup_question": "level"}))
    assert (messages[0]["response"], messages[0]["crebo"]) == ("utter_qualification_info", "25899")


# A range of numbers, another dossier, the old structure at a level, dossiers by size.
def test_a_range_of_crebo_numbers_names_every_qualification_in_it_one_line_each(make_tracker):
    messages, events = ask(make_tracker("Welke kwalificaties hebben de crebonummers 25891 tot en met 25893?", "lookup_qualification"))
    assert answers(messages)[0]["response"] == "utter_records_named"
    assert [line.split(" (")[0] for line in answers(messages)[0]["qualification_list"].split("\n")] == [
        "- Monteur mechatronica", "- Eerste monteur mechatronica", "- Technicus mechatronica"]
    assert SlotSet("shown_list", ["25891", "25892", "25893"]) in events  # "en de bovenste daarvan?"


def test_the_top_one_of_the_numbers_just_named(make_tracker):
    messages, _ = ask(make_tracker("En de bovenste daarvan, welk niveau heeft die?", "ask_level",
                                   slots={"shown_list": ["25891", "25892", "25893"], "qualification": "25893",
                                          "dossier": "23360", "level": "4"}))
    assert answers(messages)[0]["name"] == "Monteur mechatronica"


@pytest.mark.parametrize("slots, expected", [
    # "welke niveau 3 zit bij Productietechniek?": Mechatronica has a level 3, Engineering has not
    ({"dossier": "23361", "level": "3", "lookup_question": "list", "shown_list": ["25895"]}, "Eerste monteur mechatronica"),
    # "wat is het crebo van Monteur mechatronica?": the level 2 one of the other dossier
    ({"qualification": "25891", "dossier": "23360", "level": "2", "lookup_question": "crebo"}, "Medewerker productietechniek"),
])
def test_the_same_question_in_the_other_dossier(make_tracker, slots, expected):
    messages, _ = ask(make_tracker("en in het andere dossier?", "lookup_dossier", slots=slots))
    assert [m for m in answers(messages) if expected in str(m)]
    assert not [m for m in answers(messages) if "Engineering" in str(m)]


def test_the_other_dossiers_after_a_count_of_one(make_tracker):
    messages, _ = ask(make_tracker("en de andere dossiers?", "lookup_dossier",
                                   slots={"dossier": "23360", "lookup_question": "count"}))
    assert [m["dossier_name"] for m in answers(messages)] == ["Productietechniek", "Engineering"]


def test_the_count_before_the_revision_at_a_level_is_not_in_the_sources_but_the_total_is(make_tracker):
    messages, _ = ask(make_tracker("en daarvoor?", "list_by_level",
                                   slots={"level": "3", "lookup_question": "count", "shown_list": ["25895", "25892"]}))
    assert answers(messages)[0]["response"] == "utter_count_before_not_held" and "niveau 3" in answers(messages)[0]["counted"]
    assert "53 kwalificaties" in answers(messages)[0]["before"]
    assert "1e vragenuur, 4 maart 2022 (vraag 1)" in answers(messages)[0]["source"]


def test_dossiers_counted_by_their_size(make_tracker):
    messages, _ = ask(make_tracker("hoeveel dossiers hebben er maar 2 kwalificaties", "lookup_overview"))
    assert answers(messages)[0]["response"] == "utter_dossiers_counted" and answers(messages)[0]["count"] == 1
    assert answers(messages)[0]["dossier_list"] == "- Engineering (23362): 2 kwalificaties, niveau 4"


def test_het_at_the_end_of_a_count_is_the_dossier_in_context(make_tracker):
    messages, _ = ask(make_tracker("hoeveel kwalificaties heeft het", "lookup_overview",
                                   slots={"dossier": "23360", "lookup_question": "dossier"}))
    assert answers(messages)[0]["response"] == "utter_dossier_count" and answers(messages)[0]["dossier_name"] == "Mechatronica"


def test_a_count_without_a_level(make_tracker):
    messages, _ = ask(make_tracker("Hoeveel kwalificaties zijn er als je niveau 2 niet meetelt?", "lookup_overview"))
    assert answers(messages)[0]["response"] == "utter_count_outside"
    assert (answers(messages)[0]["count"], answers(messages)[0]["total"], answers(messages)[0]["scope"]) == (7, 9, " buiten niveau 2")


def test_the_dossiers_left_when_one_is_left_out(make_tracker):
    messages, _ = ask(make_tracker("hoeveel dossiers blijven er over zonder engineering", "lookup_overview"))
    assert answers(messages)[0]["response"] == "utter_dossiers_outside" and answers(messages)[0]["count"] == 2
    assert answers(messages)[0]["names"] == "Engineering (23362)" and "Mechatronica (23360)" in answers(messages)[0]["dossier_list"]


def test_the_number_of_dossiers_before_the_revision_is_not_in_the_sources_but_the_total_is(make_tracker):
    messages, _ = ask(make_tracker("Uit hoeveel kwalificatiedossiers bestond de metaalstructuur vóór de herziening?",
                                   "lookup_overview"))
    assert answers(messages)[0]["response"] == "utter_count_before_not_held"
    assert answers(messages)[0]["counted"] == "kwalificatiedossiers er" and "53" in answers(messages)[0]["before"]


def test_the_counterpart_in_another_dossier_is_the_one_at_the_same_level(make_tracker):
    messages, _ = ask(make_tracker("en wat is de tegenhanger bij productietechniek? crebo graag", "lookup_crebo",
                                   slots={"qualification": "25892", "dossier": "23360", "level": "3", "lookup_question": "level"}))
    assert answers(messages)[0]["name"] == "Allround medewerker productietechniek"
    # What the sources do not hold stays said plainly.
    messages, _ = ask(make_tracker("wat kost de tegenhanger bij productietechniek", "ask_not_in_sources",
                                   slots={"qualification": "25892", "dossier": "23360", "level": "3"}))
    assert answers(messages)[0]["response"] == "utter_not_in_sources"


def test_a_dossier_number_asked_of_a_dossier_named_is_not_an_item_of_the_list(make_tracker):
    level_4 = {"level": "4", "shown_list": ["25896", "25897", "25893", "25898", "25899"]}
    messages, _ = ask(make_tracker("en welk dossiernummer heeft engineering?", "lookup_dossier", slots=level_4))
    assert messages[0]["response"] != "utter_from_list" and messages[0]["dossier_number"] == "23362"


def test_a_name_ruled_out_of_the_list_leaves_the_other(make_tracker):
    messages, _ = ask(make_tracker("de opleiding die niet productietechnicus heet, welk crebo?", "lookup_crebo",
                                   slots={"dossier": "23361", "level": "4", "shown_list": ["25896", "25897"]}))
    assert messages[0]["crebo"] == "25897"


def test_the_one_of_the_list_that_lasts_the_years_claimed(make_tracker):
    messages, _ = ask(make_tracker("welke van die drie duurt 3 jaar, en welk crebo heeft die?", "ask_duration",
                                   slots={"dossier": "23360", "shown_list": ["25891", "25892", "25893"]}))
    assert messages[0]["response"] == "utter_duration_known" and messages[0]["crebo"] == "25893"


def test_a_duration_claimed_of_two_dossiers_is_checked_for_each_and_their_list_is_kept(make_tracker):
    messages, events = ask(make_tracker("zijn niveau 4 van mechatronica en productietechniek allebei vierjarig?", "ask_duration"))
    assert [(m["dossier_name"], m["verdict"]) for m in answers(messages)] == [
        ("Mechatronica", "Nee, voor niveau 4."), ("Productietechniek", "Ja, voor niveau 4.")]
    assert SlotSet("shown_list", ["25893", "25896", "25897"]) in events


def test_those_two_dossiers_together_are_the_list_just_shown(make_tracker):
    messages, _ = ask(make_tracker("hoeveel kwalificaties hebben die twee dossiers samen?", "lookup_overview",
                                   slots={"dossier": "23362", "shown_list": ["23361", "23362"]}))
    assert answers(messages)[-1]["response"] == "utter_dossiers_total" and answers(messages)[-1]["count"] == 6


def test_is_that_level_n_checks_the_record_in_context(make_tracker):
    messages, _ = ask(make_tracker("en is dat mbo 3?", "ask_level", slots={"qualification": "25898", "level": "4"}))
    assert messages[0]["response"] == "utter_check_other_level"


@pytest.mark.parametrize("text, slots", [
    ("hoeveel kwalificaties had mechatronica vroeger, voor de herziening?", {}),
    ("en hoeveel waren dat er voor de herziening?", {"dossier": "23361", "lookup_question": "count"}),
])
def test_a_dossiers_count_before_the_revision_is_not_in_the_sources_but_the_total_is(make_tracker, text, slots):
    messages, _ = ask(make_tracker(text, "lookup_overview", slots=slots))
    assert messages[0]["response"] == "utter_count_before_not_held" and "53" in messages[0]["before"]


def test_how_many_at_a_level_a_dossier_lacks_is_zero_not_no(make_tracker):
    messages, _ = ask(make_tracker("hoeveel kwalificaties op niveau 3 heeft engineering?", "list_by_level"))
    assert messages[0]["response"] == "utter_dossier_not_at_level"
    assert (messages[0]["verdict"], messages[0]["none"]) == ("", "0 kwalificaties")


def test_the_level_with_the_most_qualifications_gets_the_count_at_each(make_tracker):
    messages, _ = ask(make_tracker("op welk niveau zitten de meeste kwalificaties?", "list_by_level"))
    assert messages[0]["response"] == "utter_levels_overview"


def test_a_dossier_taken_away_is_left_out_of_the_count(make_tracker):
    messages, _ = ask(make_tracker("stel je laat engineering weg, hoeveel opleidingen blijven er over?", "lookup_overview"))
    assert messages[0]["response"] == "utter_count_outside" and messages[0]["count"] == 7


def test_the_two_records_of_a_question_the_sources_cannot_answer_stay_as_a_list(make_tracker):
    _, events = ask(make_tracker("kan ik na monteur mechatronica doorstromen naar eerste monteur mechatronica?",
                                 "ask_not_in_sources"))
    assert SlotSet("shown_list", ["25891", "25892"]) in events


def test_a_crebo_asked_of_what_an_faq_answer_is_about_gets_that_answer_and_says_there_is_none(make_tracker):
    messages, _ = ask(make_tracker("welk crebonummer krijgt human technology?", "ask_not_in_sources",
                                   entities=[{"entity": "faq_subject", "value": "human_technology"}],
                                   slots={"faq_subject": "human_technology"}))
    said = answers(messages)
    assert [m["response"] for m in said] == ["utter_faq/human_technology", "utter_not_in_sources"]
    assert said[1]["asked"] == "Welk crebonummer daarbij hoort" and "antwoord hierboven" in said[1]["known"]


def test_a_crebo_asked_again_of_another_dossier_is_its_qualification_at_the_same_level(make_tracker):
    messages, _ = ask(make_tracker("en bij productietechniek?", "lookup_crebo",
                                   slots={"qualification": "25892", "dossier": "23360", "level": "3", "lookup_question": "crebo"}))
    said = answers(messages)
    assert said[0]["response"] == "utter_crebo_of" and said[0]["crebo"] == "25895"


def test_a_duration_at_a_level_and_the_bbl_in_one_message_are_both_answered(make_tracker):
    messages, _ = ask(make_tracker("duurt productietechniek niveau 4 nou drie of vier jaar, en kan dat ook via de bbl?",
                                   "ask_duration"))
    said = [m["response"] for m in answers(messages)]
    # (the dossier named, at the level named: its two qualifications there, not a guess at one of them)
    assert said == ["utter_dossier_durations", "utter_leerweg"]


@pytest.mark.parametrize("text, record, expected", [
    ("nee sorry, ik bedoelde de allround versie", "25894", "25895"),
    ("oeps, ik bedoel de commerciële variant", "25898", "25899"),
])
def test_a_correction_to_a_variant_is_the_record_of_the_same_dossier_that_word_names(make_tracker, text, record, expected):
    messages, _ = ask(make_tracker(text, "lookup_qualification", slots={"qualification": record}))
    assert answers(messages)[0]["crebo"] == expected


def test_the_rest_of_a_list_is_the_list_without_the_record_named(make_tracker):
    messages, _ = ask(make_tracker("Technicus mechatronica ken ik. En de rest?", "lookup_qualification",
                                   slots={"dossier": "23360", "shown_list": ["25891", "25892", "25893"]}))
    listed = answers(messages)[0]["qualification_list"]
    assert "25891" in listed and "25892" in listed and "25893" not in listed


def test_a_level_check_and_a_dossier_asked_are_both_answered(make_tracker):
    messages, _ = ask(make_tracker("is eerste monteur mechatronica niveau 3, en bij welk dossier hoort hij?", "ask_level"))
    said = " ".join(str(m) for m in answers(messages))
    assert "Ja." in said and "23360" in said


def test_the_levels_of_a_dossier_and_the_duration_of_one_level_are_both_answered(make_tracker):
    messages, _ = ask(make_tracker("Welke niveaus heeft productietechniek? En hoe lang duurt niveau 4 daar?", "ask_duration"))
    responses = [m["response"] for m in answers(messages)]
    assert len(responses) == 2 and "25894" in str(answers(messages)[0])  # its levels, with their qualifications


def test_a_duration_and_the_leerweg_are_both_answered(make_tracker):
    messages, _ = ask(make_tracker("hoe lang duurt productietechnicus, en kan dat ook in de bbl?", "ask_duration"))
    assert "utter_leerweg" in [m["response"] for m in answers(messages)]


def test_what_an_faq_answer_leaves_out_is_said_after_that_answer(make_tracker):
    messages, _ = ask(make_tracker("wat kosten de examens van Esmei eigenlijk?", "ask_not_in_sources",
                                   entities=[{"entity": "faq_subject", "value": "esmei_examens"}]))
    assert [m["response"] for m in answers(messages)] == ["utter_faq/esmei_examens", "utter_not_in_sources"]
    assert answers(messages)[1]["asked"] == "Wat het kost"


def test_a_crebo_and_a_level_asked_together_get_the_line_with_both_and_no_remark_on_bol_and_bbl(make_tracker):
    messages, _ = ask(make_tracker("wat is het crebo van monteur mechatronica en op welk niveau zit die?", "lookup_crebo"))
    assert answers(messages)[0]["response"] == "utter_crebo_of"
    assert (answers(messages)[0]["crebo"], answers(messages)[0]["level"]) == ("25891", 2)
    assert "leerweg" not in answers(messages)[0]


def test_a_record_and_its_variant_at_another_level_are_both_answered(make_tracker):
    messages, _ = ask(make_tracker("geef het crebo van productietechnicus en ook dat van de niveau 2-versie ervan",
                                   "lookup_crebo"))
    assert [m["crebo"] for m in answers(messages)] == ["25896", "25894"]


@pytest.mark.parametrize("text", ["Is het waar dat er van de 53 kwalificaties nog 9 over zijn?", "vroeger 53 stuks, nu nog maar 9?"])
def test_the_overview_asked_beside_the_count_of_before_gives_that_count_too(make_tracker, text):
    messages, _ = ask(make_tracker(text, "lookup_overview"))
    assert messages[0]["response"] == "utter_overview" and "53" in messages[0]["before"] and "dertig" in messages[0]["before"]
    assert "(vragen 1 en 2)" in messages[0]["source"]  # the 1e vragenuur's count (vraag 1) and list (vraag 2)
    plain, _ = ask(make_tracker("hoeveel kwalificaties zijn er?", "lookup_overview"))
    assert plain[0]["before"] == ""


def test_a_count_claimed_without_its_noun_is_confirmed_against_either_count(make_tracker):
    messages, _ = ask(make_tracker("Worden het er straks maar negen?", "lookup_overview"))
    assert messages[0]["verdict"] == "Ja. "
    messages, _ = ask(make_tracker("Worden het er straks maar vijf?", "lookup_overview"))
    assert messages[0]["verdict"] == "Nee. "


def test_a_duration_checked_of_a_qualification_names_it_beside_its_dossiers_level(make_tracker):
    messages, _ = ask(make_tracker("klopt het dat researchinstrumentmaker vier jaar duurt?", "ask_duration"))
    assert messages[0]["response"] == "utter_duration_checked" and messages[0]["verdict"].startswith("Ja")
    assert "Researchinstrumentmaker (crebo 25897)" in messages[0]["other_levels"]
    assert "1e vragenuur" in messages[0]["source"] and "4e vragenuur" in messages[0]["source"]


def test_a_way_of_study_the_sources_never_name_is_not_in_them_with_what_they_say_of_bol_and_bbl(make_tracker):
    messages, _ = ask(make_tracker("Kan mijn zoon Productietechnicus ook in deeltijd of als avondopleiding doen?",
                                   "ask_not_in_sources"))
    assert messages[0]["response"] == "utter_not_in_sources" and "deeltijd" in messages[0]["asked"]
    assert "crebo 25896" in messages[0]["known"] and "BOL" in messages[0]["known"] and "BBL" in messages[0]["known"]


def test_a_crebo_and_a_question_not_held_in_one_message_get_both(make_tracker):
    messages, _ = ask(make_tracker("eerste monteur mechatronica: welk crebo, en hoeveel leerlingen zitten er per klas",
                                   "ask_not_in_sources"))
    assert [m["response"] for m in answers(messages)] == ["utter_crebo_of", "utter_not_in_sources"]


def test_two_dossiers_compared_by_their_counts_get_each_count(make_tracker):
    messages, _ = ask(make_tracker("Telt Productietechniek meer opleidingen dan Mechatronica, en hoeveel dan?", "lookup_dossier"))
    assert [(m["response"], m["count"]) for m in answers(messages)] == [("utter_dossier_count", 4), ("utter_dossier_count", 3)]


def test_the_other_one_of_the_dossier_named_is_not_the_one_just_given(make_tracker):
    slots = slots_after(make_tracker("wat is 25899 voor opleiding?", "lookup_crebo"))
    messages, _ = ask(make_tracker("en de andere opleiding van engineering?", "lookup_qualification", slots=slots))
    assert [m["name"] for m in answers(messages)] == ["Technicus engineering"]


def test_the_same_question_again_of_another_record_in_so_many_words_is_that_question(make_tracker):
    slots = slots_after(make_tracker("duurt productietechnicus vier jaar?", "ask_duration"))
    messages, _ = ask(make_tracker("geldt dat ook voor mechatronica niveau 4?", "ask_level", slots=slots))
    assert messages[0]["response"] == "utter_dossier_durations" and messages[0]["dossier_name"] == "Mechatronica"


def test_the_levels_asked_get_no_verdict_when_a_later_question_names_a_level(make_tracker):
    messages, _ = ask(make_tracker("Op welke niveaus bestaat Technicus engineering? En hoe lang duurt die van niveau 4?",
                                   "ask_level"))
    level = next(m for m in answers(messages) if m["response"] == "utter_level_of")
    assert level["verdict"] == "" and level["crebo"] == "25898"


def test_another_level_in_that_dossier_lists_the_dossier_at_that_level(make_tracker):
    messages, _ = ask(make_tracker("Ik volg Monteur mechatronica op niveau 2. Wat is er op niveau 3 binnen dat dossier?",
                                   "ask_level"))
    listed = answers(messages)[0]
    assert listed["response"] == "utter_dossier_at_level" and listed["level"] == 3 and "25892" in listed["qualification_list"]


def test_a_dossier_listed_and_a_duration_claimed_of_its_qualifications_get_the_list_then_the_check(make_tracker):
    messages, _ = ask(make_tracker("wat valt er onder mechatronica, en welke daarvan is driejarig?", "ask_duration"))
    assert [m["response"] for m in answers(messages)] == ["utter_dossier_info", "utter_duration_checked"]


def test_the_levels_of_a_dossier_and_the_duration_of_one_level_are_both_answered(make_tracker):
    messages, _ = ask(make_tracker("Welke niveaus heeft Mechatronica, en hoe lang duurt het op niveau 4?", "ask_level"))
    assert [m["response"] for m in answers(messages)] == ["utter_dossier_levels", "utter_dossier_durations"]


ALL_SHOWN = ["25894", "25895", "25896", "25897", "25891", "25892", "25893", "25898", "25899", "23361", "23360", "23362"]


def test_durations_of_every_qualification_shown_say_once_which_levels_the_source_gives_none_for(make_tracker):
    # "welke kwalificaties zijn er?" (the overview: the dossiers with all their qualifications) → "hoe lang duren die?"
    messages, _ = ask(make_tracker("hoeveel jaar duren die allemaal?", "ask_duration",
                                   slots={"shown_list": ALL_SHOWN}))
    assert [m["response"] for m in messages[:2]] == ["utter_duration_unknown", "utter_level_durations"]
    assert messages[0]["name"] == "opleidingen op niveau 2 en 3" and messages[0]["known"] == ""  # level 4 follows
    assert "Mechatronica (23360) op niveau 4 is een driejarige opleiding" in messages[1]["durations"]


def test_a_count_of_the_dossiers_shown_with_their_qualifications_is_the_overview(make_tracker):
    messages, _ = ask(make_tracker("hoeveel zijn dat er in totaal?", "lookup_overview", slots={"shown_list": ALL_SHOWN}))
    assert messages[0]["response"] == "utter_overview"
    assert (messages[0]["dossier_count"], messages[0]["qualification_count"]) == (3, 9)


def test_a_count_after_a_dossiers_list_counts_that_list(make_tracker):
    # "welke opleidingen heeft Mechatronica?" → "hoeveel zijn dat er?": three, not the whole structure
    messages, _ = ask(make_tracker("hoeveel zijn dat er?", "ask_duration",
                                   slots={"dossier": "23360", "lookup_question": "list",
                                          "shown_list": ["25891", "25892", "25893"]}))
    assert messages[0]["response"] == "utter_from_list" and messages[0]["count"] == 3


def test_a_list_at_two_levels_is_the_list_shown(make_tracker):
    # "welke opleidingen zijn er op niveau 2 en 3?" → "hoe lang duren die?": both levels' qualifications
    tracker = make_tracker("welke opleidingen zijn er op niveau 2 en 3?", "list_by_level")
    assert slots_after(tracker)["shown_list"] == ["25894", "25891", "25895", "25892"]


def test_the_qualifications_at_the_levels_an_faq_answer_names_follow_that_answer(make_tracker):
    # an answer that names levels of Mechatronica, asked with the crebos at them
    messages, _ = ask(make_tracker("blijft onderhoud bij mechatronica een losse kerntaak, en wat zijn de crebonummers dan?",
                                   "list_by_level", entities=[{"entity": "faq_subject", "value": "onderhoud_kerntaak"}]))
    assert messages[0]["response"] == "utter_faq/onderhoud_kerntaak"
    assert messages[1]["response"] == "utter_at_the_answers_levels" and messages[1]["where"] == "op niveau 2 en 3"
    assert "25891" in messages[1]["qualification_list"] and "25892" in messages[1]["qualification_list"]
    assert "25893" not in messages[1]["qualification_list"]


def test_right_after_that_faq_answer_only_the_qualifications_follow(make_tracker):
    # the answer on onderhoud → "en welke crebo's horen daarbij?": not that answer again
    text = "en welke crebo's horen daarbij?"
    tracker = make_tracker(text, "list_by_level", entities=[{"entity": "faq_subject", "value": "onderhoud_kerntaak"}],
                           slots={"faq_subject": "onderhoud_kerntaak"})
    tracker.events = [{"event": "user", "text": "is onderhoud eruit?"}, {"event": "action", "name": "utter_faq"},
                      {"event": "action", "name": "action_listen"}, {"event": "user", "text": text}]
    messages, _ = ask(tracker)
    assert messages[0]["response"] == "utter_at_the_answers_levels" and messages[0]["dossier_name"] == "Mechatronica"


def test_the_list_before_the_last_one_is_pointed_into_when_the_message_says_so(make_tracker):
    # Mechatronica's list, then Productietechniek's → "de laagste uit het vorige lijstje?"
    messages, events = ask(make_tracker("en welk crebo heeft de laagste uit het vorige lijstje?", "lookup_crebo", slots={
        "shown_list": ["25894", "25895", "25896", "25897"], "list_before": ["25891", "25892", "25893"]}))
    assert messages[0]["crebo"] == "25891"


def test_a_new_list_keeps_the_one_before_it(make_tracker):
    tracker = make_tracker("welke opleidingen heeft engineering?", "lookup_dossier",
                           slots={"shown_list": ["25891", "25892", "25893"]})
    assert slots_after(tracker)["list_before"] == ["25891", "25892", "25893"]


def test_the_one_of_a_list_that_leads_to_a_record_named_outside_it(make_tracker):
    # the two at niveau 3 → "welke van die twee gaat door naar technicus mechatronica?": not that record itself
    messages, _ = ask(make_tracker("welke van die twee kan doorstromen naar technicus mechatronica? graag het crebo",
                                   "lookup_crebo", slots={"shown_list": ["25895", "25892"], "level": "3"}))
    assert messages[0]["crebo"] == "25892"


def test_all_of_one_dossier_picked_from_a_list_of_dossiers_names_that_dossier(make_tracker):
    messages, _ = ask(make_tracker("welke kwalificaties heeft het dossier met de minste kwalificaties?", "lookup_dossier",
                                   slots={"shown_list": ["23361", "23360", "23362"]}))
    assert messages[0]["dossier_number"] == "23362" and "25899" in messages[0]["qualification_list"]


def test_an_overview_of_the_dossiers_with_their_numbers(make_tracker):
    messages, _ = ask(make_tracker("mag ik een overzicht van alle dossiers met hun dossiernummers?", "lookup_overview"))
    assert messages[0]["response"] == "utter_overview"


def test_durations_of_a_level_name_each_dossier_with_its_number(make_tracker):
    messages, _ = ask(make_tracker("welke niveau 4-opleidingen duren vier jaar?", "lookup_list_by_level"))
    assert "Productietechniek (23361) op niveau 4 is een vierjarige opleiding" in messages[0]["durations"]


def test_the_rest_of_a_list_when_one_dossiers_part_of_it_is_known(make_tracker):
    # the two at niveau 3 → "die van productietechniek weet ik al; en de andere, welk crebo?"
    messages, _ = ask(make_tracker("die van productietechniek weet ik al; en de andere, welk crebo?", "lookup_crebo",
                                   slots={"shown_list": ["25895", "25892"]}))
    assert messages[0]["crebo"] == "25892"


def test_a_number_of_years_said_of_a_part_of_the_list_asks_their_durations(make_tracker):
    messages, _ = ask(make_tracker("worden die van niveau 4 uit dat rijtje allebei vierjarig?", "lookup_list_by_level",
                                   slots={"shown_list": ["25894", "25895", "25896", "25897"]}))
    assert messages[0]["response"] == "utter_durations_of_list"


def test_a_which_question_about_a_level_a_dossier_lacks_gets_no_nee(make_tracker):
    # after the dossiers: "welke heeft er geen niveau 2?" is answered with that dossier, not with "Nee."
    messages, _ = ask(make_tracker("welke heeft er geen niveau 2?", "lookup_list_by_level",
                                   slots={"shown_list": ["23361", "23360", "23362"]}))
    assert messages[0]["response"] == "utter_dossier_not_at_level" and messages[0]["verdict"] == ""
