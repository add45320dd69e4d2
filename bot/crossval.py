"""Print the summary of `rasa test nlu --cross-validation` (intent and FAQ answer)."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def main(out_dir: str) -> int:
    path = Path(out_dir)
    rows = []
    for name, label in (("intent_report.json", "intent"), ("response_selection_report.json", "FAQ answer (ResponseSelector)")):
        report = path / name
        if report.exists():
            data = json.loads(report.read_text())
            rows.append((label, data.get("accuracy", data.get("micro avg", {}).get("f1-score")), data["macro avg"]["f1-score"]))
    print("| cross-validation (3 folds, test folds) | accuracy | macro F1 |")
    print("|---|---|---|")
    for label, accuracy, f1 in rows:
        print(f"| {label} | {accuracy:.1%} | {f1:.3f} |")
    return 0 if rows else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "reports/crossval"))
