"""Held-out evaluation: does each unseen question get the right answer?

"Right" means: for an FAQ question, intent `faq` with exactly the expected answer
(a "Bedoelde je…?" fallback counts as wrong); for other intents, that intent; for an
off-topic question, anything but an FAQ answer. Used by tests/nlu and `make eval`.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa.shared.nlu.training_data.loading import load_data

from bot import PROJECT_DIR

HELDOUT_PATH = PROJECT_DIR / "tests" / "nlu" / "heldout.yml"
OFF_TOPIC = "out_of_scope"


@dataclass(frozen=True)
class Outcome:
    text: str
    expected: str  # "faq/<key>", an intent name, or out_of_scope
    predicted: str  # "faq/<key>", an intent name, or nlu_fallback

    @property
    def correct(self) -> bool:
        if self.expected == OFF_TOPIC:
            return not self.predicted.startswith("faq/")
        return self.predicted == self.expected


def heldout_examples(path: Path = HELDOUT_PATH) -> List[Tuple[str, str]]:
    data = load_data(str(path))
    return [(m.get("text"), m.get("intent_response_key") or m.get("intent")) for m in data.intent_examples]


def predicted_label(parse_data: Dict[str, Any]) -> str:
    intent = (parse_data.get("intent") or {}).get("name") or "none"
    if intent == "faq":
        return (parse_data["intent"].get("full_retrieval_intent_name")) or "faq"
    return intent


async def evaluate(agent, examples: Sequence[Tuple[str, str]]) -> List[Outcome]:
    outcomes = []
    for text, expected in examples:
        parse_data = await agent.parse_message(text)
        outcomes.append(Outcome(text=text, expected=expected, predicted=predicted_label(parse_data)))
    return outcomes


@dataclass(frozen=True)
class Summary:
    faq_accuracy: float
    intent_accuracy: float
    overall_accuracy: float
    off_topic_rejection: float
    faq_answers_to_off_topic: int
    errors: Tuple[Outcome, ...]
    confused_pairs: Tuple[Tuple[Tuple[str, str], int], ...]
    counts: Dict[str, int]


def _share(outcomes: Sequence[Outcome]) -> float:
    return sum(o.correct for o in outcomes) / len(outcomes) if outcomes else float("nan")


def summarise(outcomes: Sequence[Outcome]) -> Summary:
    faq = [o for o in outcomes if o.expected.startswith("faq/")]
    off_topic = [o for o in outcomes if o.expected == OFF_TOPIC]
    intents = [o for o in outcomes if o not in faq and o not in off_topic]
    errors = tuple(o for o in outcomes if not o.correct)
    confused = Counter((o.expected, o.predicted) for o in errors)
    return Summary(
        faq_accuracy=_share(faq),
        intent_accuracy=_share(intents),
        overall_accuracy=_share(outcomes),
        off_topic_rejection=_share(off_topic),
        faq_answers_to_off_topic=sum(o.predicted.startswith("faq/") for o in off_topic),
        errors=errors,
        confused_pairs=tuple(confused.most_common()),
        counts={"faq": len(faq), "intents": len(intents), "off_topic": len(off_topic)},
    )


def format_summary(summary: Summary) -> str:
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| FAQ answer top-1 accuracy ({summary.counts['faq']} questions) | {summary.faq_accuracy:.1%} |",
        f"| other intents accuracy ({summary.counts['intents']} questions) | {summary.intent_accuracy:.1%} |",
        f"| overall accuracy | {summary.overall_accuracy:.1%} |",
        f"| off-topic rejected ({summary.counts['off_topic']} questions) | {summary.off_topic_rejection:.1%} |",
        f"| FAQ answers given to off-topic questions | {summary.faq_answers_to_off_topic} |",
    ]
    if summary.errors:
        lines += ["", "Wrong answers (expected → predicted):"]
        lines += [f"- {o.text!r}: {o.expected} → {o.predicted}" for o in summary.errors]
    return "\n".join(lines)


def main(model: Optional[str] = None) -> int:
    from rasa.core.agent import Agent

    agent = Agent.load(model or str(PROJECT_DIR / "models" / "vragenbot.tar.gz"))
    summary = summarise(asyncio.run(evaluate(agent, heldout_examples())))
    print(format_summary(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
