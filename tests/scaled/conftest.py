"""The scale-out profile for real: `scripts/run-scaled` on free loopback ports.

PostgreSQL, Redis, the action server, two `rasa run` processes and nginx, started once for
the tests in this folder and stopped with SIGTERM at the end, as Ctrl-C would.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import sqlalchemy as sa

from bot import PROJECT_DIR
from bot.channels.ids import conversation_id, private_user_id

from tools.launcher import free_port, wait_until_up

RASA_PROCESSES = 2


@dataclass
class Scaled:
    """The running profile: where to reach each part, and its database."""

    nginx_url: str
    rasa_urls: List[str]
    directory: Path
    database: sa.engine.Engine
    redis_port: int

    def webhook(self, base_url: str) -> Dict[str, str]:
        """`servers` for tests/conversations/rest.py's `say`, aimed at one URL."""
        return {"rest_webhook": f"{base_url}/webhooks/rest/webhook"}

    def events(self, sender: str) -> List[Tuple[str, Dict[str, Any]]]:
        """The stored events of one REST conversation, oldest first: (type, event as a dict).
        Looked up by the id the REST channel stores it under: a sender that looks like personal
        data is stored under a keyed hash ("load-9247fa31-3" reads as a postcode and number)."""
        with self.database.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT type_name, data FROM events WHERE sender_id = :sender ORDER BY id"),
                {"sender": conversation_id("rest", private_user_id(sender))},
            )
            return [(type_name, json.loads(data)) for type_name, data in rows]

    def routes(self, conversation: str, expected: int = 0) -> List[str]:
        """The Rasa processes nginx sent this conversation's requests to (its routing log: the
        access log names no conversation, docs/privacy.md). nginx writes a request's line after
        it has sent the answer: wait up to two seconds for `expected` lines."""
        pattern = re.compile(rf'conversation="{re.escape(conversation)}" upstream=(\S+)')
        deadline = time.monotonic() + 2.0
        while True:
            log = (self.directory / "logs" / "nginx-routing.log").read_text()
            found = [match.group(1) for match in pattern.finditer(log)]
            if len(found) >= expected or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def _consecutive_free_ports(count: int) -> int:
    """The first of `count` free consecutive loopback ports (the script numbers them so)."""
    for _ in range(50):
        first = free_port()
        try:
            for port in range(first, first + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
    raise RuntimeError(f"no {count} consecutive free ports")


def _is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def scaled(model_path: Path) -> Iterator[Scaled]:
    # Not under pytest's tmp_path: its parents are private (0700), and when the tests run
    # as root PostgreSQL runs as the `postgres` user, which must reach its data directory.
    directory = Path(tempfile.mkdtemp(prefix="vragenbot-scaled-"))
    directory.chmod(0o755)
    ports = {
        "RASA_PORT": free_port(),
        "RASA_FIRST_PORT": _consecutive_free_ports(RASA_PROCESSES),
        "ACTION_PORT": free_port(),
        "POSTGRES_PORT": free_port(),
        "REDIS_PORT": free_port(),
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith(("POSTGRES_", "REDIS_"))}
    env.update({key: str(port) for key, port in ports.items()})
    env.update(SCALED_DIR=str(directory), RASA_PROCESSES=str(RASA_PROCESSES), MODEL=str(model_path),
               SCALED_ROUTING_LOG="1")
    log = directory / "run-scaled.log"
    # Its own process group, like a terminal job; SIGTERM goes to the script alone, which
    # must stop everything it started.
    script = subprocess.Popen(
        [str(PROJECT_DIR / "scripts" / "run-scaled")], cwd=PROJECT_DIR, env=env,
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    rasa_urls = [f"http://127.0.0.1:{ports['RASA_FIRST_PORT'] + i}" for i in range(RASA_PROCESSES)]
    nginx_url = f"http://127.0.0.1:{ports['RASA_PORT']}"
    database, started = None, False
    try:
        # Installing packages and a first initdb come before the Rasa processes, which
        # take a minute or more each when they start together on two cores.
        for url in rasa_urls:
            wait_until_up(f"{url}/", script, 480, log)
        wait_until_up(f"{nginx_url}/", script, 60, log)
        password = (directory / "postgres-password").read_text().strip()
        database = sa.create_engine(
            f"postgresql+psycopg2://vragenbot:{password}@127.0.0.1:{ports['POSTGRES_PORT']}/vragenbot"
        )
        started = True
        yield Scaled(nginx_url, rasa_urls, directory, database, ports["REDIS_PORT"])
    finally:
        if database is not None:
            database.dispose()
        script.terminate()
        try:
            script.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(script.pid, signal.SIGKILL)
            raise AssertionError(f"scripts/run-scaled did not stop within 90 s; see {log}")
        still_open = {name: port for name, port in ports.items() if _is_open(port)}
        assert not still_open, f"still answering after scripts/run-scaled stopped: {still_open}; see {directory}"
        if started:  # a failed start keeps its logs
            shutil.rmtree(directory, ignore_errors=True)
