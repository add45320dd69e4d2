"""The old DIET pipeline, measured for the side-by-side table of `make eval` (only for that).

Trains tools/diet-config.yml (DIETClassifier + ResponseSelector, as this project used until
the light NLU) on the same data into models/diet.tar.gz, times it, evaluates it on the
held-out questions and, with --crossval, runs Rasa's 3-fold cross-validation (about 30
minutes on 2 cores). Writes reports/diet.json, which `make eval` reads.

    python -m tools.diet [--crossval]      (make eval-diet)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

from bot import PROJECT_DIR
from tools.evaluation import evaluate, heldout_examples, summarise

CONFIG = PROJECT_DIR / "tools" / "diet-config.yml"
MODEL = PROJECT_DIR / "models" / "diet.tar.gz"
RESULT = PROJECT_DIR / "reports" / "diet.json"
RASA = Path(sys.executable).parent / "rasa"


def train() -> float:
    started = time.monotonic()
    subprocess.run([str(RASA), "train", "--config", str(CONFIG), "--fixed-model-name", "diet", "--out", "models"],
                   cwd=PROJECT_DIR, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def heldout(action_url: Optional[str] = None) -> Dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(MODEL))
    summary = summarise(asyncio.run(evaluate(agent, heldout_examples())))
    return {key: value for key, value in asdict(summary).items() if key not in ("errors", "confused_pairs")}


def crossval() -> Dict[str, float]:
    """Rasa's own 3-fold cross-validation of the DIET pipeline: test-fold accuracy."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([str(RASA), "test", "nlu", "--nlu", "data", "--config", str(CONFIG), "--cross-validation",
                        "--folds", "3", "--out", out], cwd=PROJECT_DIR, check=True, stdout=subprocess.DEVNULL)
        intent = json.loads((Path(out) / "intent_report.json").read_text())
        answers = json.loads((Path(out) / "response_selection_report.json").read_text())
    return {"intent": intent["accuracy"], "faq_answer": answers.get("accuracy", answers["micro avg"]["f1-score"])}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crossval", action="store_true", help="also Rasa's 3-fold cross-validation (≈30 min)")
    args = parser.parse_args(argv)
    result: Dict[str, Any] = {"train_seconds": train(), "model_bytes": MODEL.stat().st_size}
    result["heldout"] = heldout()
    if args.crossval:
        result["crossval"] = crossval()
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
