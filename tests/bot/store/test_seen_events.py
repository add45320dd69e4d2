"""Seen event ids: shared by every process on the conversation database, kept an hour, claimed once."""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import List

import sqlalchemy as sa
from rasa.core.tracker_store import InMemoryTrackerStore

from bot.store.seen_events import (
    RETENTION_SECONDS, LocalSeenEvents, SharedSeenEvents, seen_events_for,
)
from bot.store.tracker_store import ConversationStore


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def process(database: Path, clock: Clock) -> SharedSeenEvents:
    """The seen events of one Rasa process: its own engine on the shared database."""
    return SharedSeenEvents(sa.create_engine(f"sqlite:///{database}"), clock=clock)


def rows(database: Path) -> List[str]:
    with sa.create_engine(f"sqlite:///{database}").connect() as connection:
        return [key for (key,) in connection.execute(sa.text("SELECT event_key FROM seen_events ORDER BY event_key"))]


def test_an_event_one_process_took_in_is_not_new_to_another(tmp_path):
    clock, database = Clock(), tmp_path / "conversations.db"
    first, second = process(database, clock), process(database, clock)
    assert first.first_sighting("slack:Ev1")
    assert not second.first_sighting("slack:Ev1")
    assert not first.first_sighting("slack:Ev1")
    assert second.first_sighting("slack:Ev2")
    assert process(database, clock).first_sighting("slack:Ev1") is False  # a restarted process too


def test_ids_are_kept_an_hour_then_forgotten_and_deleted(tmp_path):
    clock, database = Clock(), tmp_path / "conversations.db"
    seen = process(database, clock)
    assert seen.first_sighting("slack:Ev1")
    clock.now += RETENTION_SECONDS - 1
    assert not seen.first_sighting("slack:Ev1")
    assert seen.first_sighting("slack:Ev2")
    clock.now += 2  # Ev1 is older than an hour, Ev2 is not
    assert seen.first_sighting("slack:Ev1")  # counts as new again
    clock.now += RETENTION_SECONDS + 1  # Ev1 and Ev2 are over an hour old: the purge deletes them
    assert seen.first_sighting("slack:Ev3")
    assert rows(database) == ["slack:Ev3"]


def test_processes_claiming_one_event_at_the_same_moment_get_it_once(tmp_path):
    clock, database = Clock(), tmp_path / "conversations.db"
    processes = [process(database, clock) for _ in range(8)]
    processes[0].first_sighting("slack:warm-up")  # creates the table
    start, results = threading.Barrier(len(processes)), []

    def claim(seen: SharedSeenEvents) -> None:
        start.wait()
        results.append(seen.first_sighting("slack:Ev1"))

    threads = [threading.Thread(target=claim, args=(seen,)) for seen in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_when_the_database_fails_this_process_still_remembers(tmp_path, caplog):
    unreachable = sa.create_engine(f"sqlite:///{tmp_path / 'missing-folder' / 'conversations.db'}")
    seen = SharedSeenEvents(unreachable)
    with caplog.at_level(logging.ERROR, logger="bot.store.seen_events"):
        assert seen.first_sighting("slack:Ev1")
        assert not seen.first_sighting("slack:Ev1")
    assert "this process's memory" in caplog.text


def test_the_tracker_stores_database_is_used_when_there_is_one(tmp_path):
    store = ConversationStore(dialect="sqlite", db=str(tmp_path / "var" / "conversations.db"))
    shared = seen_events_for(store)
    assert isinstance(shared, SharedSeenEvents) and shared.engine is store.engine
    assert shared.first_sighting("slack:Ev1")
    assert rows(tmp_path / "var" / "conversations.db") == ["slack:Ev1"]
    assert isinstance(seen_events_for(InMemoryTrackerStore(domain=None)), LocalSeenEvents)


def test_in_memory_ids_are_kept_an_hour():
    clock = Clock()
    seen = LocalSeenEvents(clock=clock)
    assert seen.first_sighting("slack:Ev1") and not seen.first_sighting("slack:Ev1")
    clock.now += RETENTION_SECONDS + 1
    assert seen.first_sighting("slack:Ev1")
