"""`rasa test core` on tests/conversations/stories.yml: every predicted action must match."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_rasa_conversation_stories(model_path, tmp_path):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "test", "core", "--model", str(model_path),
         "--stories", "tests/conversations/stories.yml", "--out", str(tmp_path), "--fail-on-prediction-errors"],
        cwd=PROJECT_DIR, capture_output=True, text=True,
        env={"RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(PROJECT_DIR), "PATH": "/usr/bin:/bin",
             "ACTION_SERVER_URL": "http://127.0.0.1:9/webhook"},
    )
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:] + details
