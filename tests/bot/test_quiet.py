"""Start-up without the libraries' notices, and nothing else hidden (bot/quiet.py).

Each case runs in a fresh interpreter: the notices come once, when a library is first imported.
The servers themselves, started by scripts/serve, are checked in tests/test_serve_script.py.
"""
from __future__ import annotations

import os
import subprocess
import sys

from bot import PROJECT_DIR
from bot.quiet import DEBUG_ENV

START = """
import logging, os, warnings
from bot import quiet
quiet.quiet_third_party_notices()
import sanic_cors  # its import warns: "distutils Version classes are deprecated" (DeprecationWarning)
import matplotlib.pyplot  # pyparsing's deprecations, which are UserWarnings as well
warnings.filterwarnings("once", category=UserWarning)  # Rasa's CLI, ahead of our filters
import spacy.util  # imports packaging.requirements, which uses pyparsing's deprecated names
warnings.warn_explicit("onze verouderde functie", DeprecationWarning, "bot/x.py", 1, module="bot.x")
warnings.warn_explicit("een echte waarschuwing van een bibliotheek", UserWarning, "lib.py", 1, module="somelib")
logging.getLogger("bot.test").error("onze eigen fout")
print("TF_CPP_MIN_LOG_LEVEL=" + os.environ.get("TF_CPP_MIN_LOG_LEVEL", "unset"))
"""


def started(debug: str = "") -> str:
    env = {key: value for key, value in os.environ.items() if key not in {DEBUG_ENV, "TF_CPP_MIN_LOG_LEVEL"}}
    env.update({"PYTHONPATH": str(PROJECT_DIR), DEBUG_ENV: debug})
    result = subprocess.run([sys.executable, "-c", START], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                            timeout=120, check=True)
    return result.stdout + result.stderr


def test_the_libraries_deprecation_notices_are_hidden_and_everything_else_shows():
    output = started()
    assert "DeprecationWarning: distutils" not in output and "deprecated" not in output.replace("verouderde", "")
    assert "TF_CPP_MIN_LOG_LEVEL=2" in output  # TensorFlow's C++ INFO and WARNING lines
    assert "onze verouderde functie" in output  # our own deprecations
    assert "een echte waarschuwing van een bibliotheek" in output  # a library's warning that is not a deprecation
    assert "onze eigen fout" in output  # errors: stderr is not thrown away


def test_debug_mode_shows_them_all():
    output = started(debug="1")
    assert "DeprecationWarning: distutils Version classes are deprecated" in output
    assert "PyparsingDeprecationWarning" in output
    assert "TF_CPP_MIN_LOG_LEVEL=unset" in output
