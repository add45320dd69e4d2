"""A person over REST, against the running assistant with a school.yml that has a `handover:` section.

The offer (within the hours: the queue; outside them: the message box), its triggers, a whole
conversation with a staff member who works in the console (its JSON API), the hand-back after
which the bot answers again and has seen nothing of what was said meanwhile, and the staff
messages that REST delivers with the caller's next request (README, "Een medewerker spreken").
The hours come from a school.yml in the test's directory (tests/conversations/handover.py):
never from the clock.
"""
from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from tests.conversations.handover import StaffMember, marker, new_staff_account, school_settings
from tests.conversations.rest import answer, say
from tests.servers import start_both
from tools.launcher import Assistant

pytestmark = pytest.mark.slow


def assistant_for(directory: Path, model_path: Path, open_now: bool) -> Assistant:
    settings = school_settings(directory, open_now)
    return Assistant(directory, model_path, env={"SCHOOL_SETTINGS": str(settings)})


@pytest.fixture(scope="module")
def school_open(model_path: Path, tmp_path_factory) -> Iterator[Dict[str, str]]:
    assistant = assistant_for(tmp_path_factory.mktemp("handover-open"), model_path, open_now=True)
    try:
        yield start_both(assistant).urls
    finally:
        assistant.stop()


@pytest.fixture(scope="module")
def school_closed(model_path: Path, tmp_path_factory) -> Iterator[Dict[str, str]]:
    assistant = assistant_for(tmp_path_factory.mktemp("handover-closed"), model_path, open_now=False)
    try:
        yield start_both(assistant).urls
    finally:
        assistant.stop()


def database_url(servers: Dict[str, str]) -> str:
    return f"sqlite:///{servers['db_path']}"


def payloads(replies: List[dict]) -> List[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


def texts(replies: List[dict]) -> List[str]:
    return [r["text"] for r in replies if "text" in r]


def handover_state(replies: List[dict]) -> dict:
    return [r["custom"]["handover"] for r in replies if "custom" in r][-1]


def stored_user_texts(servers: Dict[str, str], sender: str) -> List[str]:
    with sqlite3.connect(servers["db_path"]) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                          (f"rest:{sender}",))
        return [json.loads(data)["text"] for (data,) in rows]


# --- asking for a person --------------------------------------------------------------------------

@pytest.mark.parametrize("asked", ["ik wil een medewerker spreken", "mens", "kan ik iemand bellen"])
def test_asking_for_a_person_within_the_hours_offers_the_queue(school_open, asked):
    replies = say(school_open, asked)
    assert "medewerkers van school bereikbaar" in answer(replies)
    assert [(b["title"], b["payload"]) for b in replies[-1]["buttons"]] == [
        ("Ja, zet me in de wachtrij", "/handover_start"), ("Nee, toch niet", "/ask_capabilities")]


def test_the_greeting_says_it_is_a_chatbot_and_how_to_reach_a_person(school_open):
    greeting = answer(say(school_open, "hoi"))
    assert "een chatbot: een computerprogramma, geen mens" in greeting and "Typ dan 'mens'" in greeting


def test_an_english_conversation_is_offered_a_person_in_english(school_open):
    sender = uuid.uuid4().hex
    say(school_open, '/switch_language{"language":"en"}', sender)
    replies = say(school_open, "human", sender)
    assert "staff of the school can be reached right now" in answer(replies)
    queued = say(school_open, replies[-1]["buttons"][0]["payload"], sender)
    assert texts(queued)[0].startswith("You are number")
    say(school_open, "/handover_cancel", sender)


def test_a_thumbs_down_offers_a_person(school_open):
    sender = uuid.uuid4().hex
    not_helpful = say(school_open, "moet ik als docent bijgeschoold worden", sender)[-1]["buttons"][1]
    replies = say(school_open, not_helpful["payload"], sender)
    assert replies[-1]["buttons"][-1] == {"title": "Een medewerker spreken", "payload": "/request_human"}
    assert "medewerkers van school bereikbaar" in answer(say(school_open, "/request_human", sender))


def test_two_messages_in_a_row_the_bot_does_not_understand_offer_a_person(school_open):
    sender = uuid.uuid4().hex
    first = say(school_open, "blorp blorp", sender)
    assert "/request_human" in payloads(first)  # "stel je vraag anders", with a person under it
    second = say(school_open, "zwiebel flarp", sender)
    assert texts(second)[0] == "Het lukt me niet goed om je vraag te begrijpen. Misschien kan iemand van school je " \
                               "beter helpen."
    assert "/handover_start" in payloads(second)


# --- a whole conversation with a staff member -------------------------------------------------------

def test_a_staff_member_takes_over_and_hands_back_and_the_bot_answers_again(school_open):
    sender = uuid.uuid4().hex
    staff = StaffMember(school_open["rasa_url"]).sign_in(new_staff_account(database_url(school_open)))

    queued = say(school_open, "/handover_start", sender)
    assert texts(queued)[0].startswith("Je bent nummer") and handover_state(queued)["state"] == "waiting"
    question = f"Kan ik na de zomer overstappen naar niveau 4? ({marker()})"
    assert texts(say(school_open, question, sender)) == []  # for staff; the bot is silent
    handover = staff.find_waiting(question)
    staff.take(handover["id"])

    student = ["Hallo, bent u er?", "Ik zit nu in het eerste jaar van niveau 3.", "Oké, dank u wel!"]
    answers = ["Goedemorgen, ik ben Anne van het studentenloket.", "Dat kan, als je mentor akkoord is.",
               "Graag gedaan, succes!"]
    received: List[str] = []
    for mine, theirs in zip(student, answers):
        staff.reply(handover["id"], theirs)
        replies = say(school_open, mine, sender)
        received += [r["text"] for r in replies if r.get("sender") == "staff"]
        assert handover_state(replies)["state"] == "taken"
    staff.hand_back(handover["id"])

    # Three messages each way reached the other side, in order, none lost and none twice.
    assert received == answers
    transcript = staff.transcript(handover["id"])
    assert [m["text"] for m in transcript if m["sender"] == "user"] == [question, *student]
    assert [m["text"] for m in transcript if m["sender"] == "staff"] == answers

    back = say(school_open, "Wat is crebo 25894?", sender)
    assert "De medewerker heeft het gesprek teruggegeven aan de Vragenbot." in texts(back)[0]
    assert "Medewerker productietechniek (crebo 25894)" in answer(back)
    # Rasa's tracker has the request and the question after the hand-back: nothing said to staff.
    assert stored_user_texts(school_open, sender) == ["Wat is crebo 25894?"]


def test_the_queue_can_be_left_and_the_bot_answers_at_once(school_open):
    sender = uuid.uuid4().hex
    say(school_open, "/handover_start", sender)
    left = say(school_open, "/handover_cancel", sender)
    assert texts(left) == ["Je hebt de wachtrij verlaten. Je kunt de Vragenbot weer iets vragen."]
    assert handover_state(left)["state"] == "none"
    assert "Medewerker productietechniek" in answer(say(school_open, "Wat is crebo 25894?", sender))


# --- outside the hours ------------------------------------------------------------------------------

def test_outside_the_hours_the_offer_says_so_and_the_message_box_reaches_staff(school_closed):
    sender = uuid.uuid4().hex
    offer = say(school_closed, "ik wil een medewerker spreken", sender)
    assert "niemand van school bereikbaar" in answer(offer) and "weer open" in answer(offer)
    assert payloads(offer) == ["/handover_leave_message", "/ask_capabilities"]

    opened = say(school_closed, "/handover_leave_message", sender)
    assert "typ je vraag" in answer(opened)
    question = f"Mag ik een keer meelopen bij de opleiding? ({marker()})"
    say(school_closed, question, sender)
    say(school_closed, "06 12345678", sender)
    stored = say(school_closed, "ja", sender)
    assert "je vraag is opgeslagen" in answer(stored)

    staff = StaffMember(school_closed["rasa_url"]).sign_in(new_staff_account(database_url(school_closed)))
    left = [m for m in staff.get("/api/messages")["messages"] if m["question"] == question]
    assert [(m["contact"], m["handled"]) for m in left] == [("06 12345678", False)]
    # None of it is in the conversation Rasa keeps.
    assert stored_user_texts(school_closed, sender) == ["ik wil een medewerker spreken"]
