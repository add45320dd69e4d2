"""Delete conversations that have been idle for longer than the retention period (AVG).

    python -m bot.store.retention                 # uses retention_days from endpoints.yml
    python -m bot.store.retention --days 7        # another period, e.g. once by hand
    python -m bot.store.retention --dry-run       # only count what would go
    python -m bot.store.retention --conversation ID   # one conversation, on request (AVG art. 17)
    make forget                                   # the first line, for cron (docs/privacy.md)

A conversation is deleted as a whole (every event of its sender id) once its newest event
is older than the period: deleting only old events would leave half conversations that
Rasa cannot replay. SQLite is vacuumed afterwards, so deleted text is gone from the file.

The handover to staff (bot/handover/store.py) keeps its data in the same database, and the
same run deletes it: the chats with staff (handovers and their messages) whose last activity
is older than the same period, with the REST delivery pointer of each conversation that keeps
no chat with staff, and the questions left in the message box once they are older than
`handover.message_retention_days` of school.yml (without that section: the same period).
`--conversation ID` deletes that conversation's chats with staff and its delivery pointer too; a
left message has no conversation id (it is stored apart), so it goes by its age or by hand in the
staff console.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, List, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.utils.endpoints import read_endpoint_config

from bot.store.tracker_store import ConversationStore, unwrap

logger = logging.getLogger(__name__)
SECONDS_PER_DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Forgotten:
    conversations: int
    events: int


@dataclass(frozen=True)
class HandoverForgotten:
    handovers: int  # chats with staff, each with its messages
    messages: int
    left_messages: int = 0  # questions left in the message box
    deliveries: int = 0  # REST delivery pointers (which staff messages a caller has been sent)

    def __bool__(self) -> bool:
        return bool(self.handovers or self.messages or self.left_messages or self.deliveries)


def forget_idle_conversations(store: ConversationStore, idle_days: float, dry_run: bool = False,
                              now: Optional[float] = None) -> Forgotten:
    """Delete every conversation whose newest event is more than `idle_days` old."""
    cutoff = (now if now is not None else time.time()) - idle_days * SECONDS_PER_DAY
    events = store.SQLEvent
    with store.session_scope() as session:
        newest = (
            session.query(events.sender_id, sa.func.max(events.timestamp).label("newest"))
            .group_by(events.sender_id)
            .subquery()
        )
        idle_senders = session.query(newest.c.sender_id).filter(newest.c.newest < cutoff)
        return _delete(store, session, idle_senders.count(), events.sender_id.in_(idle_senders.scalar_subquery()),
                       dry_run)


def forget_conversation(store: ConversationStore, sender_id: str, dry_run: bool = False) -> Forgotten:
    """Delete one conversation, e.g. when a student asks for it."""
    events = store.SQLEvent
    with store.session_scope() as session:
        found = session.query(events.sender_id).filter(events.sender_id == sender_id).distinct().count()
        return _delete(store, session, found, events.sender_id == sender_id, dry_run)


def _delete(store: ConversationStore, session: Any, conversations: int, which: Any, dry_run: bool) -> Forgotten:
    doomed = session.query(store.SQLEvent).filter(which)
    if dry_run:
        return Forgotten(conversations, doomed.count())
    deleted = doomed.delete(synchronize_session=False)
    session.commit()
    if deleted:
        vacuum(store.engine)
    return Forgotten(conversations, deleted)


def vacuum(engine: sa.engine.Engine) -> None:
    """Rewrite a SQLite file without its free pages, so deleted text is gone from it (PostgreSQL: nothing)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM"))


def forget_handover_data(engine: sa.engine.Engine, idle_days: float, message_days: float, dry_run: bool = False,
                         now: Optional[float] = None) -> HandoverForgotten:
    """Delete chats with staff idle for more than `idle_days`, and left messages older than `message_days`."""
    if not sa.inspect(engine).has_table("handovers"):
        return HandoverForgotten(0, 0, 0)  # the handover was never used: nothing to delete (nor tables to make)
    from bot.handover.store import HandoverStore

    store = HandoverStore(engine)
    moment = datetime.fromtimestamp(now if now is not None else time.time(), timezone.utc)
    chats = store.forget_handovers(moment - timedelta(days=idle_days), dry_run=dry_run)
    left = store.forget(moment - timedelta(days=message_days), dry_run=dry_run)
    forgotten = HandoverForgotten(chats.handovers, chats.messages, left, chats.deliveries)
    if forgotten and not dry_run:
        vacuum(engine)
    return forgotten


def forget_conversation_handovers(engine: sa.engine.Engine, sender_id: str, dry_run: bool = False) -> HandoverForgotten:
    """Delete one conversation's chats with staff, with their messages and its delivery pointer."""
    if not sa.inspect(engine).has_table("handovers"):
        return HandoverForgotten(0, 0)
    from bot.handover.store import HandoverStore

    chats = HandoverStore(engine).forget_conversation(sender_id, dry_run=dry_run)
    forgotten = HandoverForgotten(chats.handovers, chats.messages, deliveries=chats.deliveries)
    if forgotten and not dry_run:
        vacuum(engine)
    return forgotten


def message_retention_days(default: float) -> float:
    """`handover.message_retention_days` of school.yml; `default` without a handover section."""
    from bot.school import SchoolSettingsError, load_school_settings

    try:
        handover = load_school_settings().handover
    except SchoolSettingsError as error:
        sys.exit(str(error))
    return handover.message_retention_days if handover is not None else default


def store_from_endpoints(path: str) -> ConversationStore:
    # Only the tracker store is used; other sections may name variables that are unset here.
    os.environ.setdefault("ACTION_SERVER_URL", "")
    config = read_endpoint_config(path, "tracker_store")
    if config is None:
        sys.exit(f"{path} has no tracker_store: conversations are not stored, nothing to delete.")
    store = unwrap(TrackerStore.create(config))
    if not isinstance(store, ConversationStore):
        sys.exit(f"{path}: tracker_store must be bot.store.tracker_store.ConversationStore.")
    return store


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoints", default="endpoints.yml", help="endpoints file with tracker_store")
    parser.add_argument("--days", type=float, help="retention period in days (default: retention_days)")
    parser.add_argument("--conversation", metavar="ID", help="delete this one conversation (its sender id)")
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # Rasa's SQLAlchemy 1.4 calls

    store = store_from_endpoints(args.endpoints)
    verb = "would delete" if args.dry_run else "deleted"
    if args.conversation:
        result = forget_conversation(store, args.conversation, dry_run=args.dry_run)
        staff = forget_conversation_handovers(store.engine, args.conversation, dry_run=args.dry_run)
        print(f"{store.description}: {verb} conversation {args.conversation!r} ({result.events} events; "
              f"{staff.handovers} chats with staff, {staff.messages} messages).")
        return 0
    days = args.days if args.days is not None else store.retention_days
    if days is None or days < 0:
        parser.error("no retention period: set retention_days in the endpoints file or pass --days")
    result = forget_idle_conversations(store, days, dry_run=args.dry_run)
    message_days = message_retention_days(days)
    staff = forget_handover_data(store.engine, days, message_days, dry_run=args.dry_run)
    print(f"{store.description}: {verb} {result.conversations} conversations ({result.events} events) "
          f"idle for more than {days:g} days; {staff.handovers} chats with staff ({staff.messages} messages) "
          f"idle for as long; {staff.left_messages} left messages older than {message_days:g} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
