"""Starting the assistant: the action server and `rasa run` (through bot/server.py) on free
loopback ports. The one launcher of the tests and the bench (tools/bench.py).

Every `Assistant` keeps its conversations in its own SQLite file (the project's
endpoints.yml with only the file moved) unless given other endpoints, so runs never share
or leave conversations.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import requests
import yaml

from bot import PROJECT_DIR

VENV_BIN = Path(sys.executable).parent
MODEL_PATH = PROJECT_DIR / "models" / "vragenbot.tar.gz"
RASA_START_SECONDS = 300
RASA_MAX_BODY_BYTES = 1024 * 1024  # as scripts/serve sets it
ACTIONS_START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
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


def endpoints_with_database(directory: Path, database: Path) -> Path:
    """The project's endpoints.yml, with the conversations in `database` instead of var/."""
    endpoints = yaml.safe_load((PROJECT_DIR / "endpoints.yml").read_text())
    endpoints["tracker_store"]["db"] = str(database)
    path = directory / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints))
    return path


def server_environment(action_port: int, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """What both servers need in their environment, plus a test's own settings."""
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_DIR),
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        "SANIC_HOST": "127.0.0.1",
        **(extra or {}),
    }


class Assistant:
    """The action server and one Rasa server, started and stopped separately."""

    def __init__(self, directory: Path, model: Path = MODEL_PATH, env: Optional[Dict[str, str]] = None,
                 action_port: Optional[int] = None, endpoints: Optional[Path] = None) -> None:
        self.directory = directory
        self.model = model
        self.db_path = directory / "conversations.db"
        self.endpoints = endpoints or endpoints_with_database(directory, self.db_path)
        self.action_port = action_port or free_port()
        self.rasa_port = free_port()
        self.env = server_environment(self.action_port, env)
        self.actions: Optional[subprocess.Popen] = None
        self.rasa: Optional[subprocess.Popen] = None
        self.rasa_starts = 0

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def urls(self) -> Dict[str, str]:
        """What `tests.conversations.rest.say` and older tests expect."""
        return {
            "rest_webhook": f"{self.rasa_url}/webhooks/rest/webhook",
            "action_webhook": f"http://127.0.0.1:{self.action_port}/webhook",
            "rasa_url": self.rasa_url,
            "health": f"{self.rasa_url}/webhooks/health/",
            "db_path": str(self.db_path),
        }

    def _start(self, args: List[str], log: Path) -> subprocess.Popen:
        return subprocess.Popen(args, cwd=PROJECT_DIR, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)

    def launch_actions(self) -> subprocess.Popen:
        """Start the action server without waiting for it."""
        self.actions = self._start([str(VENV_BIN / "python"), "-m", "bot.actions_server", "--actions", "actions",
                                    "--port", str(self.action_port)], self.actions_log_path)
        return self.actions

    def launch_rasa(self) -> subprocess.Popen:
        """Start the Rasa server without waiting for it."""
        self.rasa_starts += 1
        self.rasa = self._start(["env", f"SANIC_REQUEST_MAX_SIZE={RASA_MAX_BODY_BYTES}",
                                 str(VENV_BIN / "python"), "-m", "bot.server", "run", "--model", str(self.model),
                                 "--endpoints", str(self.endpoints), "--credentials", "credentials.yml",
                                 "--port", str(self.rasa_port)], self.rasa_log_path)
        return self.rasa

    def start_actions(self) -> "Assistant":
        wait_until_up(f"http://127.0.0.1:{self.action_port}/health", self.launch_actions(), ACTIONS_START_SECONDS,
                      self.actions_log_path)
        return self

    def start_rasa(self) -> "Assistant":
        wait_until_up(f"{self.rasa_url}/", self.launch_rasa(), RASA_START_SECONDS, self.rasa_log_path)
        return self

    @property
    def actions_log_path(self) -> Path:
        return self.directory / "actions.log"

    @property
    def rasa_log_path(self) -> Path:
        return self.directory / f"rasa-{self.rasa_starts}.log"

    def rasa_log(self) -> str:
        return self.rasa_log_path.read_text()

    def stop_rasa(self) -> None:
        if self.rasa is not None:
            stop_processes([self.rasa])
            self.rasa = None

    def stop(self) -> None:
        stop_processes([p for p in (self.rasa, self.actions) if p is not None])
        self.rasa = self.actions = None
