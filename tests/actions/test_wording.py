"""The words the actions fill in: Dutch as before, English with the same variables."""
from __future__ import annotations

from dataclasses import fields
from string import Formatter

import pytest

from actions.wording import DUTCH_WORDING, ENGLISH_WORDING, FACTS_IN_ENGLISH, fact_text, wording
from bot.knowledge.search import knowledge_index
from tests.actions.english import dutch_words_in


def placeholders(template: str) -> set:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


TEMPLATES = [f.name for f in fields(DUTCH_WORDING) if isinstance(getattr(DUTCH_WORDING, f.name), str)]


@pytest.mark.parametrize("name", TEMPLATES)
def test_each_english_template_takes_the_variables_of_the_dutch_one(name):
    assert placeholders(getattr(ENGLISH_WORDING, name)) == placeholders(getattr(DUTCH_WORDING, name))


@pytest.mark.parametrize("name", [n for n in TEMPLATES if n != "language"])
def test_no_english_template_holds_a_dutch_word(name):
    assert dutch_words_in(getattr(ENGLISH_WORDING, name)) == set()


def test_the_dutch_words_are_the_ones_the_answers_always_used():
    dutch = wording("nl")
    assert (dutch.listing([2, 3, 4]), dutch.listing([4]), dutch.number(3), dutch.number(7)) == ("2, 3 en 4", "4", "drie", "7")
    assert (dutch.left_over(1), dutch.left_over(2)) == ("nog één vraag", "nog 2 vragen")
    assert (dutch.qualifications(1), dutch.qualifications(2)) == ("1 kwalificatie", "2 kwalificaties")
    assert (dutch.levels(1), dutch.levels(3)) == ("1 niveau", "3 niveaus")
    assert [dutch.ordinal(i) for i in (0, 1, 4, 9)] == ["eerste", "tweede", "vijfde", "vijfde"]


def test_the_english_words():
    english = wording("en")
    assert (english.listing([2, 3, 4]), english.listing(["A", "B"]), english.number(4)) == ("2, 3 and 4", "A and B", "four")
    assert (english.left_over(1), english.left_over(2)) == ("one more question", "2 more questions")
    assert (english.qualifications(1), english.qualifications(2)) == ("1 qualification", "2 qualifications")
    assert (english.levels(1), english.levels(3)) == ("1 level", "3 levels")
    assert [english.ordinal(i) for i in (0, 1, 2, 9)] == ["first", "second", "third", "fifth"]
    assert (english.verdict(True), english.verdict(False)) == ("Yes.", "No.")


def test_an_unknown_language_reads_dutch():
    assert wording("de") is DUTCH_WORDING


def test_every_english_fact_renders_the_dutch_the_dataset_holds_now():
    # When the Dutch in qualifications.yml changes, redo the English beside it.
    facts = knowledge_index().dataset.general_facts
    for key, (dutch, english) in FACTS_IN_ENGLISH.items():
        assert facts[key].text == dutch, f"{key}: the Dutch changed; update its English in actions/wording.py"
        assert fact_text(key, dutch, "en") == english and fact_text(key, dutch, "nl") == dutch
        assert dutch_words_in(english) == set()


def test_a_fact_whose_dutch_changed_stays_dutch_rather_than_say_something_else():
    assert fact_text("leerweg", "Iets nieuws.", "en") == "Iets nieuws."
