"""Which channel events the deployment has taken in, shared by all of its Rasa processes.

Slack delivers an event again when it had no answer within 3 s (`X-Slack-Retry-Num`), up
to three times within about 5 minutes. The first delivery that reaches the deployment is
answered, every later one only acknowledged, whichever Rasa process each one reaches. So
the ids cannot live in a process's memory: behind nginx a retry may reach another process
than the first delivery, and after a restart the memory is gone.

Where: a small table, `seen_events`, in the database the tracker store uses
(bot/store/tracker_store.py), through the store's own SQLAlchemy engine. That database is
the one place every process of every setup shares: the SQLite file var/conversations.db of
the single-process default (endpoints.yml) and PostgreSQL in the scale-out
(deploy/scaled/endpoints.yml). Redis would do for the scale-out only: the default lock
store is in memory. Only a Rasa without a SQL tracker store (no endpoints file) keeps the
ids in memory (`LocalSeenEvents`): it is one process anyway.

A row is a channel-qualified event id (`slack:Ev…`) and when it was first seen, nothing a
user wrote. Rows are kept RETENTION_SECONDS (an hour, twelve times Slack's retry window)
and deleted, at most once every PURGE_EVERY_SECONDS, by the process that takes an event in.
A row older than that counts as not seen. When the database fails, the id is checked in
this process's memory instead (logged): answering a retry twice is better than not at all.

Claiming an id is one atomic statement (an upsert on the primary key), so two processes
that get the same event at the same moment cannot both answer it.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Optional, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.tracker_store import unwrap

logger = logging.getLogger(__name__)

RETENTION_SECONDS = 60 * 60
PURGE_EVERY_SECONDS = 60
MAX_KEY_CHARS = 200
LOCAL_LIMIT = 10_000  # ids kept in memory at most (LocalSeenEvents and the fallback)

_metadata = sa.MetaData()
TABLE = sa.Table(
    "seen_events", _metadata,
    sa.Column("event_key", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("seen_at", sa.Float, nullable=False, index=True),
)


class SeenEvents(Protocol):
    def first_sighting(self, key: str) -> bool:
        """True the first time `key` is offered within the retention period (and remembers it)."""


class LocalSeenEvents:
    """The ids seen by this process only, for a Rasa without a SQL tracker store."""

    def __init__(self, retention: float = RETENTION_SECONDS, clock: Callable[[], float] = time.time) -> None:
        self.retention = retention
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_sighting(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            while self._seen and (len(self._seen) >= LOCAL_LIMIT
                                  or next(iter(self._seen.values())) < now - self.retention):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


class SharedSeenEvents:
    """The ids seen by any process of the deployment, in the `seen_events` table of `engine`'s database."""

    def __init__(self, engine: sa.engine.Engine, retention: float = RETENTION_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.retention = retention
        self._clock = clock
        self._table_ready = False
        self._last_purge = float("-inf")
        self._fallback = LocalSeenEvents(retention, clock)

    def first_sighting(self, key: str) -> bool:
        key = key[:MAX_KEY_CHARS]
        now = self._clock()
        try:
            self._ensure_table()
            first = self._claim(key, now)
            if now - self._last_purge >= PURGE_EVERY_SECONDS:
                self._last_purge = now
                with self.engine.begin() as connection:
                    connection.execute(TABLE.delete().where(TABLE.c.seen_at < now - self.retention))
        except sa.exc.SQLAlchemyError as error:
            logger.error("Seen events could not be read or written in %s (%s); %s is checked in this "
                         "process's memory only.", self.engine.url.get_backend_name(), error, key)
            return self._fallback.first_sighting(key)
        return first

    def _claim(self, key: str, now: float) -> bool:
        """Insert `key`, or take over its expired row: True when this call did either."""
        expired = TABLE.c.seen_at < now - self.retention
        dialect = {"postgresql": postgresql, "sqlite": sqlite}.get(self.engine.dialect.name)
        if dialect is not None:  # INSERT … ON CONFLICT DO UPDATE … WHERE: one atomic statement
            upsert = dialect.insert(TABLE).values(event_key=key, seen_at=now)
            upsert = upsert.on_conflict_do_update(index_elements=[TABLE.c.event_key],
                                                  set_={"seen_at": now}, where=expired)
            with self.engine.begin() as connection:
                return connection.execute(upsert).rowcount == 1
        try:  # other databases Rasa's SQL tracker store supports: the primary key decides
            with self.engine.begin() as connection:
                connection.execute(TABLE.insert().values(event_key=key, seen_at=now))
            return True
        except sa.exc.IntegrityError:
            with self.engine.begin() as connection:
                taken = connection.execute(TABLE.update().where(TABLE.c.event_key == key, expired).values(seen_at=now))
                return taken.rowcount == 1

    def _ensure_table(self) -> None:
        if self._table_ready:
            return
        try:
            _metadata.create_all(self.engine, tables=[TABLE], checkfirst=True)
        except sa.exc.SQLAlchemyError:
            # Another process created it between the check and the CREATE (PostgreSQL).
            if not sa.inspect(self.engine).has_table(TABLE.name):
                raise
        self._table_ready = True


def seen_events_for(tracker_store: Any) -> SeenEvents:
    """Shared ids in the tracker store's database when it has one, else this process's memory."""
    engine: Optional[sa.engine.Engine] = getattr(unwrap(tracker_store), "engine", None)
    if isinstance(engine, sa.engine.Engine):
        return SharedSeenEvents(engine)
    logger.info("The tracker store %s has no SQL database: seen event ids are kept in this process only.",
                type(unwrap(tracker_store)).__name__)
    return LocalSeenEvents()
