"""FAQ answers from the Rasa server: exact answers for buttons, and a confidence gate.

Button payloads `/faq{"faq_key": "<key>"}` select exactly that answer: retrieval
sub-intents cannot be triggered by `/faq/<key>` payloads (RasaHQ/rasa issue 6370), so this
component, which runs before Rasa's RegexMessageHandler, sets the ResponseSelector output
itself. The rule `faq → utter_faq` then answers, with no action server involved.

Rasa's FallbackClassifier only sees the intent confidence: an off-topic question can be
classified as `faq` at 0.99 while the ResponseSelector picks an answer at 0.2 (RasaHQ/rasa
issues 9751 and 9723). Below `threshold`, this component turns the prediction into
`nlu_fallback`, which leads to "Bedoelde je…?" suggestions instead of a guess.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)

RETRIEVAL_INTENT = "faq"
FAQ_KEY_ENTITY = "faq_key"
_PAYLOAD = re.compile(r"^\s*/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?\s*$", re.DOTALL)


def chosen_faq_key(text: Text, retrieval_intent: Text = RETRIEVAL_INTENT) -> Optional[Text]:
    """The key named by a button payload `/faq{"faq_key": "..."}`, if the text is one."""
    match = _PAYLOAD.match(text or "")
    if not match or match.group("intent") != retrieval_intent or not match.group("entities"):
        return None
    try:
        entities = json.loads(match.group("entities"))
    except json.JSONDecodeError:
        return None
    key = entities.get(FAQ_KEY_ENTITY) if isinstance(entities, dict) else None
    return key if isinstance(key, str) and re.fullmatch(r"[a-z0-9_]+", key) else None


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
        self._threshold = float(config["threshold"])
        self._retrieval_intent = config["retrieval_intent"]

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
            key = chosen_faq_key(message.get("text"), self._retrieval_intent)
            if key is not None:
                selector = message.data.setdefault("response_selector", {})
                selector[self._retrieval_intent] = _chosen_answer(self._retrieval_intent, key)
                continue
            intent = message.data.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != self._retrieval_intent:
                continue
            confidence = selected_answer_confidence(message.data, self._retrieval_intent)
            if confidence is None or confidence >= self._threshold:
                continue
            logger.debug("FAQ answer confidence %.2f below %.2f: nlu_fallback", confidence, self._threshold)
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: confidence}
            message.data[INTENT] = fallback
            message.data.setdefault(INTENT_RANKING_KEY, []).insert(0, dict(fallback))
        return messages
