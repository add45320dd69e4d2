"""Cross-validation figures: Rasa's (`rasa test nlu --cross-validation`) next to the
TF-IDF baseline's, on the same folds' sizes of the same training data.

`make eval` runs Rasa's cross-validation into reports/crossval and then this module, which
reads Rasa's reports and runs the baseline's own 3-fold cross-validation (stratified, fixed
seed) so the two rows can be compared.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from bot.baseline import TRAINING_PATH, NearestExampleBaseline

FOLDS = 3
Row = Tuple[str, float, float]


def rasa_rows(out_dir: Path) -> List[Row]:
    rows = []
    for name, label in (("intent_report.json", "intent"), ("response_selection_report.json", "FAQ answer")):
        report = out_dir / name
        if report.exists():
            data = json.loads(report.read_text())
            accuracy = data.get("accuracy", data.get("micro avg", {}).get("f1-score"))
            rows.append((f"Vragenbot: {label}", accuracy, data["macro avg"]["f1-score"]))
    return rows


def _intent(label: str) -> str:
    return label.split("/", 1)[0]


def baseline_rows(folds: int = FOLDS, seed: int = 2022) -> List[Row]:
    examples = load_data(str(TRAINING_PATH)).intent_examples
    texts = [m.get("text") for m in examples]
    labels = [m.get("intent_response_key") or m.get("intent") for m in examples]
    expected: List[str] = []
    predicted: List[str] = []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, labels):
        model = NearestExampleBaseline([texts[i] for i in train], [labels[i] for i in train])
        expected += [labels[i] for i in test]
        predicted += model.predict_all([texts[i] for i in test])
    faq = [(e, p) for e, p in zip(expected, predicted) if e.startswith("faq/")]
    intents_true, intents_pred = [_intent(e) for e in expected], [_intent(p) for p in predicted]
    faq_true, faq_pred = [e for e, _ in faq], [p for _, p in faq]
    return [
        ("TF-IDF baseline: intent", accuracy_score(intents_true, intents_pred),
         f1_score(intents_true, intents_pred, labels=sorted(set(intents_true)), average="macro", zero_division=0)),
        ("TF-IDF baseline: FAQ answer", accuracy_score(faq_true, faq_pred),
         f1_score(faq_true, faq_pred, labels=sorted(set(faq_true)), average="macro", zero_division=0)),
    ]


def format_rows(rows: List[Row]) -> str:
    lines = [f"| cross-validation ({FOLDS} folds, test folds) | accuracy | macro F1 |", "|---|---|---|"]
    lines += [f"| {label} | {accuracy:.1%} | {f1:.3f} |" for label, accuracy, f1 in rows]
    return "\n".join(lines)


def main(out_dir: Optional[str] = None) -> int:
    ours = rasa_rows(Path(out_dir or "reports/crossval"))
    table = format_rows(ours + baseline_rows())
    print(table)
    if not ours:
        print(f"No Rasa cross-validation reports in {out_dir}: run `make eval`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else None))
