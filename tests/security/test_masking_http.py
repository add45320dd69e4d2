"""Finding 3 of the security review, played against the real servers: personal data was stored unmasked.

Each format the review reproduced is sent as a message, by REST senders that are themselves
personal data (an e-mail address, phone numbers). Then the SQLite file the live Rasa server
writes, and the usage report `make report` makes from it, must hold none of it, while each
conversation goes on: the caller gets its own sender back, and a follow-up question is
answered from the conversation's context. On the code before the fix every format below and
every sender was found as typed.
"""
from __future__ import annotations

import html
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from bot import PROJECT_DIR
from tests.bot.test_masking import FINDING_3
from tests.conversations.rest import answer, say

pytestmark = pytest.mark.slow

SENDERS = ["jan.devries@student.example.nl", "+31612345678", "0687654321"]


def stored_strings(database: Path) -> List[str]:
    """Every conversation id and every event of the store, decoded (the column holds \\u escapes)."""
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT sender_id, data FROM events").fetchall()
    return [sender for sender, _ in rows] + [json.dumps(json.loads(data), ensure_ascii=False) for _, data in rows]


def usage_report(servers: Dict[str, str], out: Path) -> str:
    """`make report` on the live server's store (its endpoints file sits beside the database)."""
    endpoints = Path(servers["db_path"]).parent / "endpoints.yml"
    subprocess.run([sys.executable, "-m", "bot.report", "--endpoints", str(endpoints), "--out", str(out)],
                   cwd=PROJECT_DIR, check=True, capture_output=True, timeout=300,
                   env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)})
    return out.read_text(encoding="utf-8")


def test_personal_data_of_finding_3_is_neither_stored_nor_reported(live_servers, tmp_path):
    formats = list(FINDING_3)
    for number, sender in enumerate(SENDERS):
        for said in formats[number::len(SENDERS)]:
            replies = say(live_servers, f"Mijn gegevens: {said}", sender)
            assert replies and {reply["recipient_id"] for reply in replies} == {sender}
        # The conversation goes on: the follow-up is answered from the slot the lookup set.
        assert "Productietechnicus (crebo 25896)" in answer(say(live_servers, "Wat is crebo 25896?", sender))
        assert "Productietechnicus (crebo 25896)" in answer(say(live_servers, "Hoe lang duurt die opleiding?", sender))

    personal_data = formats + SENDERS
    stored = stored_strings(Path(live_servers["db_path"]))
    assert [data for data in personal_data if any(data in text for text in stored)] == []
    masked = [f"Mijn gegevens: {FINDING_3[said]}" for said in formats]
    assert [text for text in masked if not any(f'"text": "{text}"' in event for event in stored)] == []
    database = Path(live_servers["db_path"])  # the file itself, and a write-ahead log if there is one
    raw = b"".join(path.read_bytes() for path in (database, database.with_name(database.name + "-wal")) if path.exists())
    assert [data for data in personal_data if data.encode() in raw or json.dumps(data)[1:-1].encode() in raw] == []

    page = usage_report(live_servers, tmp_path / "gebruik.html")
    assert [data for data in personal_data if data in page or html.escape(data) in page] == []
    assert any(html.escape(text) in page for text in masked), "unanswered messages are listed, masked"
