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

A channel adds its own routes in `routes(on_new_message)`, where `on_new_message` is Rasa's
handler already wrapped as above; `blueprint` (which Rasa calls) is not overridden again.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, ClassVar, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint

from bot.channels.ids import conversation_id
from bot.input_guard import screen
from bot.knowledge.faq import PAYLOAD_PREFIX as FAQ_PAYLOAD_PREFIX
from bot.language import DUTCH, ENGLISH, LANGUAGES, detect
from bot.payloads import INTENT_PREFIX

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


def guarded(on_new_message: MessageHandler) -> MessageHandler:
    """Rasa's handler with screening, whole answers and the apology (see the module docstring)."""

    async def handle(message: UserMessage) -> Any:
        received = message.text or ""
        message.text = screen(received)
        if type(message.output_channel) is CollectingOutputChannel:  # Rasa's REST handler made it
            message.output_channel = WholeAnswersCollector(message.output_channel)
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

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        return self.routes(guarded(on_new_message))

    def routes(self, on_new_message: MessageHandler) -> Blueprint:
        """This channel's routes; by default those of the Rasa connector it extends."""
        return super().blueprint(on_new_message)
