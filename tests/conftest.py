"""Shared fixtures: the trained model, an in-process agent, live servers, trackers."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import requests
from rasa_sdk import Tracker

PROJECT_DIR = Path(__file__).resolve().parent.parent
MODEL_PATH = PROJECT_DIR / "models" / "vragenbot.tar.gz"
VENV_BIN = Path(sys.executable).parent

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model `make test` trained (trained here if a test run starts without it)."""
    if not MODEL_PATH.exists():
        subprocess.run(["make", "--no-print-directory", "train"], cwd=PROJECT_DIR, check=True)
    return MODEL_PATH


@pytest.fixture(scope="session")
async def agent(model_path: Path, live_servers: Dict[str, str]):
    """The trained model in-process, using the live action server for custom actions."""
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    endpoints = AvailableEndpoints(action=EndpointConfig(url=live_servers["action_webhook"]))
    return await load_agent(model_path=str(model_path), endpoints=endpoints)


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early; see {log}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {timeout} s; see {log}")


def stop_processes(processes: List[subprocess.Popen]) -> None:
    """Ask each server to stop, then kill what has not stopped within 20 s."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def live_servers(model_path: Path, tmp_path_factory) -> Iterator[Dict[str, str]]:
    """`rasa run actions` and `rasa run` (REST) on free loopback ports."""
    logs = tmp_path_factory.mktemp("server-logs")
    action_port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_DIR),
        "RASA_TELEMETRY_ENABLED": "false",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
    }
    processes: List[subprocess.Popen] = []

    def start(args: List[str], log: Path) -> subprocess.Popen:
        process = subprocess.Popen(
            args, cwd=PROJECT_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        processes.append(process)
        return process

    try:
        actions_log = logs / "actions.log"
        actions = start([str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(action_port)], actions_log)
        _wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, 120, actions_log)
        rasa_log = logs / "rasa.log"
        rasa = start(
            [str(VENV_BIN / "rasa"), "run", "--model", str(model_path), "--endpoints", "endpoints.yml",
             "--credentials", "credentials.yml", "--port", str(rasa_port)],
            rasa_log,
        )
        _wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, 300, rasa_log)
        yield {
            "rest_webhook": f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            "action_webhook": f"http://127.0.0.1:{action_port}/webhook",
            "rasa_url": f"http://127.0.0.1:{rasa_port}",
        }
    finally:
        stop_processes(processes)


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
