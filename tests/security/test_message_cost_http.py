"""Findings 1 and 2 of the third security review, played against the real servers.

1. One 2 kB message of 200 questions bought 201 replies (98 kB), 212 stored events and a
   0.5 s parse; now it costs at most MAX_QUESTIONS_PER_MESSAGE answers and says the rest
   were not answered.
2. A typed `/lookup_crebo{"crebo": [[[…]]]}` nested 900 deep raised RecursionError inside
   Rasa and wrote a 113 kB traceback per message; now only our own buttons' payloads are
   intents, and anything else that starts with "/" is read as a question.

The latency of these messages under load is measured by `make bench` (tools/bench.py).
"""
from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Dict, List

import pytest
import requests

from bot.knowledge.reader import MAX_QUESTIONS_PER_MESSAGE
from tests.conversations.rest import answer, without_feedback
from tests.security.test_attacks_http import attacked, post_rest

pytestmark = pytest.mark.slow

LEFT_OVER = "Stel je andere vragen gerust apart"
CREBOS = ["25891", "25892", "25893", "25894", "25895", "25896", "25897", "25898", "25899"]


def _stored_events(servers: Dict[str, str], sender: str) -> int:
    with sqlite3.connect(servers["db_path"]) as database:
        return database.execute("SELECT COUNT(*) FROM events WHERE sender_id LIKE ?", (f"%{sender}",)).fetchone()[0]


def _send(servers: Dict[str, str], text: str) -> tuple[str, List[dict], int]:
    sender = uuid.uuid4().hex
    response = attacked(servers, post_rest(servers, {"sender": sender, "message": text}))
    assert response.status_code == 200
    return sender, response.json(), len(response.content)


def _two_kilobytes(unit: str) -> str:
    return (unit * (2000 // len(unit)))[:2000]


def test_two_hundred_times_the_same_question_gets_one_answer_and_a_note(live_servers):
    sender, replies, size = _send(live_servers, _two_kilobytes("is 25894? "))
    answers = without_feedback(replies)
    assert answers[0]["text"].count("25894") >= 1 and len(answers) == 2, [r.get("text") for r in answers]
    assert LEFT_OVER in answers[-1]["text"]
    assert size < 5_000  # 98 kB before
    assert _stored_events(live_servers, sender) < 40  # 212 before


def test_many_different_questions_get_three_answers_and_a_note(live_servers):
    questions = " ".join(f"Wat is {crebo}?" for crebo in CREBOS * 20)
    sender, replies, _ = _send(live_servers, questions[:questions.rindex("?", 0, 2000) + 1])
    answers = without_feedback(replies)
    assert len(answers) == MAX_QUESTIONS_PER_MESSAGE + 1
    assert [crebo for crebo in CREBOS if crebo in answer(replies)][:3] == CREBOS[:3]
    assert LEFT_OVER in answers[-1]["text"] and "hooguit drie" in answers[-1]["text"]


def test_a_message_of_two_to_three_questions_is_answered_whole(live_servers):
    _, replies, _ = _send(live_servers, "Wat is 25894? En wat is 25892? En wat is 25899?")
    assert all(crebo in answer(replies) for crebo in ("25894", "25892", "25899"))
    assert LEFT_OVER not in answer(replies)


@pytest.mark.parametrize("text", [_two_kilobytes("n2 "), _two_kilobytes("niveau 2 of 3 en 4 "),
                                  _two_kilobytes("mechatronika "), _two_kilobytes("x.")])
def test_a_message_built_to_be_slow_is_answered_at_once(live_servers, text):
    _send(live_servers, text)  # within ATTACK_ANSWER_SECONDS, and the server lives on


def test_a_typed_payload_nested_900_deep_is_a_question_and_leaves_no_traceback(live_servers):
    log = next(Path(live_servers["db_path"]).parent.glob("rasa-*.log"))
    before = log.read_text()
    nested = '/lookup_crebo{"crebo": ' + "[" * 900 + "]" * 900 + "}"
    _, replies, _ = _send(live_servers, nested)
    assert replies and all("text" in r or "buttons" in r for r in replies)
    written = log.read_text()[len(before):]
    assert "RecursionError" not in written and "Traceback" not in written
    assert len(written) < 10_000  # 113 kB per message before


@pytest.mark.parametrize("typed", ['/lookup_crebo{"crebo": "25894", "extra": "x"}', "/restart", "/greet"])
def test_a_typed_intent_that_no_button_sends_is_read_as_text(live_servers, typed):
    sender, replies, _ = _send(live_servers, typed)
    with sqlite3.connect(live_servers["db_path"]) as database:
        texts = [row[0] for row in database.execute(
            "SELECT json_extract(data, '$.text') FROM events WHERE sender_id LIKE ? AND type_name = 'user'",
            (f"%{sender}",))]
    assert texts and not any(str(text).startswith("/") for text in texts)


def test_a_click_on_our_own_button_still_works(live_servers):
    sender = uuid.uuid4().hex
    requests.post(live_servers["rest_webhook"], json={"sender": sender, "message": "welke onderwerpen zijn er"}, timeout=30)
    replies = requests.post(live_servers["rest_webhook"], timeout=30,
                            json={"sender": sender, "message": '/ask_level{"crebo": "25893"}'}).json()
    assert "niveau 4" in answer(replies)
