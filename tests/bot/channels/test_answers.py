"""One message per answer: an FAQ answer and its source line arrive together."""
from __future__ import annotations

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.answers import with_whole_answers

ANSWER = "De kwalificatiedossiers zijn leerwegonafhankelijk.\n\nBron: 4e vragenuur, 11 oktober 2022"


async def test_a_rest_answer_is_one_message_in_rasas_own_list():
    collector = CollectingOutputChannel()

    async def rasa_answers(message: UserMessage) -> None:
        await message.output_channel.send_text_message("rest:x", ANSWER)
        await message.output_channel.send_text_with_buttons("rest:x", "Had je hier iets aan?", [{"title": "👍", "payload": "/x"}])

    await with_whole_answers(rasa_answers)(UserMessage("vraag", collector, "rest:x"))
    assert [m["text"] for m in collector.messages] == [ANSWER, "Had je hier iets aan?"]


async def test_other_output_channels_are_left_alone():
    seen = []

    class Other(CollectingOutputChannel):
        pass

    async def rasa_answers(message: UserMessage) -> None:
        seen.append(type(message.output_channel))

    await with_whole_answers(rasa_answers)(UserMessage("vraag", Other(), "x"))
    assert seen == [Other]
