"""Odd input over REST: each gets a Dutch answer or a 4xx, and the next question is answered right.

Nothing here may stop the server or change what other users get: every test ends with a
normal question in the same conversation, and the module ends with one from a new user.
"""
from __future__ import annotations

import json
import sqlite3
import time
import uuid

import pytest
import requests

from tests.conversations.rest import answer, say

pytestmark = pytest.mark.slow

NORMAL_QUESTION = "Wat is crebo 25894?"
NORMAL_ANSWER = "Medewerker productietechniek"


def then_a_normal_question_is_answered_right(live_servers, sender: str) -> None:
    assert NORMAL_ANSWER in answer(say(live_servers, NORMAL_QUESTION, sender))


@pytest.mark.parametrize("odd, reply", [
    ("", "je bericht was leeg"),
    ("   \n\t   ", "je bericht was leeg"),
    ("\u200b\ufeff", "je bericht was leeg"),
    ("👍", "Ik lees alleen tekst"),
    ("🙂🙂🙂 ???", "Ik lees alleen tekst"),
    ("Wat is\x00 crebo\x1b[0m \x7f25894?\x07", NORMAL_ANSWER),
], ids=["empty", "white space", "invisible", "one emoji", "emoji and punctuation", "control characters"])
def test_an_odd_message_gets_a_dutch_answer_and_the_conversation_goes_on(live_servers, odd, reply):
    sender = uuid.uuid4().hex
    assert reply in answer(say(live_servers, odd, sender))
    then_a_normal_question_is_answered_right(live_servers, sender)


def test_a_message_of_20000_characters_is_refused_politely_without_the_nlu(live_servers):
    sender = uuid.uuid4().hex
    started = time.monotonic()
    replies = say(live_servers, "Wat is crebo 25894? " * 1000, sender)
    seconds = time.monotonic() - started
    assert "te lang" in answer(replies)
    with sqlite3.connect(live_servers["db_path"]) as db:
        (stored,) = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'",
                               (f"rest:{sender}",)).fetchone()
    assert json.loads(stored)["text"] == "/message_too_long", "the text itself never reached the NLU"
    print(f"\n20,000 characters answered in {seconds * 1000:.0f} ms")
    then_a_normal_question_is_answered_right(live_servers, sender)


@pytest.mark.parametrize("markup", [
    "<script>alert('hallo')</script>",
    "<img src=x onerror=alert(1)> Wat is crebo <b>12345</b>?",
    "Wat is crebo <i>2589</i>?",
])
def test_html_and_script_are_never_sent_back(live_servers, markup):
    sender = uuid.uuid4().hex
    replied = answer(say(live_servers, markup, sender))
    assert replied and "<" not in replied and "onerror" not in replied
    then_a_normal_question_is_answered_right(live_servers, sender)


@pytest.mark.parametrize("body, status, code", [
    (b'{"sender": "a", "message": "Wat is crebo', 400, "geen_json"),
    (b'{"sender": "a", "message": "Wat is crebo \xff\xfe 25894?"}', 400, "geen_utf8"),
    (b"", 400, "geen_json"),
    (b'["Wat is crebo 25894?"]', 400, "geen_object"),
    (b'{"message": "Wat is crebo 25894?"}', 400, "sender_ongeldig"),
    (b'{"sender": 42, "message": "Wat is crebo 25894?"}', 400, "sender_ongeldig"),
    (json.dumps({"sender": "s" * 129, "message": "hoi"}).encode(), 400, "sender_ongeldig"),
    (json.dumps({"sender": "\u0000", "message": "hoi"}).encode(), 400, "sender_ongeldig"),
    (json.dumps({"sender": "ik ben het", "message": "hoi"}).encode(), 400, "sender_ongeldig"),
    (b'{"sender": "a", "message": null}', 400, "message_ongeldig"),
    (b'{"sender": "a", "message": "hoi", "metadata": "x"}', 400, "metadata_ongeldig"),
    (json.dumps({"sender": "a", "message": "x" * 100_000}).encode(), 413, "te_groot"),
], ids=["broken json", "invalid utf-8", "empty body", "json array", "no sender", "numeric sender",
        "sender too long", "NUL sender", "sender with spaces", "no message", "metadata not an object",
        "body too large"])
def test_a_malformed_request_gets_a_4xx_with_a_dutch_reason(live_servers, body, status, code):
    reply = requests.post(live_servers["rest_webhook"], data=body, timeout=30,
                          headers={"Content-Type": "application/json"})
    assert reply.status_code == status
    assert reply.json()["error"] == code and reply.json()["message"]
    then_a_normal_question_is_answered_right(live_servers, uuid.uuid4().hex)


def test_metadata_is_not_stored(live_servers):
    sender = uuid.uuid4().hex
    body = {"sender": sender, "message": "Wat is crebo 25894?", "metadata": {"note": "x" * 60_000}}
    reply = requests.post(live_servers["rest_webhook"], json=body, timeout=30)
    assert reply.status_code == 200 and "Medewerker productietechniek" in reply.json()[0]["text"]
    with sqlite3.connect(live_servers["db_path"]) as db:
        stored = [json.loads(data) for (data,) in db.execute("SELECT data FROM events WHERE sender_id = ?",
                                                             (f"rest:{sender}",))]
    assert stored and all("x" * 100 not in json.dumps(event) for event in stored)


def test_a_huge_body_is_refused_before_it_is_read_and_the_server_goes_on(live_servers):
    # Sanic's limit (1 MB, scripts/serve): refused from the Content-Length, never buffered.
    body = json.dumps({"sender": "huge", "message": "x" * 3_000_000}).encode()
    reply = requests.post(live_servers["rest_webhook"], data=body, timeout=30,
                          headers={"Content-Type": "application/json"})
    assert reply.status_code == 413 and "te_groot" not in reply.text  # Sanic's refusal, not the channel's
    then_a_normal_question_is_answered_right(live_servers, uuid.uuid4().hex)


def test_a_rest_caller_cannot_reach_another_channels_conversation(live_servers):
    # A Slack user id is a valid REST sender, but names a REST conversation of its own.
    slack_user = "U04ABCDE12"
    say(live_servers, "Wat is crebo 25896?", slack_user)
    with sqlite3.connect(live_servers["db_path"]) as db:
        senders = {sender for (sender,) in db.execute("SELECT DISTINCT sender_id FROM events WHERE sender_id LIKE ?",
                                                      (f"%{slack_user}",))}
    assert senders == {f"rest:{slack_user}"}
