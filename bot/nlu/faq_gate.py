"""`FaqConfidenceGate`: an FAQ answer must be surer than small talk, and a given one is remembered.

An FAQ answer is a stronger claim than small talk, so it gets its own, higher threshold on
the selected answer's confidence (Rasa's FallbackClassifier only sees the intent; RasaHQ/rasa
issues 9751 and 9723). Below `threshold`, this component turns the prediction into
`nlu_fallback`, which leads to "Bedoelde je…?" suggestions instead of a guess. The threshold
is chosen by cross-validation (`make tune`).

An answer that passes (a clicked one always does) becomes the `faq_subject` entity, and so
the slot: the context of a follow-up ("en voor bbl?").
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge.faq import RETRIEVAL_INTENT, selected_answer

logger = logging.getLogger(__name__)

FAQ_SUBJECT_ENTITY = "faq_subject"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FaqConfidenceGate(GraphComponent):
    """Replaces a low-confidence FAQ answer by `nlu_fallback`; remembers the answer otherwise."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"threshold": 0.5}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._threshold = float(config["threshold"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FaqConfidenceGate":
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if (message.data.get(INTENT) or {}).get(INTENT_NAME_KEY) != RETRIEVAL_INTENT:
                continue
            selected = selected_answer(message.data)
            if selected is None:
                continue
            if selected.confidence >= self._threshold:
                remember_subject(message, selected.key)
                continue
            logger.debug("FAQ answer confidence %.2f below %.2f: nlu_fallback", selected.confidence, self._threshold)
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: selected.confidence}
            message.data[INTENT] = fallback
            message.data.setdefault(INTENT_RANKING_KEY, []).insert(0, dict(fallback))
        return messages


def remember_subject(message: Message, key: Text) -> None:
    """The FAQ answer `key` becomes the `faq_subject` entity (and so the slot) of `message`."""
    entities = [e for e in message.data.get(ENTITIES) or [] if e.get("entity") != FAQ_SUBJECT_ENTITY]
    entities.append({"entity": FAQ_SUBJECT_ENTITY, "value": key, "extractor": FaqConfidenceGate.__name__})
    message.set(ENTITIES, entities, add_to_output=True)
