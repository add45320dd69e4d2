"""The rules of the handover to school staff, the message box, the texts users read, and the relay.

What happens when a user asks for a person (the channel layer calls `HandoverService.handle`
with every user message, before Rasa; a None answer means "not ours, give it to Rasa"):
- **Within opening hours**: the conversation joins the queue (`HandoverStore.request`); the user
  sees their place and can leave the queue. From then on every message goes to the store and
  to staff, none to Rasa, until staff hand it back or close it, the user cancels, or an idle
  limit ends it (`expire`, run every few seconds by `run_expiry`).
- **Outside opening hours**: an honest notice that says when staff are next there, and the
  message box opens at once.
- **Nobody took it within the wait limit** (or the hours ended while waiting): the user is told
  and offered the message box (a button, since that notice may come from another process).
- **The message box**: a small state machine per conversation: the question → an e-mail address
  or phone number (validated) → consent ("Mogen we je vraag en je contactgegevens bewaren tot
  …? ja/nee") → stored (`HandoverStore.leave_message`) only on "ja", apart from the conversation.
  Until the consent is given, the draft is kept only for MESSAGE_BOX_TTL, in memory or, when
  REDIS_HOST is set, in Redis (with that time to live), never in the database; "nee" or "stop"
  drops it at once.

Staff actions (the console, bot/handover/console.py) go through `take`, `staff_reply`,
`hand_back` and `close`, which tell the user through the `Relay`: Redis pub/sub when REDIS_HOST
is set (`make run-scaled`: the user's socket may sit on another process), in process otherwise.
Every process that subscribes gets every relayed message: a subscriber delivers only to the
connections it holds (a socket.io room without local members is a no-op). Slack and Teams need no
socket: a callback registered with `register_delivery(channel, …)` sends through the channel's API
with the handover's `reply_to`, in the process that made the change, once.

Texts users read are in TEXTS, Dutch and English, in one place.
"""
from __future__ import annotations

import abc
import asyncio
import json
import logging
import os
import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Tuple

from bot.handover.hours import HandoverSettings, OpeningHours
from bot.handover.store import (
    CLOSING_TIME, HANDED_BACK, STAFF, STAFF_CLOSED, STAFF_IDLE, SYSTEM, TAKEN, USER, USER_IDLE,
    WAIT_LIMIT, WAITING, Handover, HandoverStore, LeftMessage, Message, as_utc, utcnow,
)
from bot.knowledge.faq import PAYLOAD_PREFIX as FAQ_PAYLOAD_PREFIX
from bot.language import DUTCH, ENGLISH, LANGUAGES
from bot.payloads import INTENT_PREFIX

logger = logging.getLogger(__name__)

# The payloads of the offer's buttons (actions/handover.py sends them; handled here, not by Rasa).
START, CANCEL, LEAVE_MESSAGE = "/handover_start", "/handover_cancel", "/handover_leave_message"
PAYLOADS = (START, CANCEL, LEAVE_MESSAGE)
# The bot's other buttons: clicked while the message box is open, they leave it and go to Rasa.
BOT_PAYLOAD_PREFIXES = (INTENT_PREFIX, FAQ_PAYLOAD_PREFIX)
MAX_STAFF_REPLY = 2000  # characters of one staff reply (the console refuses longer ones)
MAX_QUESTION = 2000  # characters of a question left in the message box
MAX_CONTACT = 120  # characters of an e-mail address or phone number
MESSAGE_BOX_TTL = timedelta(minutes=30)  # a draft without consent is dropped after this
EXPIRY_INTERVAL_SECONDS = 15.0  # how often run_expiry checks the limits (they are in minutes)
RELAY_CHANNEL = "vragenbot:handover"  # the Redis pub/sub channel

# Everything a user reads about the handover, in Dutch and English. {placeholders} are filled in
# by `text()`; keep both languages saying the same thing.
TEXTS: Dict[str, Dict[str, str]] = {
    "queued": {
        DUTCH: "Je bent nummer {position} in de wachtrij. Een medewerker van de school neemt je gesprek zo over; "
               "je kunt alvast je vraag typen. Is er binnen {minutes} niemand vrij, dan kun je een "
               "bericht achterlaten.",
        ENGLISH: "You are number {position} in the queue. A member of the school's staff will take over shortly; "
                 "you can already type your question. If nobody is free within {minutes}, you can leave "
                 "a message.",
    },
    "position": {
        DUTCH: "Je bent nummer {position} in de wachtrij.",
        ENGLISH: "You are number {position} in the queue.",
    },
    "taken": {
        DUTCH: "Een medewerker van de school heeft je gesprek overgenomen. Je praat nu met een mens, niet met "
               "de Vragenbot.",
        ENGLISH: "A member of the school's staff has taken over. You are now talking to a person, not to the "
                 "chatbot.",
    },
    "out_of_hours": {
        DUTCH: "Er is nu niemand van de school in de chat. We zijn er weer {next}.",
        ENGLISH: "Nobody from the school is in the chat right now. We are back {next}.",
    },
    "out_of_hours_unknown": {
        DUTCH: "Er is nu niemand van de school in de chat, en het is nog niet bekend wanneer wel.",
        ENGLISH: "Nobody from the school is in the chat right now, and it is not yet known when they will be.",
    },
    "box_question": {
        DUTCH: "Je kunt een bericht achterlaten: typ je vraag in één bericht. Liever niet? Typ stop.",
        ENGLISH: "You can leave a message: type your question in one message. Rather not? Type stop.",
    },
    "box_question_too_long": {
        DUTCH: "Je vraag is te lang (meer dan {max} tekens). Maak hem wat korter, of typ stop.",
        ENGLISH: "Your question is too long (more than {max} characters). Please make it shorter, or type stop.",
    },
    "box_ask_contact": {
        DUTCH: "Hoe kunnen we je bereiken? Typ je e-mailadres of telefoonnummer.",
        ENGLISH: "How can we reach you? Type your e-mail address or phone number.",
    },
    "box_contact_invalid": {
        DUTCH: "Dat lijkt geen e-mailadres of telefoonnummer. Probeer het nog eens, bijvoorbeeld "
               "naam@voorbeeld.nl of 06 12345678. Of typ stop.",
        ENGLISH: "That does not look like an e-mail address or phone number. Please try again, for example "
                 "name@example.com or +31 6 12345678. Or type stop.",
    },
    "box_consent": {
        DUTCH: "Mogen we je vraag en je contactgegevens bewaren tot {until}? Alleen medewerkers van de school "
               "zien ze, om je te antwoorden. ja/nee",
        ENGLISH: "May we keep your question and contact details until {until}? Only the school's staff see "
                 "them, to answer you. yes/no",
    },
    "box_consent_unclear": {
        DUTCH: "Typ ja of nee.",
        ENGLISH: "Please type yes or no.",
    },
    "box_stored": {
        DUTCH: "Bedankt, je vraag is opgeslagen. Een medewerker van de school leest hem {when} en neemt contact "
               "met je op via {contact}.",
        ENGLISH: "Thank you, your question has been saved. A member of the school's staff will read it {when} "
                 "and contact you at {contact}.",
    },
    "when_open": {
        DUTCH: "zodra er iemand vrij is",
        ENGLISH: "as soon as someone is free",
    },
    "when_closed": {
        DUTCH: "vanaf {next}",
        ENGLISH: "from {next}",
    },
    "box_not_stored": {
        DUTCH: "Oké, we hebben niets bewaard. {school_contact}",
        ENGLISH: "All right, nothing has been kept. {school_contact}",
    },
    "box_stopped": {
        DUTCH: "Oké, er is geen bericht achtergelaten. Je kunt de Vragenbot gewoon weer iets vragen.",
        ENGLISH: "All right, no message has been left. You can ask the chatbot something again.",
    },
    "missed": {
        DUTCH: "Sorry, er was binnen {minutes} geen medewerker vrij. Je kunt een bericht achterlaten, "
               "dan neemt de school contact met je op.",
        ENGLISH: "Sorry, no member of staff was free within {minutes}. You can leave a message, and the "
                 "school will contact you.",
    },
    "closing_time": {
        DUTCH: "Sorry, de chat met medewerkers is nu gesloten voordat iemand je kon helpen. We zijn er weer "
               "{next}. Je kunt een bericht achterlaten, dan neemt de school contact met je op.",
        ENGLISH: "Sorry, the chat with staff has closed before anyone could help you. We are back {next}. You "
                 "can leave a message, and the school will contact you.",
    },
    "cancelled": {
        DUTCH: "Je hebt de wachtrij verlaten. Je kunt de Vragenbot weer iets vragen.",
        ENGLISH: "You have left the queue. You can ask the chatbot something again.",
    },
    "cancelled_taken": {
        DUTCH: "Je hebt het gesprek met de medewerker beëindigd. Je kunt de Vragenbot weer iets vragen.",
        ENGLISH: "You have ended the conversation with the member of staff. You can ask the chatbot something "
                 "again.",
    },
    "nothing_to_cancel": {
        DUTCH: "Oké. Je kunt de Vragenbot gewoon iets vragen.",
        ENGLISH: "All right. You can just ask the chatbot something.",
    },
    "handed_back": {
        DUTCH: "De medewerker heeft het gesprek teruggegeven aan de Vragenbot. Je kunt de Vragenbot weer iets "
               "vragen.",
        ENGLISH: "The member of staff has handed the conversation back to the chatbot. You can ask the chatbot "
                 "something again.",
    },
    "staff_closed": {
        DUTCH: "De medewerker heeft het gesprek afgesloten. Je kunt de Vragenbot weer iets vragen.",
        ENGLISH: "The member of staff has closed the conversation. You can ask the chatbot something again.",
    },
    "user_idle": {
        DUTCH: "We hebben een tijdje niets van je gehoord, dus het gesprek met de medewerker is beëindigd. Je "
               "kunt de Vragenbot weer iets vragen, of opnieuw om een medewerker vragen.",
        ENGLISH: "We have not heard from you for a while, so the conversation with the member of staff has "
                 "ended. You can ask the chatbot something again, or ask for a person again.",
    },
    "staff_idle": {
        DUTCH: "Sorry, de medewerker reageert niet meer. Het gesprek gaat terug naar de Vragenbot; je kunt "
               "opnieuw om een medewerker vragen of een bericht achterlaten.",
        ENGLISH: "Sorry, the member of staff is no longer responding. The conversation goes back to the "
                 "chatbot; you can ask for a person again or leave a message.",
    },
    "not_available": {
        DUTCH: "Via deze chat kun je nog geen medewerker spreken. {school_contact}",
        ENGLISH: "You cannot reach a person through this chat yet. {school_contact}",
    },
    "button_cancel": {DUTCH: "Wachtrij verlaten", ENGLISH: "Leave the queue"},
    "button_end": {DUTCH: "Gesprek beëindigen", ENGLISH: "End the conversation"},
    "button_leave_message": {DUTCH: "Bericht achterlaten", ENGLISH: "Leave a message"},
    "button_back_to_bot": {DUTCH: "Verder met de Vragenbot", ENGLISH: "Back to the chatbot"},
    "button_stop": {DUTCH: "stop", ENGLISH: "stop"},
    "button_yes": {DUTCH: "ja", ENGLISH: "yes"},
    "button_no": {DUTCH: "nee", ENGLISH: "no"},
    "today": {DUTCH: "vandaag om {time}", ENGLISH: "today at {time}"},
    "tomorrow": {DUTCH: "morgen om {time}", ENGLISH: "tomorrow at {time}"},
    "this_week": {DUTCH: "{weekday} om {time}", ENGLISH: "on {weekday} at {time}"},
    "later": {DUTCH: "{weekday} {day} {month} om {time}", ENGLISH: "on {weekday} {day} {month} at {time}"},
    "date": {DUTCH: "{day} {month} {year}", ENGLISH: "{day} {month} {year}"},
    # {minutes} above: a number of minutes with its unit ("1 minuut", "5 minuten"), by `_minutes`.
    "minute": {DUTCH: "{n} minuut", ENGLISH: "{n} minute"},
    "minutes": {DUTCH: "{n} minuten", ENGLISH: "{n} minutes"},
}
WEEKDAY_NAMES = {
    DUTCH: ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    ENGLISH: ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTH_NAMES = {
    DUTCH: ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december"),
    ENGLISH: ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"),
}
# The notice each end of a handover gives the user (the store's end reasons).
END_NOTICES = {HANDED_BACK: "handed_back", STAFF_CLOSED: "staff_closed", USER_IDLE: "user_idle",
               STAFF_IDLE: "staff_idle", WAIT_LIMIT: "missed", CLOSING_TIME: "closing_time"}
# Answers in the message box, compared after `_plain` (lower case, no punctuation).
STOP_WORDS = frozenset({"stop", "stoppen", "annuleer", "annuleren", "cancel", "laat maar", "nee", "no",
                        "nee dank je", "no thanks", CANCEL.lstrip("/")})
YES_WORDS = frozenset({"ja", "j", "jawel", "ja hoor", "ja graag", "ja dat mag", "dat mag", "graag", "prima",
                       "goed", "oke", "ok", "okay", "akkoord", "yes", "y", "yes please", "sure"})
NO_WORDS = frozenset({"nee", "n", "no", "nope", "liever niet", "niet", "nee dank je", "no thanks", "stop"})

_EMAIL = re.compile(r"^[^@\s<>\"'(),;:]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-./()]")
_DUTCH_PHONE = re.compile(r"^(?:0|\+31|0031)[1-9]\d{8}$")
_INTERNATIONAL_PHONE = re.compile(r"^(?:\+|00)[1-9]\d{7,14}$")


def text(key: str, language: str, **values: Any) -> str:
    """The text `key` in `language` (Dutch for any other), with `values` filled in."""
    return TEXTS[key][language if language in LANGUAGES else DUTCH].format(**values)


def format_moment(moment: datetime, now: datetime, language: str, hours: Optional[OpeningHours] = None) -> str:
    """`moment` as a user reads it, from `now`, in the school's zone: "morgen om 08:30", "on Monday at 08:30"."""
    zone = (hours or OpeningHours()).zone
    local, today = as_utc(moment).astimezone(zone), as_utc(now).astimezone(zone).date()
    language = language if language in LANGUAGES else DUTCH
    values = {"time": f"{local:%H:%M}", "weekday": WEEKDAY_NAMES[language][local.weekday()],
              "day": local.day, "month": MONTH_NAMES[language][local.month - 1]}
    days = (local.date() - today).days
    key = "today" if days <= 0 else "tomorrow" if days == 1 else "this_week" if days < 7 else "later"
    return text(key, language, **values)


def format_date(day: date, language: str) -> str:
    """`day` written out: "12 oktober 2026", "12 October 2026"."""
    language = language if language in LANGUAGES else DUTCH
    return text("date", language, day=day.day, month=MONTH_NAMES[language][day.month - 1], year=day.year)


def valid_contact(typed: str) -> Optional[str]:
    """The e-mail address or phone number in `typed` (trimmed), or None when it is neither.

    A phone number: Dutch (0 and nine digits, or +31/0031 and nine; "+31 (0)6 …" too) or
    international (+ or 00, then 8 to 15 digits), with spaces, dashes, dots, slashes or brackets.
    """
    contact = " ".join(typed.split())
    if not contact or len(contact) > MAX_CONTACT:
        return None
    if _EMAIL.match(contact):
        return contact
    digits = _PHONE_SEPARATORS.sub("", contact.replace("(0)", ""))
    if _DUTCH_PHONE.match(digits) or _INTERNATIONAL_PHONE.match(digits):
        return contact
    return None


def consent_answer(typed: str) -> Optional[bool]:
    """True for "ja" (or "yes", "oké"…), False for "nee" ("no", "liever niet"…), None when unclear."""
    plain = _plain(typed)
    if plain in YES_WORDS:
        return True
    if plain in NO_WORDS:
        return False
    return None


def _plain(typed: str) -> str:
    return " ".join(re.sub(r"[^\w\s/]", " ", typed.lower().replace("é", "e")).split())


def payload_of(typed: str) -> Optional[str]:
    """The handover payload `typed` is ("/handover_start", possibly with {entities}), or None."""
    stripped = typed.strip()
    name = stripped.split("{", 1)[0]
    return name if name in PAYLOADS else None


def button(key: str, language: str, payload: str) -> Dict[str, str]:
    """A button as Rasa's outputs carry them: {"title", "payload"}."""
    return {"title": text(key, language), "payload": payload}


# --- what the channel layer sends back --------------------------------------------------------

# Reply.status: what became of the user's message.
QUEUED = "queued"  # in the queue (new or already); `position` and `handover` set
TO_STAFF = "to_staff"  # stored for staff (the conversation is waiting or taken); no texts
MESSAGE_BOX = "message_box"  # the message box asked its next question
STORED = "stored"  # the message box stored the question (consent given)
NOT_STORED = "not_stored"  # consent refused, or the box stopped: nothing kept
CANCELLED = "cancelled"  # the user left the queue or the chat with staff
NOT_AVAILABLE = "not_available"  # no handover in school.yml: the school's contact instead


@dataclass(frozen=True)
class Reply:
    """What the channel layer sends the user instead of Rasa's answer (texts may be empty)."""

    status: str
    texts: Tuple[str, ...] = ()
    buttons: Tuple[Dict[str, str], ...] = ()  # under the last text
    language: str = DUTCH
    handover: Optional[Handover] = None
    position: int = 0  # the place in the queue while waiting, else 0
    message: Optional[Message] = None  # the user's message as stored for staff (TO_STAFF)


# --- the message box ------------------------------------------------------------------------

QUESTION, CONTACT, CONSENT = "question", "contact", "consent"  # the steps, in order


@dataclass(frozen=True)
class Draft:
    """A message box being filled in: kept until consent, never in the database."""

    language: str
    started_at: datetime
    step: str = QUESTION
    question: Optional[str] = None
    contact: Optional[str] = None

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "started_at": self.started_at.isoformat()})

    @classmethod
    def from_json(cls, data: str) -> "Draft":
        values = json.loads(data)
        return cls(**{**values, "started_at": datetime.fromisoformat(values["started_at"])})


class Drafts(abc.ABC):
    """Where message-box drafts wait for consent: per conversation, for MESSAGE_BOX_TTL at most."""

    @abc.abstractmethod
    async def get(self, conversation_id: str, now: datetime) -> Optional[Draft]:
        """The conversation's draft, if one was started less than the time to live ago."""

    @abc.abstractmethod
    async def put(self, conversation_id: str, draft: Draft) -> None:
        """Keep `draft` (replacing the conversation's earlier one)."""

    @abc.abstractmethod
    async def drop(self, conversation_id: str) -> None:
        """Forget the conversation's draft."""


class MemoryDrafts(Drafts):
    """Drafts in this process's memory (one process, or each conversation pinned to one)."""

    def __init__(self, ttl: timedelta = MESSAGE_BOX_TTL) -> None:
        self.ttl = ttl
        self._drafts: Dict[str, Draft] = {}

    async def get(self, conversation_id: str, now: datetime) -> Optional[Draft]:
        for key, draft in list(self._drafts.items()):  # drop every stale draft, not only this one
            if as_utc(now) - draft.started_at >= self.ttl:
                del self._drafts[key]
        return self._drafts.get(conversation_id)

    async def put(self, conversation_id: str, draft: Draft) -> None:
        self._drafts[conversation_id] = draft

    async def drop(self, conversation_id: str) -> None:
        self._drafts.pop(conversation_id, None)


class RedisDrafts(Drafts):
    """Drafts in Redis with a time to live, for any process of `make run-scaled` to continue."""

    def __init__(self, redis: Any, ttl: timedelta = MESSAGE_BOX_TTL, prefix: str = "vragenbot:box:") -> None:
        self.redis, self.ttl, self.prefix = redis, ttl, prefix

    async def get(self, conversation_id: str, now: datetime) -> Optional[Draft]:
        data = await self.redis.get(self.prefix + conversation_id)
        if data is None:
            return None
        draft = Draft.from_json(data.decode("utf-8") if isinstance(data, bytes) else data)
        return draft if as_utc(now) - draft.started_at < self.ttl else None

    async def put(self, conversation_id: str, draft: Draft) -> None:
        await self.redis.set(self.prefix + conversation_id, draft.to_json(), ex=int(self.ttl.total_seconds()))

    async def drop(self, conversation_id: str) -> None:
        await self.redis.delete(self.prefix + conversation_id)


# --- the relay --------------------------------------------------------------------------------

RelayCallback = Callable[[str, Dict[str, Any]], Awaitable[None]]


class Relay(abc.ABC):
    """Carries messages for a user (staff replies, notices) to whichever process holds their socket.

    A relayed message is a JSON-able dict (see `HandoverService._publish`): {"kind", "handover_id",
    "conversation_id", "channel", "reply_to", "sender" ("staff" or "system"), "staff_name", "text",
    "buttons", "language", "state", "position", "message_id"}. `kind` is "message" (a staff reply
    or a notice, kept in the transcript under `message_id`) or "position" (the queue moved: "Je
    bent nummer 1 in de wachtrij.", not kept; a page may show it as a status instead of a message).
    Every subscriber, in every process, gets every message: deliver only to connections this
    process holds.
    """

    @abc.abstractmethod
    async def publish(self, conversation_id: str, message: Dict[str, Any]) -> None:
        """Send `message` for the user of `conversation_id` to every subscriber."""

    @abc.abstractmethod
    async def subscribe(self, callback: RelayCallback) -> None:
        """Call `await callback(conversation_id, message)` for every message published from now on."""

    async def close(self) -> None:
        """Stop listening and let go of connections."""


class InProcessRelay(Relay):
    """The relay of one process: publish calls the subscribers directly."""

    def __init__(self) -> None:
        self.callbacks: List[RelayCallback] = []

    async def publish(self, conversation_id: str, message: Dict[str, Any]) -> None:
        for callback in list(self.callbacks):
            await _call(callback, conversation_id, message)

    async def subscribe(self, callback: RelayCallback) -> None:
        self.callbacks.append(callback)


class RedisRelay(Relay):
    """The relay across processes: Redis pub/sub on RELAY_CHANNEL (redis.asyncio).

    Each process subscribes once; a message a process publishes reaches its own subscribers
    through Redis too (not directly), so it is delivered once per process. A lost connection
    is reopened after a second; messages published meanwhile are lost to that process (staff
    see the transcript in the console, a reloaded chat shows it from the database).
    """

    def __init__(self, host: str, port: int = 6379, password: Optional[str] = None,
                 channel: str = RELAY_CHANNEL) -> None:
        import redis.asyncio as redis

        self.channel = channel
        self.redis = redis.Redis(host=host, port=port, password=password or None)
        self.callbacks: List[RelayCallback] = []
        self._listener: Optional[asyncio.Task] = None
        self._subscribed = asyncio.Event()

    async def publish(self, conversation_id: str, message: Dict[str, Any]) -> None:
        await self.redis.publish(self.channel, json.dumps({"conversation_id": conversation_id, "message": message}))

    async def subscribe(self, callback: RelayCallback) -> None:
        self.callbacks.append(callback)
        if self._listener is None:
            self._listener = asyncio.get_running_loop().create_task(self._listen())
        await self._subscribed.wait()

    async def _listen(self) -> None:
        while True:
            pubsub = self.redis.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                self._subscribed.set()
                while True:
                    item = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if item is None or item.get("type") != "message":
                        continue
                    data = json.loads(item["data"])
                    for callback in list(self.callbacks):
                        await _call(callback, data["conversation_id"], data["message"])
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a lost connection: reopen
                logger.warning("The handover relay lost Redis (%s); reconnecting in 1 s.", error)
                await asyncio.sleep(1.0)
            finally:
                try:
                    await pubsub.close()
                except Exception:  # already gone
                    pass

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            try:
                await self._listener
            except (asyncio.CancelledError, Exception):
                pass
            self._listener = None
        await self.redis.close()


async def _call(callback: RelayCallback, conversation_id: str, message: Dict[str, Any]) -> None:
    try:
        await callback(conversation_id, message)
    except Exception:  # one failing subscriber must not stop the others
        logger.exception("Delivering a handover message to conversation %s failed.", conversation_id)


def redis_settings() -> Optional[Dict[str, Any]]:
    """REDIS_HOST, REDIS_PORT, REDIS_PASSWORD (scripts/run-scaled exports them), or None without a host."""
    host = os.environ.get("REDIS_HOST")
    if not host:
        return None
    return {"host": host, "port": int(os.environ.get("REDIS_PORT") or 6379),
            "password": os.environ.get("REDIS_PASSWORD") or None}


def relay_from_environment() -> Relay:
    """A RedisRelay when REDIS_HOST is set, else an InProcessRelay."""
    settings = redis_settings()
    return RedisRelay(**settings) if settings else InProcessRelay()


def drafts_from_environment() -> Drafts:
    """Message-box drafts in Redis when REDIS_HOST is set, else in memory."""
    settings = redis_settings()
    if not settings:
        return MemoryDrafts()
    import redis.asyncio as redis

    return RedisDrafts(redis.Redis(**settings))


# --- the service ------------------------------------------------------------------------------

DeliveryCallback = Callable[[Handover, Dict[str, Any]], Awaitable[None]]


class HandoverService:
    """The handover's rules, on a store, the school's settings and a relay (one per process).

    `settings` None (no `handover:` in school.yml): the feature is off; `handle` answers a
    START payload with the school's contact and leaves every other message to Rasa. Every
    method takes `now=None` (the clock) for tests.
    """

    def __init__(self, store: HandoverStore, settings: Optional[HandoverSettings], relay: Optional[Relay] = None,
                 drafts: Optional[Drafts] = None, school_contact: Optional[Dict[str, str]] = None) -> None:
        """`school_contact`: per language the sentence that names the school's contact
        (SchoolSettings.contact_sentence_in), said when nothing was stored or there is no handover."""
        self.store = store
        self.settings = settings
        self.relay = relay or InProcessRelay()
        self.drafts = drafts or MemoryDrafts()
        self.school_contact = school_contact or {}
        self._deliveries: Dict[str, DeliveryCallback] = {}

    @property
    def enabled(self) -> bool:
        """Is there a handover section in school.yml?"""
        return self.settings is not None

    def is_open(self, now: Optional[datetime] = None) -> bool:
        """Are staff there now (within the opening hours)? False when the feature is off."""
        return self.enabled and self.settings.hours.is_open(as_utc(now) or utcnow())

    def register_delivery(self, channel: str, callback: DeliveryCallback) -> None:
        """Deliver messages for users of `channel` (Slack, Teams) with `await callback(handover, message)`
        in the process that makes the change, besides the relay (see the module's docstring)."""
        self._deliveries[channel] = callback

    # --- the user's side (the channel layer) ---------------------------------------------

    async def handle(self, conversation_id: str, typed: str, language: str = DUTCH, channel: str = "rest",
                     page: Optional[str] = None, reply_to: Optional[Dict[str, Any]] = None,
                     now: Optional[datetime] = None) -> Optional[Reply]:
        """A user's message, before Rasa: a Reply when the handover deals with it, None for Rasa.

        Ours are: the three payloads (START, CANCEL, LEAVE_MESSAGE, also with {entities} after
        them); every message while the conversation is waiting or taken (stored for staff; the
        Reply has no texts); and every message while its message box is open. `typed` must be the
        text as the user typed it, not masked: the message box needs the e-mail address or phone
        number (the store masks the transcript itself).
        """
        now = as_utc(now) or utcnow()
        payload = payload_of(typed)
        if payload == START:
            return await self.start(conversation_id, channel, language, page, reply_to, now=now)
        if payload == CANCEL:
            return await self.cancel(conversation_id, language, now=now)
        if payload == LEAVE_MESSAGE:
            return await self.open_message_box(conversation_id, language, now=now)
        if not self.enabled:
            return None
        draft = await self.drafts.get(conversation_id, now)
        if draft is not None:
            if not typed.strip().startswith(BOT_PAYLOAD_PREFIXES):
                return await self._box_answer(conversation_id, draft, typed, now)
            await self.drafts.drop(conversation_id)  # a button of the bot's: the box is left, Rasa answers
        current = self.store.current(conversation_id)
        if current is None:
            return None
        message = self.store.add_message(current.id, USER, typed, now=now)
        if message is None:  # it ended just now: Rasa has it
            return None
        return Reply(TO_STAFF, language=current.language, handover=current,
                     position=self.store.position(current), message=message)

    async def start(self, conversation_id: str, channel: str, language: str = DUTCH, page: Optional[str] = None,
                    reply_to: Optional[Dict[str, Any]] = None, now: Optional[datetime] = None) -> Reply:
        """The user asks for a person: the queue within hours, the out-of-hours notice and the message box outside."""
        now = as_utc(now) or utcnow()
        if not self.enabled:
            return self._not_available(language)
        current = self.store.current(conversation_id)
        if current is not None:
            return self._queued(current, now)
        if not self.is_open(now):
            await self.drafts.put(conversation_id, Draft(language, now))
            return Reply(MESSAGE_BOX, (self._out_of_hours(language, now), text("box_question", language)),
                         (button("button_stop", language, CANCEL),), language)
        await self.drafts.drop(conversation_id)
        return self._queued(self.store.request(conversation_id, channel, language, page, reply_to, now=now), now)

    async def cancel(self, conversation_id: str, language: str = DUTCH, now: Optional[datetime] = None) -> Reply:
        """The user leaves the queue, the chat with staff, or the message box (nothing of the box is kept)."""
        now = as_utc(now) or utcnow()
        if self.enabled and await self.drafts.get(conversation_id, now) is not None:
            await self.drafts.drop(conversation_id)
            return Reply(NOT_STORED, (text("box_stopped", language),), language=language)
        ended = self.store.cancel(conversation_id, now=now) if self.enabled else None
        if ended is None:
            return Reply(CANCELLED, (text("nothing_to_cancel", language),), language=language)
        key = "cancelled_taken" if ended.taken_at is not None else "cancelled"
        self.store.add_message(ended.id, SYSTEM, text(key, ended.language), now=now)
        await self._announce_positions(after=ended)
        return Reply(CANCELLED, (text(key, ended.language),), language=ended.language, handover=ended)

    async def open_message_box(self, conversation_id: str, language: str = DUTCH,
                               now: Optional[datetime] = None) -> Reply:
        """Open the message box (the LEAVE_MESSAGE button): its first question."""
        now = as_utc(now) or utcnow()
        if not self.enabled:
            return self._not_available(language)
        if self.store.current(conversation_id) is not None:  # still in the queue: leave it first
            await self.cancel(conversation_id, language, now=now)
        await self.drafts.put(conversation_id, Draft(language, now))
        return Reply(MESSAGE_BOX, (text("box_question", language),), (button("button_stop", language, CANCEL),),
                     language)

    def position_text(self, handover: Handover) -> str:
        """"Je bent nummer 2 in de wachtrij." for a waiting handover (its place now); "" otherwise."""
        position = self.store.position(handover)
        return text("position", handover.language, position=position) if position else ""

    # --- staff's side (the console) ------------------------------------------------------

    async def take(self, handover_id: int, username: str, now: Optional[datetime] = None) -> Optional[Handover]:
        """`username` takes a waiting conversation; the user is told. None when it is no longer waiting."""
        handover = self.store.take(handover_id, username, now=now)
        if handover is not None:
            await self._tell(handover, SYSTEM, text("taken", handover.language), now=now)
            await self._announce_positions(after=handover)
        return handover

    async def staff_reply(self, handover_id: int, username: str, staff_name: str, typed: str,
                          now: Optional[datetime] = None) -> Optional[Message]:
        """A reply from `username` (shown as `staff_name`) in a conversation they took; the user gets it live.

        Kept and delivered as typed (a staff member's work contact is meant for the user; see
        bot/handover/store.py), on every path: live, REST, a reload. None when the conversation is
        not taken by `username` (any more). ValueError when it is empty or longer than MAX_STAFF_REPLY.
        """
        typed = typed.strip()
        if not typed or len(typed) > MAX_STAFF_REPLY:
            raise ValueError(f"a reply has 1 to {MAX_STAFF_REPLY} characters, not {len(typed)}")
        handover = self.store.get(handover_id)
        if handover is None or handover.state != TAKEN or handover.taken_by != username:
            return None
        message = self.store.add_message(handover_id, STAFF, typed, staff_name=staff_name, now=now)
        if message is not None:
            await self._publish(handover, STAFF, typed, staff_name=staff_name, message=message)
        return message

    async def hand_back(self, handover_id: int, now: Optional[datetime] = None) -> Optional[Handover]:
        """Staff give the conversation back to the bot; the user is told. None when it was not taken."""
        return await self._ended(self.store.hand_back(handover_id, now=now), HANDED_BACK, now)

    async def close(self, handover_id: int, now: Optional[datetime] = None) -> Optional[Handover]:
        """Staff close the conversation; the user is told. None when it was not active."""
        return await self._ended(self.store.close(handover_id, now=now), STAFF_CLOSED, now)

    # --- the clock -----------------------------------------------------------------------

    async def expire(self, now: Optional[datetime] = None) -> List[Tuple[Handover, str]]:
        """End what waited or idled too long (HandoverStore.expire) and tell each user why."""
        if not self.enabled:
            return []
        now = as_utc(now) or utcnow()
        ended = self.store.expire(now, self.settings)
        for handover, reason in ended:
            await self._ended(handover, reason, now)
        return ended

    async def run_expiry(self, interval_seconds: float = EXPIRY_INTERVAL_SECONDS) -> None:
        """Run `expire` every `interval_seconds`, until the task is cancelled (start it once per process)."""
        while True:
            await asyncio.sleep(interval_seconds)
            try:
                await self.expire()
            except Exception:  # a database hiccup: try again next time
                logger.exception("Checking the handovers' time limits failed.")

    # --- inside ----------------------------------------------------------------------------

    def _queued(self, handover: Handover, now: datetime) -> Reply:
        position = self.store.position(handover)
        if handover.state == WAITING:
            texts = (text("queued", handover.language, position=position, minutes=_minutes(
                self.settings.wait_limit_minutes, handover.language)),)
            buttons = (button("button_cancel", handover.language, CANCEL),)
        else:  # already taken: nothing new to say, but the way out
            texts, buttons = (text("taken", handover.language),), (button("button_end", handover.language, CANCEL),)
        return Reply(QUEUED, texts, buttons, handover.language, handover, position)

    def _not_available(self, language: str) -> Reply:
        return Reply(NOT_AVAILABLE, (text("not_available", language, school_contact=self._contact(language)).strip(),),
                     language=language)

    def _contact(self, language: str) -> str:
        return self.school_contact.get(language) or self.school_contact.get(DUTCH) or ""

    def _next(self, language: str, now: datetime) -> Optional[str]:
        opening = self.settings.hours.next_opening(now)
        return format_moment(opening, now, language, self.settings.hours) if opening else None

    def _out_of_hours(self, language: str, now: datetime) -> str:
        moment = self._next(language, now)
        return text("out_of_hours", language, next=moment) if moment else text("out_of_hours_unknown", language)

    async def _box_answer(self, conversation_id: str, draft: Draft, typed: str, now: datetime) -> Reply:
        language = draft.language
        answer = typed.strip()
        stop = (button("button_stop", language, CANCEL),)
        if draft.step != CONSENT and _plain(answer) in STOP_WORDS:
            return await self.cancel(conversation_id, language, now=now)
        if draft.step == QUESTION:
            if not answer:
                return Reply(MESSAGE_BOX, (text("box_question", language),), stop, language)
            if len(answer) > MAX_QUESTION:
                return Reply(MESSAGE_BOX, (text("box_question_too_long", language, max=MAX_QUESTION),), stop,
                             language)
            await self.drafts.put(conversation_id, replace(draft, step=CONTACT, question=answer))
            return Reply(MESSAGE_BOX, (text("box_ask_contact", language),), stop, language)
        if draft.step == CONTACT:
            contact = valid_contact(answer)
            if contact is None:
                return Reply(MESSAGE_BOX, (text("box_contact_invalid", language),), stop, language)
            await self.drafts.put(conversation_id, replace(draft, step=CONSENT, contact=contact))
            return Reply(MESSAGE_BOX, (self._consent_question(language, now),), self._yes_no(language), language)
        consent = consent_answer(answer)
        if consent is None:
            return Reply(MESSAGE_BOX, (text("box_consent_unclear", language),), self._yes_no(language), language)
        await self.drafts.drop(conversation_id)
        if not consent:
            refused = text("box_not_stored", language, school_contact=self._contact(language)).strip()
            return Reply(NOT_STORED, (refused,), language=language)
        stored = self.store.leave_message(draft.question, draft.contact, True, language, now=now)
        return Reply(STORED, (self._stored(stored, language, now),), language=language)

    def _consent_question(self, language: str, now: datetime) -> str:
        until = (now.astimezone(self.settings.hours.zone) + self.settings.message_retention).date()
        return text("box_consent", language, until=format_date(until, language))

    @staticmethod
    def _yes_no(language: str) -> Tuple[Dict[str, str], ...]:
        return (button("button_yes", language, text("button_yes", language)),
                button("button_no", language, text("button_no", language)))

    def _stored(self, stored: LeftMessage, language: str, now: datetime) -> str:
        moment = None if self.is_open(now) else self._next(language, now)
        when = text("when_closed", language, next=moment) if moment else text("when_open", language)
        return text("box_stored", language, when=when, contact=stored.contact)

    async def _ended(self, handover: Optional[Handover], reason: str, now: Optional[datetime]) -> Optional[Handover]:
        if handover is None:
            return None
        now = as_utc(now) or utcnow()
        language = handover.language
        if reason == CLOSING_TIME:
            notice = text("closing_time", language, next=self._next(language, now) or "")
        else:
            notice = text(END_NOTICES[reason], language, minutes=_minutes(self.settings.wait_limit_minutes, language)
                          if self.settings else "")
        buttons: Tuple[Dict[str, str], ...] = ()
        if reason in (WAIT_LIMIT, CLOSING_TIME, STAFF_IDLE):
            buttons = (button("button_leave_message", language, LEAVE_MESSAGE),
                       button("button_back_to_bot", language, CANCEL))
        await self._tell(handover, SYSTEM, notice, buttons=buttons, now=now)
        await self._announce_positions(after=handover)
        return handover

    async def _tell(self, handover: Handover, sender: str, notice: str, buttons: Sequence[Dict[str, str]] = (),
                    now: Optional[datetime] = None) -> None:
        """A system notice: kept in the transcript (staff see it, a reload or REST shows it), sent to the user."""
        message = self.store.add_message(handover.id, sender, notice, now=now)
        await self._publish(handover, sender, notice, buttons=buttons, message=message)

    async def _announce_positions(self, after: Handover) -> None:
        """The queue moved because `after` left it: each conversation that waited behind it hears its new place."""
        if after.taken_at is not None and after.state != TAKEN:
            return  # it had left the queue already, when it was taken
        for waiting in self.store.waiting_and_taken():
            if waiting.state == WAITING and waiting.id > after.id:
                position = self.store.position(waiting)
                if position:
                    await self._publish(waiting, SYSTEM, text("position", waiting.language, position=position),
                                        kind="position", position=position)

    async def _publish(self, handover: Handover, sender: str, typed: str, staff_name: Optional[str] = None,
                       buttons: Sequence[Dict[str, str]] = (), message: Optional[Message] = None,
                       kind: str = "message", position: int = 0) -> None:
        current = self.store.get(handover.id) or handover
        relayed = {
            "kind": kind, "handover_id": handover.id, "conversation_id": handover.conversation_id,
            "channel": handover.channel, "reply_to": handover.reply_to, "sender": sender, "staff_name": staff_name,
            "text": typed, "buttons": list(buttons), "language": handover.language, "state": current.state,
            "position": position, "message_id": message.id if message else None,
        }
        try:
            await self.relay.publish(handover.conversation_id, relayed)
        except Exception:  # Redis gone: the transcript has it, a reload or the next REST request shows it
            logger.exception("The handover relay could not publish for conversation %s.", handover.conversation_id)
        deliver = self._deliveries.get(handover.channel)
        if deliver is not None:
            await _call(lambda _, message: deliver(current, message), handover.conversation_id, relayed)


def _minutes(value: float, language: str) -> str:
    """"1 minuut", "5 minuten", "1.5 minutes": school.yml allows a wait limit of one minute."""
    return text("minute" if value == 1 else "minutes", language, n=f"{value:g}")


_shared: Optional[HandoverService] = None


def shared_service(engine: Any = None, endpoints: str = "endpoints.yml") -> HandoverService:
    """The process's one HandoverService, made on the first call (later calls return it as it is).

    On `engine` when given (best: the tracker store's, `bot.store.tracker_store.unwrap(agent.
    tracker_store).engine`), else on the database of the endpoints file `endpoints`. Settings
    from school.yml (bot/school.py), relay and drafts from the environment (REDIS_HOST).
    """
    global _shared
    if _shared is None:
        from bot.handover.store import handover_store_from_endpoints
        from bot.school import load_school_settings

        school = load_school_settings()
        store = HandoverStore(engine) if engine is not None else handover_store_from_endpoints(endpoints)
        _shared = HandoverService(store, school.handover, relay_from_environment(), drafts_from_environment(),
                                  {language: school.contact_sentence_in(language) for language in LANGUAGES})
    return _shared


def reset_shared_service() -> None:
    """Forget the shared service (tests)."""
    global _shared
    _shared = None
