"""The threshold replay of tools/tune.py decides as the assistant's pipeline does."""
from __future__ import annotations

from dataclasses import astuple

import numpy as np
import pytest

from bot.knowledge.reader import read
from bot.nlu.intent_model import ModelSettings
from tools.tune import FALLBACK, Outcomes, Replay, Run, Thresholds, score

LABELS = ["faq/bol_bbl", "faq/masterplan", "greet", "lookup_crebo", "out_of_scope"]


def run(rows, faq_allowed=None, texts=None) -> Run:
    probabilities = np.array(rows, dtype=float)
    allowed = np.ones(len(rows), dtype=bool) if faq_allowed is None else np.array(faq_allowed)
    readings = [None] * len(rows) if texts is None else [read(text) for text in texts]
    return Run(LABELS, probabilities, allowed, readings)


def test_the_top_label_is_acted_on_and_faq_answers_need_their_own_threshold():
    replay = Replay.of(run([[0.6, 0.1, 0.1, 0.1, 0.1], [0.05, 0.05, 0.8, 0.05, 0.05], [0.4, 0.3, 0.1, 0.1, 0.1]]))
    assert replay.decided(Thresholds(0.0, 0.0, 0.5)) == ["faq/bol_bbl", "greet", FALLBACK]


def test_two_answers_of_the_same_intent_are_not_ambiguous_but_two_intents_are():
    replay = Replay.of(run([[0.45, 0.4, 0.05, 0.05, 0.05], [0.05, 0.05, 0.45, 0.4, 0.05]]))
    assert replay.decided(Thresholds(0.0, 0.1, 0.0)) == ["faq/bol_bbl", FALLBACK]


def test_without_a_word_of_the_faq_questions_no_faq_answer_is_given():
    replay = Replay.of(run([[0.8, 0.1, 0.0, 0.0, 0.1]], faq_allowed=[False]))
    assert replay.decided(Thresholds(0.0, 0.0, 0.0)) == ["out_of_scope"]


def test_what_the_dataset_reader_routes_is_a_sure_lookup():
    replay = Replay.of(run([[0.5, 0.1, 0.3, 0.05, 0.05], [0.1, 0.1, 0.1, 0.5, 0.2], [0.1, 0.1, 0.6, 0.1, 0.1]],
                           texts=["wat betekent 25893", "crebo van technicus mechatronica", "hallo daar"]))
    assert replay.decided(Thresholds(0.9, 0.1, 0.9)) == ["lookup_qualification", "lookup_crebo", FALLBACK]


def test_the_reader_trusts_an_faq_answer_only_from_the_fallback_threshold_on():
    """An FAQ answer the pipeline would not give (below the fallback) is no answer to trust:
    the dataset reader counts the qualifications instead of "Bedoelde je…?"."""
    from bot.settings import trust_faq_from

    confidence = trust_faq_from() + 0.01
    counting = run([[confidence, 0.0, 0.0, 0.0, 1 - confidence]], texts=["hoeveel kwalificaties zijn er in totaal?"])
    assert Replay.of(counting, fallback=0.0).top_label == ["faq/bol_bbl"]
    assert Replay.of(counting, fallback=confidence + 0.05).top_label == ["lookup_overview"]


@pytest.mark.parametrize("thresholds", [Thresholds(0, 0, 0), Thresholds(0.3, 0.05, 0.5), Thresholds(0.6, 0.1, 0.9)])
def test_the_fast_scores_equal_the_plain_ones(thresholds):
    generator = np.random.default_rng(7)
    rows = generator.dirichlet(np.ones(len(LABELS)) * 0.5, size=300)
    expected = list(generator.choice(LABELS, size=300))
    replay = Replay.of(run(rows, faq_allowed=generator.random(300) > 0.2))
    fast, plain = Outcomes.of(expected, replay).score(thresholds), score(expected, replay.decided(thresholds))
    assert astuple(fast) == pytest.approx(astuple(plain))


@pytest.mark.slow
def test_config_holds_the_ask_settings_make_tune_chooses():
    from bot.settings import ask_settings
    from tools.tune import choose_ask_settings

    chosen = choose_ask_settings().settings
    assert ask_settings() == chosen, f"make tune chooses {chosen}; put it in config.yml (ask_c, ask_threshold, ask_not_held_floor)"


@pytest.mark.slow
def test_config_holds_the_thresholds_make_tune_chooses_for_its_classifier_settings():
    """The thresholds `make tune` chooses for the classifier settings in config.yml (the grid of
    settings itself takes minutes: `make tune` reruns it)."""
    from bot.nlu.intent_model import ModelSettings
    from bot.nlu.training_data import training_examples
    from bot.settings import component_config
    from tools.tune import SEEDS, choose_thresholds, offline_lemmatiser, out_of_fold

    settings = ModelSettings.from_config(component_config("bot.nlu.linear_classifier.LinearIntentClassifier"))
    texts, labels = training_examples()
    runs = [out_of_fold(settings, texts, labels, offline_lemmatiser(), seed) for seed in SEEDS]
    chosen, _ = choose_thresholds(labels, runs)
    fallback = component_config("FallbackClassifier")
    configured = Thresholds(float(fallback["threshold"]), float(fallback["ambiguity_threshold"]),
                            float(component_config("bot.nlu.faq_gate.FaqConfidenceGate")["threshold"]))
    assert configured == chosen, f"make tune chooses {chosen}; put it in config.yml"


def test_the_configured_classifier_settings_stay_within_a_near_tie_of_the_best():
    from tools.tune import NEAR_TIE, chosen_settings

    configured, other = ModelSettings(c=1000.0), ModelSettings(c=300.0)
    close = [(0.741, configured), (0.741 + NEAR_TIE / 2, other)]
    assert chosen_settings(close, configured) == close[0]
    apart = [(0.741, configured), (0.741 + 2 * NEAR_TIE, other)]
    assert chosen_settings(apart, configured) == apart[1]
    assert chosen_settings(apart[1:], configured) == apart[1]  # not in the grid: the best
    assert chosen_settings([], configured) is None
