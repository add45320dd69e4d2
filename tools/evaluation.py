"""Held-out evaluation: does each unseen question get the right answer?

"Right" means: for an FAQ question, intent `faq` with exactly the expected answer (or the lookup
that gives that answer and then says what it leaves out: the reader names it as `faq_subject`); for other
intents, that intent; for an off-topic question, a reply without domain content (off-topic,
"niet in mijn bronnen", small talk, or "Bedoelde je…?" with nothing to suggest).
A "wrong answer" to an FAQ question is any reply that is neither right nor a "Bedoelde je…?"
list with the right answer: another answer, a lookup or small talk all count. Used by
tests/nlu and `make eval`.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa.shared.nlu.training_data.loading import load_data

from bot import PROJECT_DIR
from bot.knowledge import load_catalogue
from bot.knowledge.faq import answer_label, suggested_answer_keys
from bot.knowledge.lookup_intents import NOT_IN_SOURCES
from bot.nlu.faq_gate import FAQ_SUBJECT_ENTITY

HELDOUT_PATH = PROJECT_DIR / "tests" / "nlu" / "heldout.yml"
OFF_TOPIC = "out_of_scope"
FALLBACK = "nlu_fallback"
# Replies that give no domain content: what an off-topic question should get.
NO_DOMAIN_CONTENT = frozenset({OFF_TOPIC, NOT_IN_SOURCES, "greet", "goodbye", "thank", "bot_challenge",
                               "request_human"})


@dataclass(frozen=True)
class Outcome:
    text: str
    expected: str  # "faq/<key>", an intent name, or out_of_scope
    predicted: str  # "faq/<key>", an intent name, or nlu_fallback
    suggested: Tuple[str, ...] = ()  # the "Bedoelde je…?" candidates, for a fallback

    @property
    def correct(self) -> bool:
        if self.expected == OFF_TOPIC:
            return self.predicted in NO_DOMAIN_CONTENT or (self.predicted == FALLBACK and not self.suggested)
        return self.predicted == self.expected


def heldout_examples(path: Path = HELDOUT_PATH) -> List[Tuple[str, str]]:
    data = load_data(str(path))
    return [(m.get("text"), m.get("intent_response_key") or m.get("intent")) for m in data.intent_examples]


def predicted_label(parse_data: Dict[str, Any]) -> str:
    intent = (parse_data.get("intent") or {}).get("name") or "none"
    if intent == "faq":
        return (parse_data["intent"].get("full_retrieval_intent_name")) or "faq"
    named = [e.get("value") for e in parse_data.get("entities") or [] if e.get("entity") == FAQ_SUBJECT_ENTITY]
    if intent == NOT_IN_SOURCES and named:
        # "hoeveel kost een examen van Esmei?": the lookup gives that FAQ answer, then says what it leaves out
        return answer_label(str(named[0]))
    return intent


async def evaluate(agent, examples: Sequence[Tuple[str, str]]) -> List[Outcome]:
    outcomes, known_keys = [], load_catalogue().keys
    for text, expected in examples:
        parse_data = await agent.parse_message(text)
        predicted = predicted_label(parse_data)
        suggested: Tuple[str, ...] = ()
        if predicted == "nlu_fallback":
            suggested = tuple(answer_label(key) for key in suggested_answer_keys(parse_data, known_keys))
        outcomes.append(Outcome(text=text, expected=expected, predicted=predicted, suggested=suggested))
    return outcomes


@dataclass(frozen=True)
class Summary:
    faq_accuracy: float
    intent_accuracy: float
    overall_accuracy: float
    off_topic_rejection: float
    faq_answers_to_off_topic: int
    faq_right_or_suggested: float
    faq_wrong_answer: float
    macro_f1: float
    errors: Tuple[Outcome, ...]
    confused_pairs: Tuple[Tuple[Tuple[str, str], int], ...]
    counts: Dict[str, int]


def _share(outcomes: Sequence[Outcome]) -> float:
    return sum(o.correct for o in outcomes) / len(outcomes) if outcomes else float("nan")


def _share_where(outcomes: Sequence[Outcome], condition) -> float:
    return sum(1 for o in outcomes if condition(o)) / len(outcomes) if outcomes else float("nan")


def scored_label(outcome: Outcome) -> str:
    """The prediction as scored: a reply without domain content to an off-topic question is right."""
    return OFF_TOPIC if outcome.expected == OFF_TOPIC and outcome.correct else outcome.predicted


def macro_f1(outcomes: Sequence[Outcome]) -> float:
    """F1 averaged over the expected labels (each FAQ answer, each intent, off-topic)."""
    from sklearn.metrics import f1_score

    labels = sorted({o.expected for o in outcomes})
    return float(f1_score([o.expected for o in outcomes], [scored_label(o) for o in outcomes],
                          labels=labels, average="macro", zero_division=0))


def save_confusion_matrix(outcomes: Sequence[Outcome], title: str, path: Path) -> None:
    """A confusion-matrix picture: expected labels down, predicted across (plus fallback)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    expected = [o.expected for o in outcomes]
    predicted = [scored_label(o) for o in outcomes]
    labels = sorted(set(expected)) + sorted(set(predicted) - set(expected))
    matrix = confusion_matrix(expected, predicted, labels=labels)
    size = 4 + 0.22 * len(labels)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    for row, column in zip(*matrix.nonzero()):
        if row != column:  # the mistakes, readable without a colour scale
            axes.text(column, row, str(matrix[row, column]), ha="center", va="center", fontsize=6, color="darkred")
    axes.set_xlabel("predicted")
    axes.set_ylabel("expected")
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


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
        faq_right_or_suggested=_share_where(faq, lambda o: o.correct or o.expected in o.suggested),
        faq_wrong_answer=_share_where(faq, lambda o: not o.correct and o.expected not in o.suggested),
        macro_f1=macro_f1(outcomes),
        errors=errors,
        confused_pairs=tuple(confused.most_common()),
        counts={"faq": len(faq), "intents": len(intents), "off_topic": len(off_topic)},
    )


def format_summary(summary: Summary) -> str:
    lines = [
        "| measure | value |",
        "|---|---|",
        f"| FAQ answer top-1 accuracy ({summary.counts['faq']} questions) | {summary.faq_accuracy:.1%} |",
        f"| FAQ: right answer, or offered as a suggestion | {summary.faq_right_or_suggested:.1%} |",
        f"| FAQ: a wrong answer given | {summary.faq_wrong_answer:.1%} |",
        f"| other intents accuracy ({summary.counts['intents']} questions) | {summary.intent_accuracy:.1%} |",
        f"| overall accuracy | {summary.overall_accuracy:.1%} |",
        f"| macro F1 over all labels | {summary.macro_f1:.3f} |",
        f"| off-topic rejected ({summary.counts['off_topic']} questions) | {summary.off_topic_rejection:.1%} |",
        f"| FAQ answers given to off-topic questions | {summary.faq_answers_to_off_topic} |",
    ]
    if summary.confused_pairs:
        lines += ["", "Most confused (expected → predicted: count):"]
        lines += [f"- {expected} → {predicted}: {count}" for (expected, predicted), count in summary.confused_pairs[:10]]
    if summary.errors:
        lines += ["", "Wrong answers (expected → predicted):"]
        lines += [f"- {o.text!r}: {o.expected} → {o.predicted}" for o in summary.errors]
    return "\n".join(lines)


def _percent(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.1%}"


def side_by_side(columns: Dict[str, Dict[str, Any]]) -> str:
    """Markdown table, one column per pipeline: held-out figures, cross-validation, cost.

    Each column is a dict with a `summary` (Summary, or the dict of reports/diet.json), and
    optional `crossval` ({"intent", "faq_answer"}), `train_seconds` and `model_bytes`.
    """
    def held(column: Dict[str, Any], name: str) -> Any:
        summary = column.get("summary")
        if summary is None:
            return None
        return summary[name] if isinstance(summary, dict) else getattr(summary, name)

    rows = [
        ("FAQ answer top-1", "faq_accuracy"),
        ("FAQ: right answer or among the suggestions", "faq_right_or_suggested"),
        ("FAQ: wrong answer given", "faq_wrong_answer"),
        ("lookups and small talk (other intents)", "intent_accuracy"),
        ("off-topic rejected", "off_topic_rejection"),
        ("overall", "overall_accuracy"),
    ]
    names = list(columns)
    lines = ["| measure | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for label, name in rows:
        lines.append(f"| held-out: {label} | " + " | ".join(_percent(held(columns[n], name)) for n in names) + " |")
    lines.append("| held-out: FAQ answers given to off-topic questions | "
                 + " | ".join(str(held(columns[n], "faq_answers_to_off_topic") if held(columns[n], "faq_answers_to_off_topic") is not None else "–") for n in names) + " |")
    for label, key in (("intent", "intent"), ("FAQ answer", "faq_answer")):
        lines.append(f"| 3-fold cross-validation: {label} | "
                     + " | ".join(_percent((columns[n].get("crossval") or {}).get(key)) for n in names) + " |")
    lines.append("| training time | " + " | ".join(
        f"{columns[n]['train_seconds']:.0f} s" if columns[n].get("train_seconds") is not None else "–" for n in names) + " |")
    lines.append("| model size | " + " | ".join(
        f"{columns[n]['model_bytes'] / 1e6:.1f} MB" if columns[n].get("model_bytes") is not None else "–" for n in names) + " |")
    return "\n".join(lines)


def light_crossval(config_path: Path = PROJECT_DIR / "config.yml") -> Dict[str, float]:
    """The product classifier's own 3-fold cross-validation (the same model as in Rasa)."""
    import numpy as np
    import yaml

    from bot.nlu.intent_model import ModelSettings
    from tools.tune import SEEDS, offline_lemmatiser, out_of_fold, training_examples

    pipeline = yaml.safe_load(config_path.read_text())["pipeline"]
    settings = ModelSettings.from_config(next(c for c in pipeline if c["name"].endswith("LinearIntentClassifier")))
    texts, labels = training_examples()
    run = out_of_fold(settings, texts, labels, offline_lemmatiser(), SEEDS[0], read_messages=False)  # top-1 only
    predicted = [run.labels[i] for i in run.probabilities.argmax(axis=1)]
    faq = [(e, p) for e, p in zip(labels, predicted) if e.startswith("faq/")]
    return {
        "intent": float(np.mean([e.split("/")[0] == p.split("/")[0] for e, p in zip(labels, predicted)])),
        "faq_answer": float(np.mean([e == p for e, p in faq])),
    }


def baseline_crossval() -> Dict[str, float]:
    from tools.crossval import baseline_rows

    (_, intent, _), (_, faq_answer, _) = baseline_rows()
    return {"intent": intent, "faq_answer": faq_answer}


def main(model: Optional[str] = None) -> int:
    """`make eval`: held-out figures of the assistant, the old DIET pipeline and the baseline."""
    import json
    import logging
    import time

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from tools.baseline import NearestExampleBaseline

    configure_structlog(logging.WARNING)  # not one debug line per parsed question

    examples = heldout_examples()
    model_path = Path(model or PROJECT_DIR / "models" / "vragenbot.tar.gz")
    agent = Agent.load(str(model_path))
    our_outcomes = asyncio.run(evaluate(agent, examples))
    started = time.perf_counter()
    baseline_model = NearestExampleBaseline.from_training_data()
    baseline_seconds = time.perf_counter() - started
    baseline_outcomes = [Outcome(t, e, baseline_model.predict(t)[0]) for t, e in examples]
    ours, baseline = summarise(our_outcomes), summarise(baseline_outcomes)

    train_file = PROJECT_DIR / "var" / "train_seconds"
    columns: Dict[str, Dict[str, Any]] = {
        "light NLU (config.yml)": {
            "summary": ours, "crossval": light_crossval(), "model_bytes": model_path.stat().st_size,
            "train_seconds": float(train_file.read_text()) if train_file.exists() else None,
        },
    }
    diet_file = PROJECT_DIR / "reports" / "diet.json"
    diet = json.loads(diet_file.read_text()) if diet_file.exists() else {}
    columns["DIET (tools/diet-config.yml)"] = {"summary": diet.get("heldout"), **{
        k: diet.get(k) for k in ("crossval", "train_seconds", "model_bytes")}}
    columns["TF-IDF nearest example"] = {"summary": baseline, "crossval": baseline_crossval(),
                                         "train_seconds": baseline_seconds}
    table = side_by_side(columns)
    reports = PROJECT_DIR / "reports"
    reports.mkdir(exist_ok=True)
    save_confusion_matrix(our_outcomes, "Vragenbot (held-out)", reports / "confusion-vragenbot.png")
    save_confusion_matrix(baseline_outcomes, "TF-IDF baseline (held-out)", reports / "confusion-baseline.png")
    (reports / "eval.md").write_text(
        f"# Held-out evaluation\n\n{table}\n\n## Vragenbot\n\n{format_summary(ours)}\n\n"
        f"## Baseline\n\n{format_summary(baseline)}\n\n"
        "Confusion matrices: confusion-vragenbot.png, confusion-baseline.png\n",
        encoding="utf-8",
    )
    print(table)
    if not diet:
        print("\nNo DIET figures yet: `make eval-diet` trains and measures the old pipeline (≈15 min).")
    print(f"\n{len(ours.errors)} wrong answers; details in reports/eval.md, "
          "confusion matrices in reports/confusion-*.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
