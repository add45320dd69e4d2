"""One message per answer on every channel.

Rasa's REST, Slack and Bot Framework outputs cut a text at every blank line and send each
paragraph as its own message, so an FAQ answer's "Bron: …" line arrives on its own. The web
chat already keeps an answer whole (bot/web/channel.py); these keep it whole everywhere else.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage


class WholeAnswersCollector(CollectingOutputChannel):
    """The REST channel's collector, sending each answer as one message into the same list."""

    def __init__(self, collector: CollectingOutputChannel) -> None:
        super().__init__()
        self.messages = collector.messages  # Rasa's REST handler returns the original's list

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message(self._message(recipient_id, text=text.strip()))


def with_whole_answers(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wraps Rasa's handler so a REST message's replies are collected whole."""

    async def handle(message: UserMessage) -> Any:
        if type(message.output_channel) is CollectingOutputChannel:
            message.output_channel = WholeAnswersCollector(message.output_channel)
        return await on_new_message(message)

    return handle
