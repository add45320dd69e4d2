"""A message that asks several things gets one answer per question, each with its source."""
from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.parts import ActionAnswerParts


def answer_parts(make_tracker, *parts, slots=None):
    tracker = make_tracker("…", "several_questions", slots=slots, parse_data={"question_parts": list(parts)})
    dispatcher = CollectingDispatcher()
    events = ActionAnswerParts().run(dispatcher, tracker, {})
    return dispatcher.messages, events


def part(text, label, lookup=False, understood=True):
    return {"text": text, "label": label, "lookup": lookup, "understood": understood, "confidence": 0.9}


def test_a_lookup_and_an_faq_question_are_both_answered(make_tracker):
    messages, events = answer_parts(
        make_tracker,
        part("wat is het crebo van eerste monteur mechatronica?", "lookup_crebo", lookup=True),
        part("moeten docenten zich bijscholen?", "faq/docenten_bijscholing"),
    )
    assert [m["response"] for m in messages] == ["utter_crebo_of", "utter_faq/docenten_bijscholing",
                                                 "utter_ask_feedback"]
    assert SlotSet("qualification", "25892") in events and SlotSet("faq_subject", "docenten_bijscholing") in events


def test_a_later_part_points_back_at_an_earlier_one(make_tracker):
    messages, _ = answer_parts(
        make_tracker,
        part("wat is 25894", "lookup_crebo", lookup=True),
        part("wat is 25892", "lookup_crebo", lookup=True),
        part("en in welk dossier zit die?", "lookup_dossier", lookup=True),
    )
    answers = [m for m in messages if m["response"] != "utter_ask_feedback"]
    assert [m.get("crebo") for m in answers] == ["25894", "25892", "25892"]
    assert answers[2]["response"] == "utter_dossier_of"
    assert messages[-1]["response"] == "utter_ask_feedback"  # once, under all the answers


def test_a_lookup_the_classifier_read_surely_is_answered_and_the_overview_once(make_tracker):
    messages, _ = answer_parts(
        make_tracker,
        part("vroeger waren het er veel meer, toch?", "faq/aanleiding_herziening"),
        part("hoeveel zijn het er vandaag", "lookup_overview"),
        part("en kun je ze allemaal opnoemen?", "lookup_overview"),
    )
    assert [m["response"] for m in messages] == ["utter_faq/aanleiding_herziening", "utter_overview", "utter_ask_feedback"]


def test_a_later_part_points_into_the_list_an_earlier_part_shows(make_tracker):
    messages, _ = answer_parts(
        make_tracker,
        part("welke opleidingen zijn er op niveau 2", "list_by_level", lookup=True),
        part("en bij welk dossier hoort elk daarvan?", "lookup_dossier", lookup=True),
    )
    assert [m["response"] for m in messages][:2] == ["utter_level_list", "utter_dossiers_of_list"]
    assert "Mechatronica (23360)" in messages[1]["qualification_list"]


def test_a_part_not_understood_is_said_plainly(make_tracker):
    messages, _ = answer_parts(
        make_tracker,
        part("wat is het crebo van researchinstrumentmaker", "lookup_crebo", lookup=True),
        part("hoe laat gaat de bus naar utrecht", "out_of_scope", understood=False),
    )
    assert messages[0]["crebo"] == "25897"
    assert messages[1] == {**messages[1], "response": "utter_part_not_understood", "ordinal": "tweede"}


def test_questions_left_over_are_counted_in_dutch(make_tracker):
    tracker = make_tracker("…", "several_questions", parse_data={
        "question_parts": [part("hoe laat gaat de bus", "out_of_scope", understood=False)], "unanswered_questions": 2})
    dispatcher = CollectingDispatcher()
    ActionAnswerParts().run(dispatcher, tracker, {})
    left = next(m for m in dispatcher.messages if m["response"] == "utter_questions_left_over")
    assert (left["left"], left["limit"]) == ("nog 2 vragen", "drie")
    assert dispatcher.messages[0]["ordinal"] == "eerste"


def test_an_english_conversation_gets_english_ordinals_and_counts(make_tracker):
    from tests.actions.english import ENGLISH_SLOTS, dutch_in_fills

    for left_over, left in ((1, "one more question"), (2, "2 more questions")):
        tracker = make_tracker("…", "several_questions", slots=ENGLISH_SLOTS, parse_data={
            "question_parts": [part("wat is 25894", "lookup_crebo", lookup=True),
                               part("hoe laat gaat de bus", "out_of_scope", understood=False),
                               {**part("wat kost het", "out_of_scope", understood=False), "surely": True}],
            "unanswered_questions": left_over})
        dispatcher = CollectingDispatcher()
        ActionAnswerParts().run(dispatcher, tracker, {})
        messages = dispatcher.messages
        assert messages[0]["response"] == "utter_qualification_info" and "(question 2)" in messages[0]["source"]
        assert [m.get("ordinal") for m in messages[1:3]] == ["second", "third"]
        assert messages[3] == {**messages[3], "response": "utter_questions_left_over", "left": left, "limit": "three"}
        assert dutch_in_fills(messages) == {}


def statement(text, label, start, record=None):
    """A sentence around the questions: no question of its own (bot/nlu/question_parts.is_question)."""
    return {"text": text, "label": label, "lookup": bool(record), "understood": True, "confidence": 0.9,
            "question": False, "start": start, "end": start + len(text), "record": record}


def test_a_statement_that_names_a_record_is_what_the_questions_after_it_are_about(make_tracker):
    story = "mijn zoon wil straks productietechnicus worden."
    messages, _ = answer_parts(
        make_tracker,
        statement(story, "ask_not_in_sources", 0, record="25896"),
        {**part("hoe lang duurt dat", "ask_duration", lookup=True), "start": len(story) + 1},
        {**part("wat verdient hij ermee?", "ask_not_in_sources", lookup=True), "start": len(story) + 20},
    )
    answers = [m for m in messages if m["response"] != "utter_ask_feedback"]
    assert answers[0]["response"] == "utter_duration_known" and answers[0]["crebo"] == "25896"
    assert answers[1]["response"] == "utter_not_in_sources"


def test_a_statement_that_names_two_records_is_a_list_the_questions_point_into(make_tracker):
    story = "De een wil monteur mechatronica worden, de ander medewerker productietechniek."
    messages, _ = answer_parts(
        make_tracker,
        statement(story, "lookup_crebo", 0),
        {**part("welke crebonummers horen daarbij", "lookup_crebo", lookup=True), "start": len(story) + 1},
        {**part("en op welk niveau zitten ze?", "ask_level", lookup=True), "start": len(story) + 40},
    )
    assert "25891" in messages[0]["qualification_list"] and "25894" in messages[0]["qualification_list"]


def test_one_faq_answer_once_however_many_sentences_it_answers(make_tracker):
    messages, _ = answer_parts(
        make_tracker,
        part("we zijn al jaren erkend leerbedrijf, blijft dat zo?", "faq/erkenning_nieuw_crebo"),
        part("blijft onze erkenning staan met de nieuwe crebo's?", "faq/erkenning_nieuw_crebo"),
        part("welk crebo heeft monteur mechatronica?", "lookup_crebo", lookup=True),
    )
    assert [m["response"] for m in messages] == ["utter_faq/erkenning_nieuw_crebo", "utter_crebo_of", "utter_ask_feedback"]


def test_an_faq_part_asking_what_its_answer_does_not_give_gets_the_answer_and_says_so(make_tracker):
    messages, _ = answer_parts(
        make_tracker,
        part("waarom is de structuur herzien?", "faq/aanleiding_herziening"),
        part("en wie beslist daar uiteindelijk over?", "faq/uitwerkingsdocumenten_status"),
    )
    responses = [m["response"] for m in messages]
    assert responses == ["utter_faq/aanleiding_herziening", "utter_faq/uitwerkingsdocumenten_status",
                         "utter_not_in_sources", "utter_ask_feedback"]
    assert messages[2]["asked"] == "Precies wat je vraagt" and "hierboven" in messages[2]["known"]


def test_two_questions_one_answer_answers_get_it_once(make_tracker):
    # the dossier's number and its count: both answered by the dossier's list
    import yaml
    from pathlib import Path

    domain = yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text())
    tracker = make_tracker("…", "several_questions", parse_data={"question_parts": [
        part("welk nummer heeft het dossier engineering", "lookup_dossier", lookup=True),
        part("en hoeveel kwalificaties vallen daaronder?", "lookup_overview", lookup=True)]})
    dispatcher = CollectingDispatcher()
    ActionAnswerParts().run(dispatcher, tracker, domain)
    answers = [m for m in dispatcher.messages if m["response"] != "utter_ask_feedback"]
    assert len(answers) == 1 and answers[0]["dossier_number"] == "23362"


def test_a_statement_that_goes_back_to_the_list_before_is_what_the_question_points_into(make_tracker):
    # Mechatronica's list, then Engineering's → "Nog even over dat eerste lijstje. Welk crebo heeft de hoogste?"
    statement = {**part("Nog even over dat eerste lijstje.", "faq/samengevoegde_dossiers"), "question": False,
                 "start": 0, "end": 33}
    question = {**part("Welk crebo heeft de hoogste?", "lookup_crebo", lookup=True), "start": 34, "end": 62}
    messages, _ = answer_parts(make_tracker, statement, question,
                               slots={"shown_list": ["25898", "25899"], "list_before": ["25891", "25892", "25893"]})
    assert messages[0]["crebo"] == "25893"


def test_a_story_naming_a_dossier_and_one_of_its_qualifications_is_about_the_qualification(make_tracker):
    # "… iets met mechatronica, Technicus mechatronica heet dat. … En welk crebo heeft die opleiding?"
    story = {**part("Hij wil iets met mechatronica doen, Technicus mechatronica heet dat.", "faq/leerweg_bol_bbl"),
             "question": False, "start": 0, "end": 67}
    question = {**part("En welk crebo heeft die opleiding?", "lookup_crebo", lookup=True), "start": 68, "end": 102}
    messages, _ = answer_parts(make_tracker, story, question)
    assert messages[0]["crebo"] == "25893"
