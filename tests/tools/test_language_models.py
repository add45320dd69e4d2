"""The plumbing of tools/language_models.py on a tiny synthetic set (not its figures)."""
from __future__ import annotations

from datetime import date

import pytest

from bot.language import DUTCH, ENGLISH
from bot.nlu.intent_model import ModelSettings
from tools.language_models import (ARMS, ONE_MODEL, PER_FILE, PER_LANGUAGE, Example, compare, decide, detect_route,
                                   one_language_labels, report)

QUESTIONS = {
    "faq/bol_bbl": (
        ["wat is het verschil tussen bol en bbl", "kan ik bbl doen naast mijn werk", "is bol een voltijd opleiding",
         "hoeveel dagen werk je in de bbl"],
        ["what is the difference between bol and bbl", "can I do bbl while working",
         "is bol a full time programme", "how many days do you work in the bbl route"],
    ),
    "faq/keuzedelen": (
        ["welke keuzedelen moet ik kiezen", "zijn de keuzedelen verplicht", "hoeveel keuzedelen zijn er",
         "wie bepaalt de keuzedelen van de school"],
        ["which electives do I have to choose", "are the keuzedelen mandatory", "how many electives are there",
         "who decides the electives of the school"],
    ),
    "greet": (
        ["hallo, goedemorgen allemaal", "hoi daar, hoe gaat het", "goedemiddag, ik heb een vraag", "hallo bot, daar ben ik"],
        ["hello there, good morning", "hi there how are you", "good afternoon, I have a question", "hello bot, here I am"],
    ),
}
EXAMPLES = [Example(text, label, language)
            for label, (dutch, english) in QUESTIONS.items()
            for language, texts in ((DUTCH, dutch), (ENGLISH, english)) for text in texts]
SETTINGS = ModelSettings(c=10.0, char_ngrams=(2, 3), word_ngrams=(1, 1), use_lemmas=False)


@pytest.fixture(scope="module")
def comparison():
    return compare(EXAMPLES, SETTINGS, lemmatise=None, seeds=(2022,), folds=2)


def test_every_arm_predicts_a_known_label_for_every_example(comparison):
    (run,) = comparison.runs
    for arm in ARMS:
        assert all(label in QUESTIONS for label in run.predicted[arm]), arm
        assert len(run.fit_seconds[arm]) == len(run.model_bytes[arm]) == 2
        assert all(size > 0 for size in run.model_bytes[arm])
        for language in (DUTCH, ENGLISH):
            figures = comparison.figures(arm, language)
            assert 0.0 <= figures.accuracy <= 1.0 and 0.0 <= figures.faq_macro_f1 <= 1.0


def test_examples_are_routed_by_the_detector_and_the_reference_arm_by_their_file():
    everything_dutch = compare(EXAMPLES, SETTINGS, lemmatise=None, seeds=(2022,), folds=2, route=lambda text: DUTCH)
    assert everything_dutch.routed_right(DUTCH) == 1.0 and everything_dutch.routed_right(ENGLISH) == 0.0
    by_detect = compare(EXAMPLES, SETTINGS, lemmatise=None, seeds=(2022,), folds=2, route=detect_route)
    assert by_detect.routed_right(ENGLISH) > 0.5
    # Routing does not change the models, so perfect routing predicts the same either way.
    assert everything_dutch.runs[0].predicted[PER_FILE] == by_detect.runs[0].predicted[PER_FILE]


@pytest.mark.parametrize("one, per_language, expected", [
    ((0.90, 0.70), (0.90, 0.75), True),  # better on English, the same on Dutch
    ((0.90, 0.70), (0.915, 0.70), True),
    ((0.90, 0.70), (0.95, 0.699), False),  # better on Dutch but worse on English
    ((0.90, 0.70), (0.905, 0.705), False),  # better on both, by no more than a point
    ((0.90, 0.70), (0.88, 0.60), False),
])
def test_the_rule(one, per_language, expected):
    assert decide(dict(zip((DUTCH, ENGLISH), one)), dict(zip((DUTCH, ENGLISH), per_language))) is expected


def test_the_report_has_the_date_the_rule_every_arm_and_the_decision(comparison):
    text = report(comparison, SETTINGS, day=date(2026, 12, 5))
    assert text.startswith("# ") and "2026-12-05" in text
    assert "better by more than 1 point on either language" in text
    assert all(f"| {arm} |" in text for arm in (ONE_MODEL, PER_LANGUAGE, PER_FILE))
    verdict = "one model per language" if comparison.per_language_wins else "one model** over"
    assert f"Decision: **{verdict}" in text


def test_labels_only_one_language_holds_are_named_and_left_out_of_a_second_figure():
    switch = [Example(text, "switch_language", ENGLISH)
              for text in ("english please", "can you speak english", "engels graag", "in het engels aub")]
    assert one_language_labels(EXAMPLES + switch) == {DUTCH: [], ENGLISH: ["switch_language"]}
    text = report(compare(EXAMPLES + switch, SETTINGS, lemmatise=None, seeds=(2022,), folds=2), SETTINGS)
    assert "`switch_language` only in the English files" in text
    assert "Labels only one language" not in report(compare(EXAMPLES, SETTINGS, None, (2022,), 2), SETTINGS)
