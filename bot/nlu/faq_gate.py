"""FAQ answers from the Rasa server: exact answers for buttons, and a confidence gate.

Button payloads `faq:<key>` select exactly that answer. Retrieval sub-intents cannot be
triggered by `/faq/<key>` payloads (RasaHQ/rasa issue 6370), and Rasa's RegexMessageHandler
rebuilds every `/intent{...}` message from scratch, dropping the ResponseSelector output; so
this component sets intent and selected answer itself for a `faq:<key>` payload naming a key
of the catalogue. The rule `faq → utter_faq` then answers, with no action server involved.

The gate: an FAQ answer is a stronger claim than small talk, so it gets its own, higher
threshold on the selected answer's confidence (Rasa's FallbackClassifier only sees the
intent; RasaHQ/rasa issues 9751 and 9723). Below `threshold`, this component turns the
prediction into `nlu_fallback`, which leads to "Bedoelde je…?" suggestions instead of a
guess. The threshold is chosen by cross-validation (`make tune`).
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge.payloads import RETRIEVAL_INTENT, chosen_faq_key

logger = logging.getLogger(__name__)

FAQ_SUBJECT_ENTITY = "faq_subject"


def _chosen_answer(retrieval_intent: Text, key: Text) -> Dict[Text, Any]:
    response = {
        "responses": None,
        "confidence": 1.0,
        "intent_response_key": f"{retrieval_intent}/{key}",
        "utter_action": f"utter_{retrieval_intent}/{key}",
    }
    return {"response": response, "ranking": [{"intent_response_key": response["intent_response_key"], "confidence": 1.0}]}


def selected_answer_confidence(parse_data: Dict[Text, Any], retrieval_intent: Text = RETRIEVAL_INTENT) -> Optional[float]:
    """Confidence of the answer the ResponseSelector chose, if it ran."""
    selector = (parse_data.get("response_selector") or {}).get(retrieval_intent) or {}
    confidence = (selector.get("response") or {}).get("confidence")
    return float(confidence) if confidence is not None else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FaqConfidenceGate(GraphComponent):
    """Resolves FAQ button payloads; replaces a low-confidence FAQ answer by `nlu_fallback`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"threshold": 0.5, "retrieval_intent": RETRIEVAL_INTENT}

    def __init__(self, config: Dict[Text, Any]) -> None:
        from bot.knowledge import load_catalogue

        self._threshold = float(config["threshold"])
        self._retrieval_intent = config["retrieval_intent"]
        self._known_keys = frozenset(entry.key for entry in load_catalogue().entries)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FaqConfidenceGate":
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            key = chosen_faq_key(message.get("text"), self._known_keys)
            if key is not None:
                chosen = {INTENT_NAME_KEY: self._retrieval_intent, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.data[INTENT] = chosen
                message.data[INTENT_RANKING_KEY] = [dict(chosen)]
                message.data["entities"] = []
                selector = message.data.setdefault("response_selector", {})
                selector[self._retrieval_intent] = _chosen_answer(self._retrieval_intent, key)
                _remember_subject(message, key)
                continue
            intent = message.data.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != self._retrieval_intent:
                continue
            confidence = selected_answer_confidence(message.data, self._retrieval_intent)
            if confidence is None or confidence >= self._threshold:
                key = chosen_faq_key_of(message.data, self._retrieval_intent)
                if key is not None:
                    _remember_subject(message, key)
                continue
            logger.debug("FAQ answer confidence %.2f below %.2f: nlu_fallback", confidence, self._threshold)
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: confidence}
            message.data[INTENT] = fallback
            message.data.setdefault(INTENT_RANKING_KEY, []).insert(0, dict(fallback))
        return messages


def chosen_faq_key_of(parse_data: Dict[Text, Any], retrieval_intent: Text = RETRIEVAL_INTENT) -> Optional[Text]:
    """'aanleiding_herziening' for the answer 'faq/aanleiding_herziening' the selector chose."""
    response = ((parse_data.get("response_selector") or {}).get(retrieval_intent) or {}).get("response") or {}
    key = response.get("intent_response_key")
    return str(key).split("/", 1)[1] if key and "/" in str(key) else None


def _remember_subject(message: Message, key: Text) -> None:
    """The answer given becomes the `faq_subject` entity, and so the slot: the context of a follow-up."""
    entities = [e for e in message.data.get("entities") or [] if e.get("entity") != FAQ_SUBJECT_ENTITY]
    entities.append({"entity": FAQ_SUBJECT_ENTITY, "value": key, "extractor": "FaqConfidenceGate"})
    message.set("entities", entities, add_to_output=True)

