"""Finding qualifications by name, typo, spacing, partial name and number."""
from __future__ import annotations

import pytest

from bot.knowledge.search import knowledge_index

index = knowledge_index()
QUALIFICATIONS = index.dataset.qualifications


@pytest.mark.parametrize("qualification", QUALIFICATIONS, ids=lambda q: q.name)
def test_each_qualification_is_found_by_name_and_number(qualification):
    assert index.find(qualification.name).record == qualification
    assert index.find(f"wat is {qualification.name.lower()}?").record == qualification
    assert index.by_number(qualification.crebo) == qualification


TYPOS = {
    "Medewerker productietechniek": "medewerker produktietechniek",
    "Allround medewerker productietechniek": "allround medewerkr productietechniek",
    "Productietechnicus": "productie technicus",
    "Researchinstrumentmaker": "research instrumentmaker",
    "Monteur mechatronica": "monteur mechatronika",
    "Eerste monteur mechatronica": "eerste monteur mechatronika",
    "Technicus mechatronica": "technikus mechatronica",
    "Technicus engineering": "technicus enginering",
    "Commercieel technicus engineering": "comercieel technicus engineering",
    "Productietechniek": "productie techniek",
    "Mechatronica": "mechatronika",
    "Engineering": "enginering",
}


@pytest.mark.parametrize("name, typed", TYPOS.items())
def test_typos_and_spacing_are_tolerated(name, typed):
    match = index.find(typed)
    assert match.record is not None and match.record.name == name


@pytest.mark.parametrize("text", ["kapper", "verpleegkunde", "mechanica", "technicus elektrotechniek", "lassen", "", "   ", "😀"])
def test_near_misses_and_other_programmes_are_refused(text):
    match = index.find(text)
    assert match.record is None and not match.candidates


@pytest.mark.parametrize(
    "text, names",
    [
        ("technicus", {"Technicus mechatronica", "Technicus engineering", "Commercieel technicus engineering"}),
        ("monteur", {"Monteur mechatronica", "Eerste monteur mechatronica"}),
        ("medewerker", {"Medewerker productietechniek", "Allround medewerker productietechniek"}),
    ],
)
def test_ambiguous_names_give_candidates(text, names):
    match = index.find(text)
    assert match.is_ambiguous and {r.name for r in match.candidates} == names


def test_the_longest_name_wins_over_the_dossier_inside_it():
    assert index.find("welk crebo heeft technicus mechatronica").record.name == "Technicus mechatronica"
    assert index.find("wat valt onder mechatronica").record.name == "Mechatronica"
    # the dossier's own name is no typo of a longer-looking one, whatever follows it
    assert index.find("welke opleidingen heeft productietechniek op niveau 4? crebo's graag").record.name == "Productietechniek"


@pytest.mark.parametrize("number", ["25890", "12345", "2589", "258944"])
def test_unknown_numbers_are_not_found(number):
    assert index.by_number(number) is None


# -- English: the glosses are aliases; the words around a name are filler -------------------

@pytest.mark.parametrize("text, name", [
    ("tell me about the mechatronics technician", "Technicus mechatronica"),
    ("what is the crebo of the commercial engineering technician?", "Commercieel technicus engineering"),
    ("which file does the research instrument maker belong to", "Researchinstrumentmaker"),
    ("the commercial one", "Commercieel technicus engineering"),  # a partial English alias
])
def test_english_names_and_partial_aliases(text, name):
    match = index.find_all(text)
    assert match.record is not None and match.record.name == name


@pytest.mark.parametrize("text, names", [
    ("technician", {"Productietechnicus", "Technicus mechatronica", "Technicus engineering",
                    "Commercieel technicus engineering"}),
    ("what is the crebo of the technicians", {"Productietechnicus", "Technicus mechatronica", "Technicus engineering",
                                              "Commercieel technicus engineering"}),
    ("worker", {"Medewerker productietechniek", "Allround medewerker productietechniek"}),
])
def test_a_partial_english_name_gives_candidates(text, names):
    match = index.find(text)
    assert match.is_ambiguous and {r.name for r in match.candidates} == names


@pytest.mark.parametrize("text", ["the first one", "first", "the one"])
def test_english_pointing_words_name_nothing(text):
    match = index.find(text)
    assert match.record is None and not match.candidates


def test_a_word_of_the_dutch_name_is_no_partial_alias():
    # "instrumentmaker" is a near miss of Researchinstrumentmaker, in Dutch and in English
    assert index.find("instrumentmaker").record is None


@pytest.mark.parametrize("typed, name", [
    ("instrumentmakers in de research", "Researchinstrumentmaker"),
    ("technicus voor de productie", "Productietechnicus"),
])
def test_a_compound_name_written_apart_in_either_order(typed, name):
    match = index.find(typed)
    assert match.record is not None and match.record.name == name



@pytest.mark.parametrize("text, name", [
    ("mijn zoon is handig met verkopen, bestaat er zoiets als een commerciële opleiding bij jullie?",
     "Commercieel technicus engineering"),
    ("ze denkt aan een research-opleiding met veel precisiewerk, welke is dat?", "Researchinstrumentmaker"),
    ("wordt het dan een allround opleiding of iets smallers?", "Allround medewerker productietechniek"),
])
def test_a_word_of_one_name_before_what_it_is_names_that_record_in_a_long_message(text, name):
    assert index.find_all(text).record.name == name


@pytest.mark.parametrize("text", [
    "wat leer je in het eerste opleidingsjaar van een technische opleiding bij ons op school?",
    "gaan de eerste opleiding en de tweede opleiding samen in één klas, of blijven die apart?",
])
def test_a_position_or_a_word_several_names_share_names_no_record(text):
    match = index.find_all(text)
    assert match.record is None and not match.candidates


@pytest.mark.parametrize("text, name", [
    ("kan ik na mijn niveau 2 doorstromen naar eerste monteur in dat dossier?", "Eerste monteur mechatronica"),
    ("mijn zoon twijfelt over allround medewerker, is dat zwaar?", "Allround medewerker productietechniek"),
])
def test_the_first_words_of_one_name_in_a_longer_message_name_it(text, name):
    assert knowledge_index().find_all(text).record.name == name


def test_an_ordinal_alone_names_nothing():
    assert knowledge_index().find_all("wat is de eerste opleiding uit die lijst?").record is None
