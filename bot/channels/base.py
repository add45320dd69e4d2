"""What every conversational channel does around Rasa, in one place.

A channel class inherits `ConversationChannel` before its Rasa connector
(`class RestChannel(ConversationChannel, RestInput)`), and its output inherits
`WholeAnswers` before Rasa's output. Then, on every channel:
- **Screening**: the text Rasa gets has gone through `bot.input_guard.screen` (cleaned, personal
  data masked; empty, emoji-only and overlong messages become intents with their own answer).
- **The apology**: when Rasa fails on a message (a lock it could not get, a database error),
  the user gets PROCESSING_FAILED instead of silence. Rasa's channels catch every exception of
  message handling, log it and send nothing. The text lives here, not in domain.yml, because
  it must be sendable when Rasa itself is what failed; so it is in Dutch or English by the
  message that failed (`message_language`: there is no tracker to ask).
- **One message per answer**: Rasa's outputs cut a text at every blank line and send each
  paragraph on its own, so an FAQ answer's "Bron: …" line would arrive alone. The answer's
  language (the message metadata `language` that bot/responses.py adds, which Rasa hands to
  the output as a keyword argument) goes along to `send_answer`, for the web page's `lang`.
- **Conversation ids per channel** (bot/channels/ids.py): `<channel>:<the channel's own id>`.
- **A person** (issue 21, bot/handover/service.py): before screening, the message goes to the
  handover service when school.yml has a `handover:` section. The buttons' payloads
  `/handover_start`, `/handover_cancel` and `/handover_leave_message`, every message of a
  conversation that waits for or is with school staff, and every message while its message box
  is open are the service's, never Rasa's: the tracker does not see them, so nothing is replayed
  when the bot takes over again. The service gets the text cleaned but not masked (the message
  box needs the e-mail address or phone number; the store masks the transcript). What it says
  back goes out through the channel's own output, with the state of the handover for pages
  that show it (`send_handover_state`). Without a `handover:` section those payloads are read
  as `/request_human` (the school's contact). The service is the process's one
  (`shared_service`, on the tracker store's database), found once Rasa has loaded the agent;
  then each process also checks the time limits (`run_expiry`) and each channel sets up its
  live delivery of staff messages (`handover_ready`: the web chat's sockets, Slack, Teams).

A channel adds its own routes in `routes(on_new_message)`, where `on_new_message` is Rasa's
handler already wrapped as above; `blueprint` (which Rasa calls) is not overridden again.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import (TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, ClassVar, Dict, List, Optional, Sequence,
                    Text)

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint

from bot.channels.ids import conversation_id
from bot.input_guard import MAX_MESSAGE_CHARS, clean, screen
from bot.knowledge.faq import PAYLOAD_PREFIX as FAQ_PAYLOAD_PREFIX
from bot.language import DUTCH, ENGLISH, LANGUAGE_SLOT, LANGUAGES, detect
from bot.payloads import HANDOVER_PAYLOADS, INTENT_PREFIX

if TYPE_CHECKING:  # the handover imports SQLAlchemy and the store; only typed here
    from bot.handover.service import HandoverService, Reply

logger = logging.getLogger(__name__)

PROCESSING_FAILED = {
    DUTCH: "Sorry, er ging bij mij iets mis met je bericht. Stuur het gerust nog een keer; "
           "lukt het dan nog niet, probeer het over een paar minuten opnieuw.",
    ENGLISH: "Sorry, something went wrong on my side with your message. Feel free to send it again; "
             "if that does not work either, please try again in a few minutes.",
}
# The language of a message is read from its start: enough to tell, and a channel's refusal of
# a huge message (bot/channels/rate_limit.py) must stay cheap.
LANGUAGE_SAMPLE_CHARS = 500

MessageHandler = Callable[[UserMessage], Awaitable[Any]]

# --- a person (issue 21) ---------------------------------------------------------------------
# Who writes, where a channel shows no name of its own (Slack, Teams): staff messages go out
# through the bot's account, so they say so before the text.
STAFF_SPEAKER = {DUTCH: "Medewerker", ENGLISH: "Staff"}
# A message for staff that is too long or has no text: not passed on, and the user is told.
HANDOVER_NOT_SENT = {
    DUTCH: "Dit bericht is niet doorgestuurd naar de medewerker: het is leeg of langer dan {max} tekens.",
    ENGLISH: "This message was not passed on to the staff member: it is empty or longer than {max} characters.",
}
# What the handover payloads are without a `handover:` section: a request for a person, which
# Rasa answers with the school's contact (actions/handover.py).
REQUEST_HUMAN = "/request_human"
WAITING_STATE, TAKEN_STATE, NO_HANDOVER = "waiting", "taken", "none"


def message_language(text: Text, current: Text = DUTCH) -> Text:
    """The language of a channel's own reply to `text` (an apology, "slow down"), where no
    tracker is at hand: `current` unless the message clearly is the other language. A button's
    payload ("/…", "faq:…") says nothing about the language."""
    if text.startswith((INTENT_PREFIX, FAQ_PAYLOAD_PREFIX)):
        return current
    return detect(text[:LANGUAGE_SAMPLE_CHARS], current)


def answer_language(details: Dict[Text, Any]) -> Text:
    """The language of an answer: its metadata `language` (bot/responses.py), Dutch without it."""
    language = details.get("language")
    return language if language in LANGUAGES else DUTCH


class WholeAnswers(OutputChannel):
    """An output that sends each answer as one message."""

    # The language the user's screen shows, when the channel knows it (the web page tells it
    # with each message): a channel's own text is in it unless the message clearly is not.
    shown_language: Text = DUTCH
    # The page the user is on (the web chat tells it with the request for a person), for staff.
    page: Optional[Text] = None

    def handover_address(self) -> Optional[Dict[Text, Any]]:
        """Where staff replies go on this channel, stored with a handover as its `reply_to`
        (Slack: the channel and thread; Teams: the conversation reference); None where the
        conversation id is enough (the web chat's room, REST's next request)."""
        return None

    async def send_handover_state(self, recipient_id: Text, state: Dict[Text, Any]) -> None:
        """Tell a page where the conversation stands with staff (`handover_state`); most channels
        show nothing more than the texts."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_answer(recipient_id, text.strip(), answer_language(kwargs))

    async def send_answer(self, recipient_id: Text, text: Text, language: Text = DUTCH) -> None:
        """Send `text`, blank lines and all, as one message (`language`: "nl" or "en")."""
        raise NotImplementedError


class WholeAnswersCollector(WholeAnswers, CollectingOutputChannel):
    """Rasa's REST collector, collecting each answer as one message into the same list."""

    def __init__(self, collector: CollectingOutputChannel) -> None:
        super().__init__()
        self.messages = collector.messages  # Rasa's REST handler returns the original's list

    async def send_answer(self, recipient_id: Text, text: Text, language: Text = DUTCH) -> None:
        await self._persist_message(self._message(recipient_id, text=text))  # REST's JSON as Rasa's

    async def send_handover_state(self, recipient_id: Text, state: Dict[Text, Any]) -> None:
        await self._persist_message(self._message(recipient_id, custom={"handover": state}))


# A long message (a pasted text, many questions) costs the server about twice an ordinary one.
# At most this many are handled at a time per process, so a burst of them queues behind itself
# and ordinary questions keep their own pace (bot/knowledge/reader.py reads at most three
# questions of any message; `make bench` measures an ordinary user during such a burst).
LONG_MESSAGE_CHARS = 500
LONG_MESSAGES_AT_ONCE = 1
_long_messages: Optional[asyncio.Semaphore] = None


def _long_message_turn() -> asyncio.Semaphore:
    global _long_messages
    if _long_messages is None:  # made in the server's event loop, at the first long message
        _long_messages = asyncio.Semaphore(LONG_MESSAGES_AT_ONCE)
    return _long_messages


def handover_state(state: Optional[Text], position: int = 0, seen: int = 0) -> Dict[Text, Any]:
    """What a page shows of a handover: {"state": "waiting" (with its place in the queue), "taken"
    or "none", "position", "seen": the last handover message the user has now been sent}."""
    shown = state if state in (WAITING_STATE, TAKEN_STATE) else NO_HANDOVER
    return {"state": shown, "position": position if shown == WAITING_STATE else 0, "seen": seen}


async def send_texts(output: OutputChannel, recipient_id: Text, texts: Sequence[Text],
                     buttons: Sequence[Dict[Text, Any]] = (), language: Text = DUTCH) -> None:
    """`texts` one message each, `buttons` under the last one, as the channel sends Rasa's answers."""
    texts = [t for t in texts if t] or ([""] if buttons else [])
    for index, text in enumerate(texts):
        if buttons and index == len(texts) - 1:
            await output.send_text_with_buttons(recipient_id, text, list(buttons), language=language)
        else:
            await output.send_text_message(recipient_id, text, language=language)


async def _conversation_language(channel: "ConversationChannel", conversation: Text, fallback: Text) -> Text:
    """The conversation's language slot, for the service's texts after a button (a payload says
    nothing about the language); `fallback` when the tracker cannot be read."""
    agent = getattr(getattr(getattr(channel, "app", None), "ctx", None), "agent", None)
    try:
        tracker = await agent.tracker_store.retrieve(conversation) if agent is not None else None
    except Exception:  # the database: the fallback will do for one notice
        logger.exception("The language of conversation %s could not be read.", conversation)
        tracker = None
    value = tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None
    return value if value in LANGUAGES else fallback


async def handover_turn(channel: "ConversationChannel", message: UserMessage, received: Text) -> bool:
    """Give the message to the handover service before Rasa (module docstring). True when the
    service dealt with it (and the user has its reply), False when Rasa gets it; a handover
    payload without a `handover:` section becomes `/request_human` for Rasa."""
    typed = clean(received) if len(received) <= 4 * MAX_MESSAGE_CHARS else received
    payload = typed.split("{", 1)[0] if typed.startswith(INTENT_PREFIX) else ""
    service = channel.handover_service()
    if service is None or not service.enabled:
        if payload in HANDOVER_PAYLOADS:
            message.text = REQUEST_HUMAN
        return False
    output, conversation = message.output_channel, message.sender_id
    shown = getattr(output, "shown_language", DUTCH)
    if payload in HANDOVER_PAYLOADS:
        language = await _conversation_language(channel, conversation, shown)
    else:
        language = message_language(typed, shown)
    if not typed or len(typed) > MAX_MESSAGE_CHARS:
        current = service.store.current(conversation)
        if current is None:
            return False  # Rasa's answers to empty and overlong messages (screen())
        await send_texts(output, conversation, [HANDOVER_NOT_SENT[current.language].format(max=MAX_MESSAGE_CHARS)],
                         language=current.language)
        return True
    reply = await service.handle(conversation, typed, language, channel=channel.conversation_prefix,
                                 page=getattr(output, "page", None), reply_to=output.handover_address()
                                 if isinstance(output, WholeAnswers) else None)
    if reply is None:
        return False
    await channel.send_handover_reply(service, message, reply)
    return True


class ConversationTurns:
    """One message of a conversation at a time in this process, in the order they came (FIFO)."""

    def __init__(self) -> None:
        self._locks: Dict[Text, List[Any]] = {}  # conversation -> [lock, messages holding or waiting]

    @contextlib.asynccontextmanager
    async def turn(self, conversation: Text) -> AsyncIterator[None]:
        entry = self._locks.setdefault(conversation, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                yield
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del self._locks[conversation]


_turns = ConversationTurns()


def guarded(on_new_message: MessageHandler, channel: Optional["ConversationChannel"] = None) -> MessageHandler:
    """Rasa's handler with the handover, screening, whole answers and the apology (see the module
    docstring). Without `channel` there is no handover (a handler on its own, as in tests)."""

    async def handle(message: UserMessage) -> Any:
        received = message.text or ""
        if type(message.output_channel) is CollectingOutputChannel:  # Rasa's REST handler made it
            message.output_channel = WholeAnswersCollector(message.output_channel)
        service = channel.handover_service() if channel is not None else None
        if channel is None or service is None or not service.enabled:
            if channel is not None:
                await handover_turn(channel, message, received)  # only reads a payload as /request_human
            return await to_rasa(message, received)
        # The handover awaits the database and Redis before Rasa takes its lock: a conversation's
        # messages wait for each other here, so they still reach Rasa in the order they came.
        async with _turns.turn(message.sender_id):
            try:
                if await channel.deliver_pending(message):
                    return None
                if await handover_turn(channel, message, received):
                    await channel.delivered(message)
                    return None
            except Exception:  # the database or Redis: the user gets the apology, Rasa nothing
                logger.exception("The handover could not take the message of conversation %s.", message.sender_id)
                language = message_language(received, getattr(message.output_channel, "shown_language", DUTCH))
                await message.output_channel.send_text_message(message.sender_id, PROCESSING_FAILED[language],
                                                               language=language)
                return None
            return await to_rasa(message, received)

    async def to_rasa(message: UserMessage, received: Text) -> Any:
        message.text = screen(message.text or "")
        try:
            if len(message.text) > LONG_MESSAGE_CHARS:
                async with _long_message_turn():
                    return await on_new_message(message)
            return await on_new_message(message)
        except Exception:  # whatever failed, the user must not be left without an answer
            logger.exception("The message of conversation %s was not processed; the user gets an apology.",
                             message.sender_id)
            output = message.output_channel
            language = message_language(received, getattr(output, "shown_language", DUTCH))
            await output.send_text_message(message.sender_id, PROCESSING_FAILED[language], language=language)
            return None

    return handle


class ConversationChannel(InputChannel):
    """The base of every channel users talk to (see the module docstring)."""

    # The namespace of this channel's conversations: "rest", "web", "slack", "teams".
    conversation_prefix: ClassVar[Text]

    def conversation(self, user_id: Text) -> Text:
        """The stored conversation of this channel's user `user_id`."""
        return conversation_id(self.conversation_prefix, user_id)

    # The Sanic app this channel's routes run in (set when the server starts), and the handover
    # service once Rasa has loaded the agent (tests may set `handover` themselves).
    app: Any = None
    handover: Optional["HandoverService"] = None

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        routes = self.routes(guarded(on_new_message, self))
        channel = self

        @routes.listener("after_server_start")
        async def prepare_handover(app: Any, loop: Any) -> None:
            channel.app = app
            task = loop.create_task(channel._handover_when_ready())
            _background_tasks.add(task)
            task.add_done_callback(_background_tasks.discard)

        return routes

    def handover_service(self) -> Optional["HandoverService"]:
        """The process's handover service, on the tracker store's database; None before Rasa has
        loaded the agent (then there is no conversation to hand over either)."""
        if self.handover is None:
            agent = getattr(getattr(self.app, "ctx", None), "agent", None)
            tracker_store = getattr(agent, "tracker_store", None)
            if tracker_store is None:
                return None
            from bot.handover.service import shared_service
            from bot.store.tracker_store import unwrap

            self.handover = shared_service(getattr(unwrap(tracker_store), "engine", None))
            _start_expiry(self.handover)
        return self.handover

    async def _handover_when_ready(self) -> None:
        """Wait for the agent (Rasa loads the model after the server starts), then let the channel
        set up its delivery of staff messages (`handover_ready`)."""
        service = None
        while service is None:
            service = self.handover_service()
            if service is None:
                await asyncio.sleep(1.0)
        if service.enabled:
            await self.handover_ready(service)

    async def handover_ready(self, service: "HandoverService") -> None:
        """Set up the live delivery of staff messages to this channel's users (Slack and Teams
        register a delivery, the web chat listens to the relay). Nothing by default: REST users
        get them with their next request (`deliver_pending`)."""

    async def deliver_pending(self, message: UserMessage) -> bool:
        """Before anything else: what staff sent since the user's last request, for channels that
        cannot be reached otherwise (REST). True when `message` needs nothing more."""
        return False

    async def delivered(self, message: UserMessage) -> None:
        """After the handover service answered `message`: what it sent counts as delivered (REST)."""

    async def send_handover_reply(self, service: "HandoverService", message: UserMessage, reply: "Reply") -> None:
        """The service's answer to `message`: its texts (buttons under the last one), then, for pages
        that show it, where the conversation stands."""
        output, conversation = message.output_channel, message.sender_id
        await send_texts(output, conversation, reply.texts, reply.buttons, reply.language)
        if isinstance(output, WholeAnswers):
            handover = reply.handover
            state = handover.state if handover is not None else None
            seen = 0
            if handover is not None and not handover.active:  # the notice of its end is stored: shown now
                stored = service.store.messages(handover.id)
                seen = stored[-1].id if stored else 0
            await output.send_handover_state(conversation, handover_state(state, reply.position, seen))

    def routes(self, on_new_message: MessageHandler) -> Blueprint:
        """This channel's routes; by default those of the Rasa connector it extends."""
        return super().blueprint(on_new_message)


_background_tasks: "set[asyncio.Task]" = set()
_expiry: Dict[int, asyncio.Task] = {}


def _start_expiry(service: "HandoverService") -> None:
    """Check the handovers' time limits in this process (every process does: each end is told once)."""
    if service.enabled and id(service) not in _expiry:
        try:
            _expiry[id(service)] = asyncio.get_running_loop().create_task(service.run_expiry())
        except RuntimeError:  # no event loop (a test calling from outside one)
            pass


def staff_text(message: Dict[Text, Any]) -> Text:
    """A relayed handover message as a channel without speakers shows it: "Medewerker: …" for staff."""
    language = message.get("language") if message.get("language") in LANGUAGES else DUTCH
    text = str(message.get("text") or "")
    return f"{STAFF_SPEAKER[language]}: {text}" if message.get("sender") == "staff" else text



async def send_relayed(output: Any, recipient_id: Text, message: Dict[Text, Any]) -> None:
    """Send a relayed handover message through a collecting output (Slack, Teams), with its buttons, then flush."""
    text, buttons = staff_text(message), list(message.get("buttons") or [])
    if buttons:
        await output.send_text_with_buttons(recipient_id, text, buttons)
    else:
        await output.send_answer(recipient_id, text)
    await output.flush()