"""Faults around the Rasa server: the action server down, the database down at start-up."""
from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import requests
import yaml

from tests.conversations.rest import answer, say, without_feedback
from bot import PROJECT_DIR
from tools.launcher import VENV_BIN, Assistant, free_port, server_environment

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def without_action_server(model_path: Path, tmp_path_factory) -> Iterator[Assistant]:
    """Only `rasa run`: the action server it is told about never started."""
    assistant = Assistant(tmp_path_factory.mktemp("no-actions"), model_path, action_port=free_port())
    try:
        yield assistant.start_rasa()
    finally:
        assistant.stop()


def test_with_the_action_server_down_a_lookup_gets_a_dutch_apology(without_action_server):
    replied = answer(say(without_action_server.urls, "Wat is crebo 25894?"))
    assert "Sorry, het opzoeken lukt op dit moment niet" in replied
    assert "Failed to execute custom action" in without_action_server.rasa_log()


def test_with_the_action_server_down_faq_answers_keep_working(without_action_server):
    sender = uuid.uuid4().hex
    say(without_action_server.urls, "Welke kwalificaties zijn er op niveau 2?", sender)  # a lookup: apology
    replies = without_feedback(say(without_action_server.urls, "wat was de aanleiding voor de herziening?", sender))
    assert "\n\nBron: 1e vragenuur, 4 maart 2022" in replies[-1]["text"]


def test_the_health_endpoint_reports_the_action_server_down(without_action_server):
    reply = requests.get(without_action_server.urls["health"], timeout=30)
    assert reply.status_code == 503
    report = reply.json()
    assert report["status"] == "degraded"
    assert report["action_server"]["ok"] is False and report["conversation_store"]["ok"] is True


def test_without_the_action_server_the_process_stays_ready_for_faq_questions(without_action_server):
    reply = requests.get(without_action_server.urls["health"] + "ready", timeout=30)
    assert reply.status_code == 200 and "action_server" not in reply.json()


def test_an_unreachable_database_at_start_up_stops_rasa_with_one_clear_line(model_path: Path, tmp_path: Path):
    endpoints = yaml.safe_load((PROJECT_DIR / "endpoints.yml").read_text())
    endpoints["tracker_store"].update(dialect="postgresql", url="127.0.0.1", port=free_port(), db="vragenbot",
                                      username="vragenbot", password="geheim-wachtwoord", connect_timeout=3)
    (tmp_path / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
    started = time.monotonic()
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "run", "--model", str(model_path), "--endpoints", str(tmp_path / "endpoints.yml"),
         "--credentials", "credentials.yml", "--port", str(free_port())],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=180,
        env=server_environment(free_port()),
    )
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "is not reachable after 3 s" in log and "the Rasa server stops" in log
    assert "Traceback" not in log and "geheim-wachtwoord" not in log
    print(f"\nRasa stopped {time.monotonic() - started:.0f} s after it was started")
