"""After a list, "die commerciële", "de laatste" or "het dossier met twee kwalificaties" point into it."""
from __future__ import annotations

import pytest

from bot.knowledge.references import BY_STRUCTURE, BY_WORD, property_query, resolve, resolve_reference
from bot.knowledge.search import knowledge_index

INDEX = knowledge_index()
DATASET = INDEX.dataset
LEVEL_4 = [INDEX.by_number(n) for n in ("25896", "25897", "25893", "25898", "25899")]
MECHATRONICA = [INDEX.by_number(n) for n in ("25891", "25892", "25893")]
PRODUCTIETECHNIEK = [INDEX.by_number(n) for n in ("25894", "25895", "25896", "25897")]
LEVEL_3 = [INDEX.by_number(n) for n in ("25895", "25892")]
OVERVIEW = [*DATASET.dossiers, *DATASET.qualifications]


def numbers(records):
    return [getattr(r, "crebo", None) or r.number for r in records or ()]


@pytest.mark.parametrize("text, shown, expected", [
    ("die commerciële, welk crebo heeft die?", LEVEL_4, ["25899"]),
    ("de research-variant", LEVEL_4, ["25897"]),
    ("en de researchvariant, welk crebo?", LEVEL_4, ["25897"]),  # written together
    ("die instrumentmakers, welk crebo?", LEVEL_4, ["25897"]),
    ("die met productie in de naam?", LEVEL_4, ["25896"]),  # the name, not its dossier's
    ("welke daarvan hoort bij mechatronica?", LEVEL_4, ["25893"]),
    ("de laatste", LEVEL_4, ["25899"]),
    ("de middelste, welk niveau?", MECHATRONICA, ["25892"]),
    ("wat is het crebo van degene in het midden?", MECHATRONICA, ["25892"]),
    ("welke van die dossiers heeft zowel niveau 3 als niveau 4?", OVERVIEW, ["23361", "23360"]),
    ("wat is de laagste daarvan?", MECHATRONICA, ["25891"]),
    ("die eerste", MECHATRONICA, ["25891"]),
    ("wat zijn de crebo's van de laagste en van de hoogste qua niveau?", MECHATRONICA, ["25891", "25893"]),
    # a word that finds a dossier, and a level that finds the qualification in it
    ("welk crebo heeft de niveau 2-opleiding in het dossier waar de productietechnicus onder valt?", OVERVIEW, ["25894"]),
    ("welke heeft 'eerste' in de naam?", OVERVIEW, ["25892"]),
    ("welke kwalificaties zitten in de laatste die je noemde?", OVERVIEW, ["23362"]),  # the dossiers count
    ("welk dossier heeft geen niveau 2?", OVERVIEW, ["23362"]),
    ("bij welk dossier zijn alle opleidingen niveau 4?", OVERVIEW, ["23362"]),
    ("het dossier met drie kwalificaties", OVERVIEW, ["23360"]),
    ("welk van die dossiers heeft er precies drie?", DATASET.dossiers, ["23360"]),
    ("en het nummer van het dossier met twee opleidingen erin?", OVERVIEW, ["23362"]),
    ("welke daarvan heeft het hoogste crebonummer?", LEVEL_4, ["25899"]),
    ("en het laagste nummer?", MECHATRONICA, ["25891"]),
    ("welke hoort bij het grootste dossier?", LEVEL_4, ["25896", "25897"]),  # a list of qualifications: theirs
    ("die van niveau 3", MECHATRONICA, ["25892"]),
    ("de andere, dus niet de commerciële: welk crebo heeft die", [INDEX.by_number("25898"), INDEX.by_number("25899")], ["25898"]),
    ("welk crebo heeft die van engineering die niet commercieel is?", LEVEL_4, ["25898"]),
    ("wat is het crebo van de enige niveau 4 bij mechatronica?", DATASET.qualifications, ["25893"]),
    ("die prod. technicus", LEVEL_4, ["25896"]),
    ("en die allrond, welk nivo?", PRODUCTIETECHNIEK, ["25895"]),  # mistyped
    ("de comercieele, welk crebo?", LEVEL_4, ["25899"]),
    ("die met techniek erin", LEVEL_4, ["25896", "25897"]),  # Productietechniek's, not a mistyped "technicus"
    ("en de op een na laatste?", MECHATRONICA, ["25892"]),
    ("welk crebo heeft de een na laatste", LEVEL_4, ["25898"]),
    ("welke van die twee hoort bij 23360?", LEVEL_3, ["25892"]),  # a dossier number narrows the list
    ("welk dossier daarvan bevat slechts twee opleidingen?", DATASET.dossiers, ["23362"]),
    ("welke dossiers hebben meer dan twee kwalificaties?", DATASET.dossiers, ["23361", "23360"]),
    ("en welke heeft minder dan drie kwalificaties?", DATASET.dossiers, ["23362"]),
    ("wat zijn de crebo's van de tweede en de laatste?", LEVEL_4, ["25897", "25899"]),  # each one named
    ("en de onderste twee?", PRODUCTIETECHNIEK, ["25896", "25897"]),
    ("de eerste drie, welk niveau hebben die?", LEVEL_4, ["25896", "25897", "25893"]),
    ("hoe lang duurt nummer drie", LEVEL_4, ["25893"]),
    ("die met drie, welk nummer heeft dat?", DATASET.dossiers, ["23360"]),
    ("de laatste, hoe lang duurt die?", LEVEL_4, ["25899"]),  # a question goes on after the ordinal
    ("de onderste crebo nr?", LEVEL_3, ["25892"]),
    ("welke scholen geven de eerste?", LEVEL_3, ["25895"]),  # a position, not Eerste monteur mechatronica
    ("de monteur, dus niet de eerste monteur", MECHATRONICA, ["25891"]),
    ("niet die van mechatronica maar de andere", LEVEL_3, ["25895"]),
    ("allebei graag het crebo", LEVEL_3, ["25895", "25892"]),
    ("de middelste twee", PRODUCTIETECHNIEK, ["25895", "25896"]),
    ("welke van de drie heeft geen niveau 2 en 3?", OVERVIEW, ["23362"]),  # "van de drie": the dossiers
    ("het dossier met precies één niveau 4", DATASET.dossiers, ["23360"]),
    # a dossier by the levels it holds, said as what is in it (not a member named: "waar de monteurs onder vallen")
    ("en het dossier waarin uitsluitend niveau 4 zit, welk nummer?", OVERVIEW, ["23362"]),
    # the highest of the overview: among its qualifications (the dossiers have no level of their own)
    ("welke zitten daarin het hoogst?", OVERVIEW, ["25896", "25897", "25893", "25898", "25899"]),
    # the levels it has before the negation, those it lacks after it
    ("welk dossier kent enkel niveau 4 en geen 2 of 3?", DATASET.dossiers, ["23362"]),
    ("welk dossier heeft niveau 3 maar geen niveau 4?", DATASET.dossiers, []),
    # a size and a level of the same dossier: the one with both
    ("het dossier met vier kwalificaties en de niveau 3-opleiding daarin?", OVERVIEW, ["23361"]),
    # corrected in the same message: the rest of the list
    ("welk niveau heeft die van mechatronica? o nee wacht, ik bedoelde de andere", LEVEL_3, ["25895"]),
])
def test_a_reference_resolves_against_the_list_shown(text, shown, expected):
    assert numbers(resolve(text, shown, DATASET)) == expected


@pytest.mark.parametrize("text, expected", [
    ("welke heeft het kleinste crebonummer?", ["25891"]),  # a crebo number is a qualification's
    ("en de hoogste crebo?", ["25899"]),
    ("welk dossier heeft het laagste nummer?", ["23360"]),  # a dossier's number when a dossier is asked
    ("het grootste dossiernummer", ["23362"]),
])
def test_the_extreme_number_of_the_overview_is_of_the_kind_asked(text, expected):
    assert numbers(resolve(text, OVERVIEW, DATASET)) == expected


def test_a_word_several_names_share_narrows_the_list():
    assert numbers(resolve("en die van engineering?", LEVEL_4, DATASET)) == ["25898", "25899"]


def test_no_reference_without_a_pointer():
    assert resolve("wanneer komen de eerste diploma's?", LEVEL_4, DATASET) is None
    assert resolve("hoe lang duurt dat?", LEVEL_4, DATASET) is None
    assert resolve("de laatste", [], DATASET) is None
    assert resolve("wat leer je in de eerste twee jaar?", PRODUCTIETECHNIEK, DATASET) is None
    assert resolve("die met twee jaar bpv", DATASET.dossiers, DATASET) is None


def test_how_a_reference_was_resolved():
    assert resolve_reference("de laatste", LEVEL_4, DATASET)[1] == BY_STRUCTURE
    assert resolve_reference("die commerciële", LEVEL_4, DATASET)[1] == BY_WORD


# -- English --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, shown, expected", [
    ("the commercial one, which crebo?", LEVEL_4, ["25899"]),  # a word of an English alias
    ("and the research one?", LEVEL_4, ["25897"]),
    ("what's the crebo of the last one?", LEVEL_4, ["25899"]),
    ("the first one", MECHATRONICA, ["25891"]),
    ("the 2nd one please", MECHATRONICA, ["25892"]),
    ("number 3", LEVEL_4, ["25893"]),
    ("the middle one", MECHATRONICA, ["25892"]),
    ("the latter", LEVEL_4, ["25899"]),
    ("which is the highest?", MECHATRONICA, ["25893"]),
    ("and the easiest one?", MECHATRONICA, ["25891"]),
    ("the level 3 one", MECHATRONICA, ["25892"]),
    ("which file has no level 2?", OVERVIEW, ["23362"]),
    ("in which dossier are all qualifications level 4?", OVERVIEW, ["23362"]),
    ("the one with three qualifications", OVERVIEW, ["23360"]),
    ("which dossier is the biggest?", OVERVIEW, ["23361"]),
    ("the other one, not the commercial one", [INDEX.by_number("25898"), INDEX.by_number("25899")], ["25898"]),
    ("the engineering one that isn't commercial", LEVEL_4, ["25898"]),
])
def test_an_english_reference_resolves_against_the_list_shown(text, shown, expected):
    assert numbers(resolve(text, shown, DATASET)) == expected


def test_an_english_ordinal_that_begins_a_name_names_it():
    # "first" begins the alias "first mechatronics fitter": not the first of the list
    assert numbers(resolve("the first mechatronics fitter", MECHATRONICA, DATASET)) == ["25892"]


@pytest.mark.parametrize("text", ["what happens in the last year?", "and what does that cost per year?", "is it the most difficult?"])
def test_no_english_reference_without_a_pointer(text):
    assert resolve(text, LEVEL_4, DATASET) is None


def test_how_an_english_reference_was_resolved():
    assert resolve_reference("the last one", LEVEL_4, DATASET)[1] == BY_STRUCTURE
    assert resolve_reference("the commercial one", LEVEL_4, DATASET)[1] == BY_WORD


def test_an_english_property_without_a_list():
    from bot.knowledge.references import property_query
    assert numbers(property_query("which dossier has two qualifications?", DATASET)) == ["23362"]


def test_the_dossier_with_the_most_or_fewest_at_a_level():
    assert numbers(property_query("welk dossier telt de meeste opleidingen op niveau 4?", DATASET)) == ["23361", "23362"]
    assert numbers(property_query("welk kwalificatiedossier heeft de minste niveau 2-kwalificaties?", DATASET)) == ["23362"]


@pytest.mark.parametrize("text, name", [
    ("Welk dossier is het grootst?", "Productietechniek"), ("welk kd is het kleinst", "Engineering"),
    ("welk kd heeft de meeste kwalificaties?", "Productietechniek"),
])
def test_the_largest_and_smallest_dossier_without_a_list(text, name):
    found = property_query(text, DATASET)
    assert found is not None and [d.name for d in found] == [name]


@pytest.mark.parametrize("text, expected", [
    ("welk dossier heeft twee kwalificaties op niveau 4?", ["23361", "23362"]),
    ("welk dossier heeft zowel een niveau 2 als twee kwalificaties op niveau 4?", ["23361"]),
    ("which file has both a level 2 and two qualifications at level 4?", ["23361"]),
])
def test_a_dossier_by_its_count_at_a_level_and_by_two_properties_at_once(text, expected):
    from bot.knowledge.references import property_query
    assert numbers(property_query(text, DATASET)) == expected


def test_a_dossier_with_a_level_is_not_one_with_exactly_one_at_that_level():
    from bot.knowledge.references import property_query
    # "een niveau 4" is the article: every dossier has one, so none is singled out
    assert property_query("welke dossiers hebben een niveau 4?", DATASET) is None
    assert numbers(property_query("welk dossier heeft maar een kwalificatie op niveau 4?", DATASET)) == ["23360"]


OVERVIEW_DOSSIERS_FIRST = [*DATASET.dossiers, *DATASET.qualifications]  # "welke dossiers zijn er?"


@pytest.mark.parametrize("text, expected", [
    ("en welk van de drie mist niveau 2, heeft geen niveau 2?", ["Engineering"]),  # never the level-2 ones
    ("welke heeft er maar twee?", ["Engineering"]),
    ("die van niveau 3", ["Allround medewerker productietechniek", "Eerste monteur mechatronica"]),
])
def test_what_a_dossier_has_points_at_the_dossiers_of_a_list_that_shows_them_first(text, expected):
    assert [r.name for r in resolve(text, OVERVIEW_DOSSIERS_FIRST, DATASET)] == expected


def test_a_level_a_dossier_lacks_points_at_that_dossier_of_a_list_of_both():
    # the overview with the qualifications first ("welke kwalificaties zijn er?"): still the dossier
    both = [*DATASET.qualifications, *DATASET.dossiers]
    assert [r.name for r in resolve("welke daarvan heeft geen niveau 2?", both, DATASET)] == ["Engineering"]


def test_a_dossier_with_only_one_level_is_picked_by_that_property():
    assert numbers(resolve("en welke heeft alleen maar niveau 4?", OVERVIEW, DATASET)) == ["23362"]


def test_a_word_of_its_own_name_beats_a_word_of_its_dossiers_name():
    # "met … erin": Productietechnicus has "productie" in its own name; Researchinstrumentmaker only in its dossier's
    assert numbers(resolve("en die met productie erin?", LEVEL_4, DATASET)) == ["25896"]


def test_back_to_a_list_named_by_what_it_held_is_the_list_before():
    from bot.knowledge.references import THE_LIST_BEFORE

    assert THE_LIST_BEFORE.search("even terug naar de niveau 3 lijst welke hoort bij mechatronica")
    assert not THE_LIST_BEFORE.search("terug naar de lijst")  # the last one, which the message points into anyway
