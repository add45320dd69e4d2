"""Shared fixtures: the trained model, an in-process agent, live servers, trackers."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
from rasa_sdk import Tracker

from tests.bot.channels.live import channels  # noqa: F401  (session fixture: Slack and Teams with fakes)
from bot import PROJECT_DIR
from tests.servers import start_both
from tools.launcher import MODEL_PATH, Assistant

# A test that uses one of these needs the trained model or running servers: it is `slow`, and
# `make test-unit` (pytest -m "not slow") leaves it out.
SLOW_FIXTURES = frozenset({"model_path", "agent", "live_servers", "channels", "scaled", "browser"})


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model `make test` trained (trained here if a test run starts without it)."""
    if not MODEL_PATH.exists():
        subprocess.run(["make", "--no-print-directory", "train"], cwd=PROJECT_DIR, check=True)
    return MODEL_PATH


@pytest.fixture(scope="session")
async def agent(model_path: Path, live_servers: Dict[str, str]):
    """The trained model in-process, using the live action server for custom actions, with our
    fixes to Rasa applied as bot/server.py applies them."""
    from rasa.core.agent import load_agent

    from bot import rasa_patches

    rasa_patches.apply()
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    endpoints = AvailableEndpoints(action=EndpointConfig(url=live_servers["action_webhook"]),
                                   nlg=EndpointConfig(type="bot.responses.Responses"))
    return await load_agent(model_path=str(model_path), endpoints=endpoints)


@pytest.fixture(scope="session")
def live_servers(model_path: Path, tmp_path_factory) -> Iterator[Dict[str, str]]:
    """`rasa run actions` and `rasa run` on free loopback ports, conversations in a temp SQLite file."""
    assistant = Assistant(tmp_path_factory.mktemp("assistant"), model_path)
    try:
        yield start_both(assistant).urls
    finally:
        assistant.stop()


@pytest.fixture
def make_tracker():
    """A fresh rasa-sdk Tracker for one message, with optional slots."""

    def build(text: str = "", intent: str = "", entities: Optional[List[Dict[str, Any]]] = None,
              slots: Optional[Dict[str, Any]] = None, parse_data: Optional[Dict[str, Any]] = None) -> Tracker:
        latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}
        latest.update(parse_data or {})
        return Tracker(
            sender_id="test", slots=slots or {}, latest_message=latest, events=[],
            paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
        )

    return build
