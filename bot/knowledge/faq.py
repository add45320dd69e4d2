"""How FAQ answers are named and chosen, the same in the Rasa server and the action server.

- The retrieval intent `faq`: an answer's label is `faq/<key>`, its response `utter_faq/<key>`
  (data/generated/faq_responses.yml), where <key> is the answer's key in faq.yml.
- Button payloads `faq:<key>` select exactly one answer (resolved in the Rasa server by
  bot/nlu/faq_payloads.py), so a click never lands on another answer.
- What the ResponseSelector chose for a message, and which answers are worth suggesting
  when it is not sure ("Bedoelde je…?").

Plain data in, plain data out: this imports neither Rasa nor rasa-sdk, so both servers and
the tools share it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Collection, Dict, List, Mapping, Optional

RETRIEVAL_INTENT = "faq"
# The action that gives the selected answer (the rule `faq → utter_faq`).
RETRIEVAL_ACTION = f"utter_{RETRIEVAL_INTENT}"
PAYLOAD_PREFIX = f"{RETRIEVAL_INTENT}:"
_PAYLOAD = re.compile(rf"^{PAYLOAD_PREFIX}(?P<key>[a-z0-9_]+)$")

# "Bedoelde je…?": at most this many answers, none below this confidence (below it a
# candidate is noise, not a suggestion), and only when `faq` is one of the two likeliest intents.
MAX_SUGGESTIONS = 3
MIN_SUGGESTION_CONFIDENCE = 0.08
SUGGEST_WHEN_FAQ_IN_TOP = 2

ParseData = Mapping[str, Any]


def answer_label(key: str) -> str:
    """'faq/bol_bbl': the answer's label in training data and in the ResponseSelector's output."""
    return f"{RETRIEVAL_INTENT}/{key}"


def response_name(key: str) -> str:
    """'utter_faq/bol_bbl': the response that gives the answer."""
    return f"{RETRIEVAL_ACTION}/{key}"


def answer_key(label: Optional[str]) -> Optional[str]:
    """'bol_bbl' for the label 'faq/bol_bbl'; None for any other label."""
    prefix = f"{RETRIEVAL_INTENT}/"
    return label[len(prefix):] or None if label and label.startswith(prefix) else None


def faq_payload(key: str) -> str:
    """The button payload that selects the FAQ answer `key`."""
    return f"{PAYLOAD_PREFIX}{key}"


def chosen_faq_key(text: Optional[str], known_keys: Collection[str]) -> Optional[str]:
    """The key named by a button payload `faq:<key>`, if the text is one for a known key."""
    match = _PAYLOAD.match((text or "").strip())
    return match.group("key") if match and match.group("key") in known_keys else None


@dataclass(frozen=True)
class RankedAnswer:
    key: str
    confidence: float


def _selector(parse_data: ParseData) -> Mapping[str, Any]:
    return (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}


def selected_answer(parse_data: ParseData) -> Optional[RankedAnswer]:
    """The answer the ResponseSelector chose for this message, if it ran and chose one."""
    response = _selector(parse_data).get("response") or {}
    key = answer_key(response.get("intent_response_key"))
    if key is None:
        return None
    confidence = response.get("confidence")
    return RankedAnswer(key, float(confidence) if confidence is not None else 0.0)


def ranked_answers(parse_data: ParseData) -> List[RankedAnswer]:
    """Every answer the ResponseSelector ranked for this message, likeliest first."""
    ranked = []
    for candidate in _selector(parse_data).get("ranking") or []:
        key = answer_key(candidate.get("intent_response_key"))
        if key is not None:
            ranked.append(RankedAnswer(key, float(candidate.get("confidence") or 0.0)))
    return ranked


def suggested_answer_keys(parse_data: ParseData, known_keys: Collection[str]) -> List[str]:
    """The answers to offer as "Bedoelde je…?" for this message: up to MAX_SUGGESTIONS keys."""
    intents = [i.get("name") for i in parse_data.get("intent_ranking") or [] if i.get("name") != "nlu_fallback"]
    if RETRIEVAL_INTENT not in intents[:SUGGEST_WHEN_FAQ_IN_TOP]:
        return []
    keys: List[str] = []
    for candidate in ranked_answers(parse_data):
        if candidate.key in known_keys and candidate.confidence >= MIN_SUGGESTION_CONFIDENCE and candidate.key not in keys:
            keys.append(candidate.key)
        if len(keys) == MAX_SUGGESTIONS:
            break
    return keys


def chosen_answer_output(key: str) -> Dict[str, Any]:
    """The ResponseSelector output for an answer chosen outright (a button): confidence 1."""
    label = answer_label(key)
    return {
        "response": {"responses": None, "confidence": 1.0, "intent_response_key": label,
                     "utter_action": response_name(key)},
        "ranking": [{"intent_response_key": label, "confidence": 1.0}],
    }
