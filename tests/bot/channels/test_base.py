"""What every channel does around Rasa: screen the text, keep an answer whole, apologise for a failure."""
from __future__ import annotations

import importlib

import pytest
import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError

from bot import PROJECT_DIR
from bot.channels.base import PROCESSING_FAILED, ConversationChannel, WholeAnswers, guarded
from bot.channels.health import HealthChannel
from bot.handover.console import StaffConsoleInput
from bot.channels.rest import RestChannel
from bot.channels.slack import SlackOutput
from bot.channels.teams import TeamsOutput
from bot.input_guard import EMPTY_MESSAGE, MESSAGE_TOO_LONG
from bot.web.channel import WebChatOutput

ANSWER = "De kwalificatiedossiers zijn leerwegonafhankelijk.\n\nBron: 4e vragenuur, 11 oktober 2022"


async def test_rasa_gets_the_screened_text():
    seen = []

    async def rasa(message: UserMessage) -> None:
        seen.append(message.text)

    handle = guarded(rasa)
    for text in ("Wat is crebo\u200b 25894?\x1b[31m", "   ", "x" * 50_000):
        await handle(UserMessage(text, CollectingOutputChannel(), "rest:x"))
    assert seen == ["Wat is crebo 25894?", EMPTY_MESSAGE, MESSAGE_TOO_LONG]


async def test_a_rest_answer_is_one_message_in_rasas_own_list():
    collector = CollectingOutputChannel()

    async def rasa_answers(message: UserMessage) -> None:
        await message.output_channel.send_text_message("rest:x", ANSWER)
        await message.output_channel.send_text_with_buttons("rest:x", "Had je hier iets aan?", [{"title": "👍", "payload": "/x"}])

    await guarded(rasa_answers)(UserMessage("vraag", collector, "rest:x"))
    assert [m["text"] for m in collector.messages] == [ANSWER, "Had je hier iets aan?"]


async def test_a_message_rasa_could_not_lock_gets_an_apology(caplog):
    async def rasa_fails(message: UserMessage) -> None:
        raise LockError("Could not acquire lock for conversation 'student'.")

    output = CollectingOutputChannel()
    await guarded(rasa_fails)(UserMessage("Wat is crebo 25894?", output, "student"))

    assert output.messages == [{"recipient_id": "student", "text": PROCESSING_FAILED["nl"]}]
    assert "conversation student was not processed" in caplog.text


@pytest.mark.parametrize("text, language", [
    ("What is crebo 25894?", "en"),
    ("Which qualifications are there at level 2?", "en"),
    ("Welke kwalificaties zijn er op niveau 2?", "nl"),
    ("25894", "nl"),  # says nothing: Dutch, the channel has no conversation to ask
    ('/switch_language{"language":"en"}', "nl"),  # a payload says nothing either
    ("x" * 50_000, "nl"),  # screened as too long
])
async def test_the_apology_is_in_the_language_of_the_message(text, language):
    async def rasa_fails(message: UserMessage) -> None:
        raise LockError("Could not acquire lock for conversation 'student'.")

    output = CollectingOutputChannel()
    await guarded(rasa_fails)(UserMessage(text, output, "rest:student"))
    assert [m["text"] for m in output.messages] == [PROCESSING_FAILED[language]]


def test_both_channel_texts_exist_in_both_languages():
    from bot.channels.rate_limit import TOO_MANY
    from bot.language import LANGUAGES

    for texts in (PROCESSING_FAILED, TOO_MANY):
        assert set(texts) == set(LANGUAGES) and all(texts.values())


async def test_a_message_rasa_handles_passes_through_unchanged():
    async def rasa_answers(message: UserMessage) -> str:
        await message.output_channel.send_text_message(message.sender_id, "Medewerker productietechniek")
        return "handled"

    output = CollectingOutputChannel()
    assert await guarded(rasa_answers)(UserMessage("Wat is crebo 25894?", output, "student")) == "handled"
    assert [m["text"] for m in output.messages] == ["Medewerker productietechniek"]


def configured_channels():
    credentials = yaml.safe_load((PROJECT_DIR / "credentials.yml").read_text(encoding="utf-8"))
    for path in credentials:
        module, name = path.rsplit(".", 1)
        yield getattr(importlib.import_module(module), name)


# The health check and the staff console are no conversations with users.
@pytest.mark.parametrize("channel", [c for c in configured_channels() if c not in (HealthChannel, StaffConsoleInput)],
                         ids=lambda c: c.__name__)
def test_every_channel_users_talk_to_has_the_shared_base(channel):
    assert issubclass(channel, ConversationChannel)
    assert "blueprint" not in vars(channel), "add routes in `routes`, so the base wraps Rasa's handler"
    assert channel.conversation_prefix


@pytest.mark.parametrize("output", [SlackOutput, TeamsOutput, WebChatOutput])
def test_every_output_sends_an_answer_whole(output):
    assert issubclass(output, WholeAnswers) and "send_text_message" not in vars(output)


def test_conversations_are_named_per_channel():
    assert RestChannel().conversation("U04ABCDE12") == "rest:U04ABCDE12"


async def test_long_messages_are_handled_one_at_a_time_and_short_ones_are_not_held():
    """A burst of long (many-question) messages queues behind itself; an ordinary question does not wait."""
    import asyncio

    from bot.channels import base

    base._long_messages = None  # this test's event loop
    running, most_at_once, order = 0, 0, []

    async def rasa(message: UserMessage) -> None:
        nonlocal running, most_at_once
        running += 1
        most_at_once = max(most_at_once, running)
        await asyncio.sleep(0.05)
        running -= 1
        order.append(len(message.text))

    handle = guarded(rasa)
    long_text = ("Wat is crebo 25894? " * 40)[:800]
    burst = [asyncio.create_task(handle(UserMessage(long_text, CollectingOutputChannel(), f"rest:{i}"))) for i in range(4)]
    await asyncio.sleep(0.01)
    short = asyncio.create_task(handle(UserMessage("Wat is crebo 25894?", CollectingOutputChannel(), "rest:s")))
    await asyncio.gather(*burst, short)
    assert most_at_once == 2  # one long message and the short one
    assert order.index(len("Wat is crebo 25894?")) <= 1  # answered while the burst still queued
