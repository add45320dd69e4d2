"""What an FAQ answer leaves out of a question about its subject (bot/knowledge/faq_gaps.py)."""
from __future__ import annotations

import pytest

from bot.knowledge.faq_gaps import left_out_of_the_answer
from bot.knowledge.reader import read


@pytest.mark.parametrize("text, key, left_out", [
    # a fact of the dataset, of an answer that names no record
    ("welk crebonummer krijgt human technology?", "human_technology", "crebo"),
    # the day, of an answer that gives a month
    ("op welke datum precies?", "vaststelling_minister", "date"),
    # a detail no pattern can check, which the ask model is sure the sources do not hold
    ("welke mensen hebben zitting in die werkgroep?", "landelijke_herkenbaarheid_diploma", "other"),
    ("wie beslist daar uiteindelijk over?", "uitwerkingsdocumenten_status", "other"),
    # a count of records, of an answer that gives none
    ("en hoeveel opleidingen vielen er vroeger onder Metaalbewerken?", "precisietechniek", "count"),
])
def test_what_the_answer_does_not_give_is_named(text, key, left_out):
    assert left_out_of_the_answer(read(text), key) == left_out


@pytest.mark.parametrize("text, key", [
    ("zijn keuzedelen nog verplicht?", "keuzedelen_verplicht"),  # the answer's own question
    ("wanneer komen ze in de Staatscourant?", "vaststelling_minister"),  # the answer gives when
])
def test_what_the_answer_gives_is_not_said_to_be_left_out(text, key):
    assert left_out_of_the_answer(read(text), key) is None


def test_a_record_named_in_the_story_around_the_question_does_not_make_it_a_lookup():
    story = ("Ik las dat verspaning op niveau 2 en 3 een uitwerkingsdocument krijgt. Hoeveel uur per week gaat daarin "
             "naar draaien en frezen?")
    assert left_out_of_the_answer(read(story), "precisietechniek") == "hours"


def test_levels_the_answer_speaks_of_are_part_of_a_question_about_it():
    text = "Hoeveel procent van de lessen is straks onderhoud, nu het op niveau 2 en 3 een eigen kerntaak heeft?"
    assert left_out_of_the_answer(read(text), "onderhoud_kerntaak") == "statistics"
    # another level asks the dataset of that level
    assert left_out_of_the_answer(read("en hoeveel procent is het op niveau 4?"), "onderhoud_kerntaak") is None


def test_a_question_that_names_a_record_is_about_the_record():
    assert left_out_of_the_answer(read("welk crebonummer heeft technicus mechatronica?"), "human_technology") is None


def test_only_facts_of_the_dataset_and_the_day_when_asked_for_them_only():
    assert left_out_of_the_answer(read("wie beslist daar uiteindelijk over?"), "uitwerkingsdocumenten_status",
                                  facts_only=True) is None
    assert left_out_of_the_answer(read("en in welk dossier komt dat?"), "human_technology", facts_only=True) == "dossier"


def test_a_detail_of_a_topic_the_model_is_unsure_of_is_still_left_out_when_it_is_sure_it_is_not_held():
    # "hoeveel studiebelastingsuren dat kost" is time, not a price: the answer names no payer
    assert left_out_of_the_answer(read("wie draait daarvoor op?"), "docenten_bijscholing") == "other"


def test_a_question_in_the_answers_own_words_is_about_the_answer():
    # the answer on Precisietechniek speaks of verspaning; the one on bijscholing of the study hours
    assert left_out_of_the_answer(read("en verspaning dan?"), "precisietechniek") is None
    assert left_out_of_the_answer(read("hoeveel studiebelastingsuren kost dat dan?"), "docenten_bijscholing") is None


def test_the_numbers_of_records_an_answer_names_without_them_come_from_the_dataset():
    # the column names the three main streams, not their numbers; the dataset has those
    assert left_out_of_the_answer(read("en wat zijn hun dossiernummers?"), "column_hoofdstromingen") == "numbers_of_the_named"


def test_the_levels_of_records_an_answer_lists_are_not_left_out():
    # the answer lists every qualification with its level in brackets: the dataset gives the levels
    assert left_out_of_the_answer(read("op welke niveaus zit die met mecha in de naam?"), "samengevoegde_dossiers") is None
