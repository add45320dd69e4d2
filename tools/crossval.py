"""The TF-IDF baseline's 3-fold cross-validation (stratified, fixed seed) over the training
data, for the side-by-side table of `make eval` (tools.evaluation). The assistant's own
classifier is cross-validated by tools/tune.py, DIET's by tools/diet.py.
"""
from __future__ import annotations

from typing import List, Tuple

from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from bot.nlu.training_data import training_examples
from tools.baseline import NearestExampleBaseline

FOLDS = 3
Row = Tuple[str, float, float]


def _intent(label: str) -> str:
    return label.split("/", 1)[0]


def baseline_rows(folds: int = FOLDS, seed: int = 2022) -> List[Row]:
    texts, labels = training_examples()
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


if __name__ == "__main__":
    print(format_rows(baseline_rows()))
