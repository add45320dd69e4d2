"""The handover store on SQLite: every state change, the queue, the limits, masking, retention."""
from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.handover.store import (
    CANCELLED, CLOSED, CLOSING_TIME, HANDED_BACK, MISSED, RETURNED, STAFF, STAFF_CLOSED, STAFF_IDLE, SYSTEM, TAKEN,
    USER, USER_CANCELLED, USER_IDLE, WAIT_LIMIT, WAITING, ForgottenHandovers, HandoverStore,
    handover_store_from_endpoints,
)
from tests.bot.handover.conftest import EVENING, OPEN, SETTINGS, local

MINUTE = timedelta(minutes=1)


def ask(store: HandoverStore, conversation: str = "web:a", at=OPEN, **kwargs):
    return store.request(conversation, "web", "nl", page="https://school.example/opleidingen", now=at, **kwargs)


def test_a_request_waits_in_the_queue_and_asking_again_keeps_the_place(store):
    first = ask(store, "web:a")
    assert (first.state, first.channel, first.language, first.page) == (WAITING, "web", "nl",
                                                                         "https://school.example/opleidingen")
    assert first.created_at == OPEN and first.created_at.tzinfo is not None
    assert ask(store, "web:a", at=OPEN + MINUTE) == first
    assert store.current("web:a") == first and store.current("web:other") is None


def test_the_position_counts_the_waiting_conversations_ahead(store):
    a, b, c = (ask(store, f"web:{name}", at=OPEN + i * MINUTE) for i, name in enumerate("abc"))
    assert [store.position(h) for h in (a, b, c)] == [1, 2, 3]
    store.take(a.id, "jan")
    store.cancel("web:b")
    assert [store.position(h) for h in (a, b, c)] == [0, 0, 1]
    assert [h.conversation_id for h in store.waiting_and_taken()] == ["web:a", "web:c"]


def test_take_reply_and_hand_back(store):
    handover = ask(store)
    taken = store.take(handover.id, "jan", now=OPEN + MINUTE)
    assert (taken.state, taken.taken_by, taken.taken_at) == (TAKEN, "jan", OPEN + MINUTE)
    assert store.take(handover.id, "piet") is None, "one staff member takes it, the second is refused"
    store.add_message(handover.id, USER, "Hallo?", now=OPEN + 2 * MINUTE)
    store.add_message(handover.id, STAFF, "Hoi, ik help je.", staff_name="Jan", now=OPEN + 3 * MINUTE)
    returned = store.hand_back(handover.id, now=OPEN + 4 * MINUTE)
    assert (returned.state, returned.end_reason, returned.ended_at) == (RETURNED, HANDED_BACK, OPEN + 4 * MINUTE)
    assert (returned.last_user_at, returned.last_staff_at) == (OPEN + 2 * MINUTE, OPEN + 3 * MINUTE)
    assert store.current("web:a") is None
    assert store.hand_back(handover.id) is None and store.close(handover.id) is None
    assert store.add_message(handover.id, USER, "nog iets") is None, "not active: nothing stored"
    assert store.add_message(handover.id, SYSTEM, "Teruggegeven.") is not None, "a notice may follow the end"


def test_close_and_cancel(store):
    closed = store.close(ask(store, "web:a").id, now=OPEN)
    assert (closed.state, closed.end_reason) == (CLOSED, STAFF_CLOSED)
    waiting = ask(store, "web:b")
    cancelled = store.cancel("web:b", now=OPEN + MINUTE)
    assert (cancelled.id, cancelled.state, cancelled.end_reason) == (waiting.id, CANCELLED, USER_CANCELLED)
    assert store.cancel("web:b") is None
    again = ask(store, "web:b", at=OPEN + 2 * MINUTE)
    assert again.id != waiting.id and again.state == WAITING, "a new request after the end is a new handover"


def test_hand_back_needs_a_taken_conversation(store):
    assert store.hand_back(ask(store).id) is None


def test_the_users_messages_are_masked_as_stored_staffs_kept_as_written(store):
    handover = ask(store)
    store.take(handover.id, "jan")
    store.add_message(handover.id, USER, "Mijn nummer is 06-12345678 en mail jan@voorbeeld.nl")
    store.add_message(handover.id, STAFF, "Bel 030 123 4567 of mail loket@school.nl", staff_name="Jan")
    store.add_message(handover.id, SYSTEM, "De medewerker heeft het gesprek afgesloten.")
    messages = store.messages(handover.id)
    assert [(m.sender, m.staff_name, m.text) for m in messages] == [
        (USER, None, "Mijn nummer is [telefoonnummer] en mail [e-mail]"),
        (STAFF, "Jan", "Bel 030 123 4567 of mail loket@school.nl"),  # the school's own contact, on purpose
        (SYSTEM, None, "De medewerker heeft het gesprek afgesloten."),
    ]
    assert store.messages(handover.id, after_id=messages[0].id) == messages[1:]
    raw = store.engine.connect().execute(sa.text("SELECT text FROM handover_messages")).scalars().all()
    assert not any("06-12345678" in text or "@voorbeeld" in text for text in raw), "nothing of the user's unmasked"


def test_a_conversations_messages_span_its_handovers(store):
    first = ask(store, "web:a")
    store.add_message(first.id, USER, "eerste")
    store.cancel("web:a")
    second = ask(store, "web:a")
    store.add_message(second.id, USER, "tweede")
    other = ask(store, "web:b")
    store.add_message(other.id, USER, "van een ander")
    assert [m.text for m in store.conversation_messages("web:a")] == ["eerste", "tweede"]


def test_a_sender_must_be_known(store):
    with pytest.raises(ValueError):
        store.add_message(ask(store).id, "bot", "hallo")


def test_the_reply_address_is_kept_as_json(store):
    address = {"channel": "C123", "thread_ts": "1700000000.000100"}
    handover = store.request("slack:U1", "slack", "en", reply_to=address, now=OPEN)
    assert store.get(handover.id).reply_to == address


@pytest.mark.parametrize("minutes, reason", [(4, None), (5, WAIT_LIMIT)])
def test_nobody_took_it_within_the_wait_limit(store, minutes, reason):
    handover = ask(store)
    ended = store.expire(OPEN + minutes * MINUTE, SETTINGS)
    assert [(h.id, h.state, r) for h, r in ended] == ([(handover.id, MISSED, reason)] if reason else [])


def test_waiting_when_the_hours_end_is_missed(store):
    ask(store, at=local(2026, 10, 6, 16, 58))
    [(handover, reason)] = store.expire(local(2026, 10, 6, 17, 0), SETTINGS)
    assert (handover.state, handover.end_reason, reason) == (MISSED, CLOSING_TIME, CLOSING_TIME)


def test_staff_idle_when_the_user_wrote_last_or_nobody_wrote(store):
    silent = ask(store, "web:a")
    store.take(silent.id, "jan", now=OPEN)
    unanswered = ask(store, "web:b")
    store.take(unanswered.id, "jan", now=OPEN)
    store.add_message(unanswered.id, STAFF, "Hoi", staff_name="Jan", now=OPEN + MINUTE)
    store.add_message(unanswered.id, USER, "Hallo?", now=OPEN + 5 * MINUTE)
    assert store.expire(OPEN + 9 * MINUTE, SETTINGS) == []
    assert [(h.conversation_id, r) for h, r in store.expire(OPEN + 10 * MINUTE, SETTINGS)] == [("web:a", STAFF_IDLE)]
    [(handover, reason)] = store.expire(OPEN + 15 * MINUTE, SETTINGS)
    assert (handover.conversation_id, handover.state, reason) == ("web:b", RETURNED, STAFF_IDLE)


def test_user_idle_when_staff_wrote_last(store):
    handover = ask(store)
    store.take(handover.id, "jan", now=OPEN)
    store.add_message(handover.id, USER, "Vraagje", now=OPEN + MINUTE)
    store.add_message(handover.id, STAFF, "Wat is je vraag precies?", staff_name="Jan", now=OPEN + 2 * MINUTE)
    assert store.expire(OPEN + 11 * MINUTE, SETTINGS) == []
    [(ended, reason)] = store.expire(OPEN + 12 * MINUTE, SETTINGS)
    assert (ended.state, ended.end_reason, reason) == (RETURNED, USER_IDLE, USER_IDLE)


def test_a_taken_conversation_is_not_ended_by_closing_time(store):
    handover = ask(store, at=local(2026, 10, 6, 16, 55))
    store.take(handover.id, "jan", now=local(2026, 10, 6, 16, 56))
    store.add_message(handover.id, STAFF, "Ik help je nog even.", staff_name="Jan", now=local(2026, 10, 6, 16, 59))
    assert store.expire(local(2026, 10, 6, 17, 1), SETTINGS) == []


def test_each_expiry_is_reported_once(store):
    ask(store)
    assert len(store.expire(OPEN + 6 * MINUTE, SETTINGS)) == 1
    assert store.expire(OPEN + 7 * MINUTE, SETTINGS) == []


def test_a_second_store_on_the_same_database_sees_the_queue(store, engine):
    handover = ask(store)
    other_process = HandoverStore(sa.create_engine(engine.url))
    assert other_process.take(handover.id, "jan") is not None
    assert store.take(handover.id, "piet") is None


def test_left_messages_only_with_consent_and_without_the_conversation(store):
    assert store.leave_message("Mag ik overstappen?", "jan@voorbeeld.nl", False, "nl") is None
    assert store.left_messages() == []
    left = store.leave_message("Mag ik overstappen?", "jan@voorbeeld.nl", True, "nl", now=EVENING)
    assert (left.question, left.contact, left.consent_at, left.handled_at) == (
        "Mag ik overstappen?", "jan@voorbeeld.nl", EVENING, None), "kept as typed: the school answers it"
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("left_messages")}
    assert not any("conversation" in column for column in columns)
    handled = store.mark_handled(left.id, now=OPEN)
    assert handled.handled_at == OPEN
    assert store.mark_handled(left.id, now=EVENING).handled_at == OPEN, "the first time counts"
    assert store.left_messages(include_handled=False) == [] and store.left_messages() == [handled]
    assert store.mark_handled(999) is None


def test_forget_removes_old_left_messages(store):
    store.leave_message("oud", "06 12345678", True, "nl", now=OPEN - timedelta(days=31))
    store.leave_message("nieuw", "06 12345678", True, "nl", now=OPEN - timedelta(days=29))
    assert store.forget(OPEN - timedelta(days=30), dry_run=True) == 1
    assert store.forget(OPEN - timedelta(days=30)) == 1
    assert [m.question for m in store.left_messages()] == ["nieuw"]


def test_forget_handovers_by_their_last_activity(store):
    old = ask(store, "web:old", at=OPEN - timedelta(days=40))
    store.add_message(old.id, USER, "oud")
    store.close(old.id, now=OPEN - timedelta(days=40))
    stuck = ask(store, "web:stuck", at=OPEN - timedelta(days=40))  # never expired
    recent = ask(store, "web:recent", at=OPEN - timedelta(days=40))
    store.add_message(recent.id, USER, "nog bezig", now=OPEN - timedelta(days=1))
    cutoff = OPEN - timedelta(days=30)
    assert store.forget_handovers(cutoff, dry_run=True) == (2, 1, 0)
    assert store.forget_handovers(cutoff) == ForgottenHandovers(handovers=2, messages=1, deliveries=0)
    assert store.get(old.id) is None and store.get(stuck.id) is None and store.get(recent.id) is not None
    assert store.messages(old.id) == []


def test_forget_one_conversation(store):
    handover = ask(store, "web:a")
    store.add_message(handover.id, USER, "hallo")
    ask(store, "web:b")
    assert store.forget_conversation("web:a") == (1, 1, 0)
    assert [h.conversation_id for h in store.waiting_and_taken()] == ["web:b"]


# --- REST's delivery pointer: which staff messages the caller has been sent ---------------------

def test_the_delivery_pointer_only_moves_on(store):
    assert store.delivered_up_to("rest:student") is None, "nothing delivered yet"
    store.mark_delivered("rest:student", 5, now=OPEN)
    store.mark_delivered("rest:student", 3, now=OPEN + MINUTE)  # an older request finishing late
    assert store.delivered_up_to("rest:student") == 5
    store.mark_delivered("rest:student", 8, now=OPEN + 2 * MINUTE)
    assert store.delivered_up_to("rest:student") == 8 and store.delivered_up_to("rest:other") is None


def test_a_pointer_not_moved_for_a_day_is_purged_by_a_later_delivery(store):
    store.mark_delivered("rest:yesterday", 1, now=OPEN - timedelta(days=1, minutes=1))
    store.mark_delivered("rest:today", 2, now=OPEN)
    assert store.delivered_up_to("rest:yesterday") is None and store.delivered_up_to("rest:today") == 2


def test_the_pointer_lives_in_the_table_it_had_in_the_rest_channel(store):
    # Databases made while it lived in bot/channels/rest.py keep working.
    assert sa.inspect(store.engine).get_columns("rest_handover_deliveries")[0]["name"] == "conversation_id"


def pointed(store, conversation: str, at) -> int:
    """A REST conversation with a staff reply, delivered with the caller's next request."""
    handover = ask(store, conversation, at=at)
    store.take(handover.id, "jan", now=at)
    reply = store.add_message(handover.id, STAFF, "Hoi, ik ben Jan.", staff_name="Jan", now=at)
    store.mark_delivered(conversation, reply.id, now=at)
    return handover.id


def test_forgetting_a_conversation_takes_its_delivery_pointer(store):
    pointed(store, "rest:student", OPEN)
    pointed(store, "rest:other", OPEN)
    assert store.forget_conversation("rest:student", dry_run=True) == (1, 1, 1)
    assert store.forget_conversation("rest:student") == (1, 1, 1)
    assert store.delivered_up_to("rest:student") is None and store.delivered_up_to("rest:other") is not None


def test_forgetting_old_chats_takes_the_pointers_of_conversations_that_keep_none(store):
    # `make forget --days 0.05`: chats that ended more than 72 minutes ago, within the day a pointer lives.
    hour = timedelta(hours=1)
    store.hand_back(pointed(store, "rest:old", OPEN - 3 * hour), now=OPEN - 3 * hour)
    store.hand_back(pointed(store, "rest:recent", OPEN - hour / 2), now=OPEN - hour / 2)
    # One conversation, two chats: the old one goes, the pointer stays with the recent one.
    store.hand_back(pointed(store, "rest:twice", OPEN - 3 * hour), now=OPEN - 3 * hour)
    again = pointed(store, "rest:twice", OPEN - hour / 6)
    cutoff = OPEN - timedelta(days=0.05)
    assert store.forget_handovers(cutoff, dry_run=True) == (2, 2, 1)
    assert store.forget_handovers(cutoff) == ForgottenHandovers(handovers=2, messages=2, deliveries=1)
    assert store.delivered_up_to("rest:old") is None
    assert store.delivered_up_to("rest:recent") is not None
    assert store.delivered_up_to("rest:twice") is not None and store.get(again) is not None


def test_staff_accounts_sessions_and_sign_in_attempts(store):
    account = store.save_staff_account("jan", "Jan", "$argon2id$…", now=OPEN)
    assert store.staff_account("jan") == account and store.staff_account("piet") is None
    store.save_staff_account("jan", "Jan de Vries", "$argon2id$nieuw")
    assert store.staff_account("jan").display_name == "Jan de Vries"
    assert store.staff_account("jan").created_at == OPEN, "a new password keeps the account"
    session = store.start_session("hash1", "jan", "csrf1", now=OPEN)
    assert store.staff_session("hash1") == session
    store.touch_session("hash1", now=OPEN + MINUTE)
    assert store.staff_session("hash1").last_seen_at == OPEN + MINUTE
    assert store.end_sessions_idle_since(OPEN) == 0 and store.end_sessions_idle_since(OPEN + 2 * MINUTE) == 1
    store.start_session("hash2", "jan", "csrf2")
    store.end_session("hash2")
    assert store.staff_session("hash2") is None
    store.start_session("hash3", "jan", "csrf3")
    assert store.remove_staff_account("jan") and store.staff_session("hash3") is None
    assert not store.remove_staff_account("jan")
    for minute in range(3):
        store.record_sign_in_attempt("addr:10.0.0.1", now=OPEN + minute * MINUTE)
    assert store.sign_in_attempts("addr:10.0.0.1", since=OPEN + MINUTE) == 2
    assert store.forget_sign_in_attempts(OPEN + MINUTE) == 1
    store.clear_sign_in_attempts("addr:10.0.0.1")
    assert store.sign_in_attempts("addr:10.0.0.1", since=OPEN) == 0


def test_the_store_follows_the_endpoints_file_and_keeps_the_file_private(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("endpoints.yml").write_text("tracker_store:\n  type: bot.store.tracker_store.ConversationStore\n"
                                     "  dialect: sqlite\n  db: var/c.db\n", encoding="utf-8")
    store = handover_store_from_endpoints("endpoints.yml")
    ask(store)
    assert stat.S_IMODE(os.stat("var/c.db").st_mode) == 0o600
    assert sa.inspect(store.engine).has_table("handovers")
