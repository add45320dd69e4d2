"""No test question is a near copy of a training example (tools/leaks.py)."""
from __future__ import annotations

import pytest

from bot.text import is_near_duplicate
from tools.leaks import leaks, questions_of_the_tests


@pytest.mark.slow
def test_no_test_question_is_copied_into_the_training_data():
    found = leaks()
    # Only the training side is shown, and never a copy of a sealed question (it would show that question).
    assert not found, "\n".join(f"{path.name}: {'(copies a sealed question, not shown)' if sealed else repr(text)}"
                                for path, text, sealed in found)


def test_every_test_file_is_checked_including_the_sealed_half():
    files = {path.name for path in questions_of_the_tests()}
    assert {"heldout.yml", "dev.yml", "sealed.yml", "lookup_conversations.yml"} <= files


def test_one_word_apart_is_a_copy():
    assert is_near_duplicate("wat kost technicus mechatronica per jaar", "wat kost technicus mechatronica per maand")
