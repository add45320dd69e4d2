"""`FaqButtonPayloads`: a button payload `faq:<key>` selects exactly that FAQ answer.

Retrieval sub-intents cannot be triggered by `/faq/<key>` payloads (RasaHQ/rasa issue 6370),
and Rasa's RegexMessageHandler rebuilds every `/intent{...}` message from scratch, dropping
the ResponseSelector output; so this component sets the intent and the selected answer
itself for a `faq:<key>` payload naming a key of the catalogue (bot/knowledge/faq.py). The
rule `faq → utter_faq` then answers, with no action server involved. Runs right after the
classifier, so nothing after it guesses about a click.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge import load_catalogue
from bot.knowledge.faq import RETRIEVAL_INTENT, chosen_answer_output, chosen_faq_key


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FaqButtonPayloads(GraphComponent):
    """Turns a `faq:<key>` payload into the FAQ answer `key`, with confidence 1."""

    def __init__(self) -> None:
        self._known_keys = load_catalogue().keys

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FaqButtonPayloads":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            key = chosen_faq_key(message.get(TEXT), self._known_keys)
            if key is None:
                continue
            chosen = {INTENT_NAME_KEY: RETRIEVAL_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.data[INTENT] = chosen
            message.data[INTENT_RANKING_KEY] = [dict(chosen)]
            message.data[ENTITIES] = []
            message.data.setdefault("response_selector", {})[RETRIEVAL_INTENT] = chosen_answer_output(key)
        return messages
