"""`HandoverStore`: the queue, the transcripts, the left messages and the staff accounts.

Everything lives in the conversation database, the one the tracker store uses (endpoints.yml:
SQLite under var/ by default, PostgreSQL in `make run-scaled`), so any Rasa process can serve the
student and any other the staff member. The tables are created when the store is made, beside
Rasa's `events` table; only portable SQL (SQLAlchemy Core), no SQLite-only statements.

- `handovers`: one row per request for a person, from `waiting` to `taken` and on to an end
  (`returned` to the bot, `closed` by staff, `missed` when nobody took it, `cancelled` by the
  user). `reply_to` is the channel's own address for staff replies (a Slack channel and thread,
  a Teams conversation reference), as JSON.
- `handover_messages`: what the user and staff wrote while a person had the conversation (the
  tracker never sees these), and the notices the user was sent. The user's messages are masked
  with bot.masking before they are written, as the tracker store masks events. Staff replies and
  notices are the school's own words and are kept as written: a staff member's work e-mail address
  or phone number reaches the user as typed on every path (live, with the next REST request, on
  a reload of the web chat), all of which read this table (docs/privacy.md).
- `rest_handover_deliveries`: per conversation, the last handover message the user has been
  sent (or wrote), for a channel that delivers staff messages with the user's next request
  (REST, bot/channels/rest.py). A row not moved for a day is deleted at a later delivery, and
  goes with the conversation's handovers when `make forget` deletes them.
- `left_messages`: the message box. Stored only with consent, and apart from the conversation:
  no conversation id, so a left message cannot be joined to what was chatted. Not masked: the
  school needs the question and the e-mail address or phone number to answer it. `make forget`
  removes them after `handover.message_retention_days` (school.yml).
- `staff_accounts`, `staff_sessions`, `staff_sign_in_attempts`: for the staff console
  (bot/handover/console.py hashes passwords and session tokens; this module only keeps them).

Every method is synchronous and short (one transaction, a few rows), as Rasa's own SQL tracker
store is, and may be called from the event loop. Every time is UTC: an aware `datetime` goes in
(a naive one is read as UTC) and aware UTC datetimes come out; the columns hold naive UTC, the
same on SQLite and PostgreSQL. Methods that change a state take `now=None` (the clock) so tests
can set the time.
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import sqlalchemy as sa

from bot.handover.hours import HandoverSettings
from bot.masking import mask_text

logger = logging.getLogger(__name__)

# The states of a handover. Active ones take every user message away from Rasa.
WAITING, TAKEN = "waiting", "taken"
RETURNED, CLOSED, MISSED, CANCELLED = "returned", "closed", "missed", "cancelled"
ACTIVE_STATES = (WAITING, TAKEN)
STATES = (WAITING, TAKEN, RETURNED, CLOSED, MISSED, CANCELLED)
# Why a handover ended (`end_reason`) → the state it ends in.
HANDED_BACK = "handed_back"  # staff gave it back to the bot
STAFF_CLOSED = "staff_closed"  # staff closed it
USER_CANCELLED = "user_cancelled"  # the user left the queue, or the chat with staff
USER_IDLE = "user_idle"  # staff wrote last; the user did not answer within user_idle_minutes
STAFF_IDLE = "staff_idle"  # the user wrote last (or nobody since it was taken); staff did not answer
WAIT_LIMIT = "wait_limit"  # nobody took it within wait_limit_minutes
CLOSING_TIME = "closing_time"  # still waiting when the opening hours ended
END_STATES = {HANDED_BACK: RETURNED, STAFF_CLOSED: CLOSED, USER_CANCELLED: CANCELLED, USER_IDLE: RETURNED,
              STAFF_IDLE: RETURNED, WAIT_LIMIT: MISSED, CLOSING_TIME: MISSED}
# Who wrote a message in a handover.
USER, STAFF, SYSTEM = "user", "staff", "system"
SENDERS = (USER, STAFF, SYSTEM)
MAX_PAGE = 2000  # characters of the page address kept
# A delivery pointer not moved for this long is deleted (the next request then brings only the
# day's staff messages after the user's last one: bot/channels/rest.py DELIVERY_WINDOW).
DELIVERY_KEPT = timedelta(days=1)
PURGE_DELIVERIES_EVERY = timedelta(minutes=10)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: Optional[datetime]) -> Optional[datetime]:
    """`moment` as an aware UTC datetime (a naive one is taken to be UTC already)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


class UtcDateTime(sa.types.TypeDecorator):
    """A moment stored as naive UTC (the same on SQLite and PostgreSQL), read back aware."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        return as_utc(value).replace(tzinfo=None) if value is not None else None

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        return value.replace(tzinfo=timezone.utc) if value is not None else None


METADATA = sa.MetaData()
HANDOVERS = sa.Table(
    "handovers", METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("state", sa.String(16), nullable=False, index=True),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("page", sa.String(MAX_PAGE)),
    sa.Column("reply_to", sa.JSON),
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
    sa.Column("taken_at", UtcDateTime),
    sa.Column("taken_by", sa.String(255)),
    sa.Column("ended_at", UtcDateTime),
    sa.Column("end_reason", sa.String(32)),
    sa.Column("last_user_at", UtcDateTime),
    sa.Column("last_staff_at", UtcDateTime),
)
HANDOVER_MESSAGES = sa.Table(
    "handover_messages", METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("handover_id", sa.Integer, sa.ForeignKey("handovers.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("sender", sa.String(8), nullable=False),
    sa.Column("staff_name", sa.String(255)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)
LEFT_MESSAGES = sa.Table(
    "left_messages", METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("contact", sa.String(255), nullable=False),
    sa.Column("consent_at", UtcDateTime, nullable=False),
    sa.Column("handled_at", UtcDateTime),
)
# Named and shaped as when it lived in bot/channels/rest.py, so databases made then need nothing.
DELIVERIES = sa.Table(
    "rest_handover_deliveries", METADATA,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("message_id", sa.Integer, nullable=False),  # the last handover message accounted for
    sa.Column("updated_at", sa.Float, nullable=False, index=True),  # seconds since the epoch (UTC)
)
STAFF_ACCOUNTS = sa.Table(
    "staff_accounts", METADATA,
    sa.Column("username", sa.String(255), primary_key=True),
    sa.Column("display_name", sa.String(255), nullable=False),
    sa.Column("password_hash", sa.String(512), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)
STAFF_SESSIONS = sa.Table(
    "staff_sessions", METADATA,
    sa.Column("token_hash", sa.String(255), primary_key=True),
    sa.Column("username", sa.String(255), nullable=False, index=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_seen_at", UtcDateTime, nullable=False),
    sa.Column("csrf_token", sa.String(255), nullable=False),
)
STAFF_SIGN_IN_ATTEMPTS = sa.Table(
    "staff_sign_in_attempts", METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(255), nullable=False, index=True),
    sa.Column("at", UtcDateTime, nullable=False),
)


@dataclass(frozen=True)
class Handover:
    """One request for a person, as stored. Times are aware UTC datetimes."""

    id: int
    conversation_id: str
    channel: str
    state: str  # one of STATES
    language: str  # "nl" or "en": the language of the texts the user gets about it
    page: Optional[str]  # the page the user was on (web chat), for staff
    reply_to: Optional[Dict[str, Any]]  # the channel's address for staff replies (Slack, Teams)
    created_at: datetime
    taken_at: Optional[datetime] = None
    taken_by: Optional[str] = None  # the staff account's username
    ended_at: Optional[datetime] = None
    end_reason: Optional[str] = None  # a key of END_STATES
    last_user_at: Optional[datetime] = None
    last_staff_at: Optional[datetime] = None

    @property
    def active(self) -> bool:
        """Waiting or taken: the user's messages go to staff, not to Rasa."""
        return self.state in ACTIVE_STATES


@dataclass(frozen=True)
class Message:
    """One message in a handover's transcript (the text masked, as stored)."""

    id: int
    handover_id: int
    sender: str  # "user", "staff" or "system"
    staff_name: Optional[str]  # the staff member's display name, for staff messages
    text: str
    created_at: datetime


@dataclass(frozen=True)
class LeftMessage:
    """A question left in the message box, the way to reach its writer, and when they consented."""

    id: int
    created_at: datetime
    language: str
    question: str
    contact: str  # an e-mail address or phone number, as the user typed it (validated)
    consent_at: datetime
    handled_at: Optional[datetime] = None


@dataclass(frozen=True)
class StaffAccount:
    username: str
    display_name: str
    password_hash: str
    created_at: datetime


@dataclass(frozen=True)
class StaffSession:
    token_hash: str
    username: str
    created_at: datetime
    last_seen_at: datetime
    csrf_token: str


class ForgottenHandovers(NamedTuple):
    """What a retention call deleted (or, with dry_run, would delete)."""

    handovers: int  # each with its messages
    messages: int
    deliveries: int  # delivery pointers (`rest_handover_deliveries`) of the conversations concerned


def _record(kind: type, table: sa.Table, row: Any) -> Any:
    return kind(**{column.name: row._mapping[column.name] for column in table.columns})


def _handover(row: Any) -> Handover:
    return _record(Handover, HANDOVERS, row)


def _message(row: Any) -> Message:
    return _record(Message, HANDOVER_MESSAGES, row)


def _left_message(row: Any) -> LeftMessage:
    return _record(LeftMessage, LEFT_MESSAGES, row)


class HandoverStore:
    """The handover tables in `engine`'s database; created (if missing) when the store is made."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        self.engine = engine
        self._deliveries_purged_at: Optional[datetime] = None
        try:
            METADATA.create_all(engine)
        except sa.exc.SQLAlchemyError:
            # Another process of `make run-scaled` created them between the check and the CREATE.
            logger.info("The handover tables were being created by another process; checking again.")
            METADATA.create_all(engine)

    # --- the queue -------------------------------------------------------------------------

    def request(self, conversation_id: str, channel: str, language: str, page: Optional[str] = None,
                reply_to: Optional[Dict[str, Any]] = None, now: Optional[datetime] = None) -> Handover:
        """Put the conversation in the queue (`waiting`); its active handover if it has one already."""
        now = as_utc(now) or utcnow()
        with self.engine.begin() as connection:
            existing = self._current(connection, conversation_id)
            if existing is not None:
                return existing
            result = connection.execute(HANDOVERS.insert().values(
                conversation_id=conversation_id, channel=channel, state=WAITING, language=language,
                page=page[:MAX_PAGE] if page else None, reply_to=reply_to, created_at=now))
            return self._get(connection, result.inserted_primary_key[0])

    def current(self, conversation_id: str) -> Optional[Handover]:
        """The conversation's handover that is waiting or taken, if any."""
        with self.engine.connect() as connection:
            return self._current(connection, conversation_id)

    def get(self, handover_id: int) -> Optional[Handover]:
        """The handover `handover_id`, in whatever state; None when there is none."""
        with self.engine.connect() as connection:
            return self._get(connection, handover_id)

    def position(self, handover: Handover) -> int:
        """Its place in the queue now: 1 for the first waiting conversation; 0 when it is not waiting."""
        with self.engine.connect() as connection:
            state = connection.execute(sa.select(HANDOVERS.c.state).where(HANDOVERS.c.id == handover.id)).scalar()
            if state != WAITING:
                return 0
            ahead = connection.execute(sa.select(sa.func.count()).select_from(HANDOVERS).where(
                HANDOVERS.c.state == WAITING, HANDOVERS.c.id < handover.id)).scalar()
        return int(ahead) + 1

    def waiting_and_taken(self) -> List[Handover]:
        """Every active handover, oldest first (the queue's order)."""
        with self.engine.connect() as connection:
            rows = connection.execute(HANDOVERS.select().where(HANDOVERS.c.state.in_(ACTIVE_STATES))
                                      .order_by(HANDOVERS.c.id))
            return [_handover(row) for row in rows]

    def cancel(self, conversation_id: str, now: Optional[datetime] = None) -> Optional[Handover]:
        """The user leaves the queue, or the chat with staff: the active handover ends `cancelled`.

        The ended handover; None when the conversation had none active.
        """
        current = self.current(conversation_id)
        if current is None:
            return None
        return self._end(current.id, ACTIVE_STATES, USER_CANCELLED, now)

    def take(self, handover_id: int, username: str, now: Optional[datetime] = None) -> Optional[Handover]:
        """Staff member `username` takes a waiting conversation: the handover, now `taken`.

        None when it is no longer waiting (another staff member was first, or it ended): one UPDATE
        guarded by the state, so two staff members on two processes cannot both take it.
        """
        now = as_utc(now) or utcnow()
        with self.engine.begin() as connection:
            taken = connection.execute(HANDOVERS.update().where(
                HANDOVERS.c.id == handover_id, HANDOVERS.c.state == WAITING).values(
                state=TAKEN, taken_at=now, taken_by=username)).rowcount
            return self._get(connection, handover_id) if taken == 1 else None

    def hand_back(self, handover_id: int, now: Optional[datetime] = None) -> Optional[Handover]:
        """Staff give a taken conversation back to the bot (`returned`); None when it was not taken."""
        return self._end(handover_id, (TAKEN,), HANDED_BACK, now)

    def close(self, handover_id: int, now: Optional[datetime] = None) -> Optional[Handover]:
        """Staff close a waiting or taken conversation (`closed`); None when it was not active."""
        return self._end(handover_id, ACTIVE_STATES, STAFF_CLOSED, now)

    def expire(self, now: Optional[datetime], settings: HandoverSettings) -> List[Tuple[Handover, str]]:
        """End what has waited or idled past the limits of `settings`: each ended handover with its reason.

        - waiting when the opening hours have ended → `missed` (CLOSING_TIME);
        - waiting for `wait_limit_minutes`, nobody took it → `missed` (WAIT_LIMIT);
        - taken, the user wrote last (or nobody wrote since it was taken) and staff did not answer
          within `staff_idle_minutes` → `returned` (STAFF_IDLE);
        - taken, staff wrote last and the user did not answer within `user_idle_minutes` →
          `returned` (USER_IDLE).
        Each end is one UPDATE guarded by the state, so when every process runs this, each ended
        handover is reported by one of them only (and its user told once).
        """
        now = as_utc(now) or utcnow()
        open_now = settings.hours.is_open(now)
        ended: List[Tuple[Handover, str]] = []
        for handover in self.waiting_and_taken():
            reason = _expiry(handover, now, open_now, settings)
            if reason is not None:
                result = self._end(handover.id, (handover.state,), reason, now)
                if result is not None:
                    ended.append((result, reason))
        return ended

    # --- the transcript --------------------------------------------------------------------

    def add_message(self, handover_id: int, sender: str, text: str, staff_name: Optional[str] = None,
                    now: Optional[datetime] = None) -> Optional[Message]:
        """Add a message to a handover's transcript: the user's masked (bot.masking) before it is
        written, staff's and the notices as written (the module docstring says why).

        A user message counts as the user's last activity, a staff message as staff's. A system
        message (a notice the user was sent) may be added in any state. None, and nothing stored,
        when a user or staff message comes for a handover that is no longer waiting or taken.
        """
        if sender not in SENDERS:
            raise ValueError(f"sender must be one of {SENDERS}, not {sender!r}")
        now = as_utc(now) or utcnow()
        with self.engine.begin() as connection:
            if sender != SYSTEM:
                column = "last_user_at" if sender == USER else "last_staff_at"
                touched = connection.execute(HANDOVERS.update().where(
                    HANDOVERS.c.id == handover_id, HANDOVERS.c.state.in_(ACTIVE_STATES)).values(
                    {column: now})).rowcount
                if touched != 1:
                    return None
            result = connection.execute(HANDOVER_MESSAGES.insert().values(
                handover_id=handover_id, sender=sender, staff_name=staff_name if sender == STAFF else None,
                text=mask_text(text) if sender == USER else text, created_at=now))
            row = connection.execute(HANDOVER_MESSAGES.select().where(
                HANDOVER_MESSAGES.c.id == result.inserted_primary_key[0])).one()
            return _message(row)

    def messages(self, handover_id: int, after_id: int = 0) -> List[Message]:
        """The handover's messages with an id above `after_id`, in order (to poll for new ones)."""
        with self.engine.connect() as connection:
            rows = connection.execute(HANDOVER_MESSAGES.select().where(
                HANDOVER_MESSAGES.c.handover_id == handover_id, HANDOVER_MESSAGES.c.id > after_id)
                .order_by(HANDOVER_MESSAGES.c.id))
            return [_message(row) for row in rows]

    def conversation_messages(self, conversation_id: str, after_id: int = 0) -> List[Message]:
        """The messages of all the conversation's handovers with an id above `after_id`, in order.

        For a channel that delivers staff messages with the user's next request (REST), and for a
        reloaded web chat that shows the handed-over part of the conversation again.
        """
        with self.engine.connect() as connection:
            rows = connection.execute(HANDOVER_MESSAGES.select().select_from(HANDOVER_MESSAGES.join(
                HANDOVERS, HANDOVERS.c.id == HANDOVER_MESSAGES.c.handover_id)).where(
                HANDOVERS.c.conversation_id == conversation_id, HANDOVER_MESSAGES.c.id > after_id)
                .order_by(HANDOVER_MESSAGES.c.id))
            return [_message(row) for row in rows]

    # --- what the user has been sent (REST: staff messages come with the next request) ---------

    def delivered_up_to(self, conversation_id: str) -> Optional[int]:
        """The last handover message the conversation's user has been sent (or wrote); None when
        nothing was delivered yet, or the pointer was deleted (after DELIVERY_KEPT, or by `make forget`)."""
        with self.engine.connect() as connection:
            return connection.execute(sa.select(DELIVERIES.c.message_id).where(
                DELIVERIES.c.conversation_id == conversation_id)).scalar()

    def mark_delivered(self, conversation_id: str, message_id: int, now: Optional[datetime] = None) -> None:
        """Every handover message up to `message_id` has reached the user (the pointer only moves on).

        Now and then (PURGE_DELIVERIES_EVERY) the pointers not moved for DELIVERY_KEPT are deleted.
        """
        now = as_utc(now) or utcnow()
        moment = now.timestamp()
        with self.engine.begin() as connection:
            moved = connection.execute(DELIVERIES.update().where(
                DELIVERIES.c.conversation_id == conversation_id, DELIVERIES.c.message_id < message_id).values(
                message_id=message_id, updated_at=moment)).rowcount
            if not moved and connection.execute(sa.select(DELIVERIES.c.message_id).where(
                    DELIVERIES.c.conversation_id == conversation_id)).scalar() is None:
                connection.execute(DELIVERIES.insert().values(conversation_id=conversation_id, message_id=message_id,
                                                              updated_at=moment))
            if self._deliveries_purged_at is None or now - self._deliveries_purged_at >= PURGE_DELIVERIES_EVERY:
                self._deliveries_purged_at = now
                connection.execute(DELIVERIES.delete().where(
                    DELIVERIES.c.updated_at < (now - DELIVERY_KEPT).timestamp()))

    # --- the message box -------------------------------------------------------------------

    def leave_message(self, question: str, contact: str, consent: bool, language: str,
                      now: Optional[datetime] = None) -> Optional[LeftMessage]:
        """Store a question left in the message box, only with consent (without: None, nothing stored).

        Apart from the conversation: there is no conversation id to give, and none is kept.
        """
        if not consent:
            return None
        now = as_utc(now) or utcnow()
        with self.engine.begin() as connection:
            result = connection.execute(LEFT_MESSAGES.insert().values(
                created_at=now, language=language, question=question, contact=contact, consent_at=now))
            row = connection.execute(LEFT_MESSAGES.select().where(
                LEFT_MESSAGES.c.id == result.inserted_primary_key[0])).one()
            return _left_message(row)

    def left_messages(self, include_handled: bool = True) -> List[LeftMessage]:
        """The left messages, oldest first (only those not yet handled, with include_handled=False)."""
        query = LEFT_MESSAGES.select().order_by(LEFT_MESSAGES.c.created_at, LEFT_MESSAGES.c.id)
        if not include_handled:
            query = query.where(LEFT_MESSAGES.c.handled_at.is_(None))
        with self.engine.connect() as connection:
            return [_left_message(row) for row in connection.execute(query)]

    def mark_handled(self, left_message_id: int, now: Optional[datetime] = None) -> Optional[LeftMessage]:
        """Staff mark a left message handled (the first time counts); None when there is no such message."""
        now = as_utc(now) or utcnow()
        with self.engine.begin() as connection:
            connection.execute(LEFT_MESSAGES.update().where(
                LEFT_MESSAGES.c.id == left_message_id, LEFT_MESSAGES.c.handled_at.is_(None)).values(handled_at=now))
            row = connection.execute(LEFT_MESSAGES.select().where(LEFT_MESSAGES.c.id == left_message_id)).first()
            return _left_message(row) if row is not None else None

    # --- retention (`make forget`, bot/store/retention.py) -----------------------------------

    def forget(self, before: datetime, dry_run: bool = False) -> int:
        """Delete the left messages stored before `before`, handled or not; how many (counted with dry_run)."""
        return self._delete(LEFT_MESSAGES, LEFT_MESSAGES.c.created_at < as_utc(before), dry_run)

    def forget_handovers(self, before: datetime, dry_run: bool = False) -> ForgottenHandovers:
        """Delete the handovers, with their messages, whose last activity was before `before`.

        An ended handover goes by when it ended; one still marked active (a process stopped before
        it could expire it) by the newest of its creation and its last user and staff messages.
        A delivery pointer goes when its conversation keeps no handover, or when it has not moved
        since `before`. What was deleted, or counted with dry_run.
        """
        before = as_utc(before)
        ended_long_ago = sa.and_(HANDOVERS.c.ended_at.isnot(None), HANDOVERS.c.ended_at < before)
        stale = sa.and_(HANDOVERS.c.ended_at.is_(None), HANDOVERS.c.created_at < before,
                        sa.or_(HANDOVERS.c.last_user_at.is_(None), HANDOVERS.c.last_user_at < before),
                        sa.or_(HANDOVERS.c.last_staff_at.is_(None), HANDOVERS.c.last_staff_at < before))
        doomed = sa.or_(ended_long_ago, stale)
        kept = sa.select(HANDOVERS.c.conversation_id).where(sa.not_(doomed)).scalar_subquery()
        pointers = sa.or_(DELIVERIES.c.conversation_id.not_in(kept), DELIVERIES.c.updated_at < before.timestamp())
        return self._delete_handovers(doomed, pointers, dry_run)

    def forget_conversation(self, conversation_id: str, dry_run: bool = False) -> ForgottenHandovers:
        """Delete every handover of one conversation with its messages and its delivery pointer (AVG art. 17)."""
        return self._delete_handovers(HANDOVERS.c.conversation_id == conversation_id,
                                      DELIVERIES.c.conversation_id == conversation_id, dry_run)

    # --- staff accounts, sessions, sign-in attempts (bot/handover/console.py) ----------------

    def save_staff_account(self, username: str, display_name: str, password_hash: str,
                           now: Optional[datetime] = None) -> StaffAccount:
        """Add the account, or give an existing one this display name and password hash."""
        now = as_utc(now) or utcnow()
        with self.engine.begin() as connection:
            updated = connection.execute(STAFF_ACCOUNTS.update().where(STAFF_ACCOUNTS.c.username == username)
                                         .values(display_name=display_name, password_hash=password_hash)).rowcount
            if not updated:
                connection.execute(STAFF_ACCOUNTS.insert().values(
                    username=username, display_name=display_name, password_hash=password_hash, created_at=now))
            row = connection.execute(STAFF_ACCOUNTS.select().where(STAFF_ACCOUNTS.c.username == username)).one()
            return _record(StaffAccount, STAFF_ACCOUNTS, row)

    def staff_account(self, username: str) -> Optional[StaffAccount]:
        """The account `username`; None when there is none."""
        with self.engine.connect() as connection:
            row = connection.execute(STAFF_ACCOUNTS.select().where(STAFF_ACCOUNTS.c.username == username)).first()
            return _record(StaffAccount, STAFF_ACCOUNTS, row) if row is not None else None

    def staff_accounts(self) -> List[StaffAccount]:
        """Every account, by username."""
        with self.engine.connect() as connection:
            rows = connection.execute(STAFF_ACCOUNTS.select().order_by(STAFF_ACCOUNTS.c.username))
            return [_record(StaffAccount, STAFF_ACCOUNTS, row) for row in rows]

    def remove_staff_account(self, username: str) -> bool:
        """Remove the account and end its sessions; False when there was no such account."""
        with self.engine.begin() as connection:
            connection.execute(STAFF_SESSIONS.delete().where(STAFF_SESSIONS.c.username == username))
            return connection.execute(STAFF_ACCOUNTS.delete().where(
                STAFF_ACCOUNTS.c.username == username)).rowcount == 1

    def start_session(self, token_hash: str, username: str, csrf_token: str,
                      now: Optional[datetime] = None) -> StaffSession:
        """Keep a new session (the console gives a hash of the session token, never the token)."""
        now = as_utc(now) or utcnow()
        with self.engine.begin() as connection:
            connection.execute(STAFF_SESSIONS.insert().values(
                token_hash=token_hash, username=username, created_at=now, last_seen_at=now, csrf_token=csrf_token))
        return StaffSession(token_hash, username, now, now, csrf_token)

    def staff_session(self, token_hash: str) -> Optional[StaffSession]:
        """The session with this token hash; None when there is none (signed out, or ended)."""
        with self.engine.connect() as connection:
            row = connection.execute(STAFF_SESSIONS.select().where(STAFF_SESSIONS.c.token_hash == token_hash)).first()
            return _record(StaffSession, STAFF_SESSIONS, row) if row is not None else None

    def touch_session(self, token_hash: str, now: Optional[datetime] = None) -> None:
        """Note that the session was used at `now`."""
        with self.engine.begin() as connection:
            connection.execute(STAFF_SESSIONS.update().where(STAFF_SESSIONS.c.token_hash == token_hash)
                               .values(last_seen_at=as_utc(now) or utcnow()))

    def end_session(self, token_hash: str) -> None:
        """Sign out: the session is deleted."""
        self._delete(STAFF_SESSIONS, STAFF_SESSIONS.c.token_hash == token_hash, False)

    def end_sessions_idle_since(self, before: datetime) -> int:
        """Delete the sessions last used before `before`; how many."""
        return self._delete(STAFF_SESSIONS, STAFF_SESSIONS.c.last_seen_at < as_utc(before), False)

    def record_sign_in_attempt(self, key: str, now: Optional[datetime] = None) -> None:
        """Note a sign-in attempt for `key` (the console's choice: an address, a username)."""
        with self.engine.begin() as connection:
            connection.execute(STAFF_SIGN_IN_ATTEMPTS.insert().values(key=key, at=as_utc(now) or utcnow()))

    def sign_in_attempts(self, key: str, since: datetime) -> int:
        """How many sign-in attempts were noted for `key` at or after `since`."""
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(STAFF_SIGN_IN_ATTEMPTS).where(
                STAFF_SIGN_IN_ATTEMPTS.c.key == key, STAFF_SIGN_IN_ATTEMPTS.c.at >= as_utc(since))).scalar())

    def clear_sign_in_attempts(self, key: str) -> None:
        """Forget `key`'s attempts (after a successful sign-in)."""
        self._delete(STAFF_SIGN_IN_ATTEMPTS, STAFF_SIGN_IN_ATTEMPTS.c.key == key, False)

    def forget_sign_in_attempts(self, before: datetime) -> int:
        """Delete the attempts noted before `before` (their keys may be addresses); how many."""
        return self._delete(STAFF_SIGN_IN_ATTEMPTS, STAFF_SIGN_IN_ATTEMPTS.c.at < as_utc(before), False)

    # --- inside ----------------------------------------------------------------------------

    @staticmethod
    def _get(connection: Any, handover_id: int) -> Optional[Handover]:
        row = connection.execute(HANDOVERS.select().where(HANDOVERS.c.id == handover_id)).first()
        return _handover(row) if row is not None else None

    @staticmethod
    def _current(connection: Any, conversation_id: str) -> Optional[Handover]:
        row = connection.execute(HANDOVERS.select().where(
            HANDOVERS.c.conversation_id == conversation_id, HANDOVERS.c.state.in_(ACTIVE_STATES))
            .order_by(HANDOVERS.c.id.desc()).limit(1)).first()
        return _handover(row) if row is not None else None

    def _end(self, handover_id: int, from_states: Tuple[str, ...], reason: str,
             now: Optional[datetime]) -> Optional[Handover]:
        now = as_utc(now) or utcnow()
        with self.engine.begin() as connection:
            ended = connection.execute(HANDOVERS.update().where(
                HANDOVERS.c.id == handover_id, HANDOVERS.c.state.in_(from_states)).values(
                state=END_STATES[reason], ended_at=now, end_reason=reason)).rowcount
            return self._get(connection, handover_id) if ended == 1 else None

    def _delete(self, table: sa.Table, which: Any, dry_run: bool) -> int:
        with self.engine.begin() as connection:
            if dry_run:
                return int(connection.execute(sa.select(sa.func.count()).select_from(table).where(which)).scalar())
            return connection.execute(table.delete().where(which)).rowcount

    def _delete_handovers(self, which: Any, pointers: Any, dry_run: bool) -> ForgottenHandovers:
        messages = HANDOVER_MESSAGES.c.handover_id.in_(sa.select(HANDOVERS.c.id).where(which).scalar_subquery())
        with self.engine.begin() as connection:
            if dry_run:
                def count(table: sa.Table, where: Any) -> int:
                    return int(connection.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar())
                return ForgottenHandovers(count(HANDOVERS, which), count(HANDOVER_MESSAGES, messages),
                                          count(DELIVERIES, pointers))
            # Pointers while the handovers are still there (`pointers` may ask which stay); messages
            # before handovers: SQLite enforces ON DELETE CASCADE only with PRAGMA foreign_keys on.
            deleted_pointers = connection.execute(DELIVERIES.delete().where(pointers)).rowcount
            deleted_messages = connection.execute(HANDOVER_MESSAGES.delete().where(messages)).rowcount
            return ForgottenHandovers(connection.execute(HANDOVERS.delete().where(which)).rowcount, deleted_messages,
                                      deleted_pointers)


def _expiry(handover: Handover, now: datetime, open_now: bool, settings: HandoverSettings) -> Optional[str]:
    """Why `handover` should end at `now`, or None (HandoverStore.expire gives the rules)."""
    if handover.state == WAITING:
        if not open_now:
            return CLOSING_TIME
        return WAIT_LIMIT if now - handover.created_at >= settings.wait_limit else None
    taken_at = handover.taken_at or handover.created_at
    staff_last = handover.last_staff_at
    user_last = handover.last_user_at
    if staff_last is not None and (user_last is None or staff_last >= user_last):
        return USER_IDLE if now - staff_last >= settings.user_idle else None  # staff wrote last
    waiting_on_staff_since = max(taken_at, user_last or taken_at)
    return STAFF_IDLE if now - waiting_on_staff_since >= settings.staff_idle else None


def engine_from_endpoints(path: str = "endpoints.yml") -> sa.engine.Engine:
    """An engine on the tracker store's database, as `tracker_store:` in the endpoints file describes it.

    The settings bot/store/tracker_store.py reads (dialect, the host in `url`, port, db, username,
    password, query; for PostgreSQL POSTGRESQL_SCHEMA and the pool size through Rasa's
    `create_engine_kwargs`); a SQLite file is created mode 600, as the tracker store does. A
    relative SQLite path is relative to the working directory, as it is for the tracker store.
    """
    from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, validate_port
    from rasa.utils.endpoints import read_endpoint_config

    from bot.store.tracker_store import prepare_sqlite_file

    # Only the tracker store is read; other sections may name variables that are unset here.
    os.environ.setdefault("ACTION_SERVER_URL", "")
    config = read_endpoint_config(path, "tracker_store")
    if config is None:
        sys.exit(f"{path} has no tracker_store: the handover to staff needs the conversation database.")
    settings = dict(config.kwargs)
    dialect, host, db = settings.get("dialect", "sqlite"), config.url, settings.get("db", "rasa.db")
    if dialect == "sqlite" and not host:
        prepare_sqlite_file(db)
    url = SQLTrackerStore.get_db_url(dialect, host, validate_port(settings.get("port")), db,
                                     settings.get("username"), settings.get("password"), None, settings.get("query"))
    if sa.engine.url.make_url(url).get_backend_name() == "sqlite":
        # As the tracker store does: a small pool, not a new connection (and schema read) per call.
        return sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                                connect_args={"check_same_thread": False})
    return sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))


def handover_store_from_endpoints(path: str = "endpoints.yml") -> HandoverStore:
    """The handover store on the conversation database of the endpoints file `path`."""
    return HandoverStore(engine_from_endpoints(path))
