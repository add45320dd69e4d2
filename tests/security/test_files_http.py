"""Security review, finding 7, against the real servers: their files are for their owner only.

The conversations of the running server (`live_servers` keeps them in its own SQLite file,
tools/launcher.py), the session key it signs web chat ids with (`var/session-secret` of the
checkout: the launcher moves only the database), and the page `make report` writes about
them: mode 600, and a report folder the report run creates, 700. tests/bot/test_private_files.py
shows that no file is ever wider, not even while it is written.
"""
from __future__ import annotations

import re
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Dict

import pytest
import requests

from bot import PROJECT_DIR
from bot.web.sessions import SECRET_FILE
from tests.conversations.rest import answer, say
from tools.launcher import endpoints_with_database

pytestmark = pytest.mark.slow

OWNER_ONLY = 0o600


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_running_servers_conversations_and_session_key_are_for_their_owner_only(live_servers: Dict[str, str]):
    assert answer(say(live_servers, "Wat is crebo 25894?", sender=f"files-{uuid.uuid4().hex[:8]}"))
    session = requests.get(f"{live_servers['rasa_url']}/webhooks/webchat/session", timeout=10)
    assert session.ok and session.json()["session_id"]  # the server has read (or made) its key
    database = Path(live_servers["db_path"])
    companions = list(database.parent.glob(f"{database.name}-*"))  # -journal, -wal, -shm if any
    assert {path.name: mode(path) for path in [database, *companions]} == {
        path.name: OWNER_ONLY for path in [database, *companions]}
    assert mode(SECRET_FILE) == OWNER_ONLY


def test_the_report_on_the_running_servers_conversations_is_for_its_owner_only(live_servers: Dict[str, str],
                                                                               tmp_path: Path):
    say(live_servers, "Wat is crebo 25894?", sender=f"files-{uuid.uuid4().hex[:8]}")
    endpoints = endpoints_with_database(tmp_path, Path(live_servers["db_path"]))
    out = tmp_path / "reports" / "gebruik.html"
    run = subprocess.run([sys.executable, "-m", "bot.report", "--endpoints", str(endpoints), "--out", str(out)],
                         cwd=PROJECT_DIR, check=True, capture_output=True, text=True, timeout=300)
    assert re.search(r": [1-9]\d* conversations", run.stdout), run.stdout  # the server's, in the report
    assert mode(out) == OWNER_ONLY and mode(out.parent) == 0o700
