"""The linear model behind the NLU: labels, probabilities and the FAQ-word rule."""
from __future__ import annotations

import numpy as np
import pytest

from bot.nlu.intent_model import IntentModel, ModelSettings, split_prediction

EXAMPLES = [
    ("waarom is er een herziening", "faq/aanleiding_herziening"),
    ("waarom worden de metaalopleidingen herzien", "faq/aanleiding_herziening"),
    ("wat is de reden van de herziening", "faq/aanleiding_herziening"),
    ("zijn keuzedelen verplicht", "faq/keuzedelen_verplicht"),
    ("moet ik een keuzedeel kiezen", "faq/keuzedelen_verplicht"),
    ("verplichte keuzedelen", "faq/keuzedelen_verplicht"),
    ("hallo", "greet"), ("hoi daar", "greet"), ("goedemorgen", "greet"),
    ("wat is crebo 25894", "lookup_crebo"), ("welke opleiding is 25891", "lookup_crebo"), ("crebo 25896", "lookup_crebo"),
    ("wat wordt het weer", "out_of_scope"), ("wie wint de wedstrijd", "out_of_scope"), ("hoe laat is het", "out_of_scope"),
]


@pytest.fixture(scope="module")
def model() -> IntentModel:
    texts, labels = zip(*EXAMPLES)
    return IntentModel(ModelSettings(c=10.0)).fit(texts, labels)


def test_one_probability_per_label_and_the_training_questions_come_back(model):
    probabilities = model.predict_proba(["waarom is er een herziening", "hallo"])
    assert probabilities.shape == (2, 5) and np.allclose(probabilities.sum(axis=1), 1.0)
    assert [model.labels[i] for i in probabilities.argmax(axis=1)] == ["faq/aanleiding_herziening", "greet"]


def test_faq_answers_need_a_word_of_the_faq_questions(model):
    assert model.mentions_faq_vocabulary("Waarom zijn de keuzedelen zo?")
    assert not model.mentions_faq_vocabulary("waarom is de lucht blauw")  # only stop words and new words


def test_an_intent_is_as_sure_as_its_best_label_not_the_sum_of_its_answers():
    labels = ["faq/a", "faq/b", "faq/c", "greet"]
    prediction = split_prediction(labels, [0.2, 0.2, 0.2, 0.4])
    assert prediction.intent == ("greet", 0.4)
    assert prediction.intents[1] == ("faq", 0.2)
    assert [key for key, _ in prediction.faq_answers] == ["faq/a", "faq/b", "faq/c"]


def test_without_faq_words_faq_is_left_out_of_the_intents_but_answers_stay_ranked():
    prediction = split_prediction(["faq/a", "greet", "out_of_scope"], [0.7, 0.1, 0.2], faq_allowed=False)
    assert prediction.intent == ("out_of_scope", 0.2)
    assert prediction.faq_answers == [("faq/a", 0.7)]


def test_settings_come_from_the_component_config():
    settings = ModelSettings.from_config({"c": 3, "char_ngrams": [1, 4], "name": "ignored"})
    assert settings.c == 3 and settings.char_ngrams == (1, 4) and settings.word_ngrams == (1, 2)


def test_an_unknown_estimator_is_refused():
    with pytest.raises(ValueError, match="unknown estimator"):
        IntentModel(ModelSettings(estimator="tensorflow"))
