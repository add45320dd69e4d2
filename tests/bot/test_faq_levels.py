"""The qualifications an FAQ answer speaks of by level (bot/knowledge/faq_levels.py)."""
from __future__ import annotations

import pytest

from bot.knowledge import load_dataset
from bot.knowledge.faq_levels import answer_levels, qualifications_at_the_answers_levels, shares_the_answers_subject

DATASET = load_dataset()


def crebos(qualifications):
    return [q.crebo for q in qualifications]


def test_the_answer_on_onderhoud_speaks_of_mechatronica_at_levels_2_and_3():
    # "onderhoud blijft een duidelijk onderdeel van Mechatronica. Het is zelfs een aparte kerntaak op niveau 2 en 3."
    assert answer_levels("onderhoud_kerntaak") == (2, 3)
    assert crebos(qualifications_at_the_answers_levels("onderhoud_kerntaak", DATASET)) == ["25891", "25892"]


def test_a_dossier_the_message_names_must_be_the_answers():
    mechatronica, productietechniek = DATASET.dossier("23360"), DATASET.dossier("23361")
    assert crebos(qualifications_at_the_answers_levels("onderhoud_kerntaak", DATASET, named=[mechatronica])) == [
        "25891", "25892"]
    assert qualifications_at_the_answers_levels("onderhoud_kerntaak", DATASET, named=[productietechniek]) == ()


def test_of_a_list_shown_only_the_ones_at_those_levels_of_that_dossier():
    productietechniek_list = DATASET.qualifications_in("23361")
    assert qualifications_at_the_answers_levels("onderhoud_kerntaak", DATASET, shown=productietechniek_list) == ()
    shown = DATASET.qualifications_in("23360")
    assert crebos(qualifications_at_the_answers_levels("onderhoud_kerntaak", DATASET, shown=shown)) == ["25891", "25892"]


def test_an_answer_that_names_levels_of_no_dossier_gives_none():
    assert answer_levels("precisietechniek") and qualifications_at_the_answers_levels("precisietechniek", DATASET) == ()


@pytest.mark.parametrize("text, shares", [
    ("Blijft onderhoud bij Mechatronica ergens een losse kerntaak?", True),
    ("op welke niveaus kan je mechatronica doen?", False),  # a question only the dataset answers
    ("welke crebo's horen bij de niveaus van Mechatronica?", False),
])
def test_a_question_shares_the_answers_subject_by_a_word_of_its_own(text, shares):
    assert shares_the_answers_subject(text, "onderhoud_kerntaak", DATASET) is shares
