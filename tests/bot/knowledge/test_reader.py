"""The dataset reader finds the records, levels and questions in a message, as people type them."""
from __future__ import annotations

import pytest

from bot.knowledge.reader import Ask, read, split_questions


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
