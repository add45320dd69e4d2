"""The action server runs on rasa-sdk alone: importing the actions must not import Rasa
(which imports TensorFlow: about 0.5 GB more per action server) or spaCy. It does load
scikit-learn: the ask model (bot/knowledge/asked.py) reads each question, and it is trained
when the actions are imported, not during the first user's question (`make bench`: about
145 MB for the whole action server)."""
from __future__ import annotations

import subprocess
import sys

from bot import PROJECT_DIR


def test_importing_the_actions_imports_neither_rasa_nor_tensorflow():
    probe = ("import sys, actions.faq, actions.lookups; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'rasa', 'tensorflow', 'spacy'}))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_DIR, capture_output=True, text=True,
                            env={"PYTHONPATH": str(PROJECT_DIR), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
