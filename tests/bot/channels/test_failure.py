"""A message Rasa fails on gets an apology, not silence."""
from __future__ import annotations

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError

from bot.channels.failure import PROCESSING_FAILED, apologising


async def test_a_message_rasa_could_not_lock_gets_an_apology(caplog):
    async def rasa_fails(message: UserMessage) -> None:
        raise LockError("Could not acquire lock for conversation 'student'.")

    output = CollectingOutputChannel()
    await apologising(rasa_fails)(UserMessage("Wat is crebo 25894?", output, "student"))

    assert output.messages == [{"recipient_id": "student", "text": PROCESSING_FAILED}]
    assert "conversation student was not processed" in caplog.text


async def test_a_message_rasa_handles_passes_through_unchanged():
    async def rasa_answers(message: UserMessage) -> str:
        await message.output_channel.send_text_message(message.sender_id, "Medewerker productietechniek")
        return "handled"

    output = CollectingOutputChannel()
    assert await apologising(rasa_answers)(UserMessage("Wat is crebo 25894?", output, "student")) == "handled"
    assert [m["text"] for m in output.messages] == ["Medewerker productietechniek"]
