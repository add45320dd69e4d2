"""When Rasa fails on a message, the user hears so instead of getting no answer at all.

Rasa's channels catch every exception of message handling, log it and send nothing: a
lock that could not be acquired (two processes on one conversation), a database or policy
error. The user sees the question go unanswered. Every channel here wraps Rasa's handler
with `apologising`, which logs the error and sends PROCESSING_FAILED. This text lives here,
not in domain.yml, because it must be sendable when Rasa itself is what failed.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

logger = logging.getLogger(__name__)

PROCESSING_FAILED = (
    "Sorry, er ging bij mij iets mis met je bericht. Stuur het gerust nog een keer; "
    "lukt het dan nog niet, probeer het over een paar minuten opnieuw."
)

MessageHandler = Callable[[UserMessage], Awaitable[Any]]


def apologising(on_new_message: MessageHandler) -> MessageHandler:
    async def handle(message: UserMessage) -> Any:
        try:
            return await on_new_message(message)
        except Exception:  # whatever failed, the user must not be left without an answer
            logger.exception("The message of conversation %s was not processed; the user gets an apology.",
                             message.sender_id)
            await message.output_channel.send_text_message(message.sender_id, PROCESSING_FAILED)
            return None

    return handle
