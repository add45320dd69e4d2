"""`ConversationStore`: Rasa's SQL tracker store, masked, bounded at start-up, never silent.

endpoints.yml selects it (`type: bot.store.tracker_store.ConversationStore`) with Rasa's SQL
settings: SQLite in `var/` by default, PostgreSQL in the scale-out profile. Three changes
to Rasa 3.6.21's `SQLTrackerStore`, each for a fault we saw there:
- Start-up: Rasa retries an unreachable database every 5 s forever. Here it waits at most
  `connect_timeout` seconds, then stops with one clear line (no stack trace).
- Errors: Rasa's `FailSafeTrackerStore` catches every database error, logs it and goes on
  with an in-memory tracker that is never written (RasaHQ/rasa issue 3243): the reply
  goes out, the events are lost. Here every failed read or write is also logged with the
  conversation it loses, and counted in `health`, which /webhooks/health/ reports.
- Privacy: events are masked (bot/masking.py) before they are written.
- A database error is an error, not an exit: Rasa's `session_scope` turns every
  `ValueError` into `sys.exit(1)` (meant for a missing PostgreSQL schema), so one REST
  request with a NUL in its sender, which psycopg2 refuses with ValueError, stopped the
  whole server. Here only the schema check can stop it.
And two for speed (a new conversation's first answer went from 50 to 12 ms p50 with the
light NLU; these were two of the ≈17 ms the store took):
- A tracker without events (Rasa saves every new conversation's empty tracker before its
  first message) is not written: there is nothing to write, only a query and a commit.
- SQLite keeps a small pool of connections; SQLAlchemy 1.4's default for a file database
  opens a new connection, and reads the schema, for every read and every write.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, NoReturn, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import (
    SQLTrackerStore,
    TrackerStore,
    create_engine_kwargs,
    ensure_schema_exists,
    validate_port,
)
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.core.trackers import DialogueStateTracker

from bot.masking import mask_event
from bot.private_files import create_private_file, make_private_directory, narrow

logger = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT = 30.0


@dataclass
class StoreHealth:
    """What went wrong with the database lately, for the health endpoint."""

    failed_reads: int = 0
    failed_writes: int = 0
    last_error: Optional[str] = None
    last_error_at: Optional[float] = None
    last_success_at: Optional[float] = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def succeeded(self) -> None:
        with self._lock:
            self.last_success_at = time.time()

    def failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            if operation == "write":
                self.failed_writes += 1
            else:
                self.failed_reads += 1
            # The type only: the message of a database error quotes the statement's parameters,
            # i.e. conversation data, and the health endpoint is public. The log has it all.
            self.last_error = f"{operation}: {type(error).__name__}"
            self.last_error_at = time.time()

    @property
    def recovered(self) -> bool:
        """No error yet, or a read or write succeeded after the last one."""
        return self.last_error_at is None or (self.last_success_at or 0) > self.last_error_at

    def as_dict(self) -> Dict[str, Any]:
        return {
            "failed_reads": self.failed_reads,
            "failed_writes": self.failed_writes,
            "last_error": self.last_error,
            "last_error_at": _iso(self.last_error_at),
        }


def _iso(timestamp: Optional[float]) -> Optional[str]:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds") if timestamp else None


def wait_for_database(url: Any, timeout: float) -> None:
    """Return once `url` accepts a connection; after `timeout` s stop the process with a clear line."""
    engine = sa.create_engine(url, **create_engine_kwargs(url))
    deadline = time.monotonic() + timeout
    reason = ""
    try:
        while time.monotonic() < deadline or not reason:
            try:
                with engine.connect():
                    return
            except sa.exc.SQLAlchemyError as error:
                reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
                logger.warning("Waiting for the conversation store %r: %s", url, reason)
                time.sleep(min(2.0, max(0.1, deadline - time.monotonic())))
    finally:
        engine.dispose()
    stop_process(f"The conversation store {url!r} is not reachable after {timeout:.0f} s ({reason}). "
                 "Start the database or fix tracker_store in the endpoints file; the Rasa server stops.")


def stop_process(message: str) -> NoReturn:
    """Log `message` and end the process at once.

    Rasa creates the tracker store inside Sanic's start-up listener: an exception or
    SystemExit there is printed by Sanic as a page of tracebacks that hide the cause.
    Nothing has been served yet, so there is nothing to clean up.
    """
    logger.error(message)
    logging.shutdown()
    os._exit(1)


def prepare_sqlite_file(db: Text) -> None:
    """Create the SQLite file empty, mode 600, before the first connection would create it 644.

    sqlite3 creates a missing database with 0644 minus the umask, readable by every local user.
    An empty file is a valid empty database, and SQLite gives the -journal, -wal and -shm files
    it creates beside it the database file's own mode (os_unix.c, `findCreateFileMode`). An
    existing database or companion that others may read is narrowed, with a log line.
    """
    if db in ("", ":memory:"):
        return
    path = Path(db)
    make_private_directory(path.parent)
    if not create_private_file(path):
        for file in (path, *(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))):
            narrow(file)


class ConversationStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Any = None,
        dialect: Text = "sqlite",
        host: Optional[Text] = None,
        port: Optional[int] = None,
        db: Text = "var/conversations.db",
        username: Optional[Text] = None,
        password: Optional[Text] = None,
        event_broker: Any = None,
        login_db: Optional[Text] = None,
        query: Optional[Dict] = None,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        retention_days: Optional[float] = None,
        **kwargs: Any,
    ) -> None:
        if dialect == "sqlite" and not host:
            prepare_sqlite_file(db)
        url = self.get_db_url(dialect, host, validate_port(port), db, username, password, login_db, query)
        wait_for_database(url, float(connect_timeout))
        super().__init__(domain, dialect, host, port, db, username, password, event_broker, login_db, query, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._pool_sqlite_connections()
        self.health = StoreHealth()
        # Read by `python -m bot.store.retention` (make forget), not by the server.
        self.retention_days = float(retention_days) if retention_days is not None else None
        # Shown in logs and the health report: never the password.
        self.description = f"{self.engine.url.get_backend_name()}:{self.engine.url.database}"
        logger.info("Conversations are stored in %s.", self.description)

    @contextlib.contextmanager
    def session_scope(self) -> Iterator[Any]:
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError as missing_schema:  # Rasa's own case: stop, as Rasa does
                stop_process(f"PostgreSQL schema {missing_schema} does not exist in "
                             f"{getattr(self, 'description', 'the conversation store')}; "
                             "create it or unset POSTGRESQL_SCHEMA. The Rasa server stops.")
            yield session  # any other error, ValueError too, reaches the caller as it is
        finally:
            session.close()

    def _pool_sqlite_connections(self) -> None:
        url = self.engine.url
        self.engine.dispose()
        # One connection at a time is used (Rasa calls the store from its event loop); the
        # pool only keeps it open. check_same_thread: the pool may hand it to another thread.
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                                       connect_args={"check_same_thread": False})
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's `SQLTrackerStore.save`, with each event masked before it is written."""
        if not tracker.events:
            return  # a new conversation: its events are written with its first message
        try:
            await self.stream_events(tracker)
            with self.session_scope() as session:
                for event in self._additional_events(session, tracker):
                    data = event.as_dict()
                    masked = mask_event(data)
                    session.add(
                        self.SQLEvent(
                            sender_id=tracker.sender_id,
                            type_name=event.type_name,
                            timestamp=data.get("timestamp"),
                            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                            action_name=data.get("name"),
                            data=json.dumps(masked),
                        )
                    )
                session.commit()
        except Exception as error:
            self.health.failed("write", error)
            logger.error(
                "NOT STORED: the new events of conversation %s could not be written to %s: %s",
                tracker.sender_id, self.description, error,
            )
            raise
        self.health.succeeded()

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        try:
            tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        except Exception as error:
            self.health.failed("read", error)
            logger.error(
                "Conversation %s could not be read from %s; it goes on without its history: %s",
                sender_id, self.description, error,
            )
            raise
        self.health.succeeded()
        return tracker

    def check(self) -> Dict[str, Any]:
        """Can the events table be read right now, and how did recent reads and writes go?"""
        try:
            with self.session_scope() as session:
                session.query(self.SQLEvent.id).limit(1).all()
            reachable, problem = True, None
        except Exception as error:  # any database error means "not usable"
            reachable, problem = False, type(error).__name__  # no message: see StoreHealth.failed
            logger.error("Conversation store %s is not usable: %s", self.description, error)
        return {
            "ok": reachable and self.health.recovered,
            "database": self.description,
            "reachable": reachable,
            "error": problem,
            **self.health.as_dict(),
        }


def unwrap(store: TrackerStore) -> TrackerStore:
    """The store inside Rasa's wrappers (`FailSafeTrackerStore`, `AwaitableTrackerStore`)."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store  # type: ignore[attr-defined]
    return store
