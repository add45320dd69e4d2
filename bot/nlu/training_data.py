"""The NLU training data as Rasa reads it (bot.NLU_FILES), for the tools and the leak checks."""
from __future__ import annotations

from typing import List, Tuple

from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import NLU_FILES, PROJECT_DIR


def training_data() -> TrainingData:
    return TrainingData().merge(*(load_data(str(PROJECT_DIR / name)) for name in NLU_FILES))


def training_examples() -> Tuple[List[str], List[str]]:
    """Every example question and its label (an intent, or `faq/<key>` for an FAQ answer)."""
    examples = training_data().intent_examples
    return [m.get("text") for m in examples], [m.get("intent_response_key") or m.get("intent") for m in examples]


def training_texts() -> List[str]:
    return training_examples()[0]
