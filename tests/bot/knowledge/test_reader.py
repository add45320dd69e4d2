"""The dataset reader finds the records, levels and questions in a message, as people type them."""
from __future__ import annotations

import pytest

from bot.knowledge.reader import Ask, read, split_questions
from bot.knowledge.search import record_number


def names(text: str):
    return [record.name for record in read(text).records]


@pytest.mark.parametrize("text, expected", [
    ("research instrumentmaker", "Researchinstrumentmaker"),
    ("technicus-engineering", "Technicus engineering"),
    ("technicusengineering", "Technicus engineering"),
    ("eerste monteur", "Eerste monteur mechatronica"),
    ("mechatroniek", "Mechatronica"),
    ("produktietechniek", "Productietechniek"),
    ("wat betekent 25893", "Technicus mechatronica"),
    ("25891, welke opleiding is dat?", "Monteur mechatronica"),
])
def test_a_record_in_any_spelling_or_by_its_number(text, expected):
    assert names(text) == [expected]


def test_a_near_miss_is_no_record():
    assert names("instrumentmaker") == [] and names("automonteur") == []


def test_a_partial_name_is_ambiguous():
    reading = read("welk crebo heeft technicus?")
    assert not reading.records and [r.name for r in reading.candidates] == [
        "Technicus mechatronica", "Technicus engineering", "Commercieel technicus engineering"]


def test_two_records_named_in_full():
    assert names("valt Technicus mechatronica toch onder Engineering?") == ["Technicus mechatronica", "Engineering"]
    assert names("is 25895 Productietechnicus?") == ["Allround medewerker productietechniek", "Productietechnicus"]


def test_an_unknown_crebo_is_kept_apart():
    reading = read("wat is crebo 12345?")
    assert reading.unknown_numbers == ("12345",) and not reading.records


@pytest.mark.parametrize("text, levels", [
    ("is Eerste monteur mechatronica niveau 2 of 3?", (2, 3)),
    ("welke opleidingen van niveau vier zijn er?", (4,)),
    ("wat kan ik op n2 doen in de metaal?", (2,)),
    ("mbo 4-opleidingen", (4,)),
    ("25891 is toch niveau 3?", (3,)),
    ("duren alle opleidingen op niveau 4 vier jaar?", (4,)),  # "vier jaar" is a duration, not a level
    ("niveau 2 of n2", (2,)),
])
def test_levels_in_every_spelling(text, levels):
    assert read(text).levels == levels


@pytest.mark.parametrize("text, ask", [
    ("welk crebonummer heeft monteur mechatronica", Ask.CREBO),
    ("op welk niveau zit productietechnicus", Ask.LEVEL),
    ("in welk dossier zit researchinstrumentmaker", Ask.DOSSIER),
    ("hoe lang duurt technicus mechatronica", Ask.DURATION),
    ("kan dat ook in de bbl", Ask.LEERWEG),
    ("hoeveel kwalificaties heeft engineering", Ask.COUNT),
    ("welke opleidingen zijn er op niveau 4", Ask.LIST),
    ("bestaat productietechniek ook op niveau 2", Ask.EXISTS),
    ("is 25895 productietechnicus?", Ask.CHECK),
    ("25892 is dat niveau 3?", Ask.CHECK),
])
def test_what_is_asked(text, ask):
    assert ask in read(text).asks


@pytest.mark.parametrize("text, attribute, value", [
    ("welke hoort er een niveau lager bij?", "level_step", -1),
    ("en een niveau hoger?", "level_step", 1),
    ("en de andere van niveau 4?", "other_variant", True),
    ("en in welk dossier zit die?", "refers_back", True),
    ("ik bedoelde eigenlijk Engineering", "correction", True),
    ("Engineering bestaat toch niet meer?", "denies_existence", True),
    ("klopt het dat 25893 technicus mechatronica is", "number_and_name_agree", True),
    ("mechatronica niveau 4 duurt toch ook vier jaar?", "claimed_years", 4),
    ("wat is de volgende stap na deze opleiding?", "level_step", 1),
    ("en welke zit er net boven?", "level_step", 1),
    ("en welke zit er direct onder?", "level_step", -1),
    ("welke kwalificaties vallen er onder?", "level_step", 0),  # what belongs to it, not a level lower
    ("welke andere niveau 3 hoort daarbij?", "other_variant", True),
    ("op welke niveaus zitten ze, behalve die op niveau 4?", "excluded_levels", (4,)),
    ("de rest, niet die van niveau 2", "excluded_levels", (2,)),
    ("is dat niet niveau 3?", "excluded_levels", ()),  # a check, not a level left out
    ("hoeveel opleidingen waren het er in het begin eerst?", "before_the_revision", True),
    ("ik wil eerst weten hoeveel dossiers er zijn", "before_the_revision", False),
    ("hoeveel telde die oude rommelige structuur er?", "before_the_revision", True),  # a word between "oude" and it
])
def test_pointers_corrections_and_beliefs(text, attribute, value):
    assert getattr(read(text), attribute) == value


def test_a_follow_up_asks_about_context_only_when_it_names_nothing():
    assert read("en in welk dossier zit die?").asks_about_context
    assert not read("in welk dossier zit 25893?").asks_about_context
    assert not read("en wanneer is dat?").asks_about_context


@pytest.mark.parametrize("text, parts", [
    ("wat is het crebo van Monteur mechatronica en op welk niveau zit die?",
     ["wat is het crebo van Monteur mechatronica", "op welk niveau zit die?"]),
    ("geldt dat voor alle mbo's en wanneer staat het in de Staatscourant?",
     ["geldt dat voor alle mbo's", "wanneer staat het in de Staatscourant?"]),
    ("Welke kwalificaties zijn er? En hoe lang duren ze?", ["Welke kwalificaties zijn er?", "En hoe lang duren ze?"]),
    ("Wat is het verschil tussen de BOL en BBL?", ["Wat is het verschil tussen de BOL en BBL?"]),
    ("Bedankt! Wat is crebo 25891?", ["Wat is crebo 25891?"]),
    # A list of questions after a colon, cut at commas; a clause that is no question stays with its question.
    ("Twee vragen: hoeveel dossiers zijn er, welk dossier heeft alleen niveau 4?",
     ["Twee vragen", "hoeveel dossiers zijn er", "welk dossier heeft alleen niveau 4?"]),
    ("Als ik BBL doe, hoe lang duurt het?", ["Als ik BBL doe, hoe lang duurt het?"]),
    ("welke crebo heeft engineering en vanaf wanneer is die er?", ["welke crebo heeft engineering", "vanaf wanneer is die er?"]),
])
def test_a_message_is_cut_into_its_questions(text, parts):
    assert [text[start:end] for start, end in split_questions(text)] == parts


@pytest.mark.parametrize("text, left_out", [
    ("hoeveel nivo 4 opleidingen zijn er als je engineering niet meetelt", "23362"),
    ("welke niveau 4 kwalificaties zijn er zonder mechatronica", "23360"),
    ("hoeveel kwalificaties op niveau 4 op engineering na", "23362"),
])
def test_a_dossier_left_out_of_a_level_is_not_what_the_message_is_about(text, left_out):
    reading = read(text)
    assert [d.number for d in reading.excluded] == [left_out] and reading.records == () and reading.levels == (4,)


@pytest.mark.parametrize("text", ["hoeveel niveau 4 in engineering", "welke opleidingen heeft mechatronica op niveau 4"])
def test_a_dossier_named_at_a_level_is_what_the_message_is_about(text):
    reading = read(text)
    assert reading.excluded == () and len(reading.records) == 1


# -- English: the same closed vocabularies, in English words --------------------------------

@pytest.mark.parametrize("text, levels", [
    ("which programmes exist at level 4?", (4,)),
    ("anything at lvl 2 in metal?", (2,)),
    ("is the mechatronics fitter L2 or L3", (2, 3)),
    ("show me the level four ones", (4,)),
    ("level-3 courses in production technology", (3,)),
    ("mbo level 2 options please", (2,)),
    ("what is offered at levels 2 and 3?", (2, 3)),
    ("is level 4 three years?", (4,)),  # a number of years is no level
    ("is it level 2 and I think also 3?", (2,)),  # "and I" is no Roman one
])
def test_english_levels(text, levels):
    assert read(text).levels == levels


def test_an_ell_or_lv_is_a_level_only_before_a_digit():
    assert read("I'll ask the school later").levels == ()
    assert read("lv3 please").levels == (3,)


@pytest.mark.parametrize("text, years", [
    ("engineering takes three years, right?", 3),
    ("is technicus mechatronica a 3-year course?", 3),
    ("so productietechniek is a four-year programme?", 4),
    ("Engineering lasts 4 yrs I believe", 4),
])
def test_english_years_claimed(text, years):
    assert read(text).claimed_years == years


@pytest.mark.parametrize("text", ["I started two years ago", "is it two years longer than before?",
                                  "Die bij Mechatronica, duurt die drie of vier jaar?", "three or four years?"])
def test_years_that_claim_no_duration(text):
    assert read(text).claimed_years is None


@pytest.mark.parametrize("text, attribute, value", [
    ("and the level below that?", "level_step", -1),
    ("what is one level up from Monteur mechatronica?", "level_step", 1),
    ("can my son progress to a higher level after that?", "level_step", 1),
    ("and the other one?", "other_variant", True),
    ("are there any others?", "other_variant", True),
    ("and what is its crebo?", "refers_back", True),
    ("which file does it belong to?", "refers_back", True),
    ("what about that one", "refers_back", True),
    ("no, I meant Engineering", "correction", True),
    ("sorry, I was asking about Mechatronica", "correction", True),
    ("doesn't Engineering exist anymore?", "denies_existence", True),
    ("was Mechatronica scrapped in the revision?", "denies_existence", True),
    ("isn't productietechniek offered any more?", "denies_existence", True),
])
def test_english_pointers_corrections_and_beliefs(text, attribute, value):
    assert getattr(read(text), attribute) == value


@pytest.mark.parametrize("text", [
    "how long does it take to become a production technician?",  # "it" that stands for nothing
    "is it true that the new dossiers start in 2023?",
    "which programmes are there at level 2?",  # existential "there"
])
def test_english_words_that_do_not_point_back(text):
    assert not read(text).refers_back


@pytest.mark.parametrize("text", ["are there any more qualifications at level 3?", "does Engineering still exist?"])
def test_english_questions_that_deny_nothing(text):
    assert not read(text).denies_existence


def test_an_english_follow_up_asks_about_context_only_when_it_names_nothing():
    assert read("and which file is it in?").asks_about_context
    assert not read("and which file is 25893 in?").asks_about_context


@pytest.mark.parametrize("text, asks", [
    ("which levels does Productietechniek have?", Ask.LEVEL),  # a plural that names what is asked
    ("does Mechatronica really have four qualifications?", Ask.COUNT),
    ("is mechatronics level 4 quicker than production technology level 4?", Ask.DURATION),
])
def test_english_closed_vocabulary_beside_the_model(text, asks):
    assert asks in read(text).asks


def test_a_level_before_a_noun_is_no_claimed_count():
    assert Ask.COUNT not in read("level 2 courses?").asks


@pytest.mark.parametrize("text, parts", [
    ("Which crebo belongs to Monteur mechatronica, and at which level is it?",
     ["Which crebo belongs to Monteur mechatronica", "at which level is it?"]),
    ("who writes the uitwerkingsdocumenten and when are they finished?",
     ["who writes the uitwerkingsdocumenten", "when are they finished?"]),
    ("Tell me about Engineering, also how many years is the programme?",
     ["Tell me about Engineering", "also how many years is the programme?"]),
    ("Can I do it in the BOL and the BBL?", ["Can I do it in the BOL and the BBL?"]),  # "and" before no question
    ("Thanks! Which qualification has crebo 25898?", ["Which qualification has crebo 25898?"]),
])
def test_an_english_message_is_cut_into_its_questions(text, parts):
    assert [text[start:end] for start, end in split_questions(text)] == parts


@pytest.mark.parametrize("text, left_out", [
    ("how many level 4 qualifications are there without engineering?", "23362"),
    ("list the level 4 programmes except the mechatronics ones", "23360"),
    ("how many level 4 quals if you don't count Engineering", "23362"),
])
def test_an_english_dossier_left_out_by_its_name_or_an_alias(text, left_out):
    reading = read(text)
    assert [d.number for d in reading.excluded] == [left_out] and reading.records == () and reading.levels == (4,)


@pytest.mark.parametrize("text, expected", [
    ("what level is the mechatronics technician?", "Technicus mechatronica"),
    ("what is the crebo of the mechatronics technican", "Technicus mechatronica"),  # a typo in an English alias
    ("is productietechniek a four year course?", "Productietechniek"),  # no window across "a" into "four"
])
def test_english_names(text, expected):
    assert names(text) == [expected]


@pytest.mark.parametrize("text, claimed", [
    ("Klopt het dat er in de metaal nu nog maar negen kwalificaties zijn?", (9, "qualifications")),
    ("zijn er echt maar drie dossiers?", (3, "dossiers")),
    ("are there really 9 qualifications now?", (9, "qualifications")),
    ("zijn er 2 niveau 4 opleidingen bij engineering?", (2, "qualifications")),  # a count at a level, not 4
    ("zijn er niveau 4 opleidingen bij engineering?", None),  # "niveau 4 opleidingen" is a level
    ("hoeveel kwalificaties zijn er?", None),
    ("Worden het er straks maar negen? Dat vind ik weinig.", (9, None)),  # what it counts is not said
    ("are there really only nine?", (9, None)),
    ("duurt het er maar 3 jaar", None),
    ("er zijn maar twee niveaus?", None),
])
def test_a_total_claimed(text, claimed):
    assert read(text).claimed_count == claimed


def test_a_level_compared_is_no_step_from_the_context():
    compared = read("zit een van die twee op een lager niveau dan 4?")
    assert (compared.levels, compared.level_step) == ((4,), 0)
    assert read("en een niveau lager?").level_step == -1


# Ranges, swapped letters, inflections, what is left out, and how many of the dataset's things.
def test_a_range_of_numbers_names_every_record_in_it_in_order():
    assert [q.crebo for q in read("wat zijn de crebonummers 25894 t/m 25897?").records] == ["25894", "25895", "25896", "25897"]
    assert [q.crebo for q in read("Welke kwalificaties hebben 25891 tot en met 25893?").records] == ["25891", "25892", "25893"]
    assert [q.crebo for q in read("wat is 25891 en wat is 25893").records] == ["25891", "25893"]  # two, not a range


@pytest.mark.parametrize("text, expected", [
    ("wat is technicus mechatroncia", "Technicus mechatronica"),  # two letters swapped
    ("Er schijnt een commerciële engineeringopleiding te zijn, welk crebo heeft die?", "Commercieel technicus engineering"),
    ("de commerciele engineering opleiding", "Commercieel technicus engineering"),
    ("welke is de eerste van mechatronica", "Mechatronica"),  # an ordinal is a position, not a name
    ("die engineering technicus (niet de commerciele) wat kost die", "Technicus engineering"),  # a word negated
])
def test_names_in_other_spellings(text, expected):
    assert names(text) == [expected]


def test_a_dossier_with_a_typo_is_left_out_where_it_stands():
    reading = read("hoeveel kwal zijn er als je mechatroncia weglaat")
    assert [d.number for d in reading.excluded] == ["23360"] and Ask.COUNT in reading.asks


@pytest.mark.parametrize("text", ["Hoeveel kwalificaties zijn er als je niveau 2 niet meetelt?",
                                  "hoeveel opleidingen zijn er zonder niveau 2"])
def test_a_level_left_out_is_not_the_level_asked_about(text):
    reading = read(text)
    assert reading.excluded_levels == (2,) and reading.levels == ()


def test_how_many_of_the_datasets_things_is_a_count_however_long_the_condition():
    reading = read("Als je Engineering buiten beschouwing laat, hoeveel kwalificaties blijven er dan nog over?")
    assert Ask.COUNT in reading.asks and [d.number for d in reading.excluded] == ["23362"]
    assert read("hoeveel dossiers blijven er over zonder engineering").counts_dossiers


@pytest.mark.parametrize("text, parts", [
    ("heb je wiskunde nodig als toelatingseis voor comm. technicus engineering",
     ["heb je wiskunde nodig als toelatingseis voor comm. technicus engineering"]),  # an abbreviation's dot
    ("hoeveel dossiers zijn er plus welk niveau heeft monteur mechatronica",
     ["hoeveel dossiers zijn er", "welk niveau heeft monteur mechatronica"]),
    ("wie schrijft de uitwerkingsdocumenten en ook, wordt de examinering landelijk?",
     ["wie schrijft de uitwerkingsdocumenten", "wordt de examinering landelijk?"]),
    ("Staan de dossiers al online, of wat is de planning?", ["Staan de dossiers al online", "wat is de planning?"]),
    ("Gaat het overal in, krijgen de leerbedrijven een nieuwe erkenning?",
     ["Gaat het overal in", "krijgen de leerbedrijven een nieuwe erkenning?"]),
    # Not cut: "of" between the options of one question, a condition before its question.
    ("Is het niveau 3, of niveau 4?", ["Is het niveau 3, of niveau 4?"]),
    ("Als ik BBL doe, gaat het dan sneller?", ["Als ik BBL doe, gaat het dan sneller?"]),
    ("In welk jaar, volgens de planning, gaat dat in?", ["In welk jaar, volgens de planning, gaat dat in?"]),
    ("het crebo van engineering plus dat van mechatronica", ["het crebo van engineering plus dat van mechatronica"]),
])
def test_where_a_dutch_message_is_cut_into_questions(text, parts):
    assert [text[start:end] for start, end in split_questions(text)] == parts


@pytest.mark.parametrize("text", ["Wat was het oude crebonummer van de opleiding die nu Technicus mechatronica heet?",
                                  "Welke oude crebonummers zijn er opgegaan in Allround medewerker productietechniek?",
                                  "welk crebo had monteur mechatronica in de vorige kwalificatiestructuur?"])
def test_the_numbers_of_before_the_revision_are_not_in_the_sources(text):
    reading = read(text)
    assert reading.asks == {Ask.NOT_HELD} and reading.topic == "old_numbers" and len(reading.records) == 1


def test_a_crebo_in_the_new_structure_is_the_datasets():
    assert read("welk crebo heeft productietechnicus in de nieuwe structuur?").asks == {Ask.CREBO}


@pytest.mark.parametrize("text, step", [("welke kwalificaties vallen daaronder?", 0), ("welke crebo's horen daaronder", 0),
                                        ("en daaronder?", -1), ("wat zit er een niveau daaronder?", -1),
                                        ("how many qualifications sit under it?", 0), ("and the one below that?", -1)])
def test_what_falls_under_a_record_is_no_level_lower(text, step):
    assert read(text).level_step == step


@pytest.mark.parametrize("text, asks", [
    ("en die twee, hoeveel jaar duren die?", {Ask.DURATION}),  # years are a duration, not a count of records
    ("hoeveel jaar duurt monteur mechatronica en hoeveel zitten er in dat dossier", {Ask.DURATION, Ask.COUNT}),
    ("in welke dossiers zitten die?", {Ask.DOSSIER}),
    ("graag ook de dossiernummers", {Ask.DOSSIER}),
    ("Hoe lang duren de opleidingen op niveau 2 in de nieuwe dossiers?", {Ask.DURATION}),
    ("wat is de studieduur van engineering niveau 4", {Ask.DURATION}),
    ("hoe lang duurt productietechnicus, en hoeveel kwalificaties heeft dat dossier?", {Ask.DURATION, Ask.COUNT}),
])
def test_closed_words_for_what_is_asked(text, asks):
    assert asks <= set(read(text).asks)


@pytest.mark.parametrize("text, records", [
    ("de opleiding die niet productietechnicus heet, welk crebo heeft die?", []),  # ruled out, not meant
    ("welk crebo heeft productietechnicus, behalve de researchinstrumentmaker?", ["25896"]),
    ("is dat niet productietechnicus?", ["25896"]),  # a check, the name is meant
    ("doesn't Mechatronica exist anymore?", ["23360"]),
])
def test_a_name_ruled_out_is_not_what_the_message_is_about(text, records):
    assert [record_number(r) for r in read(text).records] == records


@pytest.mark.parametrize("text", ["Mijn dochter heeft mechatronica afgestreept. Hoeveel opleidingen blijven er over?",
                                  "Hij ziet productietechniek niet zitten: hoeveel kwalificaties houdt hij over?"])
def test_a_dossier_struck_off_is_left_out(text):
    assert read(text).excluded


@pytest.mark.parametrize("text, parts", [
    ("1) hoeveel dossiers zijn er 2) welk crebo heeft monteur mechatronica",
     ["1) hoeveel dossiers zijn er", "2) welk crebo heeft monteur mechatronica"]),
    ("wanneer komt het in de Staatscourant / wie schrijft de uitwerkingsdocumenten",
     ["wanneer komt het in de Staatscourant", "wie schrijft de uitwerkingsdocumenten"]),
    ("Welk niveau heeft monteur mechatronica, of staat er ook bij wat het kost?",
     ["Welk niveau heeft monteur mechatronica", "staat er ook bij wat het kost?"]),
])
def test_more_ways_of_joining_two_questions(text, parts):
    assert [text[start:end] for start, end in split_questions(text)] == parts


@pytest.mark.parametrize("text", [
    "Is de opleiding Technicus mechatronica bol / bbl?",  # a slash between two words of one question
    "Hoe lang duurt Technicus mechatronica (niveau 4) in de bbl?",  # a level in brackets is no list item
    "Weet je trouwens hoe lang Technicus mechatronica duurt?",
    "Zit Technicus mechatronica op niveau 3, of is het niveau 4?",  # either/or
    "Kan ik, zit ik nu op niveau 2, doorstromen?",  # a clause between commas
])
def test_one_question_is_not_cut_into_two(text):
    assert len(split_questions(text)) == 1


@pytest.mark.parametrize("text, named", [
    ("Hoe lang duurt mechatronica als hij bbl niet wil?", "23360"),  # what he does not want is bbl
    ("Ik denk dat engineering weg is, klopt dat?", "23362"),  # a premise, not a dossier left out
])
def test_a_record_named_is_not_left_out_by_words_further_on(text, named):
    reading = read(text)
    assert [record_number(r) for r in reading.records] == [named] and not reading.excluded


@pytest.mark.parametrize("text, name", [("kan mechatronica niveau 4 ook in de bol?", "Technicus mechatronica"),
                                        ("is productietechniek een goede keus?", "Productietechniek"),
                                        ("kan ik technicus engineering ook in de bbl doen?", "Technicus engineering"),
                                        ("wat is het verschil tussen engineering en mechatronica?", None)])
def test_the_one_record_a_message_names_is_what_a_follow_up_on_its_faq_answer_is_about(text, name):
    from bot.knowledge.reader import the_record_named

    record = the_record_named(text)
    assert (record.name if record else None) == name


def test_another_field_that_holds_a_dossiers_name_names_no_dossier():
    assert read("my daughter studies mechanical engineering, does she need to retrain?").records == ()
    assert [r.name for r in read("what does the Engineering dossier hold?").records] == ["Engineering"]


@pytest.mark.parametrize("text, named", [
    ("Mijn dochter kiest waarschijnlijk Engineering. Welk crebo heeft commercieel technicus engineering?",
     ["Commercieel technicus engineering"]),
    ("Ik zit nu bij Mechatronica. Wat is het verschil tussen 25894 en 25895?",
     ["Medewerker productietechniek", "Allround medewerker productietechniek"]),
    ("Ik doe productietechniek. Welke kwalificaties zitten daarin?", ["Productietechniek"]),  # the question names none
])
def test_a_record_of_the_story_around_a_question_is_not_asked_about(text, named):
    assert [record.name for record in read(text).records] == named


def test_the_other_items_of_a_list_are_another_variant():
    assert read("Productietechnicus ken ik al. En de rest?").other_variant


@pytest.mark.parametrize("text", ["whats in mechatronica", "what does the Engineering dossier hold?",
                                  "wat valt er onder productietechniek?"])
def test_what_a_dossier_holds_is_its_list_not_something_unheld(text):
    from bot.knowledge.reader import Ask

    asks = read(text).asks
    assert Ask.LIST in asks and Ask.NOT_HELD not in asks


@pytest.mark.parametrize("text", ["wat was vroeger het crebonummer van medewerker productietechniek",
                                  "welk crebonummer had verspanen vroeger?"])
def test_the_numbers_of_before_the_revision_are_not_held(text):
    reading = read(text)
    assert reading.asks == {Ask.NOT_HELD} and reading.topic == "old_numbers"


def test_a_number_asked_in_the_past_of_a_name_we_do_not_know_is_an_old_number():
    old = read("wat was het crebonummer van metaalbewerker?")
    assert old.asks == frozenset({Ask.NOT_HELD}) and old.topic == "old_numbers"
    assert read("wat was het crebo van technicus mechatronica ook alweer?").asks == frozenset({Ask.CREBO})
    # with the verb last
    old = read("weet u welk crebonummer constructiewerker had? of wat het nummer van plaatwerker was")
    assert old.asks == frozenset({Ask.NOT_HELD}) and old.topic == "old_numbers"


@pytest.mark.parametrize("text", ["Bestaat monteur mechatronica ook als deeltijdopleiding?",
                                  "is er een avondopleiding voor productietechnicus", "can I do engineering as an evening course?"])
def test_a_way_of_study_the_sources_never_name_is_not_held(text):
    reading = read(text)
    assert reading.asks == frozenset({Ask.NOT_HELD}) and reading.topic == "study_forms"


def test_two_dossiers_compared_by_their_counts_ask_a_count():
    reading = read("Telt Productietechniek meer opleidingen dan Mechatronica, en hoeveel dan?")
    assert Ask.COUNT in reading.asks and Ask.NOT_HELD not in reading.asks and len(reading.records) == 2


@pytest.mark.parametrize("text, other", [("krijgt onderhoud daarin nog een eigen kerntaak?", False),
                                         ("zijn er nog meer opleidingen?", True), ("en nog een?", True)])
def test_nog_een_points_at_another_record_only_when_it_means_one(text, other):
    assert read(text).other_variant is other



@pytest.mark.parametrize("sentence, asks", [
    ("Collega's vragen me steeds wat er met Precisietechniek gebeurt.", True),
    ("Ouders willen weten of het diploma landelijk geldt.", True),
    ("My students ask me what happens to it.", True),
    ("Hij wil of monteur of technicus worden.", False),
    ("Ik wil graag technicus worden.", False),
    ("Verder zouden we graag het niveau ervan weten.", True),  # a request for a fact
    ("Ik ben benieuwd naar het dossiernummer.", True),
])
def test_a_question_asked_through_the_writer_is_a_question(sentence, asks):
    from bot.text import looks_like_a_question

    assert looks_like_a_question(sentence) is asks


def test_old_or_new_asked_as_a_choice_asks_which_applies_not_the_old_number():
    assert read("schrijven we haar in op het oude of op het nieuwe crebo?").topic != "old_numbers"
    assert read("wat was het oude crebo van eerste monteur mechatronica?").topic == "old_numbers"


def test_a_name_ruled_out_in_a_relative_clause_is_not_what_the_message_is_about():
    assert read("welk dossier is het, dat niet mechatronica en niet productietechniek is?").records == ()
    assert [r.name for r in read("is dat niet productietechnicus?").records] == ["Productietechnicus"]  # a check


def test_the_number_of_a_former_qualification_is_an_old_number():
    # (a former name that resembles a new one is not that new record's number)
    assert read("welke code had de vroegere opleiding mechatronische systemen?").topic == "old_numbers"
    assert read("het crebonummer van de voormalige kwalificatie verspaner?").topic == "old_numbers"


def test_a_record_it_is_compared_with_is_not_what_a_pointing_question_is_about():
    compared = read("En gaan die ook vier jaar duren, net als Productietechniek?")
    assert not compared.records and Ask.DURATION in compared.asks
    # beside a record of its own, both are named ("heeft X ook vier, net als Y?" answers each)
    assert len(read("Heeft Engineering ook vier kwalificaties, net als Productietechniek?").records) == 2


def test_a_record_compared_with_mid_sentence_is_not_what_is_asked_about():
    # after Productietechnicus: "… of drie, net als X?" asks about the one in context
    reading = read("duurt die nou vier jaar of drie net als technicus mechatronica?")
    assert reading.records == () and Ask.DURATION in reading.asks


def test_a_name_after_geen_is_ruled_out():
    reading = read("de niveau 4-opleiding die geen productietechnicus is, hoe lang duurt die?")
    assert "25896" not in [record_number(r) for r in reading.records]


@pytest.mark.parametrize("text", ["hoeveel kwalificaties vallen eronder?", "welke niveaus zitten daarbinnen?",
                                  "wat kun je hiermee?"])
def test_a_pronominal_adverb_points_back(text):
    assert read(text).refers_back
