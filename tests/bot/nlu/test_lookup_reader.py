"""Facts before wording: what the dataset can answer goes to the lookup, with context."""
from __future__ import annotations

from bot.settings import faq_threshold

from typing import Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_DIR
from bot.knowledge.reader import read
from bot.knowledge.lookup_intents import NOT_IN_SOURCES
from bot.nlu.lookup_reader import LookupReader, lookup_intent
from bot.nlu.question_parts import Part, asks_several_things

DOMAIN = Domain.load(str(PROJECT_DIR / "domain.yml"))
reader = LookupReader({})


def route(text: str, predicted: str = "faq", confidence: float = 0.4, in_context: bool = False,
          after_faq: bool = False, faq_key: Optional[str] = None) -> Optional[str]:
    return lookup_intent(read(text), predicted, confidence, in_context=in_context, after_faq=after_faq,
                         faq_threshold=faq_threshold(), faq_key=faq_key)


@pytest.mark.parametrize("text", ["wat betekent 25893", "25891, welke opleiding is dat?", "wat is crebo 12345?"])
def test_a_crebo_number_anywhere_is_a_lookup_even_against_a_sure_faq_answer(text):
    assert route(text, "faq", 0.95) is not None


@pytest.mark.parametrize("text, expected", [
    ("is Eerste monteur mechatronica niveau 2 of 3?", "ask_level"),
    ("bestaat Productietechniek ook op niveau 2?", "lookup_qualification"),
    ("hoeveel kwalificaties heeft het dossier Engineering?", "lookup_overview"),
    ("research instrumentmaker", "lookup_qualification"),
    ("Engineering bestaat toch niet meer?", "lookup_qualification"),
    ("wat kan ik op n2 doen in de metaal?", "list_by_level"),
])
def test_a_named_record_with_a_fact_asked_is_a_lookup(text, expected):
    assert route(text, "out_of_scope", 0.5) == expected


def test_the_classifiers_lookup_intent_is_kept():
    assert route("hoe lang duurt technicus mechatronica", "ask_duration", 0.4) == "ask_duration"


@pytest.mark.parametrize("text", ["blijven de keuzedelen bij engineering bestaan?", "moet ik bij Mechatronica nog onderhoud leren?"])
def test_a_sure_faq_answer_that_asks_no_dataset_fact_is_kept(text):
    assert route(text, "faq", 0.9) is None  # (the first is read not held from the floor alone)


@pytest.mark.parametrize("text", ["Wordt Researchinstrumentmaker als zwaar gezien?", "is technicus engineering moeilijk?",
                                  "is commercieel technicus engineering moeilijk?"])
def test_a_yes_or_no_asked_of_a_named_record_that_asks_no_fact_is_not_in_the_sources(text):
    assert not read(text).asks  # (the ask model reads nothing asked, not even "not held")
    assert route(text, "lookup_qualification", 0.9) == NOT_IN_SOURCES  # never its card as if it answered


@pytest.mark.parametrize("text, expected", [
    ("wat is monteur mechatronica?", "lookup_qualification"),  # what it is: its card
    ("is researchinstrumentmaker niveau 4?", "ask_level"),  # a fact checked
    ("productietechnicus?", "lookup_qualification"),
])
def test_a_record_asked_about_as_such_keeps_its_lookup(text, expected):
    assert route(text, expected, 0.9) == expected


def test_a_yes_or_no_about_the_record_in_context_that_asks_no_fact_is_not_in_the_sources():
    assert route("en is dat moeilijk?", "lookup_qualification", 0.9, in_context=True) == NOT_IN_SOURCES
    assert route("is dat niveau 4?", "ask_level", 0.9, in_context=True) == "ask_level"


def test_a_sure_off_topic_reading_is_kept_when_not_held_is_only_guessed_and_nothing_of_ours_is_named():
    from dataclasses import replace

    from bot.knowledge.asked import Ask
    from bot.settings import ask_settings

    # read as not held from the ask model's floor alone (between the floor and its threshold)
    settings = ask_settings()
    guessed = replace(read("hoe laat begint de voetbalwedstrijd?"), asks=frozenset({Ask.NOT_HELD}),
                      not_held_probability=(settings.not_held_floor + settings.threshold) / 2)

    def routed(confidence: float) -> Optional[str]:
        return lookup_intent(guessed, "out_of_scope", confidence, in_context=False, after_faq=False,
                             faq_threshold=faq_threshold())

    assert routed(0.9) is None
    assert routed(0.4) == NOT_IN_SOURCES


@pytest.mark.parametrize("text", ["vanaf schooljaar 2023", "bel 0612345678", "waarom is de lucht blauw"])
def test_other_messages_are_left_to_the_classifier(text):
    assert route(text, "out_of_scope", 0.7) is None


def test_a_follow_up_is_a_lookup_when_a_record_is_in_context():
    assert route("en in welk dossier zit die?", "faq", 0.5, in_context=True) == "lookup_dossier"
    assert route("welke hoort er een niveau lager bij?", "out_of_scope", 0.5, in_context=True) is not None
    assert route("en van niveau 4?", "nlu_fallback", 0.3, in_context=True) is not None


def test_after_an_faq_answer_a_follow_up_is_a_lookup_only_when_it_means_the_record():
    assert route("en hoe lang duurt dat?", "faq", 0.5, in_context=True, after_faq=True) is None
    assert route("en die opleiding van daarnet, hoe lang duurt die?", "faq", 0.9, in_context=True,
                 after_faq=True) == "ask_duration"


def tracker_after(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("test", [ActionExecuted("action_listen"), *events,
                                                     ActionExecuted("action_listen")], slots=DOMAIN.slots)


def parsed(text: str, intent: str, confidence: float, parts=None) -> Message:
    data = {"text": text, "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}]}
    if parts:
        data["question_parts"] = parts
    return Message(data=data)


@pytest.mark.parametrize("text", ["en wat kost zo'n erkenning ons?", "krijgen scholen subsidie voor de overstap?"])
def test_what_no_faq_answer_is_about_is_not_in_the_sources_when_the_faq_is_unsure(text):
    assert route(text, "faq", 0.4) == NOT_IN_SOURCES


@pytest.mark.parametrize("text", ["en wat verdien je dan als bbl'er bij zo'n leerbedrijf?",
                                  "wat kost een nieuwe erkenning ons als leerbedrijf voor technicus engineering?"])
def test_what_no_faq_answer_is_about_is_not_in_the_sources_even_when_the_faq_is_sure(text):
    assert route(text, "faq", 0.95, in_context=True, after_faq=True) == NOT_IN_SOURCES


def test_a_record_named_by_an_faq_answer_read_surer_than_the_not_held_reading_keeps_that_answer():
    text = "bij technicus engineering zit geen onderhoud meer, waar moet ik dan mensen vandaan halen die het wel kunnen?"
    assert route(text, "faq", 0.99, faq_key="onderhoud_kerntaak") is None  # that answer names Technicus engineering
    not_held = read(text).not_held_probability
    assert not_held > faq_threshold()  # (the model's reading; the rule compares the two)
    assert route(text, "faq", not_held - 0.01, faq_key="onderhoud_kerntaak") == NOT_IN_SOURCES  # the not-held reading is surer
    assert route(text, "faq", 0.99, faq_key="examinering_breed_smal") == NOT_IN_SOURCES  # one that does not name it
    # no FAQ answer is about cost
    assert route("wat kost technicus engineering per jaar?", "faq", 0.99, faq_key="onderhoud_kerntaak") == NOT_IN_SOURCES


def test_an_old_crebo_number_asked_is_not_in_the_sources_but_enrolling_on_old_numbers_is_the_faqs():
    assert route("welk crebonummer had precisietechniek in de oude structuur?", "faq", 0.96) == NOT_IN_SOURCES
    assert route("mogen we nieuwe studenten nog op oude crebonummers inschrijven?", "faq", 0.96) is None


def test_a_follow_up_the_faq_may_answer_is_left_to_the_classifier():
    assert route("en wanneer is dat?", "faq", 0.4) is None  # a date: an FAQ answer may well give it


def test_the_component_reads_context_from_the_tracker():
    after_lookup = tracker_after(UserUttered("wat is crebo 25892"), ActionExecuted("action_answer_lookup"),
                                 SlotSet("qualification", "25892"))
    message = reader.process([parsed("en in welk dossier zit die?", "faq", 0.5)], after_lookup)[0]
    assert message.get("intent") == {"name": "lookup_dossier", "confidence": 1.0}
    no_context = reader.process([parsed("en wanneer is dat?", "faq", 0.5)], tracker_after())[0]
    assert no_context.get("intent") == {"name": "faq", "confidence": 0.5}


def test_a_dossier_asked_of_what_an_faq_answer_is_about_is_not_that_answer_again():
    from bot.knowledge.faq import chosen_answer_output

    after_precisietechniek = tracker_after(UserUttered("wat gebeurt er met precisietechniek?"), ActionExecuted("utter_faq"),
                                           SlotSet("faq_subject", "precisietechniek"))
    follow_up = parsed("en in welk dossier zit dat nu?", "faq", 0.9)
    follow_up.set("response_selector", {"faq": chosen_answer_output("precisietechniek")})
    message = reader.process([follow_up], after_precisietechniek)[0]
    assert message.get("intent")["name"] == NOT_IN_SOURCES
    # a question about what that answer says is that answer
    again = parsed("en wat gebeurt er met verspaning?", "faq", 0.9)
    again.set("response_selector", {"faq": chosen_answer_output("precisietechniek")})
    assert reader.process([again], after_precisietechniek)[0].get("intent")["name"] == "faq"


def test_a_crebo_asked_of_what_an_faq_answer_is_about_is_that_answer_and_not_in_the_sources():
    from bot.knowledge.faq import chosen_answer_output

    question = parsed("welk crebonummer krijgt human technology?", "faq", 0.95)
    question.set("response_selector", {"faq": chosen_answer_output("human_technology")})
    message = reader.process([question], tracker_after())[0]
    assert message.get("intent")["name"] == NOT_IN_SOURCES
    assert {"entity": "faq_subject", "value": "human_technology"} in [
        {k: e[k] for k in ("entity", "value")} for e in message.get("entities")]


@pytest.mark.parametrize("text, expected", [("en de exacte datum?", NOT_IN_SOURCES), ("op welke dag precies?", NOT_IN_SOURCES),
                                            ("en wie doet dat?", "faq")])
def test_an_exact_day_after_an_answer_that_gives_a_month_is_not_in_the_sources(text, expected):
    from bot.knowledge.faq import chosen_answer_output

    after_publication = tracker_after(UserUttered("wanneer staan ze in de staatscourant?"), ActionExecuted("utter_faq"),
                                      SlotSet("faq_subject", "vaststelling_minister"))
    follow_up = parsed(text, "faq", 0.9)
    follow_up.set("response_selector", {"faq": chosen_answer_output("vaststelling_minister")})
    assert reader.process([follow_up], after_publication)[0].get("intent")["name"] == expected


@pytest.mark.parametrize("text", ["waarom?", "Hoezo dan?", "en waarom is dat zo?", "why?", "waarom doen ze dat?"])
def test_why_right_after_an_faq_answer_is_that_answer_again(text):
    after_recognition = tracker_after(UserUttered("blijven wij erkend?"), ActionExecuted("utter_faq"),
                                      SlotSet("faq_subject", "erkenning_nieuw_crebo"))
    message = reader.process([parsed(text, "nlu_fallback", 0.3)], after_recognition)[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/erkenning_nieuw_crebo"


def test_button_payloads_are_left_alone():
    message = reader.process([parsed('/ask_level{"crebo": "25893"}', "ask_level", 1.0)], None)[0]
    assert message.get("intent") == {"name": "ask_level", "confidence": 1.0}


def part(text: str, start: int, label: str, confidence: float) -> dict:
    return {"start": start, "end": start + len(text), "text": text, "label": label, "confidence": confidence}


def test_two_questions_become_several_questions_with_each_part_marked():
    text = "wat is het crebo van eerste monteur mechatronica? en moeten docenten zich bijscholen?"
    parts = [part("wat is het crebo van eerste monteur mechatronica?", 0, "lookup_crebo", 0.9),
             part("en moeten docenten zich bijscholen?", 51, "faq/docenten_bijscholing", 0.8)]
    message = reader.process([parsed(text, "lookup_crebo", 0.7, parts)], None)[0]
    assert message.get("intent") == {"name": "several_questions", "confidence": 1.0}
    first, second = message.get("question_parts")
    assert (first["lookup"], first["record"], first["understood"]) == (True, "25892", True)
    assert (second["lookup"], second["label"], second["understood"]) == (False, "faq/docenten_bijscholing", True)


def test_a_part_the_faq_surely_answers_is_no_follow_up_on_the_record_of_an_earlier_part():
    text = "welk crebo heeft eerste monteur mechatronica, en wanneer worden de eerste diploma's uitgereikt?"
    parts = [part("welk crebo heeft eerste monteur mechatronica,", 0, "lookup_crebo", 0.9),
             part("en wanneer worden de eerste diploma's uitgereikt?", 46, "faq/eerste_diplomas", 0.9)]
    second = reader.process([parsed(text, "lookup_crebo", 0.7, parts)], None)[0].get("question_parts")[1]
    assert (second["lookup"], second["label"]) == (False, "faq/eerste_diplomas")
    # … one that points at the record is
    text = "welk crebo heeft eerste monteur mechatronica, en wat verdien je met zo'n diploma?"
    parts = [part("welk crebo heeft eerste monteur mechatronica,", 0, "lookup_crebo", 0.9),
             part("en wat verdien je met zo'n diploma?", 46, "faq/eerste_diplomas", 0.9)]
    second = reader.process([parsed(text, "lookup_crebo", 0.7, parts)], None)[0].get("question_parts")[1]
    assert (second["lookup"], second["label"]) == (True, NOT_IN_SOURCES)
    # … and a fact asked after it is a lookup of that record, however sure its label
    text = "in welk dossier zit 25897 en welk niveau is dat"
    parts = [part("in welk dossier zit 25897", 0, "ask_dossier", 0.9), part("en welk niveau is dat", 26, "faq/profielen", 0.9)]
    message = reader.process([parsed(text, "ask_dossier", 0.7, parts)], None)[0]
    assert message.get("intent")["name"] != "several_questions"  # one record: its answer says both


def test_a_part_that_points_into_the_list_of_an_earlier_part_is_a_lookup():
    text = "welke opleidingen zijn er op niveau 2, en wat is van elk het crebo?"
    parts = [part("welke opleidingen zijn er op niveau 2", 0, "list_by_level", 0.9),
             part("en wat is van elk het crebo?", 39, "faq/profielen", 0.3)]
    second = reader.process([parsed(text, "list_by_level", 0.7, parts)], None)[0].get("question_parts")[1]
    assert second["lookup"] and second["understood"]


def test_what_is_left_after_the_revision_is_counted_by_the_dataset_even_after_an_faq_answer():
    assert route("en hoeveel kwalificaties blijven er dan over?", "faq", 0.9) == "lookup_overview"


def test_the_number_of_old_dossiers_goes_to_the_lookup_which_says_the_sources_do_not_give_it():
    message = reader.process([parsed("Uit hoeveel kwalificatiedossiers bestond de structuur vóór de herziening?", "faq", 0.4)],
                             None)[0]
    assert message.get("intent")["name"] == "lookup_overview"


def test_the_numbers_of_them_all_are_the_overview():
    assert route("welke dossiernummers zijn er nu?", "faq", 0.3) == "lookup_overview"


def test_two_lookups_of_one_record_are_one_question():
    text = "wat is het crebo van Monteur mechatronica en op welk niveau zit die?"
    parts = [part("wat is het crebo van Monteur mechatronica", 0, "lookup_crebo", 0.9),
             part("op welk niveau zit die?", 45, "ask_level", 0.8)]
    message = reader.process([parsed(text, "lookup_crebo", 0.9, parts)], None)[0]
    assert message.get("intent")["name"] == "lookup_crebo"


@pytest.mark.parametrize("labels, expected", [
    ([("faq/a", 0.9, False), ("faq/b", 0.8, False)], True),  # two FAQ answers
    ([("faq/a", 0.9, False), ("faq/a", 0.8, False)], False),  # the same answer twice
    ([("faq/a", 0.9, False), ("out_of_scope", 0.8, False)], True),  # the second not understood
    ([("faq/a", 0.3, False), ("faq/b", 0.2, False)], False),  # nothing understood: "Bedoelde je…?"
    ([("greet", 0.9, False), ("faq/b", 0.8, False)], False),  # "hoi, …" asks one thing
    # "hoeveel niveaus zijn er en welke zitten op niveau 2?": two lookups of no record, each its answer
    ([("ask_level", 0.9, True), ("list_by_level", 0.8, True)], True),
])
def test_when_a_message_asks_several_things(labels, expected):
    parts = [Part(0, 1, "hoe zit dat hier?", label, confidence, lookup) for label, confidence, lookup in labels]
    assert asks_several_things(parts, faq_threshold()) is expected


def test_a_count_of_the_dataset_and_a_question_about_one_record_are_two_questions():
    # "hoeveel mbo 4-opleidingen zijn er en wat is het crebo van technicus engineering?"
    parts = [Part(0, 1, "hoeveel mbo 4 opleidingen zijn er", "lookup_overview", 0.65, True),
             Part(2, 3, "wat is het crebo van technicus engineering", "lookup_qualification", 0.97, True, "25898")]
    assert asks_several_things(parts, faq_threshold())


def test_an_faq_question_and_a_lookup_get_two_answers_however_sure_the_whole_message_is():
    parts = [Part(0, 1, "wanneer beginnen de scholen ermee?", "faq/a", 0.9),
             Part(2, 3, "welk nummer heeft dossier engineering?", "lookup_dossier", 0.7, True, "23362")]
    assert asks_several_things(parts, faq_threshold(), whole_confidence=0.95)
    # two FAQ questions the whole message answers more surely are one question
    assert not asks_several_things([parts[0], Part(2, 3, "en zijn die al klaar?", "faq/b", 0.8)], faq_threshold(),
                                   whole_confidence=0.95)


def test_a_statement_around_a_question_is_its_context_not_a_second_question():
    story = Part(0, 1, "We willen niet te laag of te hoog zitten.", "out_of_scope", 0.9)
    question = Part(2, 3, "Wat is een gebruikelijke stagevergoeding?", "faq/a", 0.9)
    assert not asks_several_things([question, story], faq_threshold())
    assert asks_several_things([question, Part(4, 5, "en hoe lang duurt het", "faq/b", 0.9)], faq_threshold())


@pytest.mark.parametrize("text", ["ik wil monteur mechatronica doen", "ik doe nu Productietechnicus bij ons op school"])
def test_a_statement_naming_one_record_gets_its_card_so_a_follow_up_has_its_record(text):
    assert route(text, "nlu_fallback", 0.3) == "lookup_qualification"


@pytest.mark.parametrize("text", ["ik twijfel tussen mechatronica en engineering", "ik ben eerste jaars"])
def test_a_statement_naming_two_records_or_part_of_a_name_is_left_to_the_classifier(text):
    assert route(text, "nlu_fallback", 0.3) is None


def test_a_count_before_the_revision_gets_the_faq_answer_that_gives_it():
    message = reader.process([parsed("Hoeveel kwalificaties waren er vóór de herziening?", "faq", 0.4)], None)[0]
    assert message.get("intent") == {"name": "faq", "confidence": 1.0}
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/aanleiding_herziening"
    now = reader.process([parsed("Hoeveel kwalificaties zijn er na de herziening?", "faq", 0.4)], None)[0]
    assert now.get("intent")["name"] == "lookup_overview"


def test_the_same_count_at_the_other_time_follows_the_count_just_given():
    after_the_old_count = tracker_after(UserUttered("hoeveel kwalificaties waren er vroeger?"),
                                        ActionExecuted("utter_faq"), SlotSet("faq_subject", "aanleiding_herziening"))
    now = reader.process([parsed("En nu, na de herziening?", "faq", 0.7)], after_the_old_count)[0]
    assert now.get("intent")["name"] == "lookup_overview"
    from bot.knowledge.search import knowledge_index
    dataset = knowledge_index().dataset
    everything = [q.crebo for q in dataset.qualifications] + [d.number for d in dataset.dossiers]
    after_the_overview = tracker_after(UserUttered("hoeveel kwalificaties zijn er?"), ActionExecuted("action_answer_lookup"),
                                       SlotSet("shown_list", everything))
    for text in ("en vroeger?", "en hoeveel waren het er daarvoor?"):
        before = reader.process([parsed(text, "faq", 0.4)], after_the_overview)[0]
        assert before.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/aanleiding_herziening"
    # After a count at a level: the lookup says the sources count the old structure only as a whole.
    after_a_level = tracker_after(UserUttered("hoeveel zijn er op niveau 3?"), ActionExecuted("action_answer_lookup"),
                                  SlotSet("shown_list", [q.crebo for q in dataset.qualifications if int(q.level) == 3]))
    assert reader.process([parsed("en daarvoor?", "out_of_scope", 0.4)], after_a_level)[0].get("intent")["name"] == "list_by_level"
    # After a count of the dossiers: the lookup, which says the sources give no such count.
    after_the_dossiers = tracker_after(UserUttered("hoeveel dossiers zijn er nu?"), ActionExecuted("action_answer_lookup"),
                                       SlotSet("shown_list", everything))
    assert reader.process([parsed("en vroeger?", "faq", 0.4)], after_the_dossiers)[0].get("intent")["name"] == "lookup_overview"
    # After a duration: the FAQ answer that gives the duration before the revision (Mechatronische systemen).
    after_a_duration = tracker_after(UserUttered("hoe lang duurt technicus mechatronica?"),
                                     ActionExecuted("action_answer_lookup"), SlotSet("lookup_question", "duration"))
    earlier = reader.process([parsed("En vroeger?", "out_of_scope", 0.4)], after_a_duration)[0]
    assert earlier.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/opleidingsduur_niveau4"
    # A message that names a record or asks something else is read as before.
    other = reader.process([parsed("en wanneer gaat dat in?", "faq", 0.7)], after_the_old_count)[0]
    assert other.get("intent") == {"name": "faq", "confidence": 0.7}


def test_a_count_now_or_at_a_level_is_the_datasets_even_against_a_sure_faq_answer():
    assert route("volgens mij waren het er ooit dertig. hoeveel kwalificaties blijven er nu over?", "faq", 0.9) == "lookup_overview"
    assert route("hoeveel niveau 3-opleidingen zijn er zonder Mechatronica mee te rekenen?", "faq", 0.9) is not None
    # … and the count before and now together too: the overview gives both, each with its source
    assert route("hoeveel kwalificaties waren er voor de herziening en hoeveel nu?", "faq", 0.9) == "lookup_overview"


def test_the_faq_answer_of_the_count_before_the_revision_gives_a_number():
    from bot.knowledge import load_catalogue
    from bot.nlu.lookup_reader import OLD_STRUCTURE_FAQ
    assert any(word.isdigit() for word in load_catalogue().get(OLD_STRUCTURE_FAQ).answer.split())


# -- English: the same routes, read from English words --------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("which qualifications are there at level 3?", "list_by_level"),
    ("doesn't Mechatronica exist anymore?", "lookup_qualification"),
    ("what is the crebo of the research instrument maker?", "lookup_crebo"),
])
def test_an_english_fact_the_dataset_holds_is_a_lookup(text, expected):
    assert route(text, "out_of_scope", 0.5) == expected


def test_an_english_follow_up_is_a_lookup_when_a_record_is_in_context():
    assert route("and which file is it in?", "faq", 0.5, in_context=True) == "lookup_dossier"
    assert route("and one level lower?", "out_of_scope", 0.5, in_context=True) is not None


def test_after_an_faq_answer_an_english_follow_up_is_a_lookup_only_when_it_means_the_record():
    assert route("and how long will that last?", "faq", 0.5, in_context=True, after_faq=True) is None
    assert route("how long does the programme you mentioned take?", "faq", 0.9, in_context=True,
                 after_faq=True) == "ask_duration"


def test_an_english_count_of_the_dataset_is_the_overview():
    assert route("how many qualification files are there?", "faq", 0.4) == "lookup_overview"


@pytest.mark.parametrize("text", ["How many programmes did the old structure have?",
                                  "how many qualifications were there before the revision?"])
def test_an_english_count_before_the_revision_gets_the_faq_answer_that_gives_it(text):
    message = reader.process([parsed(text, "faq", 0.4)], None)[0]
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/aanleiding_herziening"


def test_an_english_count_now_is_the_overview():
    message = reader.process([parsed("How many qualifications are there now?", "faq", 0.4)], None)[0]
    assert message.get("intent")["name"] == "lookup_overview"


def test_an_english_reference_to_the_list_shown_is_a_lookup():
    from bot.knowledge.references import BY_STRUCTURE
    from bot.nlu.lookup_reader import points_at_list
    assert points_at_list("the last one", ["25891", "25892", "25893"]) == BY_STRUCTURE
    assert points_at_list("which dossier has four qualifications?", []) == BY_STRUCTURE


@pytest.mark.parametrize("text, intent", [("can I talk to a real person?", "request_human"),
                                          ("am I talking to a real person?", "bot_challenge")])
def test_a_sure_question_about_the_conversation_is_not_read_as_something_the_sources_lack(text, intent):
    assert route(text, intent, 0.9) is None


def test_a_not_held_question_naming_a_record_is_said_plainly_whatever_the_classifier_thought():
    assert route("wat verdient een Technicus mechatronica?", "request_human", 0.9) == "ask_not_in_sources"


@pytest.mark.parametrize("text", ["Hoeveel niveaus zijn er?", "op hoeveel verschillende niveaus kun je een metaalopleiding doen?"])
def test_the_levels_of_the_structure_are_a_lookup(text):
    assert route(text, predicted="out_of_scope") == "ask_level"


@pytest.mark.parametrize("text", ["Zit er in het dossier Mechatronica meer dan één kwalificatie op niveau 4?",
                                  "heeft productietechniek meerdere opleidingen op niveau 4"])
def test_what_a_dossier_holds_at_a_level_is_the_datasets_even_over_a_sure_faq_answer(text):
    assert route(text, predicted="faq", confidence=0.9) is not None


def test_a_record_named_only_in_the_story_around_faq_questions_is_no_lookup():
    from bot.nlu.lookup_reader import _named_only_around_faq_questions

    story = Part(0, 60, "Ik heb ooit een cursus in engineering gedaan naast mijn baan.", "ask_not_in_sources", 0.9,
                 lookup=True, record="23362")
    question = Part(61, 90, "Moeten we ons weer bijscholen?", "faq/docenten_bijscholing", 0.95)
    assert _named_only_around_faq_questions([story, question], faq_threshold())
    lookup = Part(61, 90, "Welk crebo heeft technicus engineering?", "lookup_crebo", 0.9, lookup=True, record="25898")
    assert not _named_only_around_faq_questions([story, lookup], faq_threshold())


@pytest.mark.parametrize("text, question", [
    ("Er zijn nu drie dossiers.", False),  # a statement that names the dataset's nouns asks nothing itself
    ("Daarnaast zou ik graag het crebonummer van monteur mechatronica weten.", True),
    ("Verder wil ik weten hoe lang het duurt.", True),
])
def test_a_statement_is_context_and_an_indirect_question_is_a_question(text, question):
    from bot.nlu.question_parts import is_question

    assert is_question(Part(0, len(text), text, "lookup_overview", 0.9, lookup=True), faq_threshold()) == question


def test_a_statement_beside_a_question_is_its_story_however_an_faq_label_reads_it():
    from bot.nlu.question_parts import questions

    story = Part(0, 41, "Mijn dochter heeft net haar vmbo-diploma.", "faq/beroepscontext_diploma", 0.8)
    question = Part(42, 80, "Hoe lang duurt Technicus mechatronica?", "ask_duration", 0.9, lookup=True)
    assert questions([story, question], faq_threshold()) == [question]
    assert questions([story], faq_threshold()) == [story]  # alone, a sure FAQ label is what it asks


def test_a_conditional_follow_up_asks_on_about_the_question_before_it():
    from bot.nlu.question_parts import questions

    first = Part(0, 50, "Is er een tegemoetkoming voor het leerbedrijf?", "ask_not_in_sources", 0.9, lookup=True)
    then = Part(51, 66, "Zo nee, waarom niet?", "faq/aanleiding_herziening", 0.9)
    assert questions([first, then], faq_threshold()) == [first]


def test_a_short_check_of_a_claim_asks_what_the_claim_says():
    from bot.nlu.question_parts import questions

    claim = Part(0, 52, "Op school zeiden ze dat onderhoud geen kerntaak meer is.", "faq/onderhoud_kerntaak", 0.95)
    check = Part(53, 80, "Klopt dat voor mechatronica?", "lookup_qualification", 0.4, lookup=True)
    assert questions([claim, check], faq_threshold()) == [claim]
    unsure = Part(0, 52, claim.text, "faq/onderhoud_kerntaak", 0.3)
    assert questions([unsure, check], faq_threshold()) == [check]  # an unsure reading of the claim asks nothing


def faq_question(text: str, key: str, confidence: float = 0.95) -> Message:
    """A message the classifier reads as FAQ answer `key`."""
    from bot.knowledge.faq import chosen_answer_output

    message = parsed(text, "faq", confidence)
    message.set("response_selector", {"faq": chosen_answer_output(key)})
    return message


def faq_subject_of(message: Message) -> Optional[str]:
    return next((e["value"] for e in message.get("entities") or [] if e["entity"] == "faq_subject"), None)


def test_a_price_asked_of_what_an_faq_answer_is_about_is_that_answer_and_not_in_the_sources():
    message = reader.process([faq_question("hoeveel kost een examen van Esmei per leerling?", "esmei_examens")],
                             tracker_after())[0]
    assert message.get("intent")["name"] == NOT_IN_SOURCES  # the lookup says the answer, then what it leaves out
    assert faq_subject_of(message) == "esmei_examens"


def test_a_question_whose_fact_the_faq_answer_gives_stays_that_answer():
    message = reader.process([faq_question("in welk schooljaar moeten scholen met het nieuwe dossier beginnen?",
                                           "start_schooljaar_2023")], tracker_after())[0]
    assert message.get("intent")["name"] == "faq"  # the answer names the school year


@pytest.mark.parametrize("text", ["hoe lang duurt het voordat dat geregeld is?", "op welke datum komt dat online?"])
def test_how_long_or_which_day_after_an_answer_that_gives_neither_is_not_in_the_sources(text):
    after_recognition = tracker_after(UserUttered("blijven wij erkend?"), ActionExecuted("utter_faq"),
                                      SlotSet("faq_subject", "erkenning_nieuw_crebo"))
    message = reader.process([faq_question(text, "erkenning_nieuw_crebo", 0.5)], after_recognition)[0]
    assert message.get("intent")["name"] == NOT_IN_SOURCES
    assert faq_subject_of(message) is None  # the answer is the one just given: not said again


@pytest.mark.parametrize("text", ["Het 1e vragenuur noemt 53 kwalificaties en de column ruim dertig. Welke klopt?",
                                  "waren het er nou dertig of 53 voor de herziening",
                                  "ik zie verschillende getallen: is het 53?"])
def test_a_question_about_the_two_counts_of_the_old_structure_gets_the_answer_that_gives_both(text):
    message = reader.process([parsed(text, "nlu_fallback", 0.3)], tracker_after())[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/aanleiding_herziening"


def test_a_question_part_about_the_count_before_the_revision_is_the_faqs_beside_the_count_of_now():
    text = "Hoeveel kwalificaties telt de nieuwe structuur? En hoeveel waren er dat vroeger?"
    cut = text.index("En")
    parts = [part(text[:cut].strip(), 0, "lookup_overview", 0.99), part(text[cut:], cut, "lookup_overview", 0.9)]
    message = reader.process([parsed(text, "lookup_overview", 0.99, parts)], tracker_after())[0]
    assert message.get("intent")["name"] == "several_questions"
    assert [p["label"] for p in message.get("question_parts")] == ["lookup_overview", "faq/aanleiding_herziening"]


@pytest.mark.parametrize("text, intent", [("wat kun je allemaal?", "ask_capabilities"),
                                          ("een medewerker graag", "request_human")])
def test_a_sure_question_about_the_conversation_is_kept(text, intent):
    assert route(text, intent, 0.95) is None  # not "not in the sources", not Medewerker productietechniek


def test_a_name_word_alone_is_still_a_lookup_when_the_classifier_is_unsure():
    assert route("medewerker", "request_human", 0.4) == "lookup_qualification"


@pytest.mark.parametrize("text", ["waarom heeft productietechniek twee opleidingen op niveau 4 in plaats van één profiel?",
                                  "welke oude dossiers zijn er samengevoegd in 23361?"])
def test_a_reason_or_the_merge_stays_the_faqs_even_when_it_names_a_record(text):
    assert route(text, "faq", 0.95) is None


def test_a_level_named_with_daarbij_asks_that_level_when_nothing_came_before():
    assert route("ik zit op niveau 3, welke opleidingen horen daarbij?", "faq", 0.3) == "list_by_level"


def test_the_other_one_asked_at_length_after_a_lookup_is_a_lookup():
    assert route("en de andere opleiding van dat dossier, hoe heet die precies en welk crebonummer heeft ze?",
                 "faq", 0.4, in_context=True) is not None


def test_a_dossier_asked_after_an_faq_answer_points_at_that_answer_whichever_answer_the_classifier_reads():
    after_precisietechniek = tracker_after(UserUttered("wat verandert er voor precisietechniek?"), ActionExecuted("utter_faq"),
                                           SlotSet("faq_subject", "precisietechniek"))
    follow_up = faq_question("en met welk dossiernummer is dat verdergegaan?", "samengevoegde_dossiers", 0.9)
    assert reader.process([follow_up], after_precisietechniek)[0].get("intent")["name"] == NOT_IN_SOURCES


@pytest.mark.parametrize("text, key", [("hoeveel bezoekers trok dat congres eigenlijk?", "column_hoofdstromingen"),
                                       ("heb je de link naar oZone voor me?", "mededelingen_uitwerkingsdocument")])
def test_a_detail_asked_in_so_many_words_that_the_faq_answer_lacks_is_said_to_be_not_in_the_sources(text, key):
    message = reader.process([faq_question(text, key)], tracker_after())[0]
    assert message.get("intent")["name"] == NOT_IN_SOURCES and faq_subject_of(message) == key


def test_two_faq_questions_apart_are_two_however_surely_the_whole_reads_as_one():
    first = Part(0, 40, "Past het nieuwe mbo-aanbod bij de profielmodules van PIE?", "faq/column_aansluiting_pie", 0.94)
    second = Part(41, 90, "Welke drie stromingen kent de structuur straks?", "faq/column_hoofdstromingen", 0.86)
    assert asks_several_things([first, second], faq_threshold(), whole_confidence=0.97)
    # the second points back at the first: one question in two sentences
    back = Part(41, 90, "En zijn die al aangepast aan de nieuwe structuur?", "faq/consortium", 0.86)
    assert not asks_several_things([first, back], faq_threshold(), whole_confidence=0.97)


def test_a_question_after_btw_is_a_question_even_with_a_full_stop():
    story = Part(0, 45, "Blijft onderhoud een kerntaak?", "faq/onderhoud_kerntaak", 0.99)
    lookup = Part(46, 120, "Btw welk crebo heeft eerste monteur mechatronica, ik moet het invullen.", "lookup_qualification",
                  0.98, lookup=True, record="25892")
    assert asks_several_things([story, lookup], faq_threshold(), whole_confidence=0.97)


def test_why_after_a_duration_is_the_reason_the_source_gives():
    after_a_duration = tracker_after(UserUttered("Is Technicus mechatronica een vierjarige opleiding?"),
                                     ActionExecuted("action_answer_lookup"), SlotSet("lookup_question", "duration"))
    why = reader.process([parsed("waarom niet?", "out_of_scope", 0.4)], after_a_duration)[0]
    assert why.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/opleidingsduur_niveau4"


@pytest.mark.parametrize("text", ["Is het waar dat er van de 53 kwalificaties nog 9 over zijn?",
                                  "eerst ruim dertig en nu nog maar negen?", "vroeger 53 stuks, nu nog maar 9?"])
def test_the_count_of_before_beside_the_count_of_now_is_the_overview_that_gives_both(text):
    message = reader.process([faq_question(text, "aanleiding_herziening", 0.9)], tracker_after())[0]
    assert message.get("intent")["name"] == "lookup_overview"


def test_the_count_of_before_asked_at_a_follow_ups_length_after_the_overview_is_the_faqs():
    after_overview = tracker_after(UserUttered("hoeveel opleidingen telt de structuur nu?"),
                                   ActionExecuted("action_answer_lookup"),
                                   SlotSet("shown_list", ["25894", "25895", "25896", "25897", "25891", "25892", "25893",
                                                          "25898", "25899", "23361", "23360", "23362"]))
    follow_up = parsed("Hoeveel waren het er in de vorige structuur dan?", "lookup_overview", 0.6)
    message = reader.process([follow_up], after_overview)[0]
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/aanleiding_herziening"


def test_a_count_after_an_faq_answer_that_lists_the_dossiers_is_the_datasets_not_that_answer_again():
    after_the_list = tracker_after(UserUttered("welke dossiers komen er?"), ActionExecuted("utter_faq"),
                                   SlotSet("faq_subject", "samengevoegde_dossiers"))
    follow_up = faq_question("en hoeveel opleidingen zijn dat in totaal?", "samengevoegde_dossiers", 0.9)
    assert reader.process([follow_up], after_the_list)[0].get("intent")["name"] == "lookup_overview"


def test_a_question_not_held_beside_a_question_about_a_record_is_said_to_be_not_in_the_sources():
    text = "eerste monteur mechatronica: welk crebo, en hoeveel leerlingen zitten er per klas"
    parts = [part(piece, text.index(piece), label, confidence) for piece, label, confidence in [
        ("eerste monteur mechatronica", "lookup_qualification", 0.89), ("welk crebo", "lookup_qualification", 0.8),
        ("hoeveel leerlingen zitten er per klas", "out_of_scope", 0.92)]]
    message = reader.process([parsed(text, "lookup_qualification", 0.98, parts)], tracker_after())[0]
    assert message.get("intent")["name"] == NOT_IN_SOURCES  # the action gives the crebo and says the rest is not held


def test_two_facts_of_a_named_record_go_to_the_lookup_even_when_one_reads_as_an_faq_answer():
    text = "Welk dossiernummer heeft Productietechniek, en hoe lang duurt niveau 4 daar?"
    cut = text.index("hoe lang")
    parts = [part(text[:cut - 5], 0, "lookup_qualification", 0.71), part(text[cut:], cut, "faq/opleidingsduur_niveau4", 0.52)]
    message = reader.process([parsed(text, "faq", 0.85, parts)], tracker_after())[0]
    assert message.get("intent")["name"] in {"lookup_dossier", "ask_duration", "lookup_qualification"}



def test_a_second_question_that_only_echoes_the_firsts_answer_and_asks_what_no_answer_is_about_is_not_in_the_sources():
    text = "1) blijven wij erkend leerbedrijf met de nieuwe crebonummers?\n2) wat moeten we betalen voor die erkenning?"
    cut = text.index("2)")
    parts = [part(text[:cut].strip(), 0, "faq/erkenning_nieuw_crebo", 1.0),
             part(text[cut:], cut, "faq/erkenning_nieuw_crebo", 0.71)]
    message = reader.process([parsed(text, "faq", 0.99, parts)], tracker_after())[0]
    assert message.get("intent")["name"] == "several_questions"
    assert [p["label"] for p in message.get("question_parts")] == ["faq/erkenning_nieuw_crebo", NOT_IN_SOURCES]


def test_a_total_claimed_as_a_number_of_qualifications_is_counted():
    message = reader.process([parsed("ik heb er zelf 11 kwalificaties geteld, klopt dat?", "nlu_fallback", 0.63)],
                             tracker_after())[0]
    assert message.get("intent")["name"] == "lookup_overview"


@pytest.mark.parametrize("text, compares", [
    ("van hoeveel kwalificaties ging het naar hoeveel?", True),  # both counts asked, neither given
    ("hoeveel opleidingen waren er voorheen en hoeveel nu?", True),
    ("is het waar dat het er van de 53 nog 9 zijn?", True),
    ("hoeveel kwalificaties zijn er nu?", False),  # only now
    ("van hoeveel naar hoeveel ging mechatronica?", False),  # of a record: not the whole structure
])
def test_the_count_before_and_now_compared(text, compares):
    from bot.nlu.lookup_reader import compares_the_old_count_with_now

    assert compares_the_old_count_with_now(read(text)) is compares


def test_a_question_surely_about_what_the_sources_lack_is_said_so_rather_than_guessed_at():
    # no FAQ answer is sure, the ask model is: "Bedoelde je…?" would offer answers that do not say it
    assert route("hoe groot is de uitval bij metaalopleidingen in nederland?", "faq", 0.4) == NOT_IN_SOURCES


def test_a_pick_from_the_list_by_its_structure_is_no_weak_not_held_guess():
    # after the dossiers: which one has only that level, a lookup of the list
    from bot.knowledge.references import BY_STRUCTURE

    reading = read("welke heeft uitsluitend niveau 4")
    chosen = lookup_intent(reading, "faq", 0.4, in_context=False, after_faq=False, faq_threshold=faq_threshold(),
                           refers_to_list=BY_STRUCTURE)
    assert chosen not in (None, NOT_IN_SOURCES)



def test_a_sentence_that_points_into_the_list_is_the_subject_of_the_question_after_it():
    after_a_list = tracker_after(UserUttered("welke opleidingen zijn er op niveau 3?"), ActionExecuted("action_answer_lookup"),
                                 SlotSet("shown_list", ["25895", "25892"]), SlotSet("level", 3))
    text = "niet de monteur, de andere. welk dossier hoort daarbij?"
    parts = [part("niet de monteur, de andere.", 0, "faq/bol_bbl", 0.4), part("welk dossier hoort daarbij?", 28, "faq/profielen", 0.4)]
    message = reader.process([parsed(text, "faq", 0.7, parts)], after_a_list)[0]
    assert message.get("intent")["name"] == "lookup_dossier"  # one question, about the one the first sentence picks


def test_a_count_of_records_beside_an_faq_question_is_the_datasets_count():
    text = "Moeten docenten zich bijscholen? En hoeveel kwalificaties zijn er in totaal?"
    parts = [part("Moeten docenten zich bijscholen?", 0, "faq/docenten_bijscholing", 0.95),
             part("En hoeveel kwalificaties zijn er in totaal?", 33, "faq/docenten_bijscholing", 0.9)]
    message = reader.process([parsed(text, "faq", 0.95, parts)], None)[0]
    assert message.get("intent")["name"] == "several_questions"
    assert message.get("question_parts")[1]["label"] == "lookup_overview"


def test_a_record_the_faq_answer_on_durations_does_not_name_is_the_lookups():
    assert route("hoeveel jaar ben je bij engineering op niveau 4 bezig?", "faq", 0.95, faq_key="opleidingsduur_niveau4") == "ask_duration"


@pytest.mark.parametrize("text", ["en in welk dossier zit de opleiding waar we het eerder over hadden, weet je dat nog precies?",
                                  "hoe lang duurt die eerste kwalificatie eigenlijk, als ik het goed onthouden heb?"])
def test_the_record_from_before_said_in_so_many_words_is_the_context_however_long(text):
    assert route(text, "out_of_scope", 0.9, in_context=True) is not None
    assert route(text, "out_of_scope", 0.9, in_context=False) is None  # nothing in context: nothing to point back at
