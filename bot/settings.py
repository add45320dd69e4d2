"""The settings chosen by `make tune`, read from their one place: config.yml.

Rasa gives each pipeline component its own config; some settings are shared (the
confidence from which an FAQ answer is trusted over the dataset reader is used by the
classifier and the lookup reader) and some are read outside Rasa (the ask model runs in the action server
too). Each is written once in config.yml and read here; tests/tools/test_tune.py fails
when config.yml differs from what `make tune` chooses.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, Optional, Tuple

import yaml

from bot import PROJECT_DIR

CONFIG_PATH = PROJECT_DIR / "config.yml"
FAQ_GATE = "bot.nlu.faq_gate.FaqConfidenceGate"
LOOKUP_READER = "bot.nlu.lookup_reader.LookupReader"


@lru_cache(maxsize=None)
def component_config(name: str) -> Dict[str, Any]:
    """The settings of one pipeline component in config.yml ({} when it is not there)."""
    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8")) or {}
    for component in config.get("pipeline") or []:
        if component.get("name") == name:
            return {k: v for k, v in component.items() if k != "name"}
    return {}


def trust_faq_from() -> float:
    """`trust_faq_from` as config.yml writes it: the confidence from which the classifier's FAQ
    answer (or one question's label) is trusted over the dataset reader, whatever the fallback."""
    return float(component_config(LOOKUP_READER)["trust_faq_from"])


def fallback_threshold() -> float:
    """Below this confidence the FallbackClassifier asks "Bedoelde je…?" (chosen by `make tune`)."""
    return float(component_config("FallbackClassifier").get("threshold", 0.0))


def faq_threshold(fallback: Optional[float] = None) -> float:
    """The confidence from which the classifier's FAQ answer (or one question of a message) is
    trusted over what the dataset reader says, and a follow-up on an FAQ answer is read alone:
    `trust_faq_from`, but never below the FallbackClassifier's threshold (`fallback`, config.yml's
    when None). An FAQ answer the pipeline will not give is no answer to trust: with trust 0.625
    and fallback 0.7 a count the reader answers got "Bedoelde je…?" instead.
    (The FAQ gate's own threshold, chosen by `make tune`, is the gate's config.)"""
    return max(trust_faq_from(), fallback_threshold() if fallback is None else fallback)


@dataclass(frozen=True)
class AskSettings:
    """The ask model's settings (bot/knowledge/asked.py); the values in config.yml (LookupReader)
    are chosen by `make tune`."""

    c: float = 30.0
    threshold: float = 0.6  # a label is asked when its probability reaches this
    # When no label reaches the threshold, a question that may well ask something the sources
    # do not hold is said to (1.0: never): "wordt het diploma ook in België erkend?".
    not_held_floor: float = 0.3
    # A question about an FAQ subject asks a detail the answer does not give ("welke mensen hebben
    # zitting in die werkgroep?") when the model is this sure it asks what the sources do not hold and no fact
    # pattern can check it (bot/knowledge/faq_gaps.py).
    sure_of_a_detail: float = 0.9
    char_ngrams: Tuple[int, int] = (2, 5)
    word_ngrams: Tuple[int, int] = (1, 2)


def ask_settings() -> AskSettings:
    """The ask model's settings as config.yml holds them."""
    config, defaults = component_config(LOOKUP_READER), AskSettings()
    return AskSettings(
        c=float(config.get("ask_c", defaults.c)),
        threshold=float(config.get("ask_threshold", defaults.threshold)),
        not_held_floor=float(config.get("ask_not_held_floor", defaults.not_held_floor)),
        sure_of_a_detail=float(config.get("ask_sure_of_a_detail", defaults.sure_of_a_detail)),
        char_ngrams=tuple(config.get("ask_char_ngrams", defaults.char_ngrams)),
        word_ngrams=tuple(config.get("ask_word_ngrams", defaults.word_ngrams)),
    )
