"""`scripts/serve`, as `make run` and `make chat` start it: how it stops, and what it prints at start-up.

Both servers must stop with the script: on HUP (the terminal closed, the SSH session lost),
TERM and Ctrl-C, also while `make chat`'s `rasa shell` runs in the foreground, where a HUP
trap of the script's own would wait for that shell to end and leave both running. Every
test starts the script in a session of its own and kills that whole process group when it
ends, so nothing is left behind even when an assertion fails.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import socket
import subprocess
import termios
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from bot import PROJECT_DIR
from bot.quiet import DEBUG_ENV
from tests.bot.channels.live import ANSWER
from tools.launcher import RASA_START_SECONDS, endpoints_with_database, free_port, wait_until_up

pytestmark = pytest.mark.slow

STOP_SECONDS = 30  # the script gives a server 20 s before it kills it
# The libraries' start-up notices (bot/quiet.py): TensorFlow's log, deprecations, absl.
NOTICE = re.compile(r"DeprecationWarning|tensorflow|TF_|absl|UserWarning")


@dataclass
class Served:
    process: subprocess.Popen
    log: Path
    ports: List[int]

    def output(self) -> str:
        """The output so far, once Rasa has said it is up (it may say so just after it answers)."""
        deadline = time.monotonic() + 10
        while "Rasa server is up and running" not in self.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        return self.log.read_text()


def group(pgid: int) -> List[int]:
    """The live processes of process group `pgid` (zombies are gone already, for what matters)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    members.append(int(entry.name))
    return members


def listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def all_gone(pgid: int, ports: List[int], seconds: float = 10) -> bool:
    """Within `seconds`: no process of the group left, and nothing listening on the ports."""
    deadline = time.monotonic() + seconds
    while group(pgid) or any(map(listening, ports)):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def listening_on(port: int) -> List[str]:
    """The IPv4 addresses a socket listens on at `port` ("127.0.0.1", "0.0.0.0"), from /proc/net/tcp."""
    addresses = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, local_port = local.split(":")
        if state == "0A" and int(local_port, 16) == port:
            addresses.append(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return addresses


def read_until(terminal: int, text: bytes, seconds: float) -> bytes:
    """What the program on the terminal printed, up to and including `text`."""
    seen, deadline = b"", time.monotonic() + seconds
    while text not in seen and time.monotonic() < deadline:
        if select.select([terminal], [], [], 1)[0]:
            try:
                seen += os.read(terminal, 65536)
            except OSError:  # the program closed the terminal
                break
    assert text in seen, seen[-3000:].decode(errors="replace")
    return seen


def environment(model_path: Path, directory: Path, **settings: str) -> Dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {DEBUG_ENV, "TF_CPP_MIN_LOG_LEVEL"}}
    env.update(RASA_PORT=str(free_port()), ACTION_PORT=str(free_port()), MODEL=str(model_path),
               ENDPOINTS=str(endpoints_with_database(directory, directory / "conversations.db")), **settings)
    return env


def as_on_a_terminal() -> None:
    """Runs in the child before exec: HUP as a terminal session has it. A test run under `nohup`
    (or a CI runner that ignores HUP) would otherwise pass on an ignored HUP, which bash can
    neither trap nor reset, and the hangup tests would test nothing but that."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@contextlib.contextmanager
def serving(model_path: Path, directory: Path, **settings: str) -> Iterator[Served]:
    env = environment(model_path, directory, **settings)
    rasa_port, action_port = int(env["RASA_PORT"]), int(env["ACTION_PORT"])
    log = directory / "serve.log"
    process = subprocess.Popen(["scripts/serve"], cwd=PROJECT_DIR, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=as_on_a_terminal)
    try:
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", process, RASA_START_SECONDS, log)
        yield Served(process, log, [action_port, rasa_port])
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_SECONDS)


def test_start_up_is_quiet_and_a_hangup_stops_both_servers(model_path, tmp_path):
    """One start for both (each start of the servers costs CI half a minute): our own lines
    without the libraries' notices (debug mode shows them: tests/bot/test_quiet.py), and HUP
    (the terminal closed, the SSH session lost) stops both. TERM and Ctrl-C run the same EXIT trap."""
    with serving(model_path, tmp_path) as served:
        output = served.output()
        assert "Action endpoint is up and running" in output and "Rasa server is up and running" in output
        assert [line for line in output.splitlines() if NOTICE.search(line)] == []
        servers = [pid for pid in group(served.process.pid) if pid != served.process.pid]
        assert len(servers) >= 2 and all(map(listening, served.ports)), output
        os.kill(served.process.pid, signal.SIGHUP)
        served.process.wait(timeout=STOP_SECONDS)
        assert all_gone(served.process.pid, served.ports), "still running after HUP"


def test_closing_the_terminal_of_make_chat_stops_everything(model_path, tmp_path):
    """`scripts/serve --shell` on a terminal of its own, which then goes away (the kernel sends HUP)."""
    env = environment(model_path, tmp_path)
    ports = [int(env["ACTION_PORT"]), int(env["RASA_PORT"])]
    terminal, its_side = os.openpty()

    def take_the_terminal() -> None:  # runs in the new session: the terminal becomes its own
        as_on_a_terminal()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(["scripts/serve", "--shell"], cwd=PROJECT_DIR, env=env, stdin=its_side,
                               stdout=its_side, stderr=its_side, start_new_session=True,
                               preexec_fn=take_the_terminal)
    os.close(its_side)
    try:
        read_until(terminal, b"Bot loaded", RASA_START_SECONDS)
        # The chat's own Rasa server: on RASA_PORT, loopback only (rasa shell's default is 0.0.0.0:5005).
        assert listening_on(ports[1]) == ["127.0.0.1"]
        os.write(terminal, b"Wat is crebo 25894?\r")
        read_until(terminal, ANSWER.encode(), 60)  # the chat answers through the action server
        assert len(group(process.pid)) >= 3  # the script, the action server, rasa shell
        os.close(terminal)
        terminal = -1
        process.wait(timeout=STOP_SECONDS)
        assert all_gone(process.pid, ports)
    finally:
        if terminal >= 0:
            os.close(terminal)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_SECONDS)
