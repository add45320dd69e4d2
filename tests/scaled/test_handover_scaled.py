"""A person in the scale-out profile (scripts/run-scaled): the student's web chat socket on one Rasa
process, the staff member's console on the other. The queue lives in PostgreSQL and staff messages
travel through Redis (the handover relay, and python-socketio's Redis manager), never through one
process's memory: the student gets each staff reply live on the other process.

The profile needs a school.yml with a `handover:` section, open for the whole test
(tests/conversations/handover.py): SCHOOL_SETTINGS is set while the session's profile starts (this
module runs before test_scale_out.py). Should the session's profile already run without it, this
module starts one of its own.
"""
from __future__ import annotations

import json
import os
import queue
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests
import sqlalchemy as sa
from redis import Redis

from tests.bot.channels.fakes import eventually
from tests.bot.web.test_webchat_live import WebChatUser
from tests.conversations.handover import PASSWORD, StaffMember, marker, school_settings
from tests.scaled import conftest as scaled_conftest
from tests.scaled.conftest import Scaled

pytestmark = pytest.mark.slow

TAKEN = "Een medewerker van de school heeft je gesprek overgenomen."
HANDED_BACK = "De medewerker heeft het gesprek teruggegeven aan de Vragenbot."


def offers_a_person(profile: Scaled) -> bool:
    reply = requests.post(f"{profile.rasa_urls[0]}/webhooks/rest/webhook",
                          json={"sender": f"probe{uuid.uuid4().hex[:8]}", "message": "ik wil een medewerker spreken"},
                          timeout=60).json()
    return any("wachtrij" in str(m.get("text", "")) for m in reply)


@pytest.fixture(scope="module")
def profile(request, model_path: Path, tmp_path_factory) -> Iterator[Scaled]:
    directory = tmp_path_factory.mktemp("handover-scaled")
    directory.chmod(0o755)
    settings = school_settings(directory)
    settings.chmod(0o644)
    previous = os.environ.get("SCHOOL_SETTINGS")
    os.environ["SCHOOL_SETTINGS"] = str(settings)
    private = None
    try:
        shared = request.getfixturevalue("scaled")
        if offers_a_person(shared):
            yield shared
            return
        # Started before this module set SCHOOL_SETTINGS: a profile of our own (the fixture's function).
        private = scaled_conftest.scaled.__wrapped__(model_path)
        yield next(private)
    finally:
        if previous is None:
            os.environ.pop("SCHOOL_SETTINGS", None)
        else:
            os.environ["SCHOOL_SETTINGS"] = previous
        if private is not None:
            next(private, None)


class Student(WebChatUser):
    """The web chat as chat.js speaks it, with the `handover` events too."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.states: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self.client.on("handover", self.states.put)

    def write(self, text: str) -> None:
        """A message for staff: no answer comes from the bot."""
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id, "lang": "nl"})

    def next_reply(self, timeout: float = 30) -> Dict[str, Any]:
        return self.replies.get(timeout=timeout)

    def state(self, wanted: str, timeout: float = 30) -> Dict[str, Any]:
        while True:
            state = self.states.get(timeout=timeout)
            if state["state"] == wanted:
                return state


def stored_texts(profile: Scaled, conversation: str) -> List[str]:
    with profile.database.connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :id AND type_name = 'user' "
                                          "ORDER BY id"), {"id": conversation})
        return [json.loads(data)["text"] for (data,) in rows]


def test_the_student_and_the_staff_member_on_different_processes(profile: Scaled):
    from bot.handover.accounts import StaffAccounts
    from bot.handover.store import HandoverStore

    student_process, staff_process = profile.rasa_urls
    username = f"anne{uuid.uuid4().hex[:6]}"
    StaffAccounts(HandoverStore(profile.database)).add(username, "Anne (studentenloket)", PASSWORD)
    staff = StaffMember(staff_process).sign_in(username)

    with Student(student_process) as student:
        offer = student.say("ik wil een medewerker spreken")
        assert any("/handover_start" in str(r.get("quick_replies")) for r in offer)
        queued = student.say("/handover_start")
        assert queued[0]["text"].startswith("Je bent nummer")
        assert student.state("waiting")["position"] >= 1
        question = f"Mag ik van opleiding wisselen? ({marker()})"
        student.write(question)

        handover = staff.find_waiting(question)
        staff.take(handover["id"])
        assert TAKEN in student.next_reply()["text"]  # from the other process, through Redis
        student.state("taken")

        messages = [("Hoi, ik ben Anne. Waar gaat het om?", "Ik zit in niveau 2 en wil naar niveau 3."),
                    ("Dat kan na je diploma, of eerder als je mentor akkoord is.", "Hoe regel ik dat?"),
                    ("Maak een afspraak met je mentor, ik mail je de stappen.", "Dank u wel!")]
        for theirs, mine in messages:
            staff.reply(handover["id"], theirs)
            delivered = student.next_reply()
            assert (delivered["text"], delivered.get("sender")) == (theirs, "staff") and delivered["id"] > 0
            student.write(mine)
        # What the student wrote reached the staff member's process (from PostgreSQL), in order.
        wanted = [question, *(mine for _, mine in messages)]
        written = eventually(lambda: [m["text"] for m in staff.transcript(handover["id"]) if m["sender"] == "user"],
                             lambda texts: texts == wanted, 15)
        assert written == wanted

        staff.hand_back(handover["id"])
        assert HANDED_BACK in student.next_reply()["text"]
        student.state("none")
        answer = student.say("Wat is crebo 25894?")
        assert "Medewerker productietechniek (crebo 25894)" in answer[0]["text"]

        # Each staff reply arrived once: nothing more is waiting on the socket.
        with pytest.raises(queue.Empty):
            student.replies.get(timeout=2)
        # Both processes listen to the handover relay, and the student's process's socket.io server
        # uses Redis as its client manager (it starts with the first socket).
        redis = Redis(host="127.0.0.1", port=profile.redis_port,
                      password=(profile.directory / "redis-password").read_text().strip())
        subscribers = dict(redis.pubsub_numsub("vragenbot:handover", "vragenbot:socketio"))
        assert subscribers[b"vragenbot:handover"] == len(profile.rasa_urls) and subscribers[b"vragenbot:socketio"] >= 1
        # Rasa's tracker, in PostgreSQL, has the request for a person and the question after the
        # hand-back, nothing of what the student said to staff.
        assert stored_texts(profile, f"web:{student.session_id}") == ["ik wil een medewerker spreken",
                                                                      "Wat is crebo 25894?"]
