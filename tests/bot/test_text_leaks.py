"""The near-duplicate check that keeps held-out questions out of the training data."""
from __future__ import annotations

import pytest

from bot.text import is_near_duplicate, near_duplicate_pairs


@pytest.mark.parametrize("first, second", [
    ("Wat is jouw functie?", "wat is jouw functie"),  # case and punctuation
    ("Wanneer is de vaststelling?", "wanneer is de váststelling"),  # accents
    ("eerste monteur crebo", "crebo eerste monteur"),  # the same words in another order
    ("diploma overal gelijk?", "diploma's overal gelijk?"),  # one letter apart
    ("minister al akkoord?", "minister akkoord?"),
    ("welke keuzedelen zijn verplicht", "welke keuzedelen zijn er"),  # one word apart
    ("wat is crebo 25894", "wat is crebo 25896"),
    ("kan ik technicus mechatronica in de bbl doen", "kan ik technicus mechatronica ook in de bbl doen"),
    ("hoe lang duurt de opleiding technicus mechatronica voor een bbl student",  # 80% of the words shared
     "hoe lang duurt de opleiding technicus mechatronica voor een bol leerling"),
])
def test_near_copies_are_caught(first, second):
    assert is_near_duplicate(first, second)


@pytest.mark.parametrize("first, second", [
    ("wanneer start het nieuwe schooljaar", "wat is crebo 25894"),
    ("hoe lang duurt technicus mechatronica", "op welk niveau is technicus mechatronica"),
    ("welke keuzedelen zijn verplicht", "zijn keuzedelen verplicht voor een diploma"),
    ("mechatronica?", "engineering?"),  # too short to be one word apart
])
def test_different_questions_are_not(first, second):
    assert not is_near_duplicate(first, second)


def test_pairs_name_the_question_and_its_copy():
    corpus = ["Minister akkoord?", "Wat is crebo 25894?"]
    assert near_duplicate_pairs(["minister al akkoord?", "hoi"], corpus) == [("minister al akkoord?", "Minister akkoord?")]
