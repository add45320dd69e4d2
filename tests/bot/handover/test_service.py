"""The rules: the queue within hours, the message box outside, what users read, and the relay."""
from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from typing import Any, Dict, List, Tuple

import pytest

from bot.handover.service import (
    CANCEL, CANCELLED, LEAVE_MESSAGE, MAX_QUESTION, MAX_STAFF_REPLY, MESSAGE_BOX, MESSAGE_BOX_TTL, NOT_AVAILABLE,
    NOT_STORED, QUEUED, START, STORED, TEXTS, TO_STAFF, HandoverService, InProcessRelay, MemoryDrafts,
    consent_answer, format_moment, payload_of, valid_contact,
)
from bot.handover.store import CLOSING_TIME, MISSED, RETURNED, STAFF_IDLE, TAKEN, USER_IDLE, WAIT_LIMIT
from bot.language import DUTCH, ENGLISH
from tests.bot.handover.conftest import EVENING, HOURS, OPEN, SETTINGS, local

MINUTE = timedelta(minutes=1)
CONTACT = {DUTCH: "Bel het studentenloket: 010 123 4567.", ENGLISH: "Call the student desk: 010 123 4567."}


class Recorder:
    """A relay subscriber that keeps what it got."""

    def __init__(self) -> None:
        self.got: List[Tuple[str, Dict[str, Any]]] = []

    async def __call__(self, conversation_id: str, message: Dict[str, Any]) -> None:
        self.got.append((conversation_id, message))

    @property
    def texts(self) -> List[str]:
        return [message["text"] for _, message in self.got]


@pytest.fixture
async def relayed():
    return Recorder()


@pytest.fixture
async def service(store, relayed) -> HandoverService:
    relay = InProcessRelay()
    await relay.subscribe(relayed)
    return HandoverService(store, SETTINGS, relay, MemoryDrafts(), CONTACT)


# --- what users read ---------------------------------------------------------------------------

def test_every_text_is_in_dutch_and_english_with_the_same_placeholders():
    for key, languages in TEXTS.items():
        assert set(languages) == {DUTCH, ENGLISH}, key
        placeholders = {language: set(re.findall(r"{(\w+)}", text)) for language, text in languages.items()}
        assert placeholders[DUTCH] == placeholders[ENGLISH], key


@pytest.mark.parametrize("moment, language, expected", [
    (local(2026, 10, 6, 13, 0), DUTCH, "vandaag om 13:00"),
    (local(2026, 10, 7, 8, 30), DUTCH, "morgen om 08:30"),
    (local(2026, 10, 9, 8, 30), DUTCH, "vrijdag om 08:30"),
    (local(2026, 10, 19, 8, 30), DUTCH, "maandag 19 oktober om 08:30"),
    (local(2026, 10, 7, 8, 30), ENGLISH, "tomorrow at 08:30"),
    (local(2026, 10, 9, 8, 30), ENGLISH, "on Friday at 08:30"),
    (local(2026, 10, 19, 8, 30), ENGLISH, "on Monday 19 October at 08:30"),
])
def test_moments_are_written_as_people_say_them(moment, language, expected):
    assert format_moment(moment, local(2026, 10, 6, 10, 0), language, HOURS) == expected


@pytest.mark.parametrize("typed, ok", [
    ("jan@voorbeeld.nl", True), ("  j.de.vries+school@mail.example.com ", True), ("06-12345678", True),
    ("06 1234 5678", True), ("010 123 4567", True), ("+31 6 12345678", True), ("+31 (0)6 1234 5678", True),
    ("0031612345678", True), ("+44 20 7946 0958", True),
    ("jan@voorbeeld", False), ("jan at voorbeeld.nl", False), ("0612345", False), ("06123456789", False),
    ("bel me maar", False), ("", False), ("1234567890", False), ("x" * 200 + "@voorbeeld.nl", False),
])
def test_contact_is_an_email_address_or_a_phone_number(typed, ok):
    assert (valid_contact(typed) is not None) is ok


@pytest.mark.parametrize("typed, answer", [
    ("ja", True), ("Ja!", True), ("JA GRAAG", True), ("yes", True), ("oké", True),
    ("nee", False), ("Nee.", False), ("no", False), ("liever niet", False),
    ("misschien", None), ("", None),
])
def test_consent_is_a_clear_yes_or_no(typed, answer):
    assert consent_answer(typed) is answer


def test_payloads_with_or_without_entities():
    assert payload_of("/handover_start") == START
    assert payload_of('/handover_start{"page": "x"}') == START
    assert payload_of("/handover_starting") is None and payload_of("ik wil een mens") is None


# --- within hours: the queue --------------------------------------------------------------------

async def test_within_hours_the_user_joins_the_queue_and_sees_the_place(service):
    first = await service.handle("web:a", START, DUTCH, channel="web", page="/kiosk", now=OPEN)
    second = await service.handle("web:b", START, ENGLISH, channel="web", now=OPEN + MINUTE)
    assert (first.status, first.position, second.position) == (QUEUED, 1, 2)
    assert second.texts[0].startswith("You are number 2 in the queue.")
    assert first.texts[0].startswith("Je bent nummer 1 in de wachtrij.") and "5 minuten" in first.texts[0]
    assert first.buttons == ({"title": "Wachtrij verlaten", "payload": CANCEL},)
    assert first.handover.page == "/kiosk"
    assert service.position_text(second.handover) == "You are number 2 in the queue."


async def test_while_waiting_or_taken_every_message_goes_to_staff_not_to_rasa(service, store):
    await service.handle("web:a", START, DUTCH, channel="web", now=OPEN)
    waiting = await service.handle("web:a", "Ik wil overstappen, bel 06-12345678", DUTCH, now=OPEN + MINUTE)
    assert (waiting.status, waiting.texts, waiting.position) == (TO_STAFF, (), 1)
    assert waiting.message.text == "Ik wil overstappen, bel [telefoonnummer]"
    assert await service.handle("web:other", "Wat is crebo 25894?", DUTCH, now=OPEN) is None, "not in a handover"


async def test_asking_again_keeps_the_place(service):
    first = await service.handle("web:a", START, DUTCH, now=OPEN)
    again = await service.handle("web:a", START, DUTCH, now=OPEN + MINUTE)
    assert again.handover.id == first.handover.id and again.position == 1


async def test_cancel_leaves_the_queue_and_the_bot_answers_again(service):
    await service.handle("web:a", START, DUTCH, now=OPEN)
    reply = await service.handle("web:a", CANCEL, DUTCH, now=OPEN + MINUTE)
    assert (reply.status, reply.handover.state) == (CANCELLED, "cancelled")
    assert reply.texts == ("Je hebt de wachtrij verlaten. Je kunt de Vragenbot weer iets vragen.",)
    assert await service.handle("web:a", "Wat is crebo 25894?", DUTCH, now=OPEN + 2 * MINUTE) is None
    nothing = await service.handle("web:a", CANCEL, DUTCH, now=OPEN + 3 * MINUTE)
    assert (nothing.status, nothing.handover) == (CANCELLED, None)


async def test_staff_take_reply_and_hand_back_reach_the_user_through_the_relay(service, relayed, store):
    handover = (await service.handle("web:a", START, DUTCH, channel="web", now=OPEN)).handover
    assert await service.take(handover.id, "jan", now=OPEN + MINUTE) is not None
    assert await service.take(handover.id, "piet") is None
    message = await service.staff_reply(handover.id, "jan", "Jan", "Bel ons op 030 123 4567", now=OPEN + 2 * MINUTE)
    assert message.text == "Bel ons op 030 123 4567", "stored as written: the school's own number"
    assert await service.staff_reply(handover.id, "piet", "Piet", "Ik ook") is None, "only who took it replies"
    assert (await service.hand_back(handover.id, now=OPEN + 3 * MINUTE)).state == RETURNED
    assert [(conversation, m["sender"], m["state"]) for conversation, m in relayed.got] == [
        ("web:a", "system", TAKEN), ("web:a", "staff", TAKEN), ("web:a", "system", RETURNED)]
    assert relayed.got[1][1]["text"] == "Bel ons op 030 123 4567", "the user gets it as typed"
    assert relayed.got[1][1]["staff_name"] == "Jan" and relayed.got[1][1]["message_id"] == message.id
    assert relayed.texts[2].startswith("De medewerker heeft het gesprek teruggegeven aan de Vragenbot.")
    assert [m.sender for m in store.messages(handover.id)] == ["system", "staff", "system"]
    assert await service.handle("web:a", "Wat is crebo 25894?", DUTCH, now=OPEN + 4 * MINUTE) is None


async def test_a_staff_reply_has_a_length_limit(service):
    handover = (await service.handle("web:a", START, DUTCH, now=OPEN)).handover
    await service.take(handover.id, "jan")
    with pytest.raises(ValueError):
        await service.staff_reply(handover.id, "jan", "Jan", "x" * (MAX_STAFF_REPLY + 1))
    with pytest.raises(ValueError):
        await service.staff_reply(handover.id, "jan", "Jan", "   ")
    assert await service.staff_reply(handover.id, "jan", "Jan", "x" * MAX_STAFF_REPLY) is not None


async def test_close_tells_the_user(service, relayed):
    handover = (await service.handle("web:a", START, ENGLISH, now=OPEN)).handover
    await service.close(handover.id)
    assert relayed.texts == [
        "The member of staff has closed the conversation. You can ask the chatbot something again."]


async def test_slack_and_teams_get_a_direct_delivery_in_the_process_that_acted(service):
    delivered = []

    async def deliver(handover, message):
        delivered.append((handover.reply_to, message["text"]))

    service.register_delivery("slack", deliver)
    address = {"channel": "C1", "thread_ts": "1.2"}
    handover = (await service.handle("slack:U1", START, DUTCH, channel="slack", reply_to=address, now=OPEN)).handover
    await service.take(handover.id, "jan")
    await service.staff_reply(handover.id, "jan", "Jan", "Hoi!")
    assert delivered[-1] == (address, "Hoi!") and len(delivered) == 2


async def test_the_limits_hand_back_with_a_message(service, relayed):
    missed = (await service.handle("web:a", START, DUTCH, now=OPEN)).handover
    idle = (await service.handle("web:b", START, DUTCH, now=OPEN)).handover
    await service.take(idle.id, "jan", now=OPEN)
    await service.staff_reply(idle.id, "jan", "Jan", "Waarmee kan ik helpen?", now=OPEN)
    relayed.got.clear()
    ended = await service.expire(now=OPEN + 10 * MINUTE)
    assert sorted((h.conversation_id, h.state, r) for h, r in ended) == [
        ("web:a", MISSED, WAIT_LIMIT), ("web:b", RETURNED, USER_IDLE)]
    by_conversation = {conversation: message for conversation, message in relayed.got}
    assert by_conversation["web:a"]["text"].startswith("Sorry, er was binnen 5 minuten geen medewerker vrij.")
    assert [b["payload"] for b in by_conversation["web:a"]["buttons"]] == [LEAVE_MESSAGE, CANCEL]
    assert by_conversation["web:b"]["text"].startswith("We hebben een tijdje niets van je gehoord")
    assert missed.id != idle.id


@pytest.mark.parametrize("language, queued, missed", [
    (DUTCH, "Is er binnen 1 minuut niemand vrij", "Sorry, er was binnen 1 minuut geen medewerker vrij."),
    (ENGLISH, "If nobody is free within 1 minute,", "Sorry, no member of staff was free within 1 minute."),
])
async def test_a_wait_limit_of_one_minute_is_said_in_the_singular(store, relayed, language, queued, missed):
    relay = InProcessRelay()
    await relay.subscribe(relayed)
    one_minute = HandoverService(store, dataclasses.replace(SETTINGS, wait_limit_minutes=1), relay, MemoryDrafts())
    reply = await one_minute.handle("web:a", START, language, now=OPEN)
    assert queued in reply.texts[0]
    await one_minute.expire(now=OPEN + MINUTE)
    assert relayed.texts[-1].startswith(missed)


async def test_staff_idle_and_closing_time_notices(service, relayed):
    gone = (await service.handle("web:a", START, DUTCH, now=local(2026, 10, 6, 16, 40))).handover
    await service.take(gone.id, "jan", now=local(2026, 10, 6, 16, 41))
    await service.handle("web:late", START, DUTCH, now=local(2026, 10, 6, 16, 58))
    relayed.got.clear()
    [(handover, reason)] = await service.expire(now=local(2026, 10, 6, 16, 59))
    assert (handover.id, reason) == (gone.id, STAFF_IDLE)
    assert relayed.texts[-1].startswith("Sorry, de medewerker reageert niet meer.")
    [(handover, reason)] = await service.expire(now=local(2026, 10, 6, 17, 0))
    assert (handover.conversation_id, reason) == ("web:late", CLOSING_TIME)
    assert relayed.texts[-1] == ("Sorry, de chat met medewerkers is nu gesloten voordat iemand je kon helpen. We zijn "
                                 "er weer morgen om 08:30. Je kunt een bericht achterlaten, dan neemt de school "
                                 "contact met je op.")


# --- outside hours and the message box ---------------------------------------------------------

async def test_outside_hours_the_notice_says_when_staff_are_back_and_the_box_opens(service, store):
    reply = await service.handle("web:a", START, DUTCH, now=EVENING)
    assert reply.status == MESSAGE_BOX
    assert reply.texts == ("Er is nu niemand van de school in de chat. We zijn er weer morgen om 08:30.",
                           "Je kunt een bericht achterlaten: typ je vraag in één bericht. Liever niet? Typ stop.")
    assert store.current("web:a") is None, "nobody queues outside hours"


async def test_the_message_box_asks_question_contact_and_consent_then_stores(service, store):
    await service.handle("web:a", START, DUTCH, now=EVENING)
    contact = await service.handle("web:a", "Kan ik na de zomer nog overstappen naar niveau 3?", DUTCH, now=EVENING)
    assert contact.texts == ("Hoe kunnen we je bereiken? Typ je e-mailadres of telefoonnummer.",)
    wrong = await service.handle("web:a", "bel me maar", DUTCH, now=EVENING)
    assert wrong.status == MESSAGE_BOX and wrong.texts[0].startswith("Dat lijkt geen e-mailadres of telefoonnummer.")
    assert store.left_messages() == [], "nothing stored before consent"
    consent = await service.handle("web:a", "06-12345678", DUTCH, now=EVENING)
    assert consent.texts == ("Mogen we je vraag en je contactgegevens bewaren tot 5 november 2026? Alleen "
                             "medewerkers van de school zien ze, om je te antwoorden. ja/nee",)
    assert [b["payload"] for b in consent.buttons] == ["ja", "nee"]
    unclear = await service.handle("web:a", "misschien", DUTCH, now=EVENING)
    assert unclear.texts == ("Typ ja of nee.",)
    stored = await service.handle("web:a", "ja", DUTCH, now=EVENING)
    assert stored.status == STORED
    assert stored.texts == ("Bedankt, je vraag is opgeslagen. Een medewerker van de school leest hem vanaf morgen "
                            "om 08:30 en neemt contact met je op via 06-12345678.",)
    [left] = store.left_messages()
    assert (left.question, left.contact, left.language) == (
        "Kan ik na de zomer nog overstappen naar niveau 3?", "06-12345678", DUTCH)
    assert await service.handle("web:a", "Wat is crebo 25894?", DUTCH, now=EVENING) is None, "the box is closed"


async def test_no_consent_stores_nothing_and_names_the_schools_contact(service, store):
    await service.handle("web:a", LEAVE_MESSAGE, ENGLISH, now=EVENING)
    await service.handle("web:a", "Can I switch programmes?", ENGLISH, now=EVENING)
    await service.handle("web:a", "me@example.com", ENGLISH, now=EVENING)
    reply = await service.handle("web:a", "no", ENGLISH, now=EVENING)
    assert (reply.status, reply.texts) == (NOT_STORED, ("All right, nothing has been kept. " + CONTACT[ENGLISH],))
    assert store.left_messages() == []


@pytest.mark.parametrize("stop", ["stop", "Annuleren", "nee", CANCEL])
async def test_stop_leaves_the_box_at_any_step(service, store, stop):
    await service.handle("web:a", LEAVE_MESSAGE, DUTCH, now=EVENING)
    await service.handle("web:a", "Mijn vraag", DUTCH, now=EVENING)
    reply = await service.handle("web:a", stop, DUTCH, now=EVENING)
    assert reply.status == NOT_STORED and reply.texts[0].startswith("Oké, er is geen bericht achtergelaten.")
    assert await service.handle("web:a", "06 12345678", DUTCH, now=EVENING) is None
    assert store.left_messages() == []


async def test_another_button_of_the_bot_leaves_the_box_and_goes_to_rasa(service):
    await service.handle("web:a", LEAVE_MESSAGE, DUTCH, now=EVENING)
    assert await service.handle("web:a", "/greet", DUTCH, now=EVENING) is None
    assert await service.handle("web:a", "Mijn vraag", DUTCH, now=EVENING) is None


async def test_a_draft_is_dropped_after_its_time(service):
    await service.handle("web:a", LEAVE_MESSAGE, DUTCH, now=EVENING)
    assert await service.handle("web:a", "Mijn vraag", DUTCH, now=EVENING + MESSAGE_BOX_TTL) is None


async def test_a_question_has_a_length_limit(service):
    await service.handle("web:a", LEAVE_MESSAGE, DUTCH, now=EVENING)
    reply = await service.handle("web:a", "x" * (MAX_QUESTION + 1), DUTCH, now=EVENING)
    assert reply.status == MESSAGE_BOX and "te lang" in reply.texts[0]


async def test_within_hours_the_stored_message_is_read_as_soon_as_someone_is_free(service):
    await service.handle("web:a", LEAVE_MESSAGE, DUTCH, now=OPEN)
    await service.handle("web:a", "Mijn vraag", DUTCH, now=OPEN)
    await service.handle("web:a", "jan@voorbeeld.nl", DUTCH, now=OPEN)
    reply = await service.handle("web:a", "ja", DUTCH, now=OPEN)
    assert "leest hem zodra er iemand vrij is" in reply.texts[0]


async def test_leaving_a_message_from_the_queue_leaves_the_queue(service, store):
    await service.handle("web:a", START, DUTCH, now=OPEN)
    reply = await service.handle("web:a", LEAVE_MESSAGE, DUTCH, now=OPEN)
    assert reply.status == MESSAGE_BOX and store.current("web:a") is None


async def test_without_a_handover_section_the_school_contact_is_named(store):
    service = HandoverService(store, None, school_contact=CONTACT)
    reply = await service.handle("web:a", START, DUTCH, now=OPEN)
    assert (reply.status, reply.texts) == (NOT_AVAILABLE, (
        "Via deze chat kun je nog geen medewerker spreken. " + CONTACT[DUTCH],))
    assert await service.handle("web:a", "hallo", DUTCH, now=OPEN) is None
    assert await service.expire(now=OPEN) == []


async def test_when_the_queue_moves_those_behind_hear_their_new_place(service, relayed):
    first = (await service.handle("web:a", START, DUTCH, now=OPEN)).handover
    await service.handle("web:b", START, ENGLISH, now=OPEN)
    await service.handle("web:c", START, DUTCH, now=OPEN)
    relayed.got.clear()
    await service.take(first.id, "jan")
    positions = [(conversation, m["text"]) for conversation, m in relayed.got if m["kind"] == "position"]
    assert positions == [("web:b", "You are number 1 in the queue."), ("web:c", "Je bent nummer 2 in de wachtrij.")]
    relayed.got.clear()
    await service.handle("web:b", CANCEL, ENGLISH)
    assert [(c, m["position"]) for c, m in relayed.got if m["kind"] == "position"] == [("web:c", 1)]
    relayed.got.clear()
    await service.hand_back(first.id)
    assert [m["kind"] for _, m in relayed.got] == ["message"], "a taken conversation had left the queue already"
