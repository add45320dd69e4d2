"""Intents and FAQ answers from one linear model, in place of DIETClassifier and ResponseSelector.

`LinearIntentClassifier` trains `bot.nlu.intent_model.IntentModel` on every intent and FAQ
answer key of the training data and writes what Rasa's own components write:
- `intent` and `intent_ranking` (as DIETClassifier), so the FallbackClassifier and the rules
  work unchanged; an intent is as confident as its best label, so `faq` is as sure as its
  best answer;
- `response_selector.faq` with `response` (`intent_response_key`, `utter_action`,
  `confidence`) and `ranking` (as the ResponseSelector), plus `all_retrieval_intents`, so the
  rule `faq → utter_faq`, the FAQ gate and the "Bedoelde je…?" buttons work unchanged.

With the tracker (Rasa passes it to a `process` that asks for it) it also reads context:
- a short follow-up right after an FAQ answer ("en wanneer is dat?", "geldt dat ook voor
  niveau 2?") is classified together with a training question of that answer, and the
  reading that is surer wins;
- a message that asks several things ("… en wanneer staat het in de Staatscourant?") is
  cut into questions (bot.knowledge.reader.split_questions), and each is classified on its
  own into `question_parts`, for bot/nlu/lookup_reader.py to decide on. At most
  MAX_QUESTIONS_PER_MESSAGE questions are read (bot.knowledge.reader.scope); how many more
  there were goes into `unanswered_questions`, for the answer to name.

No TensorFlow: it trains in seconds and answers in about a millisecond. The model is stored
in Rasa's model archive (ModelStorage) together with the scikit-learn version that trained
it; another version refuses to load it with a message that says to retrain.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, List, Optional, Text, Tuple, Type

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
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.dialogue_context import faq_subject
from bot.nlu.intent_model import FAQ_LABEL_PREFIX, IntentModel, ModelSettings, Prediction, split_prediction
from bot.nlu.question_parts import QUESTION_PARTS, UNANSWERED_QUESTIONS
from bot.knowledge import load_catalogue
from bot.knowledge.faq import RETRIEVAL_INTENT, answer_key
from bot.knowledge.themes import THEMES
from bot.knowledge.reader import read, scope
from bot.settings import faq_threshold
from bot.text import looks_like_a_question, normalise

logger = logging.getLogger(__name__)

MODEL_FILE = "intent_model.joblib"
META_FILE = "meta.json"
CONTEXT_FILE = "faq_context.json"
# A follow-up on the last FAQ answer is short and points back or goes on ("en …", "ook …").
MAX_FOLLOW_UP_WORDS = 10
_FOLLOW_UP = re.compile(r"^(en|maar|ook|dus|dan|of)\b|\b(dat|dit|die|deze|het|daar\w*|hier\w*|ervan|erover|ermee|ze|dan|ook)\b")


def is_faq_follow_up(text: Text) -> bool:
    """'en wanneer is dat?', 'geldt dat ook voor niveau 2?': short, pointing back, naming no record."""
    words = normalise(text).split()
    return 0 < len(words) <= MAX_FOLLOW_UP_WORDS and bool(_FOLLOW_UP.search(" ".join(words))) and not read(text).names_something


def theme_words(key: Text) -> Tuple[Tuple[Text, Text], ...]:
    """The words of the theme FAQ answer `key` belongs to ("uitwerkingsdocumenten"), as text and lemmas."""
    entry = load_catalogue().get(key)
    words = normalise(THEMES[entry.theme]) if entry is not None and entry.theme in THEMES else ""
    return ((words, words),) if words else ()


def same_theme(key: Text, prediction: Prediction) -> bool:
    """Whether the best FAQ answer of `prediction` is of the theme of FAQ answer `key`."""
    catalogue = load_catalogue()
    best = catalogue.get(prediction.faq_answers[0][0].split("/", 1)[-1]) if prediction.faq_answers else None
    return best is not None and catalogue.get(key) is not None and best.theme == catalogue.get(key).theme


class IncompatibleModelError(RasaException):
    """The stored classifier was trained with another scikit-learn version."""


def _lemmas_of(message: Message, span: Optional[Tuple[int, int]] = None) -> Optional[Text]:
    """The message's lemmas (or those within `span`) from the Dutch spaCy tokens (None when not tokenised)."""
    tokens = message.get(TOKENS_NAMES[TEXT])
    if not tokens:
        return None
    if span is not None:
        tokens = [token for token in tokens if token.start >= span[0] and token.end <= span[1]]
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
            # A short follow-up on an FAQ answer that is not, alone, an FAQ answer this sure
            # is also read with that answer's question (the FAQ gate's threshold, config.yml).
            "follow_up_below": faq_threshold(),
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[IntentModel] = None,
                 faq_context: Optional[Dict[Text, Tuple[Text, Text]]] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model
        # Per FAQ answer key: a training question and its lemmas, the context of a follow-up.
        self._faq_context = faq_context or {}

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
        self._faq_context = {}
        for message, label in zip(examples, labels):  # the first question of each answer
            if str(label).startswith(FAQ_LABEL_PREFIX) and label not in self._faq_context:
                self._faq_context[label] = (message.get(TEXT), lemmas.get(message.get(TEXT)) or message.get(TEXT))
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self._model is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
            (directory / CONTEXT_FILE).write_text(json.dumps(self._faq_context, ensure_ascii=False))
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
                context_file = directory / CONTEXT_FILE
                faq_context = json.loads(context_file.read_text()) if context_file.exists() else {}
        except ValueError:  # nothing stored: trained without intents
            logger.warning("LinearIntentClassifier: no trained model in the archive; it will predict nothing.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model, {k: tuple(v) for k, v in faq_context.items()})

    def process(self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        if self._model is None:
            return messages
        subject = faq_subject(tracker)
        for message in messages:
            if not message.get(TEXT):
                continue
            read_part = scope(message.get(TEXT))  # at most MAX_QUESTIONS_PER_MESSAGE questions are read
            text, lemmas = read_part.text, _lemmas_of(message, (0, len(read_part.text)))
            prediction = self._in_context(self._predict(text, lemmas or text), text, lemmas or text, subject)
            self._write(message, prediction)
            if len(read_part.spans) > 1:
                message.set(QUESTION_PARTS, self._parts(message, read_part.spans), add_to_output=True)
            if read_part.unanswered:
                message.set(UNANSWERED_QUESTIONS, read_part.unanswered, add_to_output=True)
        return messages

    def _is_sure_faq(self, prediction: Prediction) -> bool:
        return prediction.intent[0] == RETRIEVAL_INTENT and prediction.intent[1] >= self._config["follow_up_below"]

    def _predict(self, text: Text, lemmas: Text) -> Prediction:
        lemmatise = lambda _: lemmas  # noqa: E731  (one text at a time)
        row = self._model.predict_proba([text], lemmatise)[0]
        return split_prediction(self._model.labels, row, self._model.mentions_faq_vocabulary(text, lemmatise))

    def _in_context(self, prediction: Prediction, text: Text, lemmas: Text, subject: Optional[Text]) -> Prediction:
        """A short question that points back ("en waar komen ze te staan?", is_faq_follow_up), read with
        the FAQ answer `subject` it follows when that reads it surer: first with its theme's words alone
        (after the answer on the status of the uitwerkingsdocumenten it is about uitwerkingsdocumenten,
        not their status), then with that answer's own first question."""
        context = self._faq_context.get(f"{RETRIEVAL_INTENT}/{subject}") if subject else None
        if context is None or self._is_sure_faq(prediction) or not is_faq_follow_up(text):
            return prediction
        for context_text, context_lemmas in (*theme_words(subject), context):
            joined = self._predict(f"{context_text} {text}", f"{context_lemmas} {lemmas}")
            if joined.intent[0] == RETRIEVAL_INTENT and (
                joined.intent[1] > prediction.intent[1] or self._is_sure_faq(joined)
            ) and (context_text == context[0] or same_theme(subject, joined)):
                # (the theme's words are there to keep the subject: an answer of another theme is no follow-up)
                return joined
        return prediction

    def _parts(self, message: Message, spans: Tuple[Tuple[int, int], ...]) -> List[Dict[Text, Any]]:
        """Each question of a message: where it is, and its best label ('faq/<key>' for an FAQ answer).
        A later question that points back is read with the FAQ answer of the one before, as a follow-up
        on that answer would be ("Hebben ze een wettelijke status? En waar worden ze geplaatst?")."""
        parts: List[Dict[Text, Any]] = []
        for span in spans:
            text = message.get(TEXT)[span[0]:span[1]]
            lemmas = _lemmas_of(message, span) or text
            # (after a question only: "… beweert dat X drie kwalificaties heeft. Klopt dat?" checks the statement)
            subject = answer_key(parts[-1]["label"]) if parts and looks_like_a_question(parts[-1]["text"]) else None
            prediction = self._in_context(self._predict(text, lemmas), text, lemmas, subject)
            label, confidence = prediction.intent
            if label == RETRIEVAL_INTENT and prediction.faq_answers:
                label, confidence = prediction.faq_answers[0]
            parts.append({"start": span[0], "end": span[1], "text": text, "label": label, "confidence": round(confidence, 4)})
        return parts

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
