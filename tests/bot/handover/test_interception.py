"""The handover in the channel layer (bot/channels/base.py `guarded`): what goes to staff and the
message box instead of Rasa, what Rasa never sees, and what each channel's user gets back.

Rasa is played by a small function that keeps what it heard; the service is the real one
(bot/handover/service.py) on a SQLite file. The hours are set here: open at any moment of any
day, or closed by a holiday around today, so no test depends on the clock.
"""
from __future__ import annotations

from datetime import date, time, timedelta
from types import SimpleNamespace
from typing import Any, Dict, List

import pytest
import sqlalchemy as sa
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.base import HANDOVER_NOT_SENT, REQUEST_HUMAN, WholeAnswers, guarded
from bot.channels.rest import RestChannel
from bot.handover.hours import HandoverSettings, Holiday, OpeningHours
from bot.handover.service import HandoverService, InProcessRelay, MemoryDrafts
from bot.handover.store import HandoverStore
from bot.web.channel import WebChatInput, WebChatOutput, page_address, relayed_message

ALWAYS = {day: ((time(0, 0), time.max),) for day in range(7)}
OPEN = HandoverSettings(hours=OpeningHours(periods=ALWAYS))
CLOSED = HandoverSettings(hours=OpeningHours(periods=ALWAYS, holidays=(
    Holiday(date.today() - timedelta(days=2), date.today() + timedelta(days=2), "Studiedagen"),)))
CONTACT = {"nl": "Bel het studentenloket.", "en": "Call the student desk."}


class Rasa:
    """Rasa's message handler, played: keeps the texts it heard, answers each with one message."""

    def __init__(self) -> None:
        self.heard: List[str] = []

    async def __call__(self, message: UserMessage) -> None:
        self.heard.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, f"Rasa: {message.text}")


def service_on(tmp_path, settings) -> HandoverService:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'conversations.db'}")
    return HandoverService(HandoverStore(engine), settings, InProcessRelay(), MemoryDrafts(), CONTACT)


def rest_channel(service: HandoverService, language: str = "nl") -> RestChannel:
    channel = RestChannel()
    channel.handover = service
    tracker = DialogueStateTracker.from_events("rest:student", [SlotSet("language", language)])

    async def retrieve(conversation_id: str) -> DialogueStateTracker:
        return tracker

    channel.app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(
        tracker_store=SimpleNamespace(retrieve=retrieve))))
    return channel


async def say(channel, rasa: Rasa, text: str, conversation: str = "rest:student") -> List[Dict[str, Any]]:
    """One REST request: what the caller gets back."""
    collector = CollectingOutputChannel()
    await guarded(rasa, channel)(UserMessage(text, collector, conversation))
    return collector.messages


def web_channel(service: HandoverService) -> WebChatInput:
    """The web chat's channel with the handover service, as bot/server.py wires it."""
    channel = WebChatInput.from_credentials({})
    channel.handover = service
    return channel


def texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [r["text"] for r in replies if "text" in r]


def states(replies: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [r["custom"]["handover"] for r in replies if "custom" in r]


# --- without a `handover:` section: as before ---------------------------------------------------

@pytest.mark.parametrize("payload", ["/handover_start", "/handover_cancel", "/handover_leave_message"])
async def test_without_a_handover_section_the_buttons_ask_rasa_for_a_person(tmp_path, payload):
    rasa = Rasa()
    await say(rest_channel(service_on(tmp_path, None)), rasa, payload)
    assert rasa.heard == [REQUEST_HUMAN]


async def test_without_a_handover_section_every_other_message_is_rasas(tmp_path):
    rasa = Rasa()
    await say(rest_channel(service_on(tmp_path, None)), rasa, "Wat is crebo 25894?")
    assert rasa.heard == ["Wat is crebo 25894?"]


# --- the queue, staff, and back to the bot ----------------------------------------------------

async def test_a_person_takes_over_and_rasa_never_sees_what_was_said_meanwhile(tmp_path):
    service, rasa = service_on(tmp_path, OPEN), Rasa()
    channel = rest_channel(service)

    queued = await say(channel, rasa, "/handover_start")
    assert rasa.heard == []
    assert texts(queued)[0].startswith("Je bent nummer 1 in de wachtrij.")
    assert states(queued) == [{"state": "waiting", "position": 1, "seen": 0}]
    [handover] = service.store.waiting_and_taken()
    assert handover.conversation_id == "rest:student" and handover.channel == "rest"

    waiting = await say(channel, rasa, "Ik wil weten of ik kan overstappen naar niveau 4")
    assert texts(waiting) == [] and states(waiting) == [{"state": "waiting", "position": 1, "seen": 0}]

    await service.take(handover.id, "anne")
    await service.staff_reply(handover.id, "anne", "Anne", "Hoi! Ik ben Anne van het studentenloket.")
    first = await say(channel, rasa, "Hoi Anne")
    assert [(r.get("sender"), r["text"]) for r in first if "text" in r] == [
        ("system", "Een medewerker van de school heeft je gesprek overgenomen. Je praat nu met een mens, niet met de "
                   "Vragenbot."),
        ("staff", "Hoi! Ik ben Anne van het studentenloket.")]
    assert states(first)[-1]["state"] == "taken"

    await service.staff_reply(handover.id, "anne", "Anne", "Dat kan, ik mail je de voorwaarden.")
    await service.hand_back(handover.id)
    back = await say(channel, rasa, "Wat is crebo 25894?")
    assert texts(back) == ["Dat kan, ik mail je de voorwaarden.",
                           "De medewerker heeft het gesprek teruggegeven aan de Vragenbot. Je kunt de Vragenbot weer "
                           "iets vragen.",
                           "Rasa: Wat is crebo 25894?"]
    # Rasa heard only the question after the hand-back: nothing of the handover, nothing replayed.
    assert rasa.heard == ["Wat is crebo 25894?"]
    # Every message the user wrote meanwhile reached staff, none was swallowed.
    assert [m.text for m in service.store.messages(handover.id) if m.sender == "user"] == [
        "Ik wil weten of ik kan overstappen naar niveau 4", "Hoi Anne"]
    # And nothing comes twice.
    assert texts(await say(channel, rasa, "Dank je")) == ["Rasa: Dank je"]


async def test_leaving_the_queue_gives_the_conversation_back_to_the_bot(tmp_path):
    service, rasa = service_on(tmp_path, OPEN), Rasa()
    channel = rest_channel(service)
    await say(channel, rasa, "/handover_start")
    cancelled = await say(channel, rasa, "/handover_cancel")
    assert texts(cancelled) == ["Je hebt de wachtrij verlaten. Je kunt de Vragenbot weer iets vragen."]
    assert states(cancelled)[0]["state"] == "none" and states(cancelled)[0]["seen"] > 0
    assert texts(await say(channel, rasa, "hoi")) == ["Rasa: hoi"]  # the notice is not sent again
    assert rasa.heard == ["hoi"]


async def test_the_texts_are_in_the_conversations_language(tmp_path):
    service, rasa = service_on(tmp_path, OPEN), Rasa()
    queued = await say(rest_channel(service, language="en"), rasa, "/handover_start")
    assert texts(queued)[0].startswith("You are number 1 in the queue.")
    assert service.store.waiting_and_taken()[0].language == "en"


async def test_an_overlong_message_for_staff_is_not_passed_on_and_not_given_to_rasa(tmp_path):
    service, rasa = service_on(tmp_path, OPEN), Rasa()
    channel = rest_channel(service)
    await say(channel, rasa, "/handover_start")
    refused = await say(channel, rasa, "x " * 1500)
    assert texts(refused) == [HANDOVER_NOT_SENT["nl"].format(max=2000)] and rasa.heard == []
    assert [m for m in service.store.messages(service.store.waiting_and_taken()[0].id) if m.sender == "user"] == []


async def test_a_failing_database_gets_the_apology_and_rasa_gets_nothing(tmp_path, monkeypatch):
    service, rasa = service_on(tmp_path, OPEN), Rasa()

    def broken(*args):
        raise sa.exc.OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(service.store, "current", broken)
    replies = await say(rest_channel(service), rasa, "/handover_start")
    assert texts(replies)[0].startswith("Sorry, er ging bij mij iets mis") and rasa.heard == []


# --- a staff member's own contact: as written on every path, the student's masked ---------------

STAFF_CONTACT = "Mail me gerust op anne.devries@rocteststad.nl of bel 030 123 4567."
TAKEN = "Een medewerker van de school heeft je gesprek overgenomen. Je praat nu met een mens, niet met de Vragenbot."


async def test_over_rest_the_staff_members_contact_comes_as_written_with_the_next_request(tmp_path):
    service, rasa = service_on(tmp_path, OPEN), Rasa()
    channel = rest_channel(service)
    await say(channel, rasa, "/handover_start")
    await say(channel, rasa, "Mijn mail is jan.jansen@example.nl, kan iemand me mailen?")
    [handover] = service.store.waiting_and_taken()
    await service.take(handover.id, "anne")
    await service.staff_reply(handover.id, "anne", "Anne", STAFF_CONTACT)

    delivered = await say(channel, rasa, "Dank je!")
    assert [(r.get("sender"), r["text"]) for r in delivered if "text" in r] == [("system", TAKEN),
                                                                              ("staff", STAFF_CONTACT)]
    # What the student wrote stays masked, for staff and in the database.
    assert [m.text for m in service.store.messages(handover.id) if m.sender == "user"] == [
        "Mijn mail is [e-mail], kan iemand me mailen?", "Dank je!"]


async def test_a_reloaded_web_chat_shows_the_staff_members_contact_as_written(tmp_path):
    service, rasa = service_on(tmp_path, OPEN), Rasa()
    channel = web_channel(service)
    await guarded(rasa, channel)(UserMessage("/handover_start", WebChatOutput(FakeSocketServer(), "bot_uttered"),
                                             "web:abc"))
    [handover] = service.store.waiting_and_taken()
    await service.take(handover.id, "anne")
    await service.staff_reply(handover.id, "anne", "Anne", STAFF_CONTACT)

    channel.sio = FakeSocketServer()  # the reloaded page's socket: it shows nothing of the handover yet
    await channel.send_handover_since("sid-after-reload", "web:abc", after=0)
    shown = [(data.get("sender"), data["text"]) for event, data, room in channel.sio.emitted if event == "bot_uttered"]
    assert shown == [(None, TAKEN), ("staff", STAFF_CONTACT)]  # a notice in the bot's voice, then "Medewerker"
    assert {room for _, _, room in channel.sio.emitted} == {"sid-after-reload"}


# --- outside the hours: the message box ---------------------------------------------------------

async def test_outside_the_hours_the_message_box_keeps_the_question_and_contact_unmasked(tmp_path):
    service, rasa = service_on(tmp_path, CLOSED), Rasa()
    channel = rest_channel(service)
    opened = await say(channel, rasa, "/handover_start")
    assert texts(opened)[0].startswith("Er is nu niemand van de school in de chat. We zijn er weer")
    await say(channel, rasa, "Kan ik in februari nog instromen in de BBL?")
    await say(channel, rasa, "jan.jansen@example.nl")
    stored = await say(channel, rasa, "ja")
    assert texts(stored)[0].startswith("Bedankt, je vraag is opgeslagen.")
    [left] = service.store.left_messages()
    # The school needs them as typed: the channel gives the service the text before masking.
    assert (left.question, left.contact) == ("Kan ik in februari nog instromen in de BBL?", "jan.jansen@example.nl")
    assert rasa.heard == []
    assert texts(await say(channel, rasa, "Wat is crebo 25894?")) == ["Rasa: Wat is crebo 25894?"]


# --- the web chat ---------------------------------------------------------------------------------

class FakeSocketServer:
    """python-socketio's server as the web chat's output uses it: keeps what it emitted."""

    def __init__(self) -> None:
        self.emitted: List[tuple] = []

    async def emit(self, event: str, data: Any, room: str = None, **kwargs: Any) -> None:
        self.emitted.append((event, data, room))


async def test_the_web_chat_gets_the_state_and_the_page_goes_to_staff(tmp_path):
    service, rasa = service_on(tmp_path, OPEN), Rasa()
    channel = web_channel(service)
    sio = FakeSocketServer()
    output = WebChatOutput(sio, "bot_uttered", "nl", page="https://www.school.nl/opleidingen/metaal")
    await guarded(rasa, channel)(UserMessage("/handover_start", output, "web:abc"))
    events = [(event, room) for event, _, room in sio.emitted]
    assert events == [("bot_uttered", "web:abc"), ("handover", "web:abc")]
    assert sio.emitted[-1][1] == {"state": "waiting", "position": 1, "seen": 0}
    assert service.store.current("web:abc").page == "https://www.school.nl/opleidingen/metaal"


async def test_a_quiet_cancel_from_a_page_that_starts_afresh_sends_nothing(tmp_path):
    service, rasa = service_on(tmp_path, OPEN), Rasa()
    channel = web_channel(service)
    await guarded(rasa, channel)(UserMessage("/handover_start", WebChatOutput(FakeSocketServer(), "bot_uttered"),
                                             "web:abc"))
    sio = FakeSocketServer()
    await guarded(rasa, channel)(UserMessage("/handover_cancel", WebChatOutput(sio, "bot_uttered", quiet=True),
                                             "web:abc"))
    assert sio.emitted == [] and service.store.current("web:abc") is None


@pytest.mark.parametrize("given, kept", [
    ("https://www.school.nl/opleidingen/metaal?naam=jan#top", "https://www.school.nl/opleidingen/metaal"),
    ("javascript:alert(1)", None),
    ("niet een adres", None),
    (42, None),
])
def test_only_a_pages_scheme_host_and_path_are_kept(given, kept):
    assert page_address(given) == kept


def test_relayed_staff_messages_say_who_writes_and_carry_their_number():
    shown = relayed_message({"text": "Hoi!", "sender": "staff", "message_id": 7, "language": "en",
                             "buttons": [{"title": "Leave a message", "payload": "/handover_leave_message"}]})
    assert shown == {"text": "Hoi!", "lang": "en", "id": 7, "sender": "staff", "quick_replies": [
        {"content_type": "text", "title": "Leave a message", "payload": "/handover_leave_message"}]}


def test_every_output_can_carry_a_handover_state():
    assert all(hasattr(cls, "send_handover_state") and hasattr(cls, "handover_address")
               for cls in (WebChatOutput, WholeAnswers))


def test_with_redis_the_socket_server_shares_its_rooms_through_redis(monkeypatch):
    import socketio

    from bot.web.channel import SOCKET_IO_REDIS_CHANNEL, redis_client_manager

    monkeypatch.delenv("REDIS_HOST", raising=False)
    assert redis_client_manager() is None
    monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("REDIS_PORT", "6390")
    monkeypatch.setenv("REDIS_PASSWORD", "geheim/met spatie@")
    manager = redis_client_manager()
    assert isinstance(manager, socketio.AsyncRedisManager) and manager.channel == SOCKET_IO_REDIS_CHANNEL
    assert manager.redis_url == "redis://:geheim%2Fmet%20spatie%40@127.0.0.1:6390/0"
