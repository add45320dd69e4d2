"""Start-up output for the people who run the assistant: our lines and Rasa's, not the libraries' notices.

Started as `make run` starts them, the two servers printed 38 lines of third-party notices
among their 56 lines of start-up (measured December 2026; tests/test_serve_script.py checks
that none is left): TensorFlow's C++ log (CUDA, TensorRT, oneDNN, CPU
instructions) and DeprecationWarnings from sanic-cors, pkg_resources, apscheduler, pyparsing
(through matplotlib and packaging), jax (through TensorFlow), click (through spaCy) and
SQLAlchemy (through Rasa). Nothing in them is for a school's IT staff to act on, and they hid
the lines that are. Both servers call `quiet_third_party_notices()` before they import any of
those libraries (bot/server.py, bot/actions_server.py).

Hidden, and nothing else (log lines, errors, our own deprecations and every other warning still show):
- TensorFlow's C++ INFO and WARNING lines: TF_CPP_MIN_LOG_LEVEL=2. Rasa sets the same, but only
  after TensorFlow was imported and had printed them (rasa/utils/common.py,
  `update_tensorflow_log_level`).
- DeprecationWarning and PendingDeprecationWarning raised in modules that are not ours: they
  are for the libraries' developers (and ours, when upgrading: see VRAGENBOT_DEBUG).

VRAGENBOT_DEBUG=1 in the environment shows them all, as before.
"""
from __future__ import annotations

import os
import warnings

DEBUG_ENV = "VRAGENBOT_DEBUG"
OUR_PACKAGES = ("bot", "actions", "tools", "tests")
# Matched against the module a warning is raised in: every module outside our packages.
NOT_OURS = rf"(?!(?:{'|'.join(OUR_PACKAGES)})(?:\.|$))"


def debug() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in {"", "0", "false", "no"}


def quiet_third_party_notices() -> None:
    """Hide the libraries' start-up notices (see the module's docstring), unless VRAGENBOT_DEBUG is set."""
    if debug():
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Importing sanic puts "once" for every DeprecationWarning first in the filters
    # (sanic/app.py:120), ahead of PYTHONWARNINGS and any filter set before: import it first,
    # so that ours go ahead of it.
    import sanic.app  # noqa: F401

    for category in (DeprecationWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category, module=NOT_OURS)
    # pyparsing's deprecations are UserWarnings as well, and Rasa's CLI later puts "once" for
    # every UserWarning first (rasa/utils/common.py, `_filter_warnings`): packaging raises them
    # when it is imported, which spaCy does only when the model loads. Import it now instead,
    # while the filters above come first.
    import packaging.requirements  # noqa: F401
