"""A message with a crebo-shaped number is a lookup, whatever the classifier thought of its words.

"wat betekent 25893", "25891, welke opleiding is dat?" and "wat is crebo 12345?" are about
that number: the lookup actions read it from the text and answer from the dataset (or say
it is unknown and point to SBB). The classifier reads words, and a bare number gives it
little to go on, so it could send such a message to "Bedoelde je…?" or to an FAQ answer.

Runs after the classifier and before the FallbackClassifier. A lookup intent the classifier
chose (level, duration, dossier, …) is kept and made sure; any other intent becomes
`lookup_crebo`. Button payloads (`/intent{…}`, `faq:<key>`) never reach the NLU pipeline
with a number in them, so they are unaffected.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

LOOKUP_INTENTS = frozenset(
    {"lookup_crebo", "lookup_qualification", "lookup_dossier", "ask_level", "ask_duration", "lookup_overview"}
)
CREBO_SHAPED = re.compile(r"(?<!\d)\d{5}(?!\d)")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CreboNumberReader(GraphComponent):
    """Routes every message that names a five-digit number to a lookup."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CreboNumberReader":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not CREBO_SHAPED.search(message.get(TEXT) or ""):
                continue
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            name = predicted if predicted in LOOKUP_INTENTS else "lookup_crebo"
            chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [dict(chosen), *ranking], add_to_output=True)
        return messages
