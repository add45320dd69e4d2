"""Leak check: no test question may be a near copy of a training example.

Near copies (bot.text.is_near_duplicate): equal once normalised, the same words in another
order, one word apart, 80% of their words shared, or a difflib ratio ≥ 0.9. Every test file
is held against every training file (the intent classifier's and the ask model's). A leak
is removed from the training data, never from the test: `--remove` does that.
Sealed files are checked too, but never printed: a training line that nearly copies a sealed
question would show that question, so those are only counted (and removed with `--remove`).

    python -m tools.leaks            list the training examples that copy a test question
    python -m tools.leaks --remove   and delete those lines from the training files
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

import yaml

from bot import NLU_FILES, PROJECT_DIR
from bot.knowledge.asked import EXAMPLES_PATH, rasa_examples
from bot.text import NearDuplicateIndex

TEST_DIR = PROJECT_DIR / "tests"


def training_files() -> List[Path]:
    return [PROJECT_DIR / name for name in NLU_FILES] + [EXAMPLES_PATH]


def training_texts(path: Path) -> List[str]:
    if path == EXAMPLES_PATH:
        return [str(e["text"]) for e in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("examples") or []]
    return rasa_examples(path)


def _strings(node) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in {"text", "ask", "user", "turns", "examples", "items", "nlu"} or isinstance(value, (list, dict)):
                yield from _strings(value) if key != "examples" or not isinstance(value, str) else iter(
                    line.strip()[2:] for line in value.splitlines() if line.strip().startswith("- "))
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def questions_of_the_tests() -> Dict[Path, List[str]]:
    """The questions of every test file: the held-out NLU file, the independent sets, the conversations."""
    files = [TEST_DIR / "nlu" / "heldout.yml", *sorted((TEST_DIR / "independent").glob("*.yml")),
             TEST_DIR / "conversations" / "lookup_conversations.yml", TEST_DIR / "conversations" / "lookup_questions.yml"]
    questions: Dict[Path, List[str]] = {}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "heldout.yml":
            questions[path] = rasa_examples(path)
        else:
            questions[path] = [q for q in _strings(data) if len(q.split()) >= 1]
    return questions


def leaks() -> List[Tuple[Path, str, bool]]:
    """(training file, training example, whether the test side is sealed) for every near copy."""
    found: List[Tuple[Path, str, bool]] = []
    tests = questions_of_the_tests()
    for training in training_files():
        index = NearDuplicateIndex(training_texts(training))  # prepared once for every test file
        for path, questions in tests.items():
            for _, copied in index.pairs(questions):
                found.append((training, copied, "sealed" in path.name))
    return found


def remove(copies: Set[Tuple[Path, str]]) -> int:
    removed = 0
    for path in {p for p, _ in copies}:
        texts = {text for p, text in copies if p == path}
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = []
        for line in lines:
            stripped = line.strip()
            example = stripped[2:] if stripped.startswith("- ") and not stripped.startswith("- {") else None
            if path == EXAMPLES_PATH and stripped.startswith("- {"):
                entry = yaml.safe_load(stripped[2:])
                example = str(entry.get("text")) if isinstance(entry, dict) else None
            if example is not None and example in texts:
                removed += 1
                continue
            kept.append(line)
        path.write_text("".join(kept), encoding="utf-8")
    return removed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--remove", action="store_true", help="delete the copies from the training files")
    args = parser.parse_args()
    found = leaks()
    for training, copied, sealed in found:
        if not sealed:
            print(f"{training.relative_to(PROJECT_DIR)}: {copied!r}")
    copies_of_sealed = sum(sealed for _, _, sealed in found)
    print(f"{len(found)} near copies" + (f" ({copies_of_sealed} of sealed questions, not shown)" if copies_of_sealed else ""))
    if args.remove and found:
        print(f"removed {remove({(t, c) for t, c, _ in found})} training lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
