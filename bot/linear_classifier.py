"""Intents and FAQ answers from one linear model, in place of DIETClassifier and ResponseSelector.

`LinearIntentClassifier` trains `bot.intent_model.IntentModel` on every intent and FAQ
answer key of the training data and writes what Rasa's own components write:
- `intent` and `intent_ranking` (as DIETClassifier), so the FallbackClassifier and the rules
  work unchanged; an intent is as confident as its best label, so `faq` is as sure as its
  best answer;
- `response_selector.faq` with `response` (`intent_response_key`, `utter_action`,
  `confidence`) and `ranking` (as the ResponseSelector), plus `all_retrieval_intents`, so the
  rule `faq → utter_faq`, the FAQ gate and the "Bedoelde je…?" buttons work unchanged.

No TensorFlow: it trains in seconds and answers in about a millisecond. The model is stored
in Rasa's model archive (ModelStorage) together with the scikit-learn version that trained
it; another version refuses to load it with a message that says to retrain.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text, Type

import joblib
import sklearn
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
    TOKENS_NAMES,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.intent_model import IntentModel, ModelSettings, Prediction, split_prediction
from bot.knowledge.payloads import RETRIEVAL_INTENT

logger = logging.getLogger(__name__)

MODEL_FILE = "intent_model.joblib"
META_FILE = "meta.json"


class IncompatibleModelError(RasaException):
    """The stored classifier was trained with another scikit-learn version."""


def _lemmas_of(message: Message) -> Optional[Text]:
    """The message's lemmas from the Dutch spaCy tokens (None when not tokenised)."""
    tokens = message.get(TOKENS_NAMES[TEXT])
    if not tokens:
        return None
    return " ".join(token.lemma or token.text for token in tokens)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """One scikit-learn model over intents and `faq/<key>` answers."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        defaults = ModelSettings()
        return {
            "estimator": defaults.estimator,
            "c": defaults.c,
            "char_ngrams": list(defaults.char_ngrams),
            "word_ngrams": list(defaults.word_ngrams),
            "use_lemmas": defaults.use_lemmas,
            "balanced": defaults.balanced,
            "random_state": defaults.random_state,
            "ranking_length": 10,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[IntentModel] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [m.get(INTENT_RESPONSE_KEY) or m.get(INTENT) for m in examples]
        if len(set(labels)) < 2:
            logger.warning("LinearIntentClassifier: fewer than two intents in the training data; not trained.")
            return self._resource
        lemmas = {m.get(TEXT): _lemmas_of(m) for m in examples}
        model = IntentModel(ModelSettings.from_config(self._config))
        model.fit([m.get(TEXT) for m in examples], labels, lambda text: lemmas.get(text) or text)
        self._model = model
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self._model is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
            (directory / META_FILE).write_text(json.dumps({"scikit-learn": sklearn.__version__}))

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                trained_with = json.loads((directory / META_FILE).read_text())["scikit-learn"]
                if trained_with != sklearn.__version__:
                    raise IncompatibleModelError(
                        f"The NLU model was trained with scikit-learn {trained_with}, but "
                        f"{sklearn.__version__} is installed. Retrain it: `make train` "
                        "(or `rasa train`), or install the versions of requirements.lock."
                    )
                model = joblib.load(directory / MODEL_FILE)
        except ValueError:  # nothing stored: trained without intents
            logger.warning("LinearIntentClassifier: no trained model in the archive; it will predict nothing.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None:
            return messages
        texts = [message.get(TEXT) for message in messages if message.get(TEXT)]
        if not texts:
            return messages
        lemmas = {message.get(TEXT): _lemmas_of(message) for message in messages if message.get(TEXT)}
        lemmatise = lambda text: lemmas.get(text) or text  # noqa: E731
        rows = self._model.predict_proba(texts, lemmatise)
        for message, row in zip((m for m in messages if m.get(TEXT)), rows):
            faq_allowed = self._model.mentions_faq_vocabulary(message.get(TEXT), lemmatise)
            self._write(message, split_prediction(self._model.labels, row, faq_allowed))
        return messages

    def _write(self, message: Message, prediction: Prediction) -> None:
        length = int(self._config["ranking_length"])
        ranking = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
                   for name, confidence in prediction.intents[:length]]
        message.set(INTENT, dict(ranking[0]), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        if not prediction.faq_answers:
            return
        best_key, best_confidence = prediction.faq_answers[0]
        selector = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
        selector[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = [RETRIEVAL_INTENT]
        selector[RETRIEVAL_INTENT] = {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                # The texts come from the domain through `utter_action` (ActionRetrieveResponse).
                RESPONSE_SELECTOR_RESPONSES_KEY: None,
                PREDICTED_CONFIDENCE_KEY: best_confidence,
                INTENT_RESPONSE_KEY: best_key,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{best_key}",
            },
            RESPONSE_SELECTOR_RANKING_KEY: [
                {INTENT_RESPONSE_KEY: key, PREDICTED_CONFIDENCE_KEY: confidence}
                for key, confidence in prediction.faq_answers[:length]
            ],
        }
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selector, add_to_output=True)
