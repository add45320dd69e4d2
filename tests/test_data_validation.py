"""`rasa data validate` finds nothing but two warnings Rasa 3.6 raises by design."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
RASA = Path(sys.executable).parent / "rasa"

# Rasa 3.6 warns about every response that only custom actions send (the validator only
# reads stories and rules), and about the retrieval intent `faq`, which its own
# ResponsesSyncImporter adds to the domain a second time. The first kind is checked below
# against the actions' code; any other warning fails this test.
UNUSED_UTTERANCE = re.compile(r"The utterance '(utter_[a-z_]+)' is not used in any story or rule\.")
# Sent by Rasa's own `action_default_fallback` (RulePolicy core fallback).
SENT_BY_RASA = {"utter_default"}
# Intents the channels send as payloads instead of screened-out text (never from the NLU).
INTENT_WITHOUT_EXAMPLES = re.compile(r"The intent '([a-z_]+)' is listed in the domain file, but is not found in the NLU")
RETRIEVAL_DUPLICATE = "The following duplicated intents have been found across multiple domain files: faq"


def test_rasa_data_validate_has_no_unexplained_warnings():
    result = subprocess.run(
        [str(RASA), "data", "validate"], cwd=PROJECT_DIR, capture_output=True, text=True,
        env={"RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(PROJECT_DIR), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    warnings = [line for line in output.splitlines() if "UserWarning" in line or " WARNING " in line]
    sent_by_code = "\n".join(p.read_text() for p in [*(PROJECT_DIR / "actions").glob("*.py"),
                                                        PROJECT_DIR / "bot" / "rasa_patches.py"])
    screened = (PROJECT_DIR / "bot" / "input_guard.py").read_text()
    set_by_nlu = "\n".join(p.read_text() for p in [PROJECT_DIR / "bot" / "nlu" / "lookup_reader.py",  # several_questions
                                                   PROJECT_DIR / "bot" / "knowledge" / "lookup_intents.py"])  # ask_not_in_sources
    sent_by_buttons = (PROJECT_DIR / "domain.yml").read_text()  # the 👍/👎 payloads
    unexplained = []
    for line in warnings:
        unused = UNUSED_UTTERANCE.search(line)
        if unused and (f'"{unused.group(1)}"' in sent_by_code or unused.group(1) in SENT_BY_RASA):
            continue
        without_examples = INTENT_WITHOUT_EXAMPLES.search(line)
        if without_examples and (f'"/{without_examples.group(1)}"' in screened
                                 or f'"{without_examples.group(1)}"' in set_by_nlu
                                 or f"'/{without_examples.group(1)}{{{{" in sent_by_buttons):
            continue
        if RETRIEVAL_DUPLICATE in line:
            continue
        unexplained.append(line)
    # A warning's text can sit on the line after "UserWarning:"; catch those too.
    for marker in ("not used in any story", "Issue found", "is not part of the domain", "duplicated", "overlap"):
        for line in output.splitlines():
            if marker in line and "UserWarning" not in line and RETRIEVAL_DUPLICATE not in line:
                unexplained.append(line)
    assert not unexplained, "\n".join(unexplained)


def test_every_response_the_actions_send_is_in_the_domain():
    # An action that names a response the domain lacks sends nothing at all: the user sees an empty reply.
    import yaml

    responses = set(yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))["responses"])
    sent = {name for path in (PROJECT_DIR / "actions").glob("*.py")
            for name in re.findall(r"[\"'](utter_[a-z_]+)[\"']", path.read_text(encoding="utf-8"))}
    sent -= {"utter_action"}  # the key of a bot event's metadata, not a response
    assert sent and not sent - responses - SENT_BY_RASA, sorted(sent - responses - SENT_BY_RASA)
