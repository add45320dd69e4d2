"""The Rasa component writes what DIETClassifier and the ResponseSelector wrote, and its
model lives in Rasa's model storage with the scikit-learn version that trained it."""
from __future__ import annotations

import json

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_classifier import IncompatibleModelError, LinearIntentClassifier

EXAMPLES = {
    "faq/aanleiding_herziening": ["waarom is er een herziening", "waarom worden de opleidingen herzien",
                                  "wat is de reden van de herziening"],
    "faq/keuzedelen_verplicht": ["zijn keuzedelen verplicht", "moet ik een keuzedeel kiezen", "verplichte keuzedelen"],
    "greet": ["hallo", "hoi daar", "goedemorgen"],
    "out_of_scope": ["wat wordt het weer", "wie wint de wedstrijd", "hoe laat is het"],
}


def training_data() -> TrainingData:
    messages = []
    for label, texts in EXAMPLES.items():
        intent = label.split("/")[0]
        extra = {"intent_response_key": label} if "/" in label else {}
        messages += [Message(data={"text": text, "intent": intent, **extra}) for text in texts]
    return TrainingData(messages)


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


@pytest.fixture
def trained(storage):
    context = ExecutionContext(GraphSchema({}), "test")
    resource = Resource("linear_intent_classifier")
    classifier = LinearIntentClassifier.create({"c": 10}, storage, resource, context)
    classifier.train(training_data())
    return resource, context


def load(storage, trained) -> LinearIntentClassifier:
    resource, context = trained
    return LinearIntentClassifier.load({"c": 10}, storage, resource, context)


def parse(classifier: LinearIntentClassifier, text: str) -> Message:
    message = Message(data={"text": text})
    classifier.process([message])
    return message


def test_an_faq_question_gets_intent_faq_and_the_selected_answer(storage, trained):
    message = parse(load(storage, trained), "waarom is er een herziening?")
    assert message.get("intent")["name"] == "faq"
    selector = message.get("response_selector")
    assert selector["all_retrieval_intents"] == ["faq"]
    response = selector["faq"]["response"]
    assert response["intent_response_key"] == "faq/aanleiding_herziening"
    assert response["utter_action"] == "utter_faq/aanleiding_herziening"
    assert response["confidence"] == message.get("intent")["confidence"]
    assert [r["intent_response_key"] for r in selector["faq"]["ranking"]][0] == "faq/aanleiding_herziening"


def test_other_intents_are_ranked_with_confidences(storage, trained):
    message = parse(load(storage, trained), "hoi, zijn keuzedelen verplicht?")
    ranking = message.get("intent_ranking")
    assert ranking[0] == message.get("intent")
    assert {r["name"] for r in ranking} == {"faq", "greet", "out_of_scope"}
    assert all(0.0 <= r["confidence"] <= 1.0 for r in ranking)


def test_without_a_word_of_the_faq_questions_faq_is_no_intent(storage, trained):
    message = parse(load(storage, trained), "hallo")
    assert message.get("intent")["name"] == "greet"
    assert "faq" not in {r["name"] for r in message.get("intent_ranking")}


def test_a_model_of_another_scikit_learn_version_is_refused_with_what_to_do(storage, trained):
    resource, _ = trained
    with storage.write_to(resource) as directory:
        (directory / "meta.json").write_text(json.dumps({"scikit-learn": "0.0.1"}))
    with pytest.raises(IncompatibleModelError, match="scikit-learn 0.0.1.*make train"):
        load(storage, trained)


def test_an_untrained_component_predicts_nothing(storage):
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = LinearIntentClassifier.load({}, storage, Resource("never_trained"), context)
    assert parse(classifier, "hallo").get("intent") is None


def test_a_follow_up_on_an_faq_answer_is_read_first_with_the_words_of_that_answers_theme():
    from bot.nlu.linear_classifier import theme_words

    assert theme_words("uitwerkingsdocumenten_status") == (("uitwerkingsdocumenten", "uitwerkingsdocumenten"),)
    assert theme_words("keuzedelen_verplicht") == (("keuzedelen", "keuzedelen"),)
    assert theme_words("no_such_answer") == ()


def test_a_follow_up_read_with_the_theme_words_keeps_to_that_theme():
    from bot.nlu.intent_model import Prediction
    from bot.nlu.linear_classifier import same_theme

    def best(key: str) -> Prediction:
        return Prediction(intents=[("faq", 0.9)], faq_answers=[(f"faq/{key}", 0.9)])

    assert same_theme("uitwerkingsdocumenten_status", best("mededelingen_uitwerkingsdocument"))
    assert not same_theme("eigen_lesprogramma", best("landelijke_herkenbaarheid_diploma"))
